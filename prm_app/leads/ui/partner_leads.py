"""The partner's leads: new offers with their deadline, accept or decline, work them, turn them into deals."""

from __future__ import annotations

import reflex as rx

from prm_app.identity import with_zone
from prm_app.leads import offers as lead_offers
from prm_app.leads.models import DECLINE_REASONS
from prm_app.leads.my_leads import get_my_lead, list_my_leads, offers_waiting
from prm_app.leads.passing import pass_choices, pass_lead
from prm_app.leads.ui.display import LeadCard, MyLeadLine, lead_card, my_lead_line
from prm_app.leads.ui.labels import DECLINE_REASON_KEYS
from prm_app.leads.ui.preferences import LeadPreferencesState, lead_preferences
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import NotFound, ValidationError
from prm_app.web.components.confirm import confirm_dialog
from prm_app.web.components.forms import field_error
from prm_app.web.components.link_button import link_button
from prm_app.web.components.profile import fact
from prm_app.web.components.tables import data_table
from prm_app.web.header_state import HeaderState
from prm_app.web.language_state import t
from prm_app.web.record import RecordActions
from prm_app.web.registry import Audience, Badge, Nav, page, url_for
from prm_app.web.state import AuthState


class MyLeadsState(AuthState):
    rows: list[MyLeadLine] = []

    @rx.event
    def load(self):
        leads, zone = self._run(with_zone, list_my_leads)
        now = utcnow()
        words = self._words()
        self.rows = [my_lead_line(lead, zone, now, words) for lead in leads]


_COLUMNS = ("leads.col.company", "leads.col.status", "leads.col.location", "leads.col.vertical", "leads.col.accept_by")


def _row(r: rx.Var[MyLeadLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(r.company, href=url_for("lead_detail_page", lead_id=r.id))),
        rx.table.cell(r.status_label),
        rx.table.cell(r.where),
        rx.table.cell(r.vertical),
        rx.table.cell(r.deadline),
    )


@page(
    "/leads",
    title="Leads",
    audience=Audience.PARTNER,
    on_load=[MyLeadsState.load, LeadPreferencesState.load],
    nav=Nav("Leads", "inbox", 30),
    badge=Badge(offers_waiting, "waiting"),
)
def my_leads_page() -> rx.Component:
    return rx.vstack(
        rx.text(t("leads.intro"), size="2", color_scheme="gray"),
        data_table(
            [rx.table.column_header_cell(t(key)) for key in _COLUMNS],
            MyLeadsState.rows,
            _row,
            label=t("leads.your_leads"),
        ),
        rx.cond(MyLeadsState.rows.length() == 0, rx.text(t("leads.none"))),
        lead_preferences(),
        spacing="4",
        width="100%",
    )


class LeadDetailState(RecordActions, AuthState):
    found: bool = True
    lead: LeadCard = LeadCard()
    errors: dict[str, str] = {}
    confirming_decline: bool = False  # a reason is chosen; the dialog asks before the lead goes to another partner
    # A distributor's accepted lead may be passed to one of its resellers: [[id, name], …]; [] when it may not.
    resellers: list[list[str]] = []
    confirming_pass: str = ""  # the reseller chosen; the dialog asks before the lead leaves
    pass_consequence: str = ""  # what passing to that reseller means, in the person's language
    _decline_reason: str = ""
    _pass_to: str = ""
    _record_id: int = 0

    def _reload(self) -> None:
        try:
            lead, zone = self._run(with_zone, get_my_lead, self._record_id)
            self.lead = lead_card(lead, zone, utcnow(), self._words())
            self.found = True
            self.resellers = [[str(i), name] for i, name in self._run(pass_choices, self._record_id)]
        except NotFound:
            self.found, self.lead, self.resellers = False, LeadCard(), []

    @rx.event
    def load(self):
        self._open_record()

    def _on_lead(self, fn, *args, success: str):
        """Run `fn` on this lead; `success` is the key of the toast's message."""
        return self._act(fn, self._record_id, *args, success=self._words().text(success))

    @rx.event
    def accept(self):
        result = self._on_lead(lead_offers.accept_lead, success="leads.accepted")
        return [result, HeaderState.refresh_counts] if result is not None else None  # one offer fewer waiting

    @rx.event
    def decline(self, form: dict):
        """Check the reason, then ask (the dialog's "Decline lead" runs `confirm_decline`)."""
        try:
            reason = lead_offers.check_decline_reason(str(form.get("reason", "")))
        except ValidationError as exc:
            self.errors = {"reason": exc.in_language(self.language)}
            return
        self.errors, self._decline_reason, self.confirming_decline = {}, reason, True

    @rx.event
    def confirm_decline(self):
        self.confirming_decline = False
        result = self._on_lead(lead_offers.decline_lead, self._decline_reason, success="leads.declined")
        return [result, rx.redirect(url_for("my_leads_page"))] if result is not None else None

    @rx.event
    def keep_lead(self, is_open: bool):
        """The dialog closed by Cancel or Escape (`is_open` False): keep the lead."""
        self.confirming_decline = bool(is_open) and self.confirming_decline

    @rx.event
    def choose_reseller(self, form: dict):
        """Check the choice, then ask (the dialog's "Pass lead" runs `confirm_pass`)."""
        chosen = str(form.get("reseller_id", ""))
        name = next((n for i, n in self.resellers if i == chosen), "")
        if not name:
            self.errors = {"reseller_id": self._words().text("leads.error.choose_reseller")}
            return
        self.errors, self._pass_to, self.confirming_pass = {}, chosen, name
        self.pass_consequence = self._words().text("leads.pass_consequence", reseller=name)

    @rx.event
    def confirm_pass(self):
        self.confirming_pass = ""
        result = self._on_lead(pass_lead, self._pass_to, success="leads.passed")
        return [result, rx.redirect(url_for("my_leads_page"))] if result is not None else None

    @rx.event
    def keep_pass(self, is_open: bool):
        """The dialog closed by Cancel or Escape: the lead stays."""
        self.confirming_pass = self.confirming_pass if is_open else ""

    @rx.event
    def set_status(self, form: dict):
        return self._on_lead(
            lead_offers.update_lead_status,
            str(form.get("status", "")),
            str(form.get("note", "")),
            success="leads.updated",
        )


def _err(name: str) -> rx.Component:
    return field_error(LeadDetailState.errors, name)


@page("/leads/[lead_id]", title="Lead", audience=Audience.PARTNER, on_load=LeadDetailState.load)
def lead_detail_page() -> rx.Component:
    lead = LeadDetailState.lead
    status = lead.status
    return rx.cond(
        LeadDetailState.found,
        rx.vstack(
            rx.heading(lead.company, size="5", as_="h2"),
            rx.card(
                rx.grid(
                    fact(t("leads.col.status"), lead.status_label),
                    fact(t("leads.fact.contact"), lead.contact),
                    fact(t("leads.fact.email"), lead.email),
                    fact(t("leads.fact.website"), lead.domain),
                    fact(t("leads.col.location"), lead.where),
                    fact(t("leads.col.vertical"), lead.vertical),
                    fact(t("leads.fact.products"), lead.products),
                    fact(t("leads.fact.size"), lead.size),
                    rx.cond(status == "offered", fact(t("leads.col.accept_by"), lead.deadline)),
                    columns={"initial": "1", "sm": "2", "md": "3"},
                    spacing="4",
                ),
                width="100%",
            ),
            _err("action"),
            rx.cond(
                status == "offered",
                rx.flex(
                    rx.button(t("leads.accept"), on_click=LeadDetailState.accept, color_scheme="green", size="3"),
                    rx.form(
                        rx.el.label(t("leads.decline_reason"), html_for="field-reason", class_name="field-label"),
                        rx.hstack(
                            rx.el.select(
                                rx.el.option(t("leads.choose_reason"), value=""),
                                *[rx.el.option(t(DECLINE_REASON_KEYS[r]), value=r) for r in DECLINE_REASONS],
                                id="field-reason",
                                name="reason",
                                class_name="native-select",
                            ),
                            rx.button(t("leads.decline"), type="submit", variant="soft", color_scheme="red"),
                        ),
                        _err("reason"),
                        on_submit=LeadDetailState.decline,
                        no_validate=True,
                        aria_label=t("leads.decline_form"),
                    ),
                    confirm_dialog(
                        open=LeadDetailState.confirming_decline,
                        on_open_change=LeadDetailState.keep_lead,
                        title=t("leads.decline_title"),
                        consequence=t("leads.decline_consequence"),
                        on_confirm=LeadDetailState.confirm_decline,
                        confirm_label=t("leads.decline_confirm"),
                        cancel_label=t("shell.cancel"),
                    ),
                    spacing="5",
                    wrap="wrap",
                    align="end",
                    width="100%",
                ),
            ),
            rx.cond(
                (status == "accepted") | (status == "contacted") | (status == "qualified"),
                rx.vstack(
                    link_button(t("leads.register_deal"), f"{url_for('deal_new_page')}?lead={lead.id}"),
                    rx.form(
                        rx.flex(
                            rx.box(
                                rx.el.label(t("leads.next_step"), html_for="field-status", class_name="field-label"),
                                rx.el.select(
                                    *[
                                        rx.el.option(t(f"leads.status.{step}"), value=step)
                                        for step in ("contacted", "qualified", "disqualified")
                                    ],
                                    id="field-status",
                                    name="status",
                                    class_name="native-select",
                                ),
                            ),
                            rx.box(
                                rx.el.label(t("leads.note_field"), html_for="field-note", class_name="field-label"),
                                rx.input(id="field-note", name="note"),
                                _err("note"),
                                flex="1",
                            ),
                            rx.button(t("leads.update"), type="submit", variant="soft"),
                            spacing="3",
                            align="end",
                            wrap="wrap",
                            width="100%",
                        ),
                        on_submit=LeadDetailState.set_status,
                        no_validate=True,
                        aria_label=t("leads.update_form"),
                        width="100%",
                    ),
                    width="100%",
                ),
            ),
            _pass_form(),
            rx.cond(lead.note != "", rx.text(t("leads.note"), lead.note)),
            rx.cond(
                lead.deal_id != 0,
                rx.link(t("leads.see_deal"), href=url_for("deal_detail_page", deal_id=lead.deal_id)),
            ),
            spacing="4",
            width="100%",
        ),
        rx.callout(t("leads.not_found"), icon="circle_alert", color_scheme="gray", role="alert"),
    )


def _pass_form() -> rx.Component:
    """A distributor passes its accepted lead to one of its resellers; it comes back if they decline."""
    s = LeadDetailState
    return rx.cond(
        s.resellers.length() > 0,
        rx.form(
            rx.heading(t("leads.pass_heading"), size="3", as_="h3"),
            rx.el.label(t("leads.reseller"), html_for="field-reseller_id", class_name="field-label"),
            rx.hstack(
                rx.el.select(
                    rx.el.option(t("leads.choose_reseller"), value=""),
                    rx.foreach(s.resellers, lambda r: rx.el.option(r[1], value=r[0])),
                    id="field-reseller_id",
                    name="reseller_id",
                    class_name="native-select",
                    custom_attrs={"aria-describedby": "field-reseller_id-error"},
                ),
                rx.button(t("leads.pass"), type="submit", variant="soft"),
                wrap="wrap",
            ),
            _err("reseller_id"),
            rx.text(t("leads.pass_hint"), size="1", color_scheme="gray"),
            confirm_dialog(
                open=s.confirming_pass != "",
                on_open_change=s.keep_pass,
                title=t("leads.pass_title"),
                consequence=s.pass_consequence,
                on_confirm=s.confirm_pass,
                confirm_label=t("leads.pass"),
                cancel_label=t("shell.cancel"),
            ),
            on_submit=s.choose_reseller,
            no_validate=True,
            aria_label=t("leads.pass_form"),
            width="100%",
        ),
    )
