"""The internal partner directory: search, filters, sortable columns, paged in SQL."""

from __future__ import annotations

import reflex as rx

from prm_app.partners.labels import Choice, filter_choices
from prm_app.partners.queries import DirectoryQuery, directory_filter_options, search_partners
from prm_app.partners.table import PARTNER_TABLE
from prm_app.partners.ui.display import DirectoryLine, directory_line
from prm_app.platform.table_io import export_csv
from prm_app.web.components.tables import pager
from prm_app.web.format import plural
from prm_app.web.registry import Audience, Nav, page, url_for
from prm_app.web.state import AuthState

COLUMNS = [("Name", "name"), ("Type", "type"), ("Tier", "tier"), ("Region", "region")]


class DirectoryState(AuthState):
    rows: list[DirectoryLine] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    search: str = ""
    partner_type: str = ""
    tier_id: str = ""
    region: str = ""
    manager_id: str = ""
    sort: str = "name"
    descending: bool = False
    options: dict[str, list[Choice]] = {}  # by filter: "types", "tiers", "regions", "managers"

    def _filters(self) -> dict[str, str]:
        return {"search": self.search[:100], "partner_type": self.partner_type, "tier_id": self.tier_id,
                "region": self.region, "manager_id": self.manager_id}  # fmt: skip

    def _query(self) -> None:
        q = DirectoryQuery(
            search=self.search[:100],
            partner_type=self.partner_type,
            tier_id=int(self.tier_id) if self.tier_id.isdigit() else None,
            region=self.region,
            manager_id=int(self.manager_id) if self.manager_id.isdigit() else None,
            sort=self.sort,
            descending=self.descending,
            page=self.page,
        )
        result = self._run(search_partners, q)
        self.rows = [directory_line(r) for r in result.rows]
        self.total, self.page, self.pages = result.total, result.page, result.pages

    @rx.event
    def load(self):
        self.options = filter_choices(self._run(directory_filter_options))
        self._query()

    @rx.event
    def set_search(self, value: str):
        self.search, self.page = str(value), 1
        self._query()

    @rx.event
    def set_filter(self, name: str, value: str):
        if name in {"partner_type", "tier_id", "region", "manager_id"}:
            setattr(self, name, str(value))
            self.page = 1
            self._query()

    @rx.event
    def sort_by(self, column: str):
        if self.sort == column:
            self.descending = not self.descending
        else:
            self.sort, self.descending = str(column), False
        self._query()

    @rx.event
    def export(self, bom: bool = False):
        """The partners the list shows now (every page), as CSV; with `bom` for Excel (platform/table_io.py)."""
        text = self._run(export_csv, PARTNER_TABLE, self._filters(), bom=bom is True)
        return rx.download(data=text, filename="partners.csv")

    @rx.event
    def go_to(self, page: int):
        self.page = int(page)
        self._query()

    @rx.var
    def total_text(self) -> str:
        return plural(self.total, "partner")

    @rx.var
    def sort_label(self) -> str:
        return f"Sorted by {self.sort}, {'descending' if self.descending else 'ascending'}"


def _filter(label: str, name: str, options_key: str) -> rx.Component:
    select_id = f"filter-{name}"
    return rx.box(
        rx.el.label(label, html_for=select_id, class_name="field-label"),
        rx.el.select(
            rx.el.option("All", value=""),
            rx.foreach(DirectoryState.options[options_key], lambda o: rx.el.option(o.label, value=o.value)),
            id=select_id,
            class_name="native-select",
            on_change=lambda v: DirectoryState.set_filter(name, v),
        ),
        min_width="10rem",
        flex="1",
    )


def _header_cell(label: str, key: str) -> rx.Component:
    arrow = rx.cond(DirectoryState.sort == key, rx.cond(DirectoryState.descending, " ↓", " ↑"), "")
    return rx.table.column_header_cell(
        rx.button(
            label,
            arrow,
            variant="ghost",
            size="2",
            on_click=DirectoryState.sort_by(key),
            aria_label=f"Sort by {label.lower()}",
        ),
        aria_sort=rx.cond(
            DirectoryState.sort == key, rx.cond(DirectoryState.descending, "descending", "ascending"), "none"
        ),
    )


def _row(r: rx.Var[DirectoryLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(r.name, href=url_for("partner_detail_page", partner_id=r.id))),
        rx.table.cell(r.type),
        rx.table.cell(r.tier),
        rx.table.cell(r.region, rx.text(r.country, size="1", color_scheme="gray")),
        rx.table.cell(r.manager),
    )


@page(
    "/partners",
    title="Partners",
    audience=Audience.INTERNAL,
    on_load=DirectoryState.load,
    nav=Nav("Partners", "building-2", 20),
    home=True,
)
def directory_page() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.box(
                rx.el.label("Search partners", html_for="partner-search", class_name="field-label"),
                rx.debounce_input(
                    rx.input(
                        id="partner-search",
                        placeholder="Name contains…",
                        type="search",
                        value=DirectoryState.search,
                        on_change=DirectoryState.set_search,
                        width="100%",
                    ),
                    debounce_timeout=300,
                ),
                flex="2",
                min_width="14rem",
            ),
            _filter("Type", "partner_type", "types"),
            _filter("Tier", "tier_id", "tiers"),
            _filter("Region", "region", "regions"),
            _filter("Channel manager", "manager_id", "managers"),
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
        rx.flex(
            rx.text(
                DirectoryState.total_text,
                " · ",
                DirectoryState.sort_label,
                size="2",
                color_scheme="gray",
                role="status",
            ),
            rx.flex(
                rx.button("Export CSV", variant="soft", size="2", on_click=DirectoryState.export(False)),
                rx.button("Export CSV for Excel", variant="soft", size="2", on_click=DirectoryState.export(True)),
                rx.link("Import partners", href="/data/import?kind=partners", size="2"),
                rx.link("Partner groups", href="/partner-groups", size="2"),  # named sets audience rules address
                gap="0.75rem",
                align="center",
                wrap="wrap",
            ),
            justify="between",
            wrap="wrap",
            gap="0.5rem",
            width="100%",
        ),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[_header_cell(label, key) for label, key in COLUMNS],
                        rx.table.column_header_cell("Channel manager"),
                    )
                ),
                rx.table.body(rx.foreach(DirectoryState.rows, _row)),
                width="100%",
            ),
            class_name="table-scroll",
            tab_index=0,  # it may scroll sideways on a phone: keyboard users must reach it
            role="region",
            aria_label="Table",
        ),
        pager(DirectoryState.page, DirectoryState.pages, DirectoryState.go_to),
        spacing="4",
        width="100%",
    )
