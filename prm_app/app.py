"""The app and its routes; nothing else."""

import reflex as rx

from prm_app import areas  # noqa: F401  (tables must be imported for the app to see them)
from prm_app.analytics.ui.dashboard import dashboard_page
from prm_app.analytics.ui.scorecard import my_scorecard_page, partner_scorecard_page
from prm_app.deals.ui.deal_detail import deal_detail_page
from prm_app.deals.ui.deal_new import deal_new_page
from prm_app.deals.ui.my_deals import deals_page
from prm_app.deals.ui.registration_review import registration_review_page
from prm_app.deals.ui.registrations import registrations_page
from prm_app.identity.ui.login import LoginState, login_page
from prm_app.leads.ui.lead_fairness import fairness_page
from prm_app.leads.ui.lead_intake import import_page, new_lead_page
from prm_app.leads.ui.lead_queue import lead_queue_page
from prm_app.leads.ui.partner_leads import lead_detail_page, my_leads_page
from prm_app.nps.ui.survey import survey_page
from prm_app.nps.ui.surveys import surveys_page
from prm_app.partners.ui.directory import directory_page
from prm_app.partners.ui.invite import InviteState, invite_page
from prm_app.partners.ui.partner_detail import partner_detail_page
from prm_app.partners.ui.portal_home import portal_home
from prm_app.partners.ui.team import team_page
from prm_app.runtime.jobs import expiry_loop, recycle_loop
from prm_app.web.errors import backend_exception_handler
from prm_app.web.layout import public_page
from prm_app.web.state import AuthState

app = rx.App(
    html_lang="en",
    stylesheets=["/app.css"],
    backend_exception_handler=backend_exception_handler,
)


app.register_lifespan_task(expiry_loop)
app.register_lifespan_task(recycle_loop)


def index() -> rx.Component:
    return public_page(rx.text("Opening your workspace…"), "Open PRM")


app.add_page(index, route="/", title="Open PRM", on_load=AuthState.go_home)
app.add_page(login_page, route="/login", title="Sign in · Open PRM", on_load=LoginState.load)
app.add_page(invite_page, route="/invite/[token]", title="Accept invitation · Open PRM", on_load=InviteState.load)
for page, route in [
    (portal_home, "/portal"),
    (team_page, "/portal/team"),
    (directory_page, "/partners"),
    (partner_detail_page, "/partners/[partner_id]"),
    (deals_page, "/deals"),
    (deal_new_page, "/deals/new"),
    (deal_detail_page, "/deals/[deal_id]"),
    (registrations_page, "/registrations"),
    (registration_review_page, "/registrations/[deal_id]"),
    (lead_queue_page, "/lead-queue"),
    (new_lead_page, "/lead-queue/new"),
    (import_page, "/lead-queue/import"),
    (fairness_page, "/lead-queue/fairness"),
    (my_leads_page, "/leads"),
    (lead_detail_page, "/leads/[lead_id]"),
    (survey_page, "/portal/survey/[survey_id]"),
    (surveys_page, "/surveys"),
    (my_scorecard_page, "/scorecard"),
    (partner_scorecard_page, "/partners/[partner_id]/scorecard"),
    (dashboard_page, "/dashboards"),
]:
    app.add_page(page, route=route, title=f"{page.title} · Open PRM", on_load=page.on_load)
