"""The partners' library: search over titles, descriptions and tags, filters (category, product, language), sort
(newest, most used), paging, and what is new since the last visit. Assets for a higher tier show locked with the
tier they open at: a reason to climb."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from prm_app.content.kits import running_kits
from prm_app.content.queries import SORTS, LibraryQuery, library
from prm_app.content.rules import LANGUAGES, Category
from prm_app.content.ui.display import CardLine, card_line
from prm_app.identity import with_zone
from prm_app.web.components.forms import select_field
from prm_app.web.components.tables import pager
from prm_app.web.format import day
from prm_app.web.language_state import t
from prm_app.web.registry import Audience, Nav, page
from prm_app.web.state import AuthState

# (value, the catalogue key of its name): the options' words are the reader's
CATEGORY_OPTIONS = [
    ("", "content.all_categories"),
    *[(c.value, f"content.category_{c.value}") for c in Category],
]
LANGUAGE_OPTIONS = [("", "content.all_languages"), *[(code, f"content.language_{code}") for code in LANGUAGES]]
SORT_OPTIONS = [(value, f"content.sort_{value}") for value in SORTS]


@dataclass(frozen=True)
class KitCard:
    name: str
    period: str
    description: str
    links: list[list[str]]  # [title, href]


class LibraryState(AuthState):
    kits: list[KitCard] = []
    cards: list[CardLine] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    new_note: str = ""  # "3 new since your last visit on 30 Nov 2026"
    total_text: str = ""  # "12 assets"
    products: list[str] = []
    query: dict[str, str] = {}  # what the filters hold, to draw them again

    def _fetch(self, opening: bool = False) -> None:
        q = self.query
        query = LibraryQuery(
            text=q.get("q", ""),
            category=q.get("category", ""),
            product=q.get("product", ""),
            language=q.get("language", ""),
            sort=q.get("sort", "newest") if q.get("sort") in SORTS else "newest",
            new_only=q.get("new_only") == "on",
            page=self.page,
        )
        result, zone = self._run(with_zone, library, query, opening=opening, reader=self.language)
        self.cards = [card_line(c, zone, self.language) for c in result.cards]
        words = self._words()
        self.total_text = words.plural("content.asset_count", result.total)
        self.total, self.page, self.pages, self.products = (
            result.total,
            result.page,
            result.pages,
            list(result.products),
        )
        self.new_note = (
            words.plural("content.new_since", result.new_count, day=day(result.since, zone, language=self.language))
            if result.since is not None
            else words.text("content.welcome")
        )

    @rx.event
    def load(self):
        self.query, self.page = {}, 1
        self._fetch(opening=True)
        self.kits = [
            KitCard(
                k.name,
                f"{day(k.starts_on, language=self.language)} – {day(k.ends_on, language=self.language)}",
                k.description,
                [[i.title, f"/a/{i.slug}"] for i in k.items],
            )
            for k in self._run(running_kits, reader=self.language)
        ]

    @rx.event
    def search(self, form: dict[str, Any]):
        self.query = {k: str(form.get(k, ""))[:200] for k in ("q", "category", "product", "language", "sort")}
        self.query["new_only"] = "on" if form.get("new_only") in ("on", True) else ""
        self.page = 1
        self._fetch()

    @rx.event
    def go_to(self, page: int):
        self.page = max(1, int(page)) if str(page).lstrip("-").isdigit() else 1
        self._fetch()


def card(c: rx.Var[CardLine]) -> rx.Component:
    """One asset in the library's grid (also the team's preview as a partner)."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.link(rx.heading(c.title, size="4", as_="h2"), href=c.href),
                rx.cond(
                    c.is_new, rx.badge(t("content.new"), color_scheme="green", variant="surface", high_contrast=True)
                ),
                rx.cond(
                    c.locked != "",
                    rx.badge(
                        rx.icon("lock", size=12, aria_hidden="true"), c.locked, color_scheme="amber", high_contrast=True
                    ),
                ),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.text(c.facts, size="2", color_scheme="gray"),
            rx.text(c.description, size="2"),
            rx.cond(c.tags != "", rx.text(t("content.tags"), " ", c.tags, size="1", color_scheme="gray")),
            rx.text(t("content.published"), " ", c.published, size="1", color_scheme="gray"),
            spacing="1",
            align="start",
        ),
        class_name="library-card",
        width="100%",
    )


def _kit(k: rx.Var[KitCard]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(k.name, size="3", as_="h3"),
            rx.text(k.period, size="1", color_scheme="gray"),
            rx.text(k.description, size="2"),
            rx.el.ul(rx.foreach(k.links, lambda i: rx.el.li(rx.link(i[0], href=i[1])))),
            spacing="1",
            align="start",
        ),
        width="100%",
    )


def _select(label: str, name: str, options: list[tuple[str, str]], default: str = "") -> rx.Component:
    """The filter bar's select whose label and options are catalogue keys (the reader's words)."""
    return select_field(t(label), name, [(value, t(key)) for value, key in options], default)


def _filters() -> rx.Component:
    s = LibraryState
    return rx.form(
        rx.vstack(
            rx.box(
                rx.el.label(t("content.search_library"), html_for="field-q", class_name="field-label"),
                rx.input(
                    id="field-q", name="q", type="search", width="100%", size="3", default_value=s.query.get("q", "")
                ),
                width="100%",
            ),
            rx.flex(
                _select("content.category", "category", CATEGORY_OPTIONS),
                rx.box(
                    rx.el.label(t("content.product"), html_for="field-product", class_name="field-label"),
                    rx.el.select(
                        rx.el.option(t("content.all_products"), value=""),
                        rx.foreach(s.products, lambda p: rx.el.option(p, value=p)),
                        id="field-product",
                        name="product",
                        class_name="native-select",
                    ),
                    width="100%",
                ),
                _select("content.language", "language", LANGUAGE_OPTIONS),
                _select("content.sort_by", "sort", SORT_OPTIONS, default="newest"),
                direction={"initial": "column", "sm": "row"},
                spacing="3",
                width="100%",
            ),
            rx.hstack(
                rx.el.label(
                    rx.el.input(type="checkbox", name="new_only", id="field-new_only"),
                    " ",
                    t("content.only_new"),
                    display="inline-flex",
                    gap="0.35rem",
                    align_items="center",
                ),
                rx.button(t("content.search"), type="submit"),
                spacing="4",
                align="center",
                wrap="wrap",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=s.search,
        reset_on_submit=False,
        role="search",
        aria_label=t("content.library_search"),
        width="100%",
    )


@page(
    "/library", title="Library", audience=Audience.PARTNER, nav=Nav("Library", "library", 45), on_load=LibraryState.load
)
def library_page() -> rx.Component:
    s = LibraryState
    return rx.vstack(
        rx.text(s.new_note, size="2", role="status"),
        rx.cond(
            s.kits.length() > 0,
            rx.vstack(
                rx.heading(t("content.kits_now"), size="4", as_="h2"),
                rx.grid(rx.foreach(s.kits, _kit), columns={"initial": "1", "md": "2"}, spacing="3", width="100%"),
                width="100%",
            ),
        ),
        _filters(),
        rx.text(s.total_text, size="2", aria_live="polite"),
        rx.cond(
            s.total > 0,
            rx.grid(rx.foreach(s.cards, card), columns={"initial": "1", "md": "2"}, spacing="3", width="100%"),
            rx.text(t("content.no_match")),
        ),
        pager(s.page, s.pages, s.go_to),
        spacing="4",
        width="100%",
    )
