"""Search results (/search?q=...): what matched, by kind, each a link to its record. Reached from the header's
search box (web/layout.py) or typed in; the query lives in the address so a search can be shared or reloaded."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from prm_app.deals import DEAL_STATUS_LABELS, DealHit
from prm_app.leads import LeadHit
from prm_app.partners import DirectoryEntry, PersonHit, type_label
from prm_app.platform.errors import ValidationError
from prm_app.search import SearchResults, search_everything
from prm_app.web.components.forms import labelled
from prm_app.web.header_state import HeaderState
from prm_app.web.registry import Audience, page, url_for
from prm_app.web.state import AuthState


@dataclass(frozen=True)
class Hit:
    """One result as the page lists it: a link and a line about it."""

    title: str
    detail: str
    href: str


def deal_hit(h: DealHit) -> Hit:
    status = DEAL_STATUS_LABELS.get(h.status, h.status)
    if h.own:
        return Hit(h.customer, f"Deal registration · {status}", url_for("deal_detail_page", deal_id=h.id))
    return Hit(h.customer, f"{h.partner} · {status}", url_for("registration_review_page", deal_id=h.id))


def lead_hit(h: LeadHit) -> Hit:
    status = h.status.value.replace("_", " ").capitalize()
    if h.own:
        return Hit(h.company, f"Lead · {status}", url_for("lead_detail_page", lead_id=h.id))
    return Hit(h.company, f"Lead in a queue · {status}", f"{url_for('lead_queue_page')}?queue={h.queue_id}")


def partner_hit(h: DirectoryEntry) -> Hit:
    return Hit(h.name, f"{type_label(h.partner_type)} · {h.tier} · {h.region or '—'}",
               url_for("partner_detail_page", partner_id=h.id))  # fmt: skip


def person_hit(h: PersonHit) -> Hit:
    inactive = "" if h.active else " · deactivated"
    return Hit(h.full_name, f"{h.organization} · {h.email}{inactive}",
               url_for("partner_detail_page", partner_id=h.organization_id))  # fmt: skip


class SearchState(AuthState):
    text: str = ""  # what the box shows
    searched: str = ""  # what the results are for ("" before any)
    deals: list[Hit] = []
    leads: list[Hit] = []
    partners: list[Hit] = []
    people: list[Hit] = []
    errors: dict[str, str] = {}

    def _show(self, results: SearchResults | None) -> None:
        self.searched = results.text if results else ""
        self.deals = [deal_hit(h) for h in results.deals] if results else []
        self.leads = [lead_hit(h) for h in results.leads] if results else []
        self.partners = [partner_hit(h) for h in results.partners] if results else []
        self.people = [person_hit(h) for h in results.people] if results else []

    @rx.event
    def load(self):
        self.text = str(self.router.url.query_parameters.get("q", ""))[:100]
        self.errors = {}
        if not self.text.strip():
            self._show(None)
            return
        try:
            self._show(self._run(search_everything, self.text))
        except ValidationError as exc:
            self.errors = {exc.field or "q": exc.message}
            self._show(None)

    @rx.var
    def found(self) -> int:
        return len(self.deals) + len(self.leads) + len(self.partners) + len(self.people)


def _group(title: str, hits: rx.Var) -> rx.Component:
    return rx.cond(
        hits.length() > 0,
        rx.box(
            rx.heading(title, size="4", as_="h2", margin_bottom="0.5rem"),
            rx.el.ul(
                rx.foreach(
                    hits,
                    lambda h: rx.el.li(
                        rx.link(h.title, href=h.href, weight="medium"),
                        rx.text(h.detail, size="2", color_scheme="gray"),
                        margin_bottom="0.5rem",
                    ),
                ),
                padding_left="0",
                list_style_type="none",
            ),
            width="100%",
        ),
    )


def search_form(input_id: str = "field-q") -> rx.Component:
    return rx.form(
        labelled(
            SearchState.errors,
            "Search for",
            "q",
            rx.hstack(
                rx.input(
                    id=input_id,
                    name="q",
                    type="search",
                    default_value=SearchState.text,
                    key=SearchState.text,  # a new search in the address shows in the box
                    placeholder="A customer, company, partner or person",
                    aria_describedby="field-q-error",
                    width="100%",
                    max_width="28rem",
                ),
                rx.button("Search", type="submit"),
                width="100%",
            ),
        ),
        on_submit=HeaderState.search,
        role="search",
        aria_label="Search this site",
        width="100%",
    )


@page("/search", title="Search", audience=Audience.ANY, on_load=SearchState.load)
def search_page() -> rx.Component:
    return rx.vstack(
        search_form(),
        rx.cond(
            SearchState.searched != "",
            rx.text(
                rx.cond(SearchState.found == 0, "Nothing matches ", "Results for "),
                rx.el.q(SearchState.searched),
                rx.cond(SearchState.found == 0, ". Try part of a name, or fewer words.", ""),
                role="status",
            ),
        ),
        _group("Deal registrations", SearchState.deals),
        _group("Leads", SearchState.leads),
        _group("Partners", SearchState.partners),
        _group("People", SearchState.people),
        spacing="4",
        width="100%",
    )
