"""The deal program's distribution setting on the review queue page: whether a reseller with a distributor must name
the one that fulfils each registration. Read by the vendor's people; changed by those who decide deals."""

from __future__ import annotations

from typing import Any

import reflex as rx
from sqlmodel import Session

from prm_app.deals.distribution import (
    distributor_credit_pct,
    program_setting,
    set_distributor_credit,
    set_distributor_required,
)
from prm_app.deals.rules import check_credit_pct
from prm_app.platform.access import Actor, Permission
from prm_app.platform.errors import ValidationError
from prm_app.web.components.forms import labelled
from prm_app.web.state import AuthState


def _setting(session: Session, actor: Actor) -> tuple[bool, str, bool]:
    pct = distributor_credit_pct(session)
    return program_setting(session, actor), f"{pct.normalize():f}", actor.can(Permission.DECIDE_DEALS)


def _save(session: Session, actor: Actor, required: bool, pct: str) -> None:
    set_distributor_required(session, actor, required)
    set_distributor_credit(session, actor, pct)


class DistributionSettingState(AuthState):
    required: bool = False
    credit_pct: str = "100"  # the distributor's share of a registration's value, as saved
    can_change: bool = False
    errors: dict[str, str] = {}

    @rx.event
    def load(self) -> None:
        self.required, self.credit_pct, self.can_change = self._run(_setting)

    @rx.event
    def save(self, form: dict[str, Any]) -> rx.event.EventSpec | None:
        required = str(form.get("distributor_required", "")) in {"on", "true"}
        typed = str(form.get("distributor_credit_pct", ""))
        try:
            pct = check_credit_pct(typed)
        except ValidationError as exc:
            self.errors = {exc.field or "distributor_credit_pct": exc.message}
            return None
        self._run(_save, required, typed)
        self.required, self.credit_pct, self.errors = required, f"{pct.normalize():f}", {}
        return rx.toast.success(
            ("Resellers must now name their distributor." if required else "Naming a distributor is now optional.")
            + f" Distributors are credited {self.credit_pct} % of a registration's value."
        )


def distribution_setting() -> rx.Component:
    s = DistributionSettingState
    return rx.cond(
        s.can_change,
        rx.form(
            rx.heading("Two-tier distribution", size="3", as_="h2"),
            rx.el.label(
                rx.el.input(
                    type="checkbox",
                    name="distributor_required",
                    id="field-distributor_required",
                    default_checked=s.required,
                ),
                rx.text.span(" Resellers with a distributor must name the one that will fulfil each registration"),
                class_name="check-row",
            ),
            labelled(
                s.errors,
                "Distributor's credit (% of a registration's value)",
                "distributor_credit_pct",
                rx.input(
                    id="field-distributor_credit_pct",
                    name="distributor_credit_pct",
                    default_value=s.credit_pct,
                    input_mode="decimal",
                    max_width="10rem",
                ),
            ),
            rx.text(
                "The reseller that owns a registration is credited all of it; the distributor that fulfils it this "
                "share, in its own figures only, so no report counts a dollar twice.",
                size="1",
                color_scheme="gray",
            ),
            rx.button("Save setting", type="submit", variant="soft", margin_top="0.5rem"),
            on_submit=DistributionSettingState.save,
            no_validate=True,
            aria_label="Distribution setting",
            key=rx.cond(s.required, "required-", "optional-") + s.credit_pct,
            width="100%",
        ),
        rx.text(
            rx.cond(s.required, "Resellers must name their distributor.", "Naming a distributor is optional."),
            " Distributors are credited ",
            s.credit_pct,
            " % of a registration's value.",
            size="2",
        ),
    )
