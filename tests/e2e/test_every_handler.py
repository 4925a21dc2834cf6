"""The sweeping hostile test (issue 9): EVERY event handler of every state, as the app registers them, called
over the raw event socket (a) without a session and (b) as a partner user of another organization, with ids
of foreign records (a deal, a lead, a user, an invitation, a survey, a partner) as arguments and in the page
route, and a form naming foreign ids. After each call nothing in the database may have changed (every column
of every table is compared, minus the explicit exceptions in sweep_support: IGNORED_COLUMNS, ALLOWED_WRITES)
and no foreign words (names, addresses, customers of other organizations, their deals and leads) may have come
back in the state deltas.

The handler list comes from the registry at collection time (sweep_support.all_handlers), so a handler added
later is swept without touching this file. Reflex's own handlers are skipped by an explicit list
(sweep_support.REFLEX_INTERNAL); handlers that are public by design are listed with the reason
(sweep_support.PUBLIC) and still swept.

A finding this sweep makes and another change is to fix is listed in KNOWN_FINDINGS: that case is a strict
xfail carrying the finding, so the suite stays green, every finding stays visible, and the fix turns it into
an XPASS that fails until the entry is removed.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest

from tests.e2e.conftest import DEMO_PASSWORD
from tests.e2e.raw_client import RawReflexClient, find_var, handler_full_name, state_full_name
from tests.e2e.sweep_support import (
    PUBLIC,
    REFLEX_INTERNAL,
    Caller,
    Change,
    Database,
    Foreign,
    Handler,
    all_handlers,
    diff,
    e2e_database_url,
    fingerprint,
    foreign_words,
    internal_handler_keys,
    leaked_words,
    routes_for,
    unexplained,
)

T = TypeVar("T")

_LANGUAGE = [("prm_app.web.language_state", "LanguageState")]  # AuthState's parent: the person's language
_AUTH_PARENT = [*_LANGUAGE, ("prm_app.web.state", "AuthState")]
AUTH = state_full_name("prm_app.web.state", "AuthState", parents=_LANGUAGE)
LOGIN = state_full_name("prm_app.identity.ui.login", "LoginState", parents=_AUTH_PARENT)
TEAM = state_full_name("prm_app.partners.ui.team", "TeamState", parents=_AUTH_PARENT)
SESSION_COOKIE = "prm_session"

# The attackers: people of Northwind Distribution (a distributor: its sub-partners are not foreign to it).
ATTACKERS = {
    "partner_user": "omar.haddad@northwind-dist.example",
    "partner_admin": "dana.price@northwind-dist.example",  # the strongest partner role (team, invitations)
}
FOREIGN_ADMIN = "jonas.weber@meridian-ig.example"  # partner admin, Meridian Integration Group
FOREIGN_USER = "anna.schmidt@meridian-ig.example"  # partner user, Meridian Integration Group
FOREIGN_ORG = "Meridian Integration Group"

IDENTITIES = ("anonymous", *ATTACKERS)
HANDLERS = all_handlers()

# (identity, handler key) -> the finding. Each is a strict xfail: fixing it makes the case XPASS (and fail)
# until its entry is removed here.
KNOWN_FINDINGS: dict[tuple[str, str], str] = {}


# ------------------------------------------------------------------------------------------------ sign-in
async def obtain_session_token(base_url: str, email: str, password: str = DEMO_PASSWORD) -> str:
    """A fresh session token for `email`: one POST to the sign-in endpoint, read from its HttpOnly Set-Cookie."""
    async with RawReflexClient(base_url, page_path="/login") as c:
        response = await c.post_form("/_auth/sign-in", {"email": email, "password": password})
    token = response.cookies.get(SESSION_COOKIE)
    assert isinstance(token, str) and len(token) >= 20, f"sign-in of {email} failed: {response.status_code}"
    return token


async def connect(base_url: str, token: str | None, page_path: str = "/portal") -> RawReflexClient:
    """A connected client presenting `token` as the browser does: the `prm_session` cookie on the socket's
    handshake (the only place the server reads it)."""
    cookies = {} if token is None else {SESSION_COOKIE: token}
    client = RawReflexClient(base_url, page_path=page_path, cookies=cookies)
    await client.connect()
    return client


# ------------------------------------------------------------------------------------------------ the sweeper
@dataclass
class Identity:
    name: str
    client: RawReflexClient
    caller: Caller
    words: list[str]
    explained: list[Change] = field(default_factory=list)


class Sweeper:
    """One event loop (on its own thread: Playwright's sync API may own this one), one connection per identity."""

    def __init__(self, base_url: str, db: Database) -> None:
        self.base_url = base_url
        self.db = db
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.identities: dict[str, Identity] = {}
        self.foreign: Foreign
        self.start_snapshot: dict = {}
        self.finding_tables: set[str] = set()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=120)

    def close(self) -> None:
        for ident in self.identities.values():
            self.run(ident.client.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.db.dispose()

    async def emit(self, ident: Identity, name: str, payload: dict, path: str) -> list[dict]:
        return await ident.client.emit(
            name, payload, router_data=ident.client.default_router_data(path), timeout=1.0, settle=0.15
        )

    def call(self, ident: Identity, handler: Handler, payload: dict, path: str) -> tuple[list[dict], list[Change]]:
        """Emit one event; return its updates and every database change it made."""
        before = self.db.snapshot()
        updates = self.run(self.emit(ident, handler.wire_name, payload, path))
        changes = diff(before, self.db.snapshot())
        return updates, changes


def _user(db: Database, email: str) -> dict:
    return next(u for u in db.rows("app_user") if u["email"] == email)


async def _invite_as_foreign_admin(base_url: str, email: str) -> None:
    """A pending invitation of the foreign organization, made the legitimate way (its admin's team page)."""
    token = await obtain_session_token(base_url, FOREIGN_ADMIN)
    client = await connect(base_url, token, "/portal/team")
    try:
        updates = await client.emit(
            handler_full_name(TEAM, "invite"),
            {"form": {"full_name": "Sweep Invitee", "email": email, "role": "partner_user"}},
            router_data=client.default_router_data("/portal/team"),
        )
        assert find_var(updates, TEAM, "invite_for") == email, f"the foreign admin could not invite: {updates}"
    finally:
        await client.close()


def _build(base_url: str, db: Database) -> Sweeper:
    s = Sweeper(base_url, db)
    orgs = db.rows("organization")
    own_org = _user(db, ATTACKERS["partner_user"])["organization_id"]
    # A distributor may see its sub-partners (and a sub-partner its distributor): none of them counts as foreign.
    related = {own_org} | {o["id"] for o in orgs if o["parent_id"] == own_org}
    related |= {o["parent_id"] for o in orgs if o["id"] == own_org and o["parent_id"]}
    foreign_org = next(o["id"] for o in orgs if o["name"] == FOREIGN_ORG)
    assert foreign_org not in related

    invite_email = "sweep.invitee@meridian-ig.example"
    if not any(i["email"] == invite_email for i in db.rows("invite")):
        s.run(_invite_as_foreign_admin(base_url, invite_email))
    deals = [d for d in db.rows("deal") if d["organization_id"] not in related]
    leads = [lead for lead in db.rows("lead") if lead["partner_id"] is not None and lead["partner_id"] not in related]
    responses = [r for r in db.rows("nps_response") if r["organization_id"] not in related]
    submitted = next(d for d in deals if d["status"] == "submitted")
    s.foreign = Foreign(
        partner_id=foreign_org,
        user_id=_user(db, FOREIGN_USER)["id"],
        deal_ids=[submitted["id"], next(d["id"] for d in deals if d["status"] == "approved")],
        lead_ids=[
            next(lead["id"] for lead in leads if lead["status"] == "offered"),
            next(lead["id"] for lead in leads if lead["status"] == "accepted"),
        ],
        invite_id=next(i["id"] for i in db.rows("invite") if i["email"] == invite_email),
        survey_id=min(r["survey_id"] for r in responses),
        queue_id=min(q["id"] for q in db.rows("lead_queue")),
        email="no.account.here@elsewhere.example",  # no account; never a word of a real partner
        customer=submitted["customer_name"],
    )

    # Sign in before the first snapshot (a sign-in writes its session, attempt and audit rows).
    s.identities["anonymous"] = Identity(
        "anonymous", s.run(connect(base_url, None)), Caller(None, None), foreign_words(db, set(), include_internal=True)
    )
    partner_words = foreign_words(db, related, include_internal=False)
    guard = next(h for h in HANDLERS if h.key == "prm_app.web.state.AuthState.guard_any")
    for name, email in ATTACKERS.items():
        user = _user(db, email)
        assert user["organization_id"] == own_org
        ident = Identity(
            name,
            s.run(connect(base_url, s.run(obtain_session_token(base_url, email)))),
            Caller(user["id"], own_org),
            partner_words,
        )
        s.identities[name] = ident
        # Control: the connection IS signed in (else every refusal in the sweep would be vacuous).
        s.run(s.emit(ident, guard.wire_name, {}, "/portal"))
        assert ident.client.get(AUTH, "user_name") == user["full_name"], ident.client.updates
    # Control: the words looked for are real foreign data (a foreign person, a foreign deal's customer).
    assert _user(db, FOREIGN_USER)["full_name"].lower() in partner_words
    assert s.foreign.customer.lower() in partner_words
    s.start_snapshot = db.snapshot()
    return s


@pytest.fixture(scope="module")
def sweeper(app_server: str, tmp_path_factory) -> Sweeper:
    db = Database(e2e_database_url(tmp_path_factory.getbasetemp()))
    s = _build(app_server, db)
    yield s
    s.close()


# ------------------------------------------------------------------------------------------------ tests
def test_registry_is_swept_and_the_lists_are_current():
    """The sweep covers the app's states (not an empty or partial registry), and every name in the explicit
    lists is a handler that exists (a renamed handler must not leave a stale exemption behind)."""
    keys = {h.key for h in HANDLERS}
    states = {h.state.__name__ for h in HANDLERS}
    assert len(HANDLERS) >= 60 and {"AuthState", "LoginState", "TeamState", "ReviewState", "LeadQueueState"} <= states
    registered = internal_handler_keys()
    assert set(REFLEX_INTERNAL) <= registered, set(REFLEX_INTERNAL) - registered
    assert set(PUBLIC) <= keys, set(PUBLIC) - keys
    assert {k for _, k in KNOWN_FINDINGS} <= keys
    assert not keys & set(REFLEX_INTERNAL)
    # Every state of the app itself has its handlers swept (only Reflex's internal states are left out).
    app_states = {h.state for h in HANDLERS}
    for h in HANDLERS:
        assert h.state.__module__.startswith("prm_app."), h.key
    assert all(s.event_handlers for s in app_states)


def _cases():
    for identity in IDENTITIES:
        for h in HANDLERS:
            finding = KNOWN_FINDINGS.get((identity, h.key))
            marks = [pytest.mark.xfail(strict=True, reason=finding)] if finding else []
            yield pytest.param(identity, h, id=f"{identity}-{h.short}", marks=marks)


@pytest.mark.parametrize(("identity", "handler"), list(_cases()))
def test_handler_changes_nothing_and_leaks_nothing(sweeper: Sweeper, identity: str, handler: Handler):
    ident = sweeper.identities[identity]
    f = sweeper.foreign
    payload = f.payload(handler)
    problems: list[str] = []
    load = Handler(handler.state, "load") if "load" in handler.state.event_handlers and handler.name != "load" else None
    for route in routes_for(handler.state):
        for path in f.route_variants(route):
            sent: list[Any] = [payload, path]
            steps = [(load, {})] if load else []
            steps.append((handler, payload))
            for step, step_payload in steps:
                # The page's load first (as a browser does; it takes the record id from the foreign route).
                updates, changes = sweeper.call(ident, step, step_payload, path)
                left = unexplained(step.key, changes, ident.caller, step_payload)
                ident.explained += [c for c in changes if c not in left]
                for c in left:
                    problems.append(f"{step.short} on {path} changed the database: {c.describe()}")
                    sweeper.finding_tables.add(c.table)
                if leaked := leaked_words(updates, ident.words, sent):
                    problems.append(f"{step.short} on {path} sent foreign words back: {leaked}")
    assert not problems, f"{identity} {handler.key} with {payload}:\n" + "\n".join(problems)


@pytest.mark.parametrize("identity", IDENTITIES)
def test_whole_round_changed_nothing_and_leaked_nothing(sweeper: Sweeper, identity: str):
    """After the sweep: every table's row count and row hash is as before, except tables with an explained
    write (ALLOWED_WRITES) or a recorded finding; and nothing in the whole connection's traffic (including
    updates that arrived late, e.g. from background tasks) carries a foreign word."""
    ident = sweeper.identities[identity]
    before, after = fingerprint(sweeper.start_snapshot), fingerprint(sweeper.db.snapshot())
    excused = {c.table for i in sweeper.identities.values() for c in i.explained} | sweeper.finding_tables
    moved = {t: (before.get(t), after.get(t)) for t in set(before) | set(after) if before.get(t) != after.get(t)}
    assert set(moved) <= excused, {t: v for t, v in moved.items() if t not in excused}
    sent = [sweeper.foreign.form()]
    assert not leaked_words(ident.client.updates, ident.words, sent), ident.client.updates[-5:]


def test_the_sweep_can_see_a_change_and_a_leak(sweeper: Sweeper):
    """Control (runs last: it changes data): the same machinery, payload builder and foreign ids, used by the
    foreign organization's own admin, does see their people and does change their invitation. So the sweep's
    silence above means "refused", not "wrong handler name, payload shape, database or word list"."""
    db = sweeper.db
    admin = _user(db, FOREIGN_ADMIN)
    client = sweeper.run(connect(sweeper.base_url, sweeper.run(obtain_session_token(sweeper.base_url, FOREIGN_ADMIN))))
    try:
        ident = Identity("foreign_admin", client, Caller(admin["id"], admin["organization_id"]), [])
        words = sweeper.identities["partner_user"].words
        team = next(h.state for h in HANDLERS if h.key == "prm_app.partners.ui.team.TeamState.load")
        updates, _ = sweeper.call(ident, Handler(team, "load"), {}, "/portal/team")
        assert _user(db, FOREIGN_USER)["full_name"].lower() in leaked_words(updates, words, {}), updates
        revoke = Handler(team, "revoke")
        payload = sweeper.foreign.payload(revoke)
        assert payload == {"invite_id": sweeper.foreign.invite_id}
        _, changes = sweeper.call(ident, revoke, payload, "/portal/team")
        left = unexplained(revoke.key, changes, ident.caller, payload)
        assert any(c.table == "invite" and c.kind == "changed" and c.key == (sweeper.foreign.invite_id,) for c in left)
    finally:
        sweeper.run(client.close())
