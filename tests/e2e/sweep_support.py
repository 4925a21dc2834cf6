"""Support for the sweeping hostile test (test_every_handler.py): the app's own handler registry, plausible
hostile payloads, database snapshots and their differences, and the words a client must never receive.

Nothing here knows a handler by name except the explicit lists (Reflex internals, public handlers, writes a
partner may legitimately make to its own organization): a handler added later is swept automatically.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, select
from sqlalchemy.engine import Engine

# ------------------------------------------------------------------------------------------------ registry
# Reflex's own handlers, skipped on purpose (they are Reflex's plumbing, not the app's, and are exercised by every
# connection anyway: the raw client's CONNECT packet sends hydrate_and_load, and every event rehydrates).
REFLEX_INTERNAL: dict[str, str] = {
    "reflex.state.State.hydrate": "Reflex: sends the full state on (re)connect; no app code runs",
    "reflex.state.State.hydrate_and_load": "Reflex: the browser's boot event (sent by every raw client on connect)",
    "reflex.state.State.set_is_hydrated": "Reflex: a UI flag",
    "reflex.state.State.setvar": "Reflex: generic setter on the root state (no app vars; auto setters are off)",
    "reflex.state.UpdateVarsInternalState.update_vars_internal": "Reflex: applies client-storage vars only",
    "reflex.state.UpdateVarsInternalState.setvar": "Reflex internal state's generic setter",
    "reflex.state.OnLoadInternalState.on_load_internal": "Reflex: queues the page's own on_load handlers",
    "reflex.state.OnLoadInternalState.set_is_hydrated": "Reflex: a UI flag",
    "reflex.state.OnLoadInternalState.setvar": "Reflex internal state's generic setter",
    "reflex.state.FrontendEventExceptionState.handle_frontend_exception": "Reflex: logs a browser-side error",
    "reflex.state.FrontendEventExceptionState.setvar": "Reflex internal state's generic setter",
    "reflex.istate.shared.SharedStateBaseInternal.setvar": "Reflex internal state's generic setter",
}

# Handlers anyone may call without being signed in. They are still swept (anonymously and as a foreign partner)
# and must change nothing with the bogus input they get, and return no foreign words.
PUBLIC: dict[str, str] = {
    "prm_app.identity.ui.login.LoginState.load": "the sign-in page: redirects a signed-in person home",
    "prm_app.partners.ui.invite.InviteState.load": "the invitation page: the unguessable token is the credential",
    "prm_app.partners.ui.invite.InviteState.got_browser_zone": "the invitation page: keeps the browser's zone name",
    "prm_app.partners.ui.invite.InviteState.submit": "accepting an invitation: the token is the credential",
    "prm_app.web.state.AuthState.go_home": "the index page: only redirects (to /login or the person's home)",
    "prm_app.web.state.AuthState.guard_partner": "a page guard: only redirects and shows the caller's own name",
    "prm_app.web.state.AuthState.guard_internal": "a page guard: only redirects and shows the caller's own name",
    "prm_app.web.state.AuthState.guard_any": "a page guard: only redirects and shows the caller's own name",
    "prm_app.web.state.AuthState.open_page": "a page's guard then its loads, each checking the caller as alone",
    "prm_app.web.state.AuthState.forget_tab": "resets this tab's state once nobody is signed in on it; no data",
    "prm_app.web.header_state.HeaderState.guard_portal": "the partner guard, plus the caller's own header counts",
    "prm_app.web.header_state.HeaderState.guard_console": "the internal guard, plus the caller's own header counts",
    "prm_app.identity.ui.password_pages.ForgotState.load": "the forgot-password page: clears its own form",
    "prm_app.identity.ui.password_pages.ForgotState.submit": "asks for a reset link: one answer for any address",
    "prm_app.identity.ui.password_pages.ResetState.load": "the reset page: the unguessable token is the credential",
    "prm_app.identity.ui.password_pages.ResetState.submit": "setting a new password: the token is the credential",
    "prm_app.onboarding.ui.request_access.RequestAccessState.load": "the request-access page: clears its own form",
    "prm_app.onboarding.ui.request_access.RequestAccessState.submit": "asks to join a partner's team: one answer for "
    "any address, rate-limited per IP; kept only for a partner's own domain, for its admin to decide",
    "prm_app.recruitment.ui.apply.ProgramsState.load": "the public list of programs open for applications",
    "prm_app.recruitment.ui.apply.ApplyState.load": "a program's public form (counts the funnel's visit)",
    "prm_app.recruitment.ui.apply.ApplyState.started": "counts the funnel's 'started' step of this tab's visit",
    "prm_app.recruitment.ui.apply.ApplyState.submit": "anyone may apply: checked, spam-guarded, rate-limited by IP",
    "prm_app.recruitment.ui.resubmit.ResubmitState.load": "the resubmit link: the unguessable token is the credential",
    "prm_app.recruitment.ui.resubmit.ResubmitState.submit": "resubmitting: the token is the credential",
    "prm_app.recruitment.ui.resubmit.ResubmitState.withdraw": "withdrawing: the token is the credential",
}


@dataclass(frozen=True)
class Handler:
    state: type  # the rx.State subclass
    name: str  # the python function name

    @property
    def key(self) -> str:
        return f"{self.state.__module__}.{self.state.__name__}.{self.name}"

    @property
    def short(self) -> str:
        return f"{self.state.__name__}.{self.name}"

    @property
    def wire_name(self) -> str:
        return f"{self.state.get_full_name()}.{self.name}"

    def params(self) -> list[tuple[str, Any]]:
        """(name, type hint) of the handler's parameters after `self`."""
        fn = self.state.event_handlers[self.name].fn
        try:
            hints = typing.get_type_hints(fn)
        except Exception:  # an unresolvable hint: fall back to the raw annotations
            hints = {}
        out = []
        for p in list(inspect.signature(fn).parameters.values())[1:]:
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                continue
            out.append((p.name, hints.get(p.name, p.annotation)))
        return out


def _walk(state: type) -> Iterator[type]:
    yield state
    for sub in sorted(state.get_substates(), key=lambda s: s.get_full_name()):
        yield from _walk(sub)


def all_handlers() -> list[Handler]:
    """Every event handler of every state the app registers (the app module is imported first, so every page's
    state exists), Reflex's internal ones excluded, `setvar` last within a state. (Signing in and out are HTTP
    endpoints, not socket handlers: tests/e2e/test_session_isolation.py covers them.)"""
    import reflex as rx

    import prm_app.app  # noqa: F401  (registers every page and so every state)

    found = []
    for state in _walk(rx.State):
        names = list(state.event_handlers)
        names.sort(key=lambda n: n == "setvar")
        for name in names:
            h = Handler(state, name)
            if h.key not in REFLEX_INTERNAL:
                found.append(h)
    return found


def internal_handler_keys() -> set[str]:
    import reflex as rx

    import prm_app.app  # noqa: F401

    return {Handler(s, n).key for s in _walk(rx.State) for n in s.event_handlers}


def routes_for(state: type) -> list[str]:
    """The page routes whose on_load runs a handler of `state` (else the pages drawn by its module; else /portal:
    the guards and sign-out are on every page)."""
    from prm_app.web.registry import pages

    specs = pages()
    own = [s.route for s in specs if any(getattr(h, "fn", None) in _fns(state) for h in s.on_load)]
    if own:
        return own
    same_module = [s.route for s in specs if s.component.__module__ == state.__module__]
    return same_module or ["/portal"]


def _fns(state: type) -> set[Callable]:
    return {h.fn for h in state.event_handlers.values()}


# ------------------------------------------------------------------------------------------------ payloads
# Free text the sweep types. Never a whole foreign word: state echoes what a client typed (the deal form keeps the
# typed customer name), and an echo must not pass for a leak, nor hide one.
TYPED_SEARCH = "Meridian"  # what a curious partner types into a search box: part of another partner's name
TYPED_CUSTOMER = "Hostile Customer GmbH"


@dataclass
class Foreign:
    """Records of organizations other than the attacker's (ids looked up in the e2e database)."""

    partner_id: int  # another organization
    user_id: int  # a user of another organization
    deal_ids: list[int]  # deals of other organizations (one waiting for review, one protected)
    lead_ids: list[int]  # leads offered to / accepted by other organizations
    invite_id: int  # a pending invitation of another organization
    survey_id: int  # a survey other organizations answered
    queue_id: int  # a lead queue (internal)
    email: str  # a foreign-looking address that is no account (a failed sign-in must lock no one out)
    customer: str  # a customer name of another organization's deal (looked for, never typed: see leaked_words)
    words: dict[str, list[str]] = field(default_factory=dict)  # identity -> words it must never receive

    def route_variants(self, route: str) -> list[str]:
        """`route` with its [param] segments filled with foreign ids (one variant per candidate id), plus a
        query string naming foreign ids (the deal form reads ?lead=)."""
        candidates = {
            "deal_id": self.deal_ids,
            "lead_id": self.lead_ids,
            "partner_id": [self.partner_id],
            "survey_id": [self.survey_id],
            "token": ["hostile-" + "x" * 40],
        }
        params = re.findall(r"\[(\w+)\]", route)
        variants = [route]
        for p in params:
            values = candidates.get(p, [self.partner_id])
            variants = [v.replace(f"[{p}]", str(val)) for v in variants for val in values]
        query = f"lead={self.lead_ids[-1]}&deal={self.deal_ids[0]}&partner={self.partner_id}&queue={self.queue_id}"
        return [f"{v}?{query}" for v in variants]

    def _ids_by_name(self) -> dict[str, int]:
        """A foreign record's id under each id parameter name the app uses."""
        return {
            "deal_id": self.deal_ids[0],
            "lead_id": self.lead_ids[0],
            "user_id": self.user_id,
            "invite_id": self.invite_id,
            "survey_id": self.survey_id,
            "queue_id": self.queue_id,
            "partner_id": self.partner_id,
        }

    def form(self) -> dict[str, Any]:
        """One form naming foreign ids and values under every field name a form of this app reads, plus the
        ownership fields a mass-assignment attack would try."""
        ids = {
            **self._ids_by_name(),
            "id": self.deal_ids[0],
            "organization_id": self.partner_id,
            "owner_id": self.user_id,
        }
        text = {
            "email": self.email,
            "password": "not-the-password-1",
            "confirm": "not-the-password-1",
            "full_name": "Hostile Probe",
            "role": "partner_admin",
            "answer": "hostile answer",
            "days": "365",
            "protection_days": "365",
            "reason": "hostile reason",
            "note": "hostile note",
            "question": "hostile question",
            "status": "won",
            "final_amount": "1000",
            "score": "0",
            "comment": "hostile comment",
            "title": "Hostile survey",
            "opens_at": "2020-01-01",
            "closes_at": "2099-01-01",
            "customer_name": TYPED_CUSTOMER,
            # A reserved domain, which the deal form refuses: the sweep never registers a (legitimate, own) deal
            # that other e2e tests sharing the server would then see.
            "customer_site": "hostile.example",
            "country": "DE",
            "contact_name": "Hostile Contact",
            "contact_email": "hostile.contact@example.com",
            "estimated_value": "1000",
            "currency": "EUR",
            "expected_close": "2099-01-01",
            "stage": "qualified",
            "description": "hostile description",
            "company": TYPED_CUSTOMER,
            "domain": "hostile.example",
            "city": "Bergen",
            "vertical": "energy",
            "product_1": "on",
            "token": "hostile-" + "x" * 40,
        }
        return {**text, **ids}

    def value_for(self, name: str, hint: Any) -> Any:
        """A hostile argument for parameter `name` of type `hint`."""
        origin = typing.get_origin(hint)
        by_name = {**self._ids_by_name(), "page": 1}
        hint_text = str(hint)
        if hint is bool or hint_text in ("bool", "<class 'bool'>"):
            return name != "active"  # deactivate a foreign user, approve a foreign extension
        if hint is int or hint_text == "int":
            return by_name.get(name, self.partner_id)
        if hint is dict or origin is dict or hint_text.startswith("dict"):
            return self.form()
        if origin is list or hint_text.startswith("list"):
            if "UploadFile" in hint_text:
                return []
            return [str(d) for d in self.deal_ids + self.lead_ids]
        # str / Any / unknown: the foreign id as text where the name says it is an id, else a foreign value.
        if name in by_name:
            return str(by_name[name])
        return {
            "value": TYPED_SEARCH,
            "name": "partner",
            "chart": "partners",
            "column": "name",
            "intent": "submit",
            "var_name": "token",
            "info": "hostile",
            "component_stack": "hostile",
        }.get(name, str(self.partner_id))

    def payload(self, handler: Handler) -> dict[str, Any]:
        if handler.name == "setvar":
            # Try to set the first public var of the state (the session token on the root of the app's states).
            own = [v for v in handler.state.base_vars if not v.startswith("_") and v in handler.state.__annotations__]
            return {"var_name": own[0] if own else "token", "value": str(self.partner_id)}
        return {name: self.value_for(name, hint) for name, hint in handler.params()}


# ------------------------------------------------------------------------------------------------ database
# Columns that change on any signed-in request, with the reason; every other column of every table is compared.
IGNORED_COLUMNS: dict[tuple[str, str], str] = {
    ("auth_session", "last_seen_at"): "resolve_session touches the caller's own session (idle timeout) on events",
    **{
        ("mail_outbox", column): "the job runner delivers mail in its own process, any time: a message's delivery "
        "state moves on its own (which messages exist, to whom and saying what, is still compared)"
        for column in ("status", "attempts", "next_attempt_at", "sent_at", "last_error")
    },
}
# Tables not compared at all.
IGNORED_TABLES: dict[str, str] = {
    "alembic_version": "schema version, not data",
    **{
        table: "the job runner folds the dashboards' daily rollups every minute in its own process: derived data, "
        "rebuilt from the tables compared here (python -m prm_app.cli rebuild-rollups)"
        for table in ("rollup_cell", "rollup_partner", "rollup_state")
    },
    "tier_evaluation": "the job runner evaluates every partner's tier each night (02:20 UTC) in its own process: a "
    "partner's measured values and when they were measured, derived from the tables compared here (a sweep running "
    "across 02:20 saw every row change during one call)",
}


def e2e_database_url(basetemp: Path) -> str:
    """The URL of the database the app_server fixture created (conftest.py: E2E_DB_URL, else
    <pytest basetemp>/e2e<N>/e2e.db). conftest does not expose it; see the report for a `db_url` fixture."""
    if url := os.environ.get("E2E_DB_URL"):
        return url
    dbs = sorted(basetemp.glob("e2e*/e2e.db"), key=lambda p: p.stat().st_mtime)
    if not dbs:
        raise RuntimeError(f"no e2e database under {basetemp}")
    return f"sqlite:///{dbs[-1]}"


Row = dict[str, Any]
Snapshot = dict[str, dict[tuple, Row]]


class Database:
    """The e2e server's database as the sweep sees it. On SQLite a snapshot is read again only after another
    connection committed something (`PRAGMA data_version` on a connection of its own): most calls of the sweep are
    refused and write nothing, so their before and after are the same snapshot, read once."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = create_engine(url)
        self.meta = MetaData()
        self.meta.reflect(self.engine)
        self._watch = self.engine.raw_connection() if self.engine.dialect.name == "sqlite" else None
        self._last: tuple[int, Snapshot] | None = None

    def _data_version(self) -> int | None:
        if self._watch is None:
            return None
        cursor = self._watch.cursor()
        try:
            cursor.execute("PRAGMA data_version")
            return int(cursor.fetchone()[0])
        finally:
            cursor.close()

    def snapshot(self) -> Snapshot:
        version = self._data_version()
        if version is not None and self._last is not None and self._last[0] == version:
            return self._last[1]
        snap = self._read()
        if version is not None:
            self._last = (version, snap)
        return snap

    def _read(self) -> Snapshot:
        snap: Snapshot = {}
        with self.engine.connect() as conn:
            for table in sorted(self.meta.tables.values(), key=lambda t: t.name):
                if table.name in IGNORED_TABLES:
                    continue
                pk = [c.name for c in table.primary_key.columns] or [c.name for c in table.columns]
                rows: dict[tuple, Row] = {}
                for r in conn.execute(select(table)).mappings():
                    row = {k: v for k, v in r.items() if (table.name, k) not in IGNORED_COLUMNS}
                    rows[tuple(r[c] for c in pk)] = row
                snap[table.name] = rows
        return snap

    def rows(self, sql_table: str) -> list[Row]:
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(self.meta.tables[sql_table])).mappings()]

    def dispose(self) -> None:
        if self._watch is not None:
            self._watch.close()
        self.engine.dispose()


def fingerprint(snap: Snapshot) -> dict[str, tuple[int, str]]:
    """Row count and a hash of every table's rows (for the report of a whole round)."""
    out = {}
    for name, rows in snap.items():
        blob = json.dumps(sorted(map(repr, rows.values())), default=str).encode()
        out[name] = (len(rows), hashlib.sha256(blob).hexdigest()[:16])
    return out


@dataclass(frozen=True)
class Change:
    table: str
    kind: str  # "added" | "removed" | "changed"
    key: tuple
    before: Row | None
    after: Row | None

    def describe(self) -> str:
        if self.kind == "changed":
            assert self.before is not None and self.after is not None
            cols = {k: (self.before[k], self.after[k]) for k in self.after if self.before.get(k) != self.after[k]}
            return f"{self.table}{list(self.key)} changed {cols}"
        row = self.after if self.kind == "added" else self.before
        return f"{self.table}{list(self.key)} {self.kind}: {row}"


def diff(before: Snapshot, after: Snapshot) -> list[Change]:
    changes = []
    for table in sorted(set(before) | set(after)):
        b, a = before.get(table, {}), after.get(table, {})
        for key in a.keys() - b.keys():
            changes.append(Change(table, "added", key, None, a[key]))
        for key in b.keys() - a.keys():
            changes.append(Change(table, "removed", key, b[key], None))
        for key in a.keys() & b.keys():
            if a[key] != b[key]:
                changes.append(Change(table, "changed", key, b[key], a[key]))
    return changes


@dataclass(frozen=True)
class Caller:
    user_id: int | None  # None: anonymous
    organization_id: int | None


def _audit_by(change: Change, caller: Caller, actions: set[str]) -> bool:
    row = change.after or {}
    return (
        change.table == "audit_log"
        and change.kind == "added"
        and row.get("action") in actions
        and row.get("actor_user_id") == caller.user_id
    )


def _conflict_hint(change: Change, caller: Caller, payload: dict) -> bool:
    """Issue 9 item 8: each conflict hint a partner asks for is logged (and rate-limited) under their name."""
    return _audit_by(change, caller, {"conflict_hint", "conflict_hint_paused"})


def _own_invitation(change: Change, caller: Caller, payload: dict) -> bool:
    """A partner admin invites to their OWN organization, whatever ids the form names (mass assignment)."""
    row = change.after or {}
    if change.table == "invite" and change.kind == "added":
        return row.get("organization_id") == caller.organization_id and row.get("invited_by_id") == caller.user_id
    if change.table == "mail_outbox" and change.kind == "added":  # the invitation's email, to the typed address
        return row.get("kind") == "invitation" and row.get("to_address") == payload.get("form", {}).get("email")
    return _audit_by(change, caller, {"invite_user"})


def _own_read_state(change: Change, caller: Caller, payload: dict) -> bool:
    """Marking notices read writes the caller's own read state only (their watermark, their read rows)."""
    row = change.after or change.before or {}
    return change.table in {"notification_cursor", "notification_read"} and row.get("user_id") == caller.user_id


def _own_email_choices(change: Change, caller: Caller, payload: dict) -> bool:
    """A person saves their OWN notification settings (which events by email), whatever the form names."""
    row = change.after or change.before or {}
    if change.table == "notification_preference":
        return row.get("user_id") == caller.user_id
    return _audit_by(change, caller, {"notification_preferences.update"})


def _own_profile(change: Change, caller: Caller, payload: dict) -> bool:
    """A person edits their OWN name, title and phone (the account page), whatever ids the form names."""
    if change.table == "app_user" and change.kind == "changed" and change.key == (caller.user_id,):
        before, after = change.before or {}, change.after or {}
        return {k for k in after if before.get(k) != after[k]} <= {"full_name", "title", "phone"}
    return _audit_by(change, caller, {"user.profile_changed"})


def _own_zone(change: Change, caller: Caller, payload: dict) -> bool:
    """A person picks the time zone THEY read times in (the account page), and nothing else of theirs changes."""
    if change.table == "app_user" and change.kind == "changed" and change.key == (caller.user_id,):
        before, after = change.before or {}, change.after or {}
        return {k for k in after if before.get(k) != after[k]} == {"time_zone"}
    return _audit_by(change, caller, {"user.time_zone"})


def _own_language(change: Change, caller: Caller, payload: dict) -> bool:
    """A person picks the language THEY read the app in (the account page), and nothing else of theirs changes."""
    if change.table == "app_user" and change.kind == "changed" and change.key == (caller.user_id,):
        before, after = change.before or {}, change.after or {}
        return {k for k in after if before.get(k) != after[k]} == {"language"}
    return _audit_by(change, caller, {"user.language"})


def _own_other_sessions(change: Change, caller: Caller, payload: dict) -> bool:
    """A person signs out their OWN other browsers: only their sessions end (the sweep's caller has others)."""
    if change.table == "auth_session" and change.kind == "removed":
        return (change.before or {}).get("user_id") == caller.user_id
    return _audit_by(change, caller, {"sessions_ended_elsewhere"})


def _own_org_profile(change: Change, caller: Caller, payload: dict) -> bool:
    """A partner admin changes their OWN organization's address, website, phone or logo, whatever ids the form
    names (the organization is the actor's; nothing else of it moves)."""
    if change.table == "organization" and change.kind == "changed" and change.key == (caller.organization_id,):
        before, after = change.before or {}, change.after or {}
        editable = {"street", "city", "postal_code", "country", "website", "phone", "logo_key", "logo_type"}
        return {k for k in after if before.get(k) != after[k]} <= editable
    if change.table == "engagement_event" and change.kind == "added":  # onboarding's "complete the profile" counts it
        event = change.after or {}
        return event.get("kind") == "org_profile_updated" and event.get("organization_id") == caller.organization_id
    return _audit_by(change, caller, {"organization_profile_changed", "organization_logo_changed"})


def _own_draft(change: Change, caller: Caller, payload: dict) -> bool:
    """A person's draft of a form is theirs alone: kept or discarded under their own user id."""
    row = change.after or change.before or {}
    return change.table == "form_draft" and row.get("user_id") == caller.user_id


def _funnel_step(change: Change, caller: Caller, payload: dict) -> bool:
    """Opening or starting a public application form counts a visit's funnel step (anonymous, no personal data)."""
    row = change.after or {}
    return (
        change.table == "recruitment_funnel_event"
        and change.kind == "added"
        and row.get("stage")
        in {
            "visited",
            "started",
        }
    )


def _own_signature(change: Change, caller: Caller, payload: dict) -> bool:
    """A partner admin signs what their OWN organization owes, as themselves; what reacts to the signature (the
    engagement event and whatever another area keeps for it) is that organization's alone."""
    row = change.after or change.before or {}
    if change.table == "agreement_signature":
        return change.kind == "added" and (row.get("organization_id"), row.get("user_id")) == (
            caller.organization_id,
            caller.user_id,
        )
    if change.table == "audit_log":
        return _audit_by(change, caller, {"agreement_signed"})
    return row.get("organization_id") == caller.organization_id


# Writes a handler may make, by handler key, with the reason: (predicate each change must satisfy).
# Everything else any swept call changes is a finding.
ALLOWED_WRITES: dict[str, tuple[str, Callable[[Change, Caller, dict], bool]]] = {
    "prm_app.partners.ui.team.TeamState.invite": (
        "a partner admin invites people to their own organization (the form's foreign ids must not move it)",
        _own_invitation,
    ),
    # A partner admin's key is its own organization's and acts as them, whatever ids the form names; revoking
    # reaches only keys of their own organization.
    "prm_app.integrations.ui.keys_page.ApiKeysState.create": (
        "a partner admin creates an API key for their own organization, acting as themselves",
        lambda c, caller, p: (
            _audit_by(c, caller, {"api_key_created"})
            or (
                c.table == "api_key"
                and c.kind == "added"
                and ((c.after or {}).get("organization_id"), (c.after or {}).get("user_id"))
                == (caller.organization_id, caller.user_id)
            )
        ),
    ),
    "prm_app.integrations.ui.keys_page.ApiKeysState.revoke": (
        "a partner admin revokes one of their own organization's keys",
        lambda c, caller, p: (
            _audit_by(c, caller, {"api_key_revoked"})
            or (c.table == "api_key" and (c.after or {}).get("organization_id") == caller.organization_id)
        ),
    ),
    # A partner admin's webhook endpoints are its own organization's (whatever ids the form names); the other
    # handlers reach only those. A test event is its organization's; a delivery row names no organization (its
    # event does).
    "prm_app.integrations.ui.webhooks_state.WebhooksState.create": (
        "a partner admin adds a webhook endpoint for their own organization",
        lambda c, caller, p: (
            _audit_by(c, caller, {"webhook_endpoint_created"})
            or (
                c.table == "webhook_endpoint"
                and c.kind == "added"
                and ((c.after or {}).get("organization_id"), (c.after or {}).get("user_id"))
                == (caller.organization_id, caller.user_id)
            )
        ),
    ),
    **{
        f"prm_app.integrations.ui.webhooks_state.WebhooksState.{handler}": (
            f"a partner admin's {handler} on one of their own organization's webhook endpoints",
            lambda c, caller, p: (
                _audit_by(c, caller, {"webhook_secret_rotated", "webhook_endpoint_deleted", "webhook_redelivered"})
                or (
                    c.table in {"webhook_endpoint", "webhook_event"}
                    and (c.after or {}).get("organization_id") == caller.organization_id
                )
                or c.table == "webhook_delivery"
            ),
        )
        for handler in ("rotate", "remove", "send_test", "resend")
    },
    "prm_app.notifications.ui.notifications_page.NotificationsState.mark_all_read": (
        "a partner marks their own organization's notices read, for themselves alone",
        _own_read_state,
    ),
    "prm_app.notifications.ui.preferences_page.NotificationPreferencesState.save": (
        "a partner's person chooses which events they get by email, for themselves alone",
        _own_email_choices,
    ),
    "prm_app.partners.ui.portal_home.PortalHomeState.open_notice": (
        "opening a notice from the portal home marks it read for the caller alone",
        _own_read_state,
    ),
    "prm_app.identity.ui.account.AccountState.save_profile": (
        "a person edits their own name, title and phone",
        _own_profile,
    ),
    "prm_app.identity.ui.time_zone_card.TimeZoneState.save": ("a person picks their own time zone", _own_zone),
    "prm_app.identity.ui.language_card.LanguageCardState.save": ("a person picks their own language", _own_language),
    "prm_app.identity.ui.time_zone_card.TimeZoneState.use_browser_zone": (
        "a person takes their browser's zone as their own",
        _own_zone,
    ),
    "prm_app.identity.ui.account.AccountState.sign_out_elsewhere": (
        "a person signs out their own other browsers",
        _own_other_sessions,
    ),
    "prm_app.deals.ui.deal_new.DealFormState.name_typed": ("the conflict hint is audited (#9 item 8)", _conflict_hint),
    "prm_app.deals.ui.deal_new.DealFormState.site_typed": ("the conflict hint is audited (#9 item 8)", _conflict_hint),
    "prm_app.deals.ui.deal_new.DealFormState.load": (
        "load re-runs the conflict hint for what the form holds (audited, #9 item 8)",
        _conflict_hint,
    ),
    "prm_app.deals.ui.deal_new.DealFormState.keep_draft": ("a person keeps their own draft of the form", _own_draft),
    "prm_app.deals.ui.deal_new.DealFormState.discard_draft": (
        "a person discards their own draft (and the hint for a lead's values is audited)",
        lambda c, caller, p: _own_draft(c, caller, p) or _conflict_hint(c, caller, p),
    ),
    "prm_app.partners.ui.org_profile.OrgProfileState.save": (
        "a partner admin edits their own organization's profile",
        _own_org_profile,
    ),
    "prm_app.recruitment.ui.apply.ApplyState.load": ("a form's visit is a funnel step", _funnel_step),
    "prm_app.recruitment.ui.apply.ApplyState.started": ("starting a form is a funnel step", _funnel_step),
    "prm_app.agreements.ui.sign_page.SignState.sign": (
        "a partner admin signs their own organization's agreement (typing their own name)",
        _own_signature,
    ),
    "prm_app.partners.ui.org_profile.OrgProfileState.remove_logo": (
        "a partner admin removes their own organization's logo",
        _own_org_profile,
    ),
    "prm_app.content.ui.library.LibraryState.load": (
        "opening the library records the caller's own last visit (what 'new since your last visit' compares)",
        lambda c, caller, p: c.table == "content_library_visit" and c.key == (caller.user_id,),
    ),
    "prm_app.content.ui.asset_page.AssetPageState.load": (
        "opening an asset the caller's partner may see counts a view for that partner",
        lambda c, caller, p: (
            c.table == "engagement_event"
            and c.kind == "added"
            and (c.after or {}).get("kind") == "content_viewed"
            and (c.after or {}).get("organization_id") == caller.organization_id
        ),
    ),
}

# Training (prm_app/training): the verify page is public (the certificate's unguessable code is the credential);
# a learner's own enrolment, resume point, lesson progress, quiz attempts and the certificate they earn are theirs.
PUBLIC["prm_app.training.ui.verify.VerifyState.load"] = "a certificate's public verify page: the code is the credential"
_LEARNING_TABLES = {"training_enrollment", "training_lesson_progress", "training_quiz_attempt", "training_certificate"}
_LEARNING_EVENTS = {"lesson_completed", "quiz_passed", "quiz_failed", "certified"}


def _own_learning(change: Change, caller: Caller, payload: dict) -> bool:
    """A partner's person learns for themselves: every row is under their own user id (a question result belongs
    to the attempt it grades, which is theirs), events are their own, audit lines are theirs."""
    row = change.after or change.before or {}
    if change.table in _LEARNING_TABLES:
        return row.get("user_id") == caller.user_id
    if change.table == "training_question_result":
        return change.kind == "added"
    if change.table == "engagement_event":
        return row.get("user_id") == caller.user_id and row.get("kind") in _LEARNING_EVENTS
    return _audit_by(change, caller, {"issue_certificate", "submit_late_attempt", "start_renewal"})


_LEARNING_EVENTS.add("course_completed")  # a learner's last lesson completes the course (and ticks onboarding)
ALLOWED_WRITES.update(
    {
        f"prm_app.training.ui.{page}.{name}": ("a learner's own progress, attempts and certificates", _own_learning)
        for page, names in (
            (
                "player_state.PlayerState",
                ("load", "open_lesson", "open_sco", "finish_lesson", "video_ended", "start_quiz", "submit_quiz"),
            ),
            ("exam.ExamState", ("start_quiz", "submit_quiz")),
            ("catalogue.CatalogueState", ("renew",)),
        )
        for name in names
    }
)


def unexplained(key: str, changes: list[Change], caller: Caller, payload: dict) -> list[Change]:
    allowed = ALLOWED_WRITES.get(key)
    if allowed is None:
        return changes
    return [c for c in changes if not allowed[1](c, caller, payload)]


# ------------------------------------------------------------------------------------------------ words
def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def leaked_words(updates: list[dict], words: list[str], sent: Any) -> list[str]:
    """The words of `words` found in `updates`. What the client sent contains none of them (checked), so an
    echo of its own input can neither pass for a leak nor hide one."""
    typed = " | ".join(_strings(sent)).lower()
    assert not [w for w in words if w in typed], f"the sweep itself typed foreign words: {typed}"
    text = json.dumps(updates, ensure_ascii=False, default=str).lower()
    return sorted({w for w in words if w in text})


def foreign_words(db: Database, own_orgs: set[int], *, include_internal: bool) -> list[str]:
    """Names and addresses of every organization not in `own_orgs`, of their people, deals and leads, and of
    leads no partner holds (the vendor's pipeline); with `include_internal`, of the vendor's own people."""
    orgs = db.rows("organization")
    foreign_org_ids = {o["id"] for o in orgs if o["id"] not in own_orgs}
    words: set[str] = {o["name"] for o in orgs if o["id"] in foreign_org_ids}
    for u in db.rows("app_user"):
        if u["organization_id"] in foreign_org_ids or (include_internal and u["organization_id"] is None):
            words |= {u["full_name"], u["email"]}
    for d in db.rows("deal"):
        if d["organization_id"] in foreign_org_ids:
            words |= {d["customer_name"], d.get("contact_email") or ""}
    for lead in db.rows("lead"):
        if lead["partner_id"] is None or lead["partner_id"] in foreign_org_ids:
            words |= {lead["company"], lead["contact_name"], lead["contact_email"]}
    return sorted({w.lower() for w in words if w and len(w) >= 6})
