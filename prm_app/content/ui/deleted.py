"""Assets deleted in the last 30 days, for admins to restore (after that the nightly purge removes them)."""

from __future__ import annotations

import reflex as rx

from prm_app.content.manage_queries import list_assets
from prm_app.content.service import restore_asset
from prm_app.content.ui.display import AssetLine, asset_line
from prm_app.identity import with_zone
from prm_app.web.components.tables import data_table, pager
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState


class DeletedState(AuthState):
    rows: list[AssetLine] = []
    page: int = 1
    pages: int = 1

    def _fetch(self) -> None:
        result, zone = self._run(with_zone, list_assets, "", self.page, deleted=True)
        self.rows = [asset_line(r, zone) for r in result.rows]
        self.page, self.pages = result.page, result.pages

    @rx.event
    def load(self):
        self.page = 1
        self._fetch()

    @rx.event
    def go_to(self, page: int):
        self.page = max(1, int(page)) if str(page).lstrip("-").isdigit() else 1
        self._fetch()

    @rx.event
    def restore(self, asset_id: int):
        slug = self._run(restore_asset, int(asset_id) if str(asset_id).isdigit() else 0)
        self._fetch()
        return rx.toast.success(f"Restored: /a/{slug} works again.")


def _row(r: rx.Var[AssetLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(r.title),
        rx.table.cell(r.category),
        rx.table.cell(r.deleted),
        rx.table.cell(
            rx.button("Restore", size="1", on_click=DeletedState.restore(r.id), aria_label="Restore " + r.title)
        ),
    )


@page("/content/deleted", title="Deleted assets", audience=Audience.INTERNAL, on_load=DeletedState.load)
def deleted_assets_page() -> rx.Component:
    s = DeletedState
    return rx.vstack(
        rx.text("Deleted assets can be restored for 30 days; then they are removed with their files."),
        data_table(["Title", "Category", "Deleted"], s.rows, _row, label="Deleted assets"),
        pager(s.page, s.pages, s.go_to),
        spacing="4",
        width="100%",
    )
