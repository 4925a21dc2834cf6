"""The library as a chosen partner sees it, for the channel team ("preview as partner"): the same cards, locked
ones included, for the same search; nothing is counted. Why one asset is hidden is answered on the asset's page."""

from __future__ import annotations

from typing import Any

import reflex as rx

from prm_app.content.manage_queries import partner_options
from prm_app.content.queries import LibraryQuery, library_as
from prm_app.content.ui.display import CardLine, card_line
from prm_app.content.ui.library import card
from prm_app.identity import with_zone
from prm_app.platform.errors import NotFound
from prm_app.web.components.tables import pager
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState


class PreviewState(AuthState):
    partner_choices: list[list[str]] = []
    partner: str = ""
    text: str = ""
    cards: list[CardLine] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    shown_for: str = ""

    def _fetch(self) -> None:
        if not self.partner.isdigit():
            self.cards, self.total, self.shown_for = [], 0, ""
            return
        try:
            result, zone = self._run(
                with_zone, library_as, int(self.partner), LibraryQuery(text=self.text, page=self.page)
            )
        except NotFound:
            self.cards, self.total, self.shown_for = [], 0, ""
            return
        self.cards = [card_line(c, zone) for c in result.cards]
        self.total, self.page, self.pages = result.total, result.page, result.pages
        self.shown_for = next((name for pid, name in self.partner_choices if pid == self.partner), "")

    @rx.event
    def load(self):
        self.partner_choices = [[str(p.id), p.name] for p in self._run(partner_options)]
        self.partner, self.text, self.page = "", "", 1
        self._fetch()

    @rx.event
    def show(self, form: dict[str, Any]):
        self.partner, self.text, self.page = str(form.get("partner", ""))[:12], str(form.get("q", ""))[:200], 1
        self._fetch()

    @rx.event
    def go_to(self, page: int):
        self.page = max(1, int(page)) if str(page).lstrip("-").isdigit() else 1
        self._fetch()


@page(
    "/content/preview", title="Preview the library as a partner", audience=Audience.INTERNAL, on_load=PreviewState.load
)
def preview_page() -> rx.Component:
    s = PreviewState
    return rx.vstack(
        rx.form(
            rx.flex(
                rx.box(
                    rx.el.label("Partner", html_for="field-partner", class_name="field-label"),
                    rx.el.select(
                        rx.el.option("Choose a partner", value=""),
                        rx.foreach(s.partner_choices, lambda p: rx.el.option(p[1], value=p[0])),
                        id="field-partner",
                        name="partner",
                        class_name="native-select",
                    ),
                ),
                rx.box(
                    rx.el.label("Search their library", html_for="field-q", class_name="field-label"),
                    rx.input(id="field-q", name="q", type="search", size="3"),
                ),
                rx.button("Show", type="submit"),
                direction={"initial": "column", "sm": "row"},
                align={"initial": "stretch", "sm": "end"},
                spacing="3",
            ),
            on_submit=s.show,
            reset_on_submit=False,
            aria_label="Preview as a partner",
        ),
        rx.cond(
            s.shown_for != "",
            rx.vstack(
                rx.text("What ", s.shown_for, " sees: ", s.total.to_string(), " assets.", role="status"),
                rx.grid(rx.foreach(s.cards, card), columns={"initial": "1", "md": "2"}, spacing="3", width="100%"),
                pager(s.page, s.pages, s.go_to),
                width="100%",
            ),
        ),
        spacing="4",
        width="100%",
    )
