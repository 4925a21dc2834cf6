"""The counts in the portal's header: the bell's unread notices and the badges on navigation items (offers
waiting on Leads). Each is a page's `Badge` in the registry (the page registers what its count is), so the
header imports no area. They are computed on each portal page load by the page's guard (`guard_portal`: one
event, so a navigation costs no extra round trip), and again by a page whose action changes one.

Not live: a count changes on the next navigation or action. A per-tab loop would cost every idle tab a wake-up
and a query per interval (see analytics' dashboard loop for what that took to make cheap); the counts are small
indexed queries on each page instead.
"""

from __future__ import annotations

from urllib.parse import quote

import reflex as rx
from sqlmodel import Session

from prm_app.platform.access import Actor
from prm_app.web.registry import Audience, badged, url_for
from prm_app.web.state import AuthState


def header_counts(session: Session, actor: Actor) -> dict[str, int]:
    """{page name: its badge's count} of the pages of the person's audience (the portal's, or the console's:
    applications waiting for a decision)."""
    audience = Audience.PARTNER if actor.is_partner else Audience.INTERNAL
    return {spec.name: spec.badge.count(session, actor) for spec in badged(audience) if spec.badge}


class HeaderState(AuthState):
    badges: dict[str, int] = {}  # by page name: the count the header shows for it

    def _show_counts(self) -> None:
        # Not the person's activity: counting must not keep an idle session alive (the guard already touched it).
        self.badges = self._run_unattended(header_counts)

    def _count(self, session: Session, actor: Actor) -> None:
        self.badges = header_counts(session, actor)

    def _set_count(self, page_name: str, count: int) -> None:
        """One count, as a page's own action just learnt it (no second query)."""
        self.badges = {**self.badges, page_name: count}

    @rx.event
    def guard_portal(self):
        """on_load of portal pages: the partner guard, then the header's counts (shows, never authorizes)."""
        result = self._guard(internal=False, also=self._count)
        return None if isinstance(result, Actor) else result

    @rx.event
    def guard_console(self):
        """on_load of console pages: the internal guard, then the header's counts (shows, never authorizes)."""
        result = self._guard(internal=True, also=self._count)
        return None if isinstance(result, Actor) else result

    @rx.event
    def refresh_counts(self):
        """After an action elsewhere on the page changed a count (a lead accepted)."""
        self._show_counts()

    @rx.event
    def search(self, form: dict):
        """The header's search box (and the search page's): the query goes into the search page's address, whose
        load runs it, so a search can be reloaded, shared and gone back to."""
        text = " ".join(str(form.get("q", "")).split())[:100]
        return rx.redirect(f"{url_for('search_page')}?q={quote(text)}")
