"""The audience part of the asset forms: who may see the asset (minimum tier, partner types, regions; all must
hold), and its parse from the submitted form into an AudienceRule."""

from __future__ import annotations

from typing import Any

import reflex as rx

from prm_app.audience import AudienceRule
from prm_app.partners import PARTNER_TYPE_LABELS, REGIONS

TYPES = [(t.value, label) for t, label in PARTNER_TYPE_LABELS.items()]


def audience_from(form: dict[str, Any], tiers: list[str]) -> AudienceRule:
    """The rule the form holds; values outside the known lists are dropped (the browser may send anything)."""

    def chosen(prefix: str, allowed: set[str]) -> tuple[str, ...]:
        names = (key[len(prefix) :] for key, value in form.items() if key.startswith(prefix) and value in ("on", True))
        return tuple(name for name in names if name in allowed)

    tier = str(form.get("min_tier", ""))
    return AudienceRule(
        match="all",
        min_tier=tier if tier in tiers else "",
        partner_types=chosen("type:", {code for code, _ in TYPES}),
        regions=chosen("region:", set(REGIONS)),
    )


def _check(label: str, name: str, checked: rx.Var | bool) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, default_checked=checked),
        " " + label,
        display="inline-flex",
        gap="0.35rem",
        align_items="center",
        margin_right="1rem",
    )


def audience_fields(tiers: rx.Var, chosen: rx.Var) -> rx.Component:
    """The fields; `chosen` is a dict var of the stored rule ({"min_tier": "Gold", "type:var": "on", ...})."""
    return rx.el.fieldset(
        rx.el.legend("Who sees it (every condition must hold; none set: every partner)", class_name="field-label"),
        rx.box(
            rx.el.label("Minimum tier", html_for="field-min_tier", class_name="field-label"),
            rx.el.select(
                rx.el.option("Any tier", value=""),
                rx.foreach(tiers, lambda t: rx.el.option(t + " or higher", value=t)),
                id="field-min_tier",
                name="min_tier",
                default_value=chosen.get("min_tier", ""),
                class_name="native-select",
            ),
        ),
        rx.text("Partner types (none ticked: every type)", size="2", margin_top="0.5rem"),
        rx.box(*[_check(label, f"type:{code}", chosen.contains(f"type:{code}")) for code, label in TYPES]),
        rx.text("Regions (none ticked: every region)", size="2", margin_top="0.5rem"),
        rx.box(*[_check(r, f"region:{r}", chosen.contains(f"region:{r}")) for r in REGIONS]),
        id="field-audience",
    )


def audience_chosen(rule: AudienceRule) -> dict[str, str]:
    out = {"min_tier": rule.min_tier}
    out.update({f"type:{t}": "on" for t in rule.partner_types})
    out.update({f"region:{r}": "on" for r in rule.regions})
    return out
