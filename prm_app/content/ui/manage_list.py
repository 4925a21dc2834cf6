"""The channel team's content: every asset with its version and audience, searched and paged; the way to a new
asset, a new link and (admins) the assets deleted in the last 30 days."""

from __future__ import annotations

from typing import Any

import reflex as rx

from prm_app.content.manage_queries import list_assets
from prm_app.content.ui.display import AssetLine, asset_line
from prm_app.identity import with_zone
from prm_app.platform.access import Permission
from prm_app.web.components.link_button import link_button
from prm_app.web.components.tables import data_table, pager
from prm_app.web.registry import Audience, Nav, page
from prm_app.web.state import AuthState


class ContentListState(AuthState):
    rows: list[AssetLine] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    text: str = ""
    can_restore: bool = False

    def _fetch(self) -> None:
        result, zone = self._run(with_zone, list_assets, self.text, self.page)
        self.rows = [asset_line(r, zone) for r in result.rows]
        self.total, self.page, self.pages = result.total, result.page, result.pages
        self.can_restore = self._actor().can(Permission.RESTORE_CONTENT)

    @rx.event
    def load(self):
        self.text, self.page = "", 1
        self._fetch()

    @rx.event
    def search(self, form: dict[str, Any]):
        self.text, self.page = str(form.get("q", ""))[:200], 1
        self._fetch()

    @rx.event
    def go_to(self, page: int):
        self.page = max(1, int(page)) if str(page).lstrip("-").isdigit() else 1
        self._fetch()


def _row(r: rx.Var[AssetLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(r.title, href=r.href)),
        rx.table.cell(r.category),
        rx.table.cell(r.version),
        rx.table.cell(r.languages),
        rx.table.cell(r.audience),
        rx.table.cell(r.published),
    )


@page(
    "/content",
    title="Content",
    audience=Audience.INTERNAL,
    nav=Nav("Content", "library", 47, Permission.MANAGE_CONTENT),
    on_load=ContentListState.load,
)
def content_list_page() -> rx.Component:
    s = ContentListState
    return rx.vstack(
        rx.hstack(
            link_button("New asset", "/content/new"),
            link_button("New link", "/content/new?kind=link", variant="soft"),
            link_button("Campaign kits", "/content/kits", variant="soft"),
            link_button("Preview as a partner", "/content/preview", variant="soft"),
            rx.cond(s.can_restore, link_button("Deleted assets", "/content/deleted", variant="soft")),
            spacing="3",
            wrap="wrap",
        ),
        rx.form(
            rx.hstack(
                rx.box(
                    rx.el.label("Search assets", html_for="field-q", class_name="field-label"),
                    rx.input(id="field-q", name="q", type="search", size="3"),
                ),
                rx.button("Search", type="submit"),
                align="end",
                spacing="3",
            ),
            on_submit=s.search,
            reset_on_submit=False,
            role="search",
            aria_label="Asset search",
        ),
        data_table(
            ["Title", "Category", "Version", "Languages", "Who sees it", "Published"], s.rows, _row, label="Assets"
        ),
        pager(s.page, s.pages, s.go_to),
        spacing="4",
        width="100%",
    )
