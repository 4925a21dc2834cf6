"""The partner's home: its organization, tier and benefits (with the tiering area's tier card: progress and what is
at risk), channel manager, team at a glance. In the person's language: its words from the catalogue, its sentences,
days and amounts made here (data the program wrote, such as stage, tier and notice texts, stays as written)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from prm_app.identity import viewer_zone
from prm_app.notifications import open_notice, recent_notices
from prm_app.nps import surveys_to_answer
from prm_app.onboarding import ChecklistView, TaskStatus, my_checklist
from prm_app.partners.queries import get_my_profile
from prm_app.partners.team_queries import list_team
from prm_app.partners.ui.display import (
    NoticeLine,
    SubPartnerLine,
    SurveyInviteLine,
    notice_line,
    profile_card,
    sub_partner_line,
    survey_invite_line,
)
from prm_app.platform.access import Actor, Permission
from prm_app.platform.i18n import Catalogue, catalogue
from prm_app.tiering.ui.tier_card import TierCardState, tier_card
from prm_app.web.components.profile import profile_card as profile_card_view
from prm_app.web.language_state import t
from prm_app.web.registry import Audience, Nav, page, url_for
from prm_app.web.state import AuthState


@dataclasses.dataclass(frozen=True)
class JourneyStage:
    name: str = ""
    progress: str = ""  # "2 of 3 done"
    done: bool = False
    current: bool = False


@dataclasses.dataclass(frozen=True)
class Journey:
    """The onboarding checklist at a glance; `show` is False before it starts and once the partner is onboarded."""

    show: bool = False
    current_stage: str = ""
    stage_sentence: str = ""  # "You are in the Sell stage."
    next_step: str = ""
    next_status: str = ""
    action_required: bool = False
    stages: list[JourneyStage] = dataclasses.field(default_factory=list)


def journey(view: ChecklistView | None, words: Catalogue | None = None) -> Journey:
    """The checklist at a glance, its sentences in `words`' language (English by default)."""
    if view is None or view.completed_at is not None:
        return Journey()
    words = words or catalogue("en")
    current, nxt = view.current_stage, view.next_task
    return Journey(
        show=True,
        current_stage=current.name if current else "",
        stage_sentence=words.text("home.in_stage", stage=current.name) if current else "",
        next_step=nxt.title if nxt else "",
        next_status=words.text(f"onboarding.status.{TaskStatus(nxt.status).value}") if nxt else "",
        action_required=nxt is not None and nxt.status == TaskStatus.ACTION_REQUIRED,
        stages=[
            JourneyStage(
                s.name,
                words.text("home.stage_progress", done=s.done, total=s.total),
                s.completed_at is not None,
                s is current,
            )
            for s in view.stages
        ],
    )


def _home(session, actor: Actor):
    """What the portal home shows, from four areas in one unit of work, and the zone its times are read in."""
    actor.require(Permission.USE_PORTAL)
    profile = get_my_profile(session, actor)
    return (
        profile,
        list_team(session, actor, profile.id),
        recent_notices(session, actor),
        surveys_to_answer(session, actor),
        viewer_zone(session, actor),
        my_checklist(session, actor),
    )


class PortalHomeState(AuthState):
    # The ProfileCard as a dict: web/components/profile.py reads it by key, and {} means "nothing loaded".
    profile: dict[str, str] = {}
    benefits: list[str] = []
    subs: list[SubPartnerLine] = []
    team_size: int = 0
    team_sentence: str = ""  # "3 active people in your team.", in the person's language
    notifications: list[NoticeLine] = []
    surveys: list[SurveyInviteLine] = []  # open surveys this person has not answered yet
    journey: Journey = Journey()  # the onboarding checklist at a glance

    @rx.event
    def load(self):
        p, team, notices, surveys, zone, checklist = self._run(_home)
        language, words = self.language, self._words()
        self.journey = journey(checklist, words)
        self.notifications = [notice_line(n, zone, language) for n in notices]
        self.team_size = sum(1 for m in team if m.active)
        self.team_sentence = words.plural("home.team_size", self.team_size)
        self.surveys = [survey_invite_line(s, zone, language) for s in surveys if not s.answered]
        self.profile = dataclasses.asdict(profile_card(p, zone, language))
        self.benefits = list(p.tier_benefits)
        self.subs = [sub_partner_line(s) for s in p.sub_partners]

    @rx.event
    def open_notice(self, notice_id: int):
        """Open a notice's record, marking the notice read on the way (as the notifications page does)."""
        if not isinstance(notice_id, int) or isinstance(notice_id, bool):
            return None
        link = self._run(open_notice, notice_id)
        return rx.redirect(link) if link else None


def _journey(j) -> rx.Component:
    checklist = url_for("onboarding_checklist_page")
    return rx.card(
        rx.heading(t("home.journey"), size="4", as_="h2", margin_bottom="0.5rem"),
        rx.text(j.stage_sentence),
        rx.el.ol(
            rx.foreach(
                j.stages,
                lambda s: rx.el.li(
                    rx.cond(s.done, rx.icon("circle-check", size=16, aria_hidden="true", color=rx.color("green", 11))),
                    rx.text.span(" ", s.name, ": ", s.progress),
                    rx.cond(
                        s.current,
                        rx.badge(t("home.current_stage"), color_scheme="blue", variant="soft", margin_left="0.5rem"),
                    ),
                ),
            ),
            id="onboarding-journey",
            padding_left="1.25rem",
        ),
        rx.cond(
            j.next_step != "",
            rx.hstack(
                rx.text(t("home.next_step"), weight="medium"),
                rx.link(j.next_step, href=checklist),
                rx.badge(j.next_status, color_scheme=rx.cond(j.action_required, "red", "gray"), variant="soft"),
                wrap="wrap",
                align="center",
            ),
        ),
        rx.link(t("home.open_checklist"), href=checklist),
        width="100%",
    )


@page(
    "/portal",
    title="Home",
    audience=Audience.PARTNER,
    on_load=[PortalHomeState.load, TierCardState.load],
    nav=Nav("Home", "house", 10),
    home=True,
)
def portal_home() -> rx.Component:
    return rx.vstack(
        rx.heading(PortalHomeState.profile["name"], size="5", as_="h2"),
        rx.cond(PortalHomeState.journey.show, _journey(PortalHomeState.journey)),
        tier_card(),
        rx.cond(
            PortalHomeState.surveys.length() > 0,
            rx.card(
                rx.heading(t("home.surveys"), size="4", as_="h2", margin_bottom="0.5rem"),
                rx.foreach(
                    PortalHomeState.surveys,
                    lambda x: rx.hstack(
                        rx.link(x.title, href=x.link),
                        rx.text(t("home.open_until"), " ", x.closes, size="2"),
                        wrap="wrap",
                    ),
                ),
                width="100%",
            ),
        ),
        rx.cond(
            PortalHomeState.notifications.length() > 0,
            rx.card(
                rx.heading(t("shell.notifications"), size="4", as_="h2", margin_bottom="0.5rem"),
                rx.el.ul(
                    rx.foreach(
                        PortalHomeState.notifications,
                        lambda n: rx.el.li(
                            rx.link(
                                n.message,
                                href=n.link,
                                on_click=[rx.prevent_default, PortalHomeState.open_notice(n.id)],
                            ),
                            " ",
                            rx.text.span(n.at, color="var(--gray-11)", font_size="0.8rem"),
                        ),
                    ),
                    padding_left="1.25rem",
                ),
                rx.link(t("home.all_notifications"), href=url_for("notifications_page")),
                width="100%",
            ),
        ),
        profile_card_view(PortalHomeState.profile, PortalHomeState.benefits, PortalHomeState.subs),
        rx.card(
            rx.hstack(
                rx.icon("users", aria_hidden="true"),
                rx.text(PortalHomeState.team_sentence),
                rx.link(t("home.see_team"), href=url_for("team_page")),
                align="center",
                wrap="wrap",
            ),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )
