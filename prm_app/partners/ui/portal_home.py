"""The partner's home: its organization, tier and benefits, channel manager, team at a glance."""

from __future__ import annotations

import dataclasses

import reflex as rx

from prm_app.deals.review import list_notifications
from prm_app.nps.service import open_surveys_for
from prm_app.partners.directory import get_my_profile
from prm_app.partners.team import list_team
from prm_app.platform.access import Role
from prm_app.platform.db import session_scope
from prm_app.web.components.profile import profile_card
from prm_app.web.layout import app_page
from prm_app.web.state import AuthState


class PortalHomeState(AuthState):
    profile: dict[str, str] = {}
    benefits: list[str] = []
    subs: list[dict[str, str]] = []
    team_size: int = 0
    notifications: list[dict[str, str]] = []
    surveys: list[dict] = []

    @rx.event
    def load(self):
        actor = self._actor(Role.PARTNER_USER, Role.PARTNER_ADMIN)
        with session_scope() as session:
            p = get_my_profile(session, actor)
            self.team_size = sum(1 for m in list_team(session, actor, p.id) if m["active"])
            self.notifications = list_notifications(session, actor)
            self.surveys = [x for x in open_surveys_for(session, actor) if not x["answered"]]
        self.profile = {k: str(v) for k, v in dataclasses.asdict(p).items() if isinstance(v, str)}
        self.benefits = p.tier_benefits
        self.subs = [{k: str(v) for k, v in s.items()} for s in p.sub_partners]


@app_page("Home", on_load=[AuthState.guard_partner, PortalHomeState.load])
def portal_home() -> rx.Component:
    return rx.vstack(
        rx.heading(PortalHomeState.profile["name"], size="5", as_="h2"),
        rx.cond(
            PortalHomeState.surveys.length() > 0,
            rx.card(
                rx.heading("Tell us how we are doing", size="4", as_="h2", margin_bottom="0.5rem"),
                rx.foreach(
                    PortalHomeState.surveys,
                    lambda x: rx.hstack(
                        rx.link(x["title"], href=x["link"]), rx.text("open until ", x["closes"], size="2"), wrap="wrap"
                    ),
                ),
                width="100%",
            ),
        ),
        rx.cond(
            PortalHomeState.notifications.length() > 0,
            rx.card(
                rx.heading("Notifications", size="4", as_="h2", margin_bottom="0.5rem"),
                rx.el.ul(
                    rx.foreach(
                        PortalHomeState.notifications,
                        lambda n: rx.el.li(
                            rx.link(n["message"], href=n["link"]),
                            " ",
                            rx.text.span(n["at"], color="var(--gray-11)", font_size="0.8rem"),
                        ),
                    ),
                    padding_left="1.25rem",
                ),
                width="100%",
            ),
        ),
        profile_card(PortalHomeState.profile, PortalHomeState.benefits, PortalHomeState.subs),
        rx.card(
            rx.hstack(
                rx.icon("users", aria_hidden="true"),
                rx.text(PortalHomeState.team_size, " active people in your team."),
                rx.link("See your team", href="/portal/team"),
                align="center",
                wrap="wrap",
            ),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )
