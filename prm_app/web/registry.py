"""Pages register themselves: one source for routes, titles, navigation, guards and each role's home page.

    @page("/deals", title="Deals", audience=Audience.PARTNER, nav=Nav("Deals", "handshake", 20), on_load=S.load)
    def deals_page() -> rx.Component: ...

The app adds every registered page (app.py); the header's navigation lists the pages with a `nav` entry for the
signed-in person's audience; `url_for(name, **params)` builds a link to a page by its function's name, with
plain values or with state Vars (inside rx.foreach).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import reflex as rx

from prm_app.platform.access import GRANTS, Permission, Role

if TYPE_CHECKING:
    from sqlmodel import Session

    from prm_app.platform.access import Actor

APP_NAME = "Open PRM"


class Audience(StrEnum):
    PUBLIC = "public"  # no sign-in (the page draws its own frame)
    PARTNER = "partner"  # the partner portal
    INTERNAL = "internal"  # the vendor console
    ANY = "any"  # anyone signed in (e.g. a partner's own profile page, also seen by its channel manager)


@dataclass(frozen=True)
class Nav:
    label: str
    icon: str
    order: int  # position in the header, low first
    permission: Permission | None = None  # shown only to roles granted it (the page itself checks it regardless)

    def roles(self) -> list[str]:
        """The roles whose header shows this entry (every role when it needs no permission)."""
        return [r.value for r in Role if self.permission is None or self.permission in GRANTS[r]]


@dataclass(frozen=True)
class Badge:
    """A count the header shows for a page when above 0: offers waiting on Leads, unread notices on the bell.
    `count(session, actor)` is a cheap query run on every page load of the page's audience (web/header_state.py);
    `label` says what it counts, for the accessible name ("Leads, 2 waiting")."""

    count: Callable[[Session, Actor], int]
    label: str


@dataclass(frozen=True)
class PageSpec:
    name: str
    route: str
    title: str
    audience: Audience
    component: Callable[[], rx.Component]
    on_load: tuple[Any, ...] = ()
    nav: Nav | None = None
    home: bool = False  # the audience's landing page after sign-in
    badge: Badge | None = None
    home_of: tuple[Role, ...] = ()  # roles that land here instead of their audience's home (execs: dashboards)


_PAGES: dict[str, PageSpec] = {}


def page(
    route: str,
    *,
    title: str,
    audience: Audience,
    on_load: Any = None,
    nav: Nav | None = None,
    home: bool = False,
    badge: Badge | None = None,
    home_of: tuple[Role, ...] = (),
) -> Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]:
    """Register the decorated page body under `route`. The app draws signed-in pages inside the app shell and
    guards them on load (the guard only decides what is shown: every handler checks the actor again)."""

    def decorate(body: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        loads = tuple(on_load if isinstance(on_load, list | tuple) else [on_load] if on_load is not None else [])
        spec = PageSpec(body.__name__, route, title, audience, body, loads, nav, home, badge, home_of)
        if spec.name in _PAGES and _PAGES[spec.name].route != route:
            raise ValueError(f"two pages are named {spec.name}")
        _PAGES[spec.name] = spec
        return body

    return decorate


def pages() -> list[PageSpec]:
    return list(_PAGES.values())


def badged(audience: Audience) -> list[PageSpec]:
    """The pages of `audience` whose count the header shows."""
    return [p for p in _PAGES.values() if p.badge and p.audience == audience]


def nav_items(audience: Audience) -> list[PageSpec]:
    """The header's entries of `audience`: its pages', and those of pages for anyone signed in (each entry still
    shows only to the roles its permission names)."""
    pages = (p for p in _PAGES.values() if p.nav and p.audience in (audience, Audience.ANY))
    return sorted(pages, key=lambda p: p.nav.order)  # type: ignore[union-attr]


def role_home_route(role: Role) -> str | None:
    """The page `role` lands on when a page claims it (`home_of`), else None: its audience's home then."""
    return next((spec.route for spec in _PAGES.values() if role in spec.home_of), None)


def home_route(audience: Audience) -> str:
    for spec in _PAGES.values():
        if spec.home and spec.audience == audience:
            return spec.route
    raise LookupError(f"no home page for {audience}")


_PARAM = re.compile(r"\[(\w+)\]")


def url_for(name: str, **params: Any) -> Any:
    """The path of page `name` with its [params] filled in; a Var param gives a Var string for the browser."""
    route = _PAGES[name].route
    pieces = _PARAM.split(route)  # literal, param, literal, param, ...
    missing = set(pieces[1::2]) - set(params)
    if missing:
        raise KeyError(f"url_for({name!r}) needs {sorted(missing)}")
    url: Any = pieces[0]
    for i, piece in enumerate(pieces[1:], start=1):
        value = params[piece] if i % 2 else piece
        url = f"{url}{value}"  # f-strings keep a Var a Var (Reflex formats it into a JS template)
    return url
