"""One of the partner's registrations: facts, history, and what the partner can do next."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from prm_app.deals import service as deals
from prm_app.deals.conflicts import CONFLICT_HINT
from prm_app.deals.distribution import (
    OPEN_FOR_DISTRIBUTOR,
    change_distributor,
    registration_choices,
    set_distributor_sharing,
)
from prm_app.deals.queries import get_my_deal
from prm_app.deals.ui.deal_view import deal_facts, deal_history
from prm_app.deals.ui.display import DealCard, HistoryLine, credit_lines, deal_card, history_line
from prm_app.deals.ui.distribution_fields import choice_select
from prm_app.identity import with_zone
from prm_app.platform.errors import NotFound
from prm_app.web.components.confirm import confirm_button
from prm_app.web.components.forms import field_error, labelled
from prm_app.web.layout import record_heading, record_page
from prm_app.web.record import RecordActions
from prm_app.web.registry import Audience, page, url_for
from prm_app.web.state import AuthState


class DealDetailState(RecordActions, AuthState):
    found: bool = True
    deal: DealCard = DealCard()
    history: list[HistoryLine] = []
    conflict_hint: str = ""  # CONFLICT_HINT while another claim may cover the customer, else ""
    errors: dict[str, str] = {}
    # Two-tier distribution (deals.distribution.deal_parties): False when the actor's organization reads a reseller's
    # registration as its distributor (then nothing here can change it).
    own: bool = True
    reseller: str = ""
    distributor: str = ""  # "" when it names none
    shared: bool = False
    registered_by: str = ""  # the distributor that registered it for the reseller, "" when the reseller did
    # The reseller may name another of its current distributors while the registration is open: [[id, name], …]
    # with the blank choice ("none") first unless the program requires one; [] when it may not change it.
    distributor_choices: list[list[str]] = []
    distributor_id: str = ""
    credits: list[str] = []  # who it credits by role, when more than its owner (display.credit_lines)
    _record_id: int = 0

    def _reload(self) -> None:
        try:
            mine, zone = self._run(with_zone, get_my_deal, self._record_id)
        except NotFound:
            self.found, self.deal, self.history, self.conflict_hint, self.credits = False, DealCard(), [], "", []
            return
        self.found = True
        self.deal = deal_card(mine.deal, zone)
        self.history = [history_line(e, zone) for e in mine.deal.history]
        self.conflict_hint = CONFLICT_HINT if mine.possible_conflict else ""
        self.own = mine.own
        parties = mine.parties
        self.reseller = parties.reseller if parties else ""
        self.distributor = parties.distributor if parties else ""
        self.shared = bool(parties and parties.shared)
        self.registered_by = parties.registered_by if parties else ""
        self.credits = credit_lines(parties, mine.deal)
        self.distributor_id = str(parties.distributor_id or "") if parties else ""
        self.distributor_choices = []
        if mine.own and not self.registered_by and mine.deal.status in OPEN_FOR_DISTRIBUTOR:
            choices = self._run(registration_choices)
            if choices.distributors:
                blank = [] if choices.distributor_required else [["", "None"]]
                self.distributor_choices = blank + [[str(i), name] for i, name in choices.distributors]

    @rx.event
    def load(self) -> None:
        self._open_record()

    def _on_deal(self, fn: Callable[..., Any], *args: Any, success: str, **kwargs: Any) -> rx.event.EventSpec | None:
        return self._act(fn, self._record_id, *args, success=success, **kwargs)

    @rx.event
    def submit_draft(self) -> rx.event.EventSpec | None:
        return self._on_deal(deals.submit_draft, success="Registration submitted for review.")

    @rx.event
    def withdraw(self) -> rx.event.EventSpec | None:
        return self._on_deal(deals.withdraw_deal, success="Registration withdrawn.")

    @rx.event
    def answer(self, form: dict[str, Any]) -> rx.event.EventSpec | None:
        return self._on_deal(
            deals.answer_info_request, str(form.get("answer", "")), success="Answer sent; back in review."
        )

    @rx.event
    def extend(self, form: dict[str, Any]) -> rx.event.EventSpec | None:
        days = str(form.get("days", "")).strip()
        if not days.isdigit():
            self.errors = {"days": "Enter a number of days."}
            return None
        return self._on_deal(
            deals.request_extension, int(days), str(form.get("reason", "")), success="Extension requested."
        )

    @rx.event
    def mark_won(self, form: dict[str, Any]) -> rx.event.EventSpec | None:
        return self._on_deal(
            deals.close_deal,
            won=True,
            final_amount=str(form.get("final_amount", "")),
            success="Marked as won. Congratulations!",
        )

    @rx.event
    def set_sharing(self, form: dict[str, Any]) -> rx.event.EventSpec | None:
        hidden = str(form.get("distributor_hidden", "")) in {"on", "true"}
        return self._on_deal(
            set_distributor_sharing,
            hidden,
            success="Kept from the distributor." if hidden else "Shared with the distributor.",
        )

    @rx.event
    def set_distributor(self, form: dict[str, Any]) -> rx.event.EventSpec | None:
        return self._on_deal(change_distributor, str(form.get("distributor_id", "")), success="Distributor changed.")

    @rx.event
    def mark_lost(self) -> rx.event.EventSpec | None:
        return self._on_deal(deals.close_deal, won=False, success="Marked as lost.")


def _err(name: str) -> rx.Component:
    return field_error(DealDetailState.errors, name)


def _labelled(label: str, name: str, control: rx.Component) -> rx.Component:
    return labelled(DealDetailState.errors, label, name, control)


def _actions() -> rx.Component:
    status = DealDetailState.deal.status
    return rx.vstack(
        _err("action"),
        rx.cond(status == "draft", rx.button("Submit for review", on_click=DealDetailState.submit_draft)),
        rx.cond(
            status == "info_requested",
            rx.form(
                _labelled("Your answer", "answer", rx.text_area(id="field-answer", name="answer", rows="3")),
                rx.button("Send answer", type="submit", margin_top="0.5rem"),
                on_submit=DealDetailState.answer,
                no_validate=True,
                aria_label="Answer the info request",
                width="100%",
            ),
        ),
        rx.cond(
            status == "approved",
            rx.grid(
                rx.form(
                    rx.heading("Won it?", size="3", as_="h3"),
                    _labelled(
                        "Final amount",
                        "final_amount",
                        rx.input(id="field-final_amount", name="final_amount", placeholder="e.g. 48,000.00"),
                    ),
                    rx.hstack(
                        rx.button("Mark as won", type="submit", color_scheme="green"),
                        confirm_button(
                            "Mark as lost",
                            title="Mark this deal as lost?",
                            consequence="The registration closes as lost and its protection ends: the customer is "
                            "open to other partners again. This cannot be undone.",
                            on_confirm=DealDetailState.mark_lost,
                            variant="soft",
                        ),
                        margin_top="0.5rem",
                    ),
                    on_submit=DealDetailState.mark_won,
                    no_validate=True,
                    aria_label="Close the deal",
                ),
                rx.cond(
                    DealDetailState.deal.extension_pending,
                    rx.text("Your extension request is waiting for a decision.", size="2"),
                    rx.form(
                        rx.heading("Need more time?", size="3", as_="h3"),
                        _labelled("Extra days", "days", rx.input(id="field-days", name="days", default_value="30")),
                        _labelled("Reason", "reason", rx.text_area(id="field-reason", name="reason", rows="2")),
                        rx.button("Request extension", type="submit", variant="soft", margin_top="0.5rem"),
                        on_submit=DealDetailState.extend,
                        no_validate=True,
                        aria_label="Request an extension",
                    ),
                ),
                columns={"initial": "1", "md": "2"},
                spacing="5",
                width="100%",
            ),
        ),
        rx.cond(
            (status == "draft") | (status == "submitted") | (status == "info_requested"),
            confirm_button(
                "Withdraw registration",
                title="Withdraw this registration?",
                consequence="Your channel manager will no longer review it and it will not protect this customer. "
                "To claim the customer again you would register a new deal.",
                on_confirm=DealDetailState.withdraw,
                confirm_label="Withdraw",
                variant="soft",
            ),
        ),
        spacing="3",
        width="100%",
        align="start",
    )


def _distribution() -> rx.Component:
    """Who else the registration involves; for the reseller, "do not share" with the distributor it names."""
    s = DealDetailState
    return rx.fragment(
        rx.cond(
            ~s.own,
            rx.callout(
                rx.text(
                    s.reseller,
                    " shared this registration with you as its distributor. You can read it; ",
                    s.reseller,
                    " acts on it.",
                ),
                icon="info",
                color_scheme="blue",
                width="100%",
            ),
        ),
        rx.cond(
            s.registered_by != "",
            rx.text(s.registered_by, " registered this deal for ", s.reseller, ".", size="2"),
        ),
        rx.cond(
            s.own & (s.distributor != "") & (s.registered_by == ""),
            rx.form(
                rx.heading("Distributor", size="3", as_="h3"),
                rx.text(
                    s.distributor,
                    " will fulfil this deal. ",
                    rx.cond(s.shared, "It can see this registration.", "It cannot see this registration."),
                    size="2",
                ),
                rx.el.label(
                    rx.el.input(
                        type="checkbox",
                        name="distributor_hidden",
                        id="field-distributor_hidden",
                        default_checked=~s.shared,
                        custom_attrs={"aria-describedby": "field-distributor_hidden-error"},
                    ),
                    rx.text.span(" Do not share this deal with ", s.distributor),
                    class_name="check-row",
                ),
                _err("distributor_hidden"),
                rx.button("Save sharing", type="submit", variant="soft", margin_top="0.5rem"),
                on_submit=DealDetailState.set_sharing,
                no_validate=True,
                aria_label="Sharing with the distributor",
                key=rx.cond(s.shared, "shared", "hidden"),  # redrawn with the saved choice
                width="100%",
            ),
        ),
        rx.cond(
            s.distributor_choices.length() > 0,
            rx.form(
                choice_select(
                    s.errors,
                    "Distributor that will fulfil this deal",
                    "distributor_id",
                    s.distributor_choices,
                    s.distributor_id,
                ),
                rx.text(
                    "The distributor named before no longer sees this registration; the new one does, unless you "
                    "keep it from it.",
                    size="1",
                    color_scheme="gray",
                ),
                rx.button("Change distributor", type="submit", variant="soft", margin_top="0.5rem"),
                on_submit=DealDetailState.set_distributor,
                no_validate=True,
                aria_label="Change the distributor",
                key=s.distributor_id,  # redrawn with the saved choice
                width="100%",
            ),
        ),
        rx.cond(
            s.own & (s.distributor != "") & (s.registered_by != ""),
            rx.text("Distributor: ", s.distributor, " (it registered it, so it sees it).", size="2"),
        ),
    )


@page("/deals/[deal_id]", title="Deal registration", audience=Audience.PARTNER, on_load=DealDetailState.load)
@record_page
def deal_detail_page() -> rx.Component:
    d = DealDetailState.deal
    return rx.fragment(
        record_heading(
            rx.cond(DealDetailState.found, d.customer, ""), [("Deals", url_for("deals_page"))], "Deal registration"
        ),
        _deal(d),
    )


def _deal(d) -> rx.Component:
    return rx.cond(
        DealDetailState.found,
        rx.vstack(
            rx.cond(
                DealDetailState.conflict_hint != "",
                rx.callout(DealDetailState.conflict_hint, icon="triangle_alert", color_scheme="amber", width="100%"),
            ),
            rx.cond(
                (d.status == "rejected") & (d.decision_note != ""),
                rx.callout(rx.text("Rejected: ", d.decision_note), icon="circle_x", color_scheme="red", width="100%"),
            ),
            rx.cond(
                d.status == "approved",
                rx.callout(
                    rx.text("Approved. Protected until ", d.protection_ends, "."),
                    icon="shield_check",
                    color_scheme="green",
                    width="100%",
                ),
            ),
            rx.cond(d.extension != "", rx.text("Extension: ", d.extension, size="2")),
            deal_facts(d, DealDetailState.credits),
            _distribution(),
            rx.cond(DealDetailState.own, _actions()),
            deal_history(DealDetailState.history),
            spacing="4",
            width="100%",
        ),
        rx.callout("Deal not found.", icon="circle_alert", color_scheme="gray", role="alert"),
    )
