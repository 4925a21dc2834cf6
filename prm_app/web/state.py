"""The signed-in session as Reflex state.

The session token is the only credential: it lives in a cookie and is checked against the database on
every event that reads or changes data (`_actor`). The public vars here are for display only; nothing
that decides access is ever read from a var the browser could send.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import reflex as rx

from prm_app.identity.auth import log_out, resolve_session
from prm_app.platform.access import ROLE_LABELS, Actor, Role
from prm_app.platform.db import session_scope
from prm_app.platform.errors import NotAuthenticated, PermissionDenied
from prm_app.platform.settings import settings

T = TypeVar("T")

SESSION_COOKIE = "prm_session"


def home_for(role: str) -> str:
    return "/partners" if role in {r.value for r in (Role.ADMIN, Role.CHANNEL_MANAGER, Role.EXEC)} else "/portal"


class AuthState(rx.State):
    token: str = rx.Cookie(
        "", name=SESSION_COOKIE, same_site="strict", max_age=int(settings.session_absolute.total_seconds())
    )
    user_name: str = ""
    user_role: str = ""
    role_label: str = ""
    is_partner: bool = False
    is_partner_admin: bool = False

    def _actor(self, *roles: Role) -> Actor:
        """The server-resolved actor for this event; raises NotAuthenticated / PermissionDenied."""
        with session_scope() as session:
            actor = resolve_session(session, self.token, ip=self.router.session.client_ip)
        if roles and actor.role not in roles:
            raise PermissionDenied()
        return actor

    def _use(self, use_case: Callable[..., T], *args, roles: tuple[Role, ...] = (), **kwargs) -> T:
        """Run a domain use case as the current actor in one unit of work."""
        actor = self._actor(*roles)
        with session_scope() as session:
            return use_case(session, actor, *args, **kwargs)

    def _show_actor(self, actor: Actor) -> None:
        self.user_name = actor.name
        self.user_role = actor.role.value
        self.role_label = ROLE_LABELS[actor.role]
        self.is_partner = actor.is_partner
        self.is_partner_admin = actor.role == Role.PARTNER_ADMIN

    def _clear(self) -> None:
        self.token = ""
        self.user_name = self.user_role = self.role_label = ""
        self.is_partner = self.is_partner_admin = False

    def _guard(self, internal: bool | None) -> Actor | rx.event.EventSpec:
        try:
            actor = self._actor()
        except NotAuthenticated:
            self._clear()
            return rx.redirect("/login")
        self._show_actor(actor)
        if internal is not None and actor.is_internal != internal:
            return rx.redirect(home_for(actor.role))
        return actor

    @rx.event
    def guard_partner(self):
        """on_load of portal pages (shows, never authorizes: handlers check again)."""
        result = self._guard(internal=False)
        return None if isinstance(result, Actor) else result

    @rx.event
    def guard_internal(self):
        result = self._guard(internal=True)
        return None if isinstance(result, Actor) else result

    @rx.event
    def guard_any(self):
        result = self._guard(internal=None)
        return None if isinstance(result, Actor) else result

    @rx.event
    def go_home(self):
        """The index page: send people where they belong."""
        try:
            actor = self._actor()
        except NotAuthenticated:
            return rx.redirect("/login")
        return rx.redirect(home_for(actor.role))

    @rx.event
    def log_out(self):
        with session_scope() as session:
            log_out(session, self.token)
        self._clear()
        return rx.redirect("/login")
