"""Campaign kits for the channel team: each kit's period and assets, a form to make one (its assets named by their
links, one a line) and deleting one. Partners see the running ones in their library."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import reflex as rx

from prm_app.content.kits import KitInput, KitView, all_kits, create_kit, delete_kit
from prm_app.platform.errors import FormInvalid
from prm_app.web.components.forms import field, field_error
from prm_app.web.format import day
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState


@dataclass(frozen=True)
class KitLine:
    id: int
    name: str
    period: str
    description: str
    assets: str  # "Title, Title"


def kit_line(k: KitView) -> KitLine:
    return KitLine(
        k.id, k.name, f"{day(k.starts_on)} – {day(k.ends_on)}", k.description, ", ".join(i.title for i in k.items)
    )


def _date(raw: Any) -> date | None:
    try:
        return date.fromisoformat(str(raw)[:10])
    except ValueError:
        return None


class KitsState(AuthState):
    kits: list[KitLine] = []
    errors: dict[str, str] = {}
    form_key: int = 0

    def _fetch(self) -> None:
        self.kits = [kit_line(k) for k in self._run(all_kits)]

    @rx.event
    def load(self):
        self.errors = {}
        self._fetch()

    @rx.event
    def create(self, form: dict[str, Any]):
        raw = str(form.get("assets", ""))[:5000]
        slugs = tuple(line.strip().rstrip("/").rsplit("/", 1)[-1] for line in raw.splitlines() if line.strip())
        data = KitInput(
            name=str(form.get("name", ""))[:200],
            description=str(form.get("description", ""))[:2000],
            starts_on=_date(form.get("starts_on", "")),
            ends_on=_date(form.get("ends_on", "")),
            slugs=slugs,
        )
        try:
            self._run(create_kit, data)
        except FormInvalid as exc:
            self.errors = exc.errors
            return rx.set_focus(f"field-{next(iter(exc.errors))}")
        self.errors = {}
        self.form_key += 1
        self._fetch()
        return rx.toast.success("Kit saved.")

    @rx.event
    def delete(self, kit_id: int):
        self._run(delete_kit, int(kit_id) if str(kit_id).isdigit() else 0)
        self._fetch()
        return rx.toast.success("Kit deleted.")


def _kit(k: rx.Var[KitLine]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(k.name, size="4", as_="h2"),
            rx.text(k.period, size="2", color_scheme="gray"),
            rx.text(k.description, size="2"),
            rx.text("Assets: ", k.assets, size="2"),
            rx.button(
                "Delete kit",
                size="1",
                variant="soft",
                color_scheme="red",
                on_click=KitsState.delete(k.id),
                aria_label="Delete kit " + k.name,
            ),
            spacing="2",
            align="start",
        ),
        width="100%",
    )


@page("/content/kits", title="Campaign kits", audience=Audience.INTERNAL, on_load=KitsState.load)
def kits_page() -> rx.Component:
    s, e = KitsState, KitsState.errors
    return rx.vstack(
        rx.foreach(s.kits, _kit),
        rx.form(
            rx.vstack(
                rx.heading("New kit", size="4", as_="h2"),
                field("Name", "name", e.get("name", "")),
                field("Description", "description", e.get("description", ""), required=False),
                rx.flex(
                    field("First day", "starts_on", e.get("starts_on", ""), type="date"),
                    field("Last day", "ends_on", e.get("ends_on", ""), type="date"),
                    direction={"initial": "column", "sm": "row"},
                    spacing="3",
                    width="100%",
                ),
                rx.box(
                    rx.el.label(
                        "Assets (their links or slugs, one a line)", html_for="field-assets", class_name="field-label"
                    ),
                    rx.text_area(
                        id="field-assets",
                        name="assets",
                        rows="5",
                        width="100%",
                        custom_attrs={"aria-describedby": "field-assets-error"},
                    ),
                    field_error(e, "assets"),
                    width="100%",
                ),
                rx.button("Save kit", type="submit"),
                spacing="3",
                width="100%",
            ),
            key=s.form_key,
            on_submit=s.create,
            reset_on_submit=False,
            no_validate=True,
            aria_label="New kit",
            width="100%",
        ),
        spacing="4",
        width="100%",
        max_width="52rem",
    )
