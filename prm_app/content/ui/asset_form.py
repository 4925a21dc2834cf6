"""The asset details form shared by the new-asset page and an asset's page: title, description, category, tags,
product, language, folder, publish and expiry times, audience. Its parse turns the submitted form into the domain's
input: the two times are wall-clock times in the zone the form names (the manager's for a new asset, the asset's
own afterwards), which the domain reads in that zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import Any

import reflex as rx

from prm_app.audience import AudienceRule
from prm_app.audience.ui import audience_editor
from prm_app.content.rules import CATEGORY_LABELS, LANGUAGES, AssetInput
from prm_app.platform.errors import FormInvalid
from prm_app.web.components.forms import field, field_error, select_field

CATEGORY_OPTIONS = [("", "Choose a category"), *[(c.value, label) for c, label in CATEGORY_LABELS.items()]]
TEXT_FIELDS = ("title", "description", "category", "tags", "product", "language", "folder", "link_url")


LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> holds


def local_input(value: datetime | None, zone: tzinfo) -> str:
    """A stored moment as the form's wall-clock value in `zone`: "2026-12-09T09:00"; "" for none."""
    return value.astimezone(zone).strftime(LOCAL_INPUT) if value else ""


def _wall_clock(raw: str, name: str, errors: dict[str, str]) -> datetime | None:
    """The form's "2026-12-09T09:00" as a naive wall-clock time (a bare day: its midnight)."""
    if not raw:
        return None
    try:
        return (
            datetime.strptime(raw, LOCAL_INPUT)
            if "T" in raw
            else datetime.combine(date.fromisoformat(raw), datetime.min.time())
        )
    except ValueError:
        errors[name] = "Enter a date and a time."
        return None


def asset_input(form: dict[str, Any]) -> AssetInput:
    """The form's values as the domain's input; FormInvalid for a date that is no date."""
    values = {name: str(form.get(name, ""))[:5000] for name in TEXT_FIELDS}
    errors: dict[str, str] = {}
    publish = _wall_clock(str(form.get("publish_at", ""))[:16], "publish_at", errors)
    expire = _wall_clock(str(form.get("expire_at", ""))[:16], "expire_at", errors)
    if errors:
        raise FormInvalid(errors)
    return AssetInput(**values, publish_at=publish, expire_at=expire)  # type: ignore[arg-type]


def parse_details(
    form: dict[str, Any], read_audience: Callable[[dict[str, Any]], AudienceRule]
) -> tuple[AssetInput, AudienceRule]:
    """The details and the audience (read by `read_audience`, a use case through the front door), with every
    field's error at once (FormInvalid)."""
    errors: dict[str, str] = {}
    data = rule = None
    try:
        data = asset_input(form)
    except FormInvalid as exc:
        errors |= exc.errors
    try:
        rule = read_audience(form)
    except FormInvalid as exc:
        errors |= exc.errors
    if errors or data is None or rule is None:
        raise FormInvalid(errors)
    return data, rule


def asset_fields(
    errors: rx.Var, values: rx.Var, audience: rx.Var, options: rx.Var, zone: rx.Var, *, link: rx.Var | bool = False
) -> rx.Component:
    """The fields, starting from `values` (a dict var of strings); the audience editor from `audience` (an
    AudienceForm var) offering `options` (AudienceOptions); the times are in the zone named by `zone`."""
    v = values
    two = {"initial": "column", "sm": "row"}
    return rx.vstack(
        field("Title", "title", errors.get("title", ""), default_value=v.get("title", "")),
        rx.box(
            rx.el.label("Description", html_for="field-description", class_name="field-label"),
            rx.text_area(
                id="field-description",
                name="description",
                default_value=v.get("description", ""),
                rows="4",
                width="100%",
                custom_attrs={"aria-describedby": "field-description-error"},
            ),
            field_error(errors, "description"),
            width="100%",
        ),
        rx.cond(
            link,
            field(
                "Web address", "link_url", errors.get("link_url", ""), type="url", default_value=v.get("link_url", "")
            ),
        ),
        rx.flex(
            select_field(
                "Category",
                "category",
                CATEGORY_OPTIONS,
                default=v.get("category", ""),
                error=errors.get("category", ""),
            ),
            select_field(
                "Language",
                "language",
                list(LANGUAGES.items()),
                default=v.get("language", "en"),
                error=errors.get("language", ""),
            ),
            direction=two,
            spacing="3",
            width="100%",
        ),
        rx.flex(
            field(
                "Tags (comma-separated)",
                "tags",
                errors.get("tags", ""),
                default_value=v.get("tags", ""),
                required=False,
            ),
            field("Product", "product", errors.get("product", ""), default_value=v.get("product", ""), required=False),
            field("Folder", "folder", errors.get("folder", ""), default_value=v.get("folder", ""), required=False),
            direction=two,
            spacing="3",
            width="100%",
        ),
        rx.text("Publish and expiry times are in ", zone, ".", size="2", id="times-zone"),
        rx.flex(
            field(
                "Publish at",
                "publish_at",
                errors.get("publish_at", ""),
                type="datetime-local",
                default_value=v.get("publish_at", ""),
                required=False,
                hint="Empty: at once.",
            ),
            field(
                "Expires at",
                "expire_at",
                errors.get("expire_at", ""),
                type="datetime-local",
                default_value=v.get("expire_at", ""),
                required=False,
                hint="Empty: never.",
            ),
            direction=two,
            spacing="3",
            width="100%",
        ),
        audience_editor(audience, options, errors),
        spacing="3",
        width="100%",
    )
