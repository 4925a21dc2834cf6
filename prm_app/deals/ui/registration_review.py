"""Review one registration: its facts, then the conflict evidence with scores and reasons, then the decision.

Approve is disabled, with the reason beside it, while a protected claim overlaps (the use case refuses it anyway);
"Approve & next" opens the next registration waiting. Nothing about conflicts shows until this registration's
evidence is loaded: a page still showing the previous one, or none, must not say "No possible conflicts".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from prm_app.deals import review as deal_review
from prm_app.deals.queries import get_deal_for_review, next_to_review
from prm_app.deals.ui.deal_money import DealMoneyState, deal_money_panel
from prm_app.deals.ui.deal_view import deal_facts, deal_history
from prm_app.deals.ui.display import (
    DealCard,
    EvidenceCard,
    HistoryLine,
    credit_lines,
    deal_card,
    distribution_note,
    evidence_card,
    history_line,
)
from prm_app.identity import with_zone
from prm_app.platform.access import Permission
from prm_app.platform.errors import NotFound
from prm_app.web.components.forms import field_error, labelled
from prm_app.web.layout import record_heading, record_page
from prm_app.web.record import RecordActions
from prm_app.web.registry import Audience, page, url_for
from prm_app.web.state import AuthState


class ReviewState(RecordActions, AuthState):
    found: bool = True
    deal: DealCard = DealCard()
    partner: str = ""
    history: list[HistoryLine] = []
    credits: list[str] = []  # who it credits by role, when it names a distributor (display.credit_lines)
    distribution: str = ""  # "Names Northwind Distribution to fulfil it; kept from it." ("" when it names none)
    evidence: list[EvidenceCard] = []
    errors: dict[str, str] = {}
    can_decide: bool = False
    blocked: str = ""  # why Approve is disabled: a protected claim overlaps ("" when it is not)
    protection_days: str = ""  # the approval's default: the partner tier's protection days, or the app's
    loaded_for: str = ""  # the id of the registration whose evidence is on screen ("" before any)
    _then_next: bool = False  # the approval came from "Approve & next"
    _record_id: int = 0
    _extension_id: int = 0  # the latest extension request of the deal shown, 0 when none

    def _reload(self) -> None:
        self.can_decide = self._actor().can(Permission.DECIDE_DEALS)
        try:
            review, zone = self._run(with_zone, get_deal_for_review, self._record_id)
        except NotFound:
            self.found, self.deal, self.partner, self.history, self.evidence = False, DealCard(), "", [], []
            self.credits, self.distribution = [], ""
            self._extension_id, self.blocked = 0, ""
            return
        self.found = True
        self.blocked = review.approval_blocked or ""
        self.protection_days = str(review.protection_days)
        self.deal = deal_card(review.deal, zone)
        self.partner = review.partner_name
        self.credits = credit_lines(review.parties, review.deal)
        self.distribution = distribution_note(review.parties)
        self.history = [history_line(e, zone) for e in review.deal.history]
        self.evidence = [evidence_card(e) for e in review.evidence]
        self._extension_id = review.deal.extension.id if review.deal.extension else 0

    @rx.event
    def load(self) -> None:
        self._open_record()
        self.loaded_for = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]  # what the page now shows is this

    def _decide(self, fn: Callable[..., Any], *args: Any, success: str, **kwargs: Any) -> rx.event.EventSpec | None:
        return self._act(fn, *args, success=success, **kwargs)

    @rx.event
    def approve(self, form: dict[str, Any]) -> rx.event.EventSpec | None:
        days = str(form.get("protection_days", "")).strip()
        if not days.isdigit():
            self.errors = {"protection_days": "Enter the protection period in days."}
            return None
        done = self._decide(
            deal_review.approve_deal,
            self._record_id,
            protection_days=int(days),
            note=str(form.get("note", "")),
            success="Approved and protected.",
        )
        if done is None or not self._then_next:
            return done
        following = self._run(next_to_review, self._record_id)
        self.loaded_for = ""  # the next page shows its own evidence only once loaded
        if following is None:
            return [done, rx.redirect(url_for("registrations_page"))]
        return [done, rx.redirect(url_for("registration_review_page", deal_id=following))]

    @rx.event
    def then_next(self, value: bool) -> None:
        """Which approve button submitted the form (its click comes just before the submit)."""
        self._then_next = bool(value)

    @rx.event
    def reject(self, form: dict[str, Any]) -> rx.event.EventSpec | None:
        return self._decide(deal_review.reject_deal, self._record_id, str(form.get("reason", "")), success="Rejected.")

    @rx.event
    def ask(self, form: dict[str, Any]) -> rx.event.EventSpec | None:
        return self._decide(
            deal_review.request_more_info,
            self._record_id,
            str(form.get("question", "")),
            success="Question sent to the partner.",
        )

    @rx.event
    def decide_extension(self, approve: bool) -> rx.event.EventSpec | None:
        return self._decide(
            deal_review.decide_extension,
            self._extension_id,
            approve=bool(approve),
            success="Extension approved." if approve else "Extension declined.",
        )


# The id at the end of the address the browser shows now, read in the browser: the state's own copy of the address
# only changes once the new page's first event is processed, so it cannot tell a stale record from the current one.
_ID_IN_ADDRESS = rx.Var(
    "((typeof window !== 'undefined' && window.location.pathname.replace(/\\/+$/, '').split('/').pop()) || '')",
    _var_type=str,
)


def _err(name: str) -> rx.Component:
    return field_error(ReviewState.errors, name)


def _labelled(label: str, name: str, control: rx.Component) -> rx.Component:
    return labelled(ReviewState.errors, label, name, control)


def _evidence() -> rx.Component:
    return rx.box(
        rx.heading("Conflict evidence", size="4", as_="h2", margin_bottom="0.5rem"),
        rx.cond(
            ReviewState.evidence.length() == 0,
            rx.callout(
                "No possible conflicts: no live registration or direct account matches this customer.",
                icon="circle_check",
                color_scheme="green",
            ),
            rx.vstack(
                rx.foreach(
                    ReviewState.evidence,
                    lambda e: rx.card(
                        rx.hstack(
                            rx.badge("Score ", e.score, color_scheme="amber", high_contrast=True, size="2"),
                            rx.cond(e.protected, rx.badge("Protected now", color_scheme="red", high_contrast=True)),
                            rx.text(e.title, weight="medium"),
                            wrap="wrap",
                            align="center",
                        ),
                        rx.el.ul(
                            rx.foreach(e.reasons, lambda reason: rx.el.li(reason)),
                            padding_left="1.25rem",
                            margin_top="0.5rem",
                        ),
                        width="100%",
                    ),
                ),
                width="100%",
            ),
        ),
        width="100%",
    )


def _decision() -> rx.Component:
    return rx.cond(
        ReviewState.can_decide & (ReviewState.deal.status == "submitted"),
        rx.grid(
            rx.form(
                rx.heading("Approve", size="3", as_="h3"),
                _labelled(
                    "Protection (days)",
                    "protection_days",
                    rx.input(
                        id="field-protection_days",
                        name="protection_days",
                        default_value=ReviewState.protection_days,
                        key=ReviewState.protection_days,  # redrawn with the partner's default once loaded
                    ),
                ),
                _labelled("Note to the partner (optional)", "note", rx.input(id="field-note", name="note")),
                rx.text(ReviewState.blocked, id="approve-blocked", size="2", color_scheme="red"),  # "" unless blocked
                rx.flex(
                    rx.button(
                        "Approve",
                        type="submit",
                        color_scheme="green",
                        disabled=ReviewState.blocked != "",
                        aria_describedby="approve-blocked",
                        on_click=ReviewState.then_next(False),
                    ),
                    rx.button(
                        "Approve & next",
                        type="submit",
                        color_scheme="green",
                        variant="soft",
                        high_contrast=True,  # soft green text is 3.9:1 on its own background
                        disabled=ReviewState.blocked != "",
                        aria_describedby="approve-blocked",
                        on_click=ReviewState.then_next(True),
                    ),
                    spacing="2",
                    wrap="wrap",
                    margin_top="0.5rem",
                ),
                on_submit=ReviewState.approve,
                no_validate=True,
                aria_label="Approve",
            ),
            rx.form(
                rx.heading("Reject", size="3", as_="h3"),
                _labelled(
                    "Reason (shown to the partner)", "reason", rx.text_area(id="field-reason", name="reason", rows="3")
                ),
                rx.button("Reject", type="submit", color_scheme="red", margin_top="0.5rem"),
                on_submit=ReviewState.reject,
                no_validate=True,
                aria_label="Reject",
            ),
            rx.form(
                rx.heading("Ask for more information", size="3", as_="h3"),
                _labelled("Question", "question", rx.text_area(id="field-question", name="question", rows="3")),
                rx.button("Send question", type="submit", variant="soft", margin_top="0.5rem"),
                on_submit=ReviewState.ask,
                no_validate=True,
                aria_label="Ask for more information",
            ),
            columns={"initial": "1", "md": "3"},
            spacing="5",
            width="100%",
        ),
    )


@page(
    "/registrations/[deal_id]",
    title="Review registration",
    audience=Audience.INTERNAL,
    on_load=[ReviewState.load, DealMoneyState.load],
)
@record_page
def registration_review_page() -> rx.Component:
    shown = (ReviewState.loaded_for == _ID_IN_ADDRESS) & ReviewState.found
    return rx.fragment(
        record_heading(
            rx.cond(shown, ReviewState.deal.customer, ""),
            [("Deal registrations", url_for("registrations_page"))],
            "Review registration",
        ),
        _page(ReviewState.deal),
    )


def _page(d) -> rx.Component:
    return rx.cond(
        ReviewState.loaded_for != _ID_IN_ADDRESS,
        rx.vstack(
            rx.text("Loading the registration and checking for conflicts…", role="status"),
            rx.skeleton(rx.box(height="12rem", width="100%"), loading=True),
            width="100%",
        ),
        rx.cond(
            ReviewState.found,
            _review(d),
            rx.callout("Deal not found.", icon="circle_alert", color_scheme="gray", role="alert"),
        ),
    )


def _review(d) -> rx.Component:
    return rx.vstack(
        rx.text("Registered by ", rx.text.strong(ReviewState.partner)),
        _err("action"),
        rx.cond(ReviewState.distribution != "", rx.text(ReviewState.distribution, size="2")),
        deal_facts(d, ReviewState.credits),
        deal_money_panel(then=ReviewState.load),
        _evidence(),
        _decision(),
        rx.cond(
            ReviewState.can_decide & d.extension_pending,
            rx.card(
                rx.text("Extension request: ", d.extension),
                rx.hstack(
                    rx.button("Approve extension", on_click=ReviewState.decide_extension(True)),
                    rx.button(
                        "Decline extension",
                        variant="soft",
                        color_scheme="red",
                        on_click=ReviewState.decide_extension(False),
                    ),
                    margin_top="0.5rem",
                ),
                width="100%",
            ),
        ),
        deal_history(ReviewState.history),
        spacing="4",
        width="100%",
    )
