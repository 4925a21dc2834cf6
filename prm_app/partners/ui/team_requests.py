"""The Team page's join requests: colleagues who asked to join (onboarding's request-access page), for the partner
admin to approve (an invitation is emailed) or decline. Its own state, loaded with the Team page."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from prm_app.identity import with_zone
from prm_app.onboarding import approve_join_request, decline_join_request, pending_join_requests
from prm_app.web.components.confirm import confirm_button
from prm_app.web.format import moment
from prm_app.web.language_state import t
from prm_app.web.state import AuthState


@dataclass(frozen=True)
class RequestLine:
    id: int = 0
    name: str = ""
    email: str = ""
    asked: str = ""  # "asked 6 Dec 2026, 14:05 CET", in the person's language
    decline_title: str = ""


class JoinRequestsState(AuthState):
    requests: list[RequestLine] = []

    def _reload(self) -> None:
        rows, zone = self._run(with_zone, pending_join_requests)
        words, language = self._words(), self.language
        self.requests = [
            RequestLine(
                r.id,
                r.full_name,
                r.email,
                words.text("partners.join.asked", moment=moment(r.created_at, zone, language=language)),
                words.text("partners.join.decline_title", email=r.email),
            )
            for r in rows
        ]

    @rx.event
    def load(self):
        self._reload()

    @rx.event
    def approve(self, request_id: int):
        if not isinstance(request_id, int) or isinstance(request_id, bool):
            return None
        created = self._run(approve_join_request, request_id)
        self._reload()
        return rx.toast.success(self._words().text("partners.team.invited", email=created.email))

    @rx.event
    def decline(self, request_id: int):
        if not isinstance(request_id, int) or isinstance(request_id, bool):
            return None
        self._run(decline_join_request, request_id)
        self._reload()
        return rx.toast.success(self._words().text("partners.join.declined"))


def join_requests_card() -> rx.Component:
    s = JoinRequestsState
    return rx.cond(
        s.requests.length() > 0,
        rx.card(
            rx.heading(t("partners.join.heading"), size="4", as_="h2", margin_bottom="0.5rem"),
            rx.vstack(
                rx.foreach(
                    s.requests,
                    lambda r: rx.hstack(
                        rx.text(r.name, " · ", r.email, " · ", r.asked),
                        rx.button(
                            t("partners.join.approve"),
                            size="1",
                            on_click=s.approve(r.id),
                            aria_label=t("partners.join.approve") + " " + r.email,
                        ),
                        confirm_button(
                            t("partners.join.decline"),
                            title=r.decline_title,
                            consequence=t("partners.join.decline_consequence"),
                            on_confirm=s.decline(r.id),
                            cancel_label=t("shell.cancel"),
                            size="1",
                            variant="soft",
                            aria_label=t("partners.join.decline") + " " + r.email,
                        ),
                        wrap="wrap",
                        align="center",
                    ),
                ),
            ),
            width="100%",
        ),
    )
