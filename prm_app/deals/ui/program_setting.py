"""The deal program's distribution setting on the review queue page: whether a reseller with a distributor must name
the one that fulfils each registration. Read by the vendor's people; changed by those who decide deals."""

from __future__ import annotations

from typing import Any

import reflex as rx
from sqlmodel import Session

from prm_app.deals.distribution import program_setting, set_distributor_required
from prm_app.platform.access import Actor, Permission
from prm_app.web.state import AuthState


def _setting(session: Session, actor: Actor) -> tuple[bool, bool]:
    return program_setting(session, actor), actor.can(Permission.DECIDE_DEALS)


class DistributionSettingState(AuthState):
    required: bool = False
    can_change: bool = False

    @rx.event
    def load(self) -> None:
        self.required, self.can_change = self._run(_setting)

    @rx.event
    def save(self, form: dict[str, Any]) -> rx.event.EventSpec:
        required = str(form.get("distributor_required", "")) in {"on", "true"}
        self._run(set_distributor_required, required)
        self.required = required
        return rx.toast.success(
            "Resellers must now name their distributor." if required else "Naming a distributor is now optional."
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
            rx.button("Save setting", type="submit", variant="soft", margin_top="0.5rem"),
            on_submit=DistributionSettingState.save,
            no_validate=True,
            aria_label="Distribution setting",
            key=rx.cond(s.required, "required", "optional"),
            width="100%",
        ),
        rx.text(
            rx.cond(s.required, "Resellers must name their distributor.", "Naming a distributor is optional."),
            size="2",
        ),
    )
