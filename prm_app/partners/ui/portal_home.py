"""The partner's home: its organization, tier and benefits, channel manager, team at a glance."""

from __future__ import annotations

import dataclasses

import reflex as rx

from prm_app.notifications import list_notifications
from prm_app.nps import open_surveys_for
from prm_app.partners.directory import get_my_profile
from prm_app.partners.team import list_team
from prm_app.platform.access import Actor, Permission
from prm_app.web.components.profile import profile_card
from prm_app.web.registry import Audience, Nav, page
from prm_app.web.state import AuthState


def _home(session, actor: Actor):
    """What the portal home shows, from four areas in one unit of work."""
    actor.require(Permission.USE_PORTAL)
    profile = get_my_profile(session, actor)
    return (
        profile,
        list_team(session, actor, profile.id),
        list_notifications(session, actor),
        open_surveys_for(session, actor),
    )


class PortalHomeState(AuthState):
    profile: dict[str, str] = {}
    benefits: list[str] = []
    subs: list[dict[str, str]] = []
    team_size: int = 0
    notifications: list[dict[str, str]] = []
    surveys: list[dict] = []

    @rx.event
    def load(self):
        p, team, self.notifications, surveys = self._run(_home)
        self.team_size = sum(1 for m in team if m["active"])
        self.surveys = [x for x in surveys if not x["answered"]]
        self.profile = {k: str(v) for k, v in dataclasses.asdict(p).items() if isinstance(v, str)}
        self.benefits = p.tier_benefits
        self.subs = [{k: str(v) for k, v in s.items()} for s in p.sub_partners]


@page(
    "/portal",
    title="Home",
    audience=Audience.PARTNER,
    on_load=PortalHomeState.load,
    nav=Nav("Home", "house", 10),
    home=True,
)
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
