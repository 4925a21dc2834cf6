"""A hostile client on the raw event websocket: it skips the UI and calls any handler with any payload.

Every handler re-resolves the actor from the session cookie of the socket's handshake (`AuthState._actor`), so a partner
holding a valid session still cannot reach the internal directory, another organization's team or profile,
and a client without a session (or with a forged session cookie) gets nothing but a redirect to /login.

Each refusal is paired with a control that shows the same call, made legitimately, does return data or
succeed: so a refusal here means "not allowed", not "wrong handler name or payload".
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest

from tests.e2e.conftest import DEMO_PASSWORD
from tests.e2e.raw_client import (
    FIELD_MARKER,
    MISSING,
    RawReflexClient,
    find_var,
    handler_full_name,
    state_full_name,
)


def run_async(coro):
    """Run a coroutine to completion on its own thread: Playwright's sync API keeps an event loop running on
    this one when browser tests share the session, and asyncio.run() refuses to nest."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


_LANGUAGE = [("prm_app.web.language_state", "LanguageState")]  # AuthState's parent: the person's language
_AUTH_PARENT = [*_LANGUAGE, ("prm_app.web.state", "AuthState")]
AUTH = state_full_name("prm_app.web.state", "AuthState", parents=_LANGUAGE)
LOGIN = state_full_name("prm_app.identity.ui.login", "LoginState", parents=_AUTH_PARENT)
TEAM = state_full_name("prm_app.partners.ui.team", "TeamState", parents=_AUTH_PARENT)
DIRECTORY = state_full_name("prm_app.partners.ui.directory", "DirectoryState", parents=_AUTH_PARENT)
DETAIL = state_full_name("prm_app.partners.ui.partner_detail", "PartnerDetailState", parents=_AUTH_PARENT)
PORTAL = state_full_name("prm_app.partners.ui.portal_home", "PortalHomeState", parents=_AUTH_PARENT)

DANA = "dana.price@northwind-dist.example"  # partner admin, Northwind Distribution
OMAR = "omar.haddad@northwind-dist.example"  # partner user, Northwind Distribution
JONAS = "jonas.weber@meridian-ig.example"  # partner admin, Meridian Integration Group
ANNA = "anna.schmidt@meridian-ig.example"  # partner user, Meridian Integration Group
MAYA = "maya.cm@vendor.example"  # channel manager (internal): the Americas book
LARS = "lars.cm@vendor.example"  # channel manager of the EMEA & APAC book and queue
NORTHWIND = "Northwind Distribution"
MERIDIAN = "Meridian Integration Group"
# Anything from Meridian that must never reach a Northwind client (checked case-insensitively).
MERIDIAN_MARKERS = ("meridian", "jonas", "anna schmidt", "felix braun", "munich")

_TOAST = re.compile(r"""__toast'\]\?\.\["(\w+)"\]\("((?:[^"\\]|\\.)*)"[,)]""")


# ------------------------------------------------------------------------------------------------ helpers
def _events(updates: list[dict]) -> list[dict]:
    return [ev for u in updates for ev in (u.get("events") or []) if isinstance(ev, dict)]


def _redirects(updates: list[dict]) -> list[str]:
    """The paths redirected to, without their query: a page guard sends to /login?next=<the page> (a same-origin
    path to return to after signing in), which is still "sent to sign in"."""
    return [ev["payload"]["path"].split("?", 1)[0] for ev in _events(updates) if ev.get("name") == "_redirect"]


def _toasts(updates: list[dict], kind: str) -> list[str]:
    """Messages of the `rx.toast.<kind>` calls in `updates` (they travel as `_call_function` events)."""
    found = []
    for ev in _events(updates):
        if ev.get("name") == "_call_function":
            found += [msg for k, msg in _TOAST.findall(str(ev["payload"].get("function", ""))) if k == kind]
    return found


def _values(updates: list[dict], state: str, var: str) -> list[Any]:
    """Every value `var` of `state` took in `updates` (not just the last), in order."""
    key = var + FIELD_MARKER
    return [u["delta"][state][key] for u in updates if key in (u.get("delta") or {}).get(state, {})]


def _assert_refused(updates: list[dict], what: str) -> None:
    """The reply is an error toast or a redirect to /login, and never a success toast."""
    assert updates, f"{what}: no reply at all (unknown handler name?)"
    assert not _toasts(updates, "success"), f"{what}: success toast {_toasts(updates, 'success')}"
    assert _toasts(updates, "error") or "/login" in _redirects(updates), f"{what}: not refused: {updates}"


def _assert_no_meridian_data(updates: list[dict], what: str) -> None:
    text = json.dumps(updates).lower()
    leaked = [m for m in MERIDIAN_MARKERS if m in text]
    assert not leaked, f"{what}: Meridian data reached the client: {leaked}"


def _client(base_url: str, page_path: str = "/login", **kwargs: Any) -> RawReflexClient:
    return RawReflexClient(base_url, page_path=page_path, **kwargs)


async def _login(client: RawReflexClient, email: str) -> str:
    """Sign in through the HTTP endpoint like the login form does, reconnect with the cookie it set (as the
    browser's reload does); returns the session token."""
    response = await client.sign_in(email, DEMO_PASSWORD)
    assert response.status_code == 303, f"login of {email} failed: {response.status_code} {response.text}"
    assert response.headers["location"] in ("/portal", "/partners"), response.headers
    token = client.cookies.get("prm_session", "")
    assert len(token) >= 20, f"login of {email} set no session cookie: {response.headers}"
    return token


async def _team_load(client: RawReflexClient) -> tuple[list[dict], list[dict]]:
    updates = await client.emit(handler_full_name(TEAM, "load"))
    assert not _toasts(updates, "error") and not _redirects(updates), updates
    return client.get(TEAM, "members"), client.get(TEAM, "invites")


def _by_email(rows: list[dict], email: str) -> dict:
    matches = [r for r in rows if r["email"] == email]
    assert len(matches) == 1, f"{email} not in {rows}"
    return matches[0]


# ------------------------------------------------------------------------------------------------ fixtures
@dataclass(frozen=True)
class World:
    northwind_id: int
    meridian_id: int
    anna_id: int  # a Meridian user
    meridian_invite_id: int
    meridian_invite_email: str


async def _build_world(base_url: str) -> World:
    # The ids a hostile partner would aim at, found the legitimate way: through the UI-facing handlers.
    async with _client(base_url) as maya:
        await _login(maya, MAYA)
        ids = {}
        for name in (NORTHWIND, MERIDIAN):
            updates = await maya.emit(handler_full_name(DIRECTORY, "set_search"), {"value": name.split()[0]})
            rows = find_var(updates, DIRECTORY, "rows")
            assert rows is not MISSING and rows, f"the manager's search for {name} returned no rows: {updates}"
            ids[name] = int(next(r["id"] for r in rows if r["name"] == name))
    async with _client(base_url) as jonas:
        await _login(jonas, JONAS)
        members, _ = await _team_load(jonas)
        anna = _by_email(members, ANNA)
        assert anna["active"] is True
        email = f"hostile.probe.{uuid.uuid4().hex[:8]}@example.com"
        updates = await jonas.emit(
            handler_full_name(TEAM, "invite"),
            {"form": {"full_name": "Probe Person", "email": email, "role": "partner_user"}},
        )
        assert _toasts(updates, "success"), f"Meridian's admin could not invite: {updates}"
        invite = _by_email(jonas.get(TEAM, "invites"), email)
    return World(
        northwind_id=ids[NORTHWIND],
        meridian_id=ids[MERIDIAN],
        anna_id=int(anna["id"]),
        meridian_invite_id=int(invite["id"]),
        meridian_invite_email=email,
    )


@pytest.fixture(scope="module")
def world(app_server: str) -> World:
    return run_async(_build_world(app_server))


# ------------------------------------------------------------------------------------------------ tests
def test_state_names_match_reflex():
    """The names this file puts on the wire are the ones Reflex registers (else every refusal is vacuous)."""
    from prm_app.identity.ui.login import LoginState
    from prm_app.partners.ui.directory import DirectoryState
    from prm_app.partners.ui.partner_detail import PartnerDetailState
    from prm_app.partners.ui.portal_home import PortalHomeState
    from prm_app.partners.ui.team import TeamState
    from prm_app.web.state import AuthState

    assert AUTH == AuthState.get_full_name()
    assert LOGIN == LoginState.get_full_name()
    assert TEAM == TeamState.get_full_name()
    assert DIRECTORY == DirectoryState.get_full_name()
    assert DETAIL == PartnerDetailState.get_full_name()
    assert PORTAL == PortalHomeState.get_full_name()
    # The session token is no var at all (it comes only from the socket handshake's HttpOnly cookie): nothing a
    # client hydrates or sets can stand in for it.
    assert not [f for f in AuthState.get_fields() if AuthState._is_client_storage(f)]
    assert "token" not in AuthState.get_fields()


def test_partner_cannot_use_the_manager_directory(app_server: str, world: World):
    async def scenario():
        # Control: the same calls made by a channel manager do return rows.
        async with _client(app_server) as maya:
            await _login(maya, MAYA)
            updates = await maya.emit(
                handler_full_name(DIRECTORY, "load"), router_data=maya.default_router_data("/partners")
            )
            assert find_var(updates, DIRECTORY, "rows"), f"the manager got no directory rows: {updates}"

        async with _client(app_server) as dana:
            await _login(dana, DANA)
            calls = [
                ("load", {}),
                ("set_search", {"value": ""}),
                ("set_search", {"value": "Meridian"}),
                ("set_filter", {"name": "region", "value": "EMEA"}),
                ("sort_by", {"column": "tier"}),
                ("go_to", {"page": 1}),
            ]
            for handler, payload in calls:
                updates = await dana.emit(
                    handler_full_name(DIRECTORY, handler), payload, router_data=dana.default_router_data("/partners")
                )
                _assert_refused(updates, f"DirectoryState.{handler}({payload})")
                assert "You are not allowed to do that." in _toasts(updates, "error"), updates
            # Over the whole connection: rows never non-empty, total never non-zero, no filter options.
            assert all(v == [] for v in _values(dana.updates, DIRECTORY, "rows")), dana.updates
            assert all(v == 0 for v in _values(dana.updates, DIRECTORY, "total")), dana.updates
            assert all(v == {} for v in _values(dana.updates, DIRECTORY, "options")), dana.updates
            _assert_no_meridian_data(dana.updates, "directory as a partner")

    run_async(scenario())


def test_partner_cannot_change_another_organizations_team(app_server: str, world: World):
    async def scenario():
        async with _client(app_server) as dana:
            await _login(dana, DANA)
            own_members, _ = await _team_load(dana)
            omar = _by_email(own_members, OMAR)

            # Control: the handlers and payload shapes work on dana's own organization.
            ok = await dana.emit(handler_full_name(TEAM, "set_active"), {"user_id": omar["id"], "active": True})
            assert _toasts(ok, "success") == ["Colleague reactivated."], ok
            own_email = f"hostile.own.{uuid.uuid4().hex[:8]}@example.com"
            await dana.emit(
                handler_full_name(TEAM, "invite"),
                {"form": {"full_name": "Own Probe", "email": own_email, "role": "partner_user"}},
            )
            own_invite = _by_email(dana.get(TEAM, "invites"), own_email)
            ok = await dana.emit(handler_full_name(TEAM, "revoke"), {"invite_id": own_invite["id"]})
            assert _toasts(ok, "success") == ["Invitation revoked."], ok

            # The attack: Meridian's ids, with the same handlers.
            deactivate = await dana.emit(
                handler_full_name(TEAM, "set_active"), {"user_id": world.anna_id, "active": False}
            )
            _assert_refused(deactivate, "set_active on a Meridian user")
            revoke = await dana.emit(handler_full_name(TEAM, "revoke"), {"invite_id": world.meridian_invite_id})
            _assert_refused(revoke, "revoke of a Meridian invite")
            # Same answer as for ids that do not exist at all: no existence oracle across organizations.
            missing_user = await dana.emit(handler_full_name(TEAM, "set_active"), {"user_id": 10**9, "active": False})
            missing_invite = await dana.emit(handler_full_name(TEAM, "revoke"), {"invite_id": 10**9})
            assert _toasts(deactivate, "error") == _toasts(missing_user, "error") == ["User not found."]
            assert _toasts(revoke, "error") == _toasts(missing_invite, "error") == ["Invitation not found."]

            # Nothing about Meridian ever reached dana; dana's own lists never held Meridian rows.
            _assert_no_meridian_data(dana.updates, "team handlers with Meridian ids")
            for members in _values(dana.updates, TEAM, "members"):
                assert world.anna_id not in {m["id"] for m in members}
            for invites in _values(dana.updates, TEAM, "invites"):
                assert world.meridian_invite_id not in {i["id"] for i in invites}

        # Nothing changed: Meridian's admin still sees anna active and the invite pending.
        async with _client(app_server) as jonas:
            await _login(jonas, JONAS)
            members, invites = await _team_load(jonas)
            anna = next(m for m in members if m["id"] == world.anna_id)
            assert anna["active"] is True, members
            assert world.meridian_invite_id in {i["id"] for i in invites}, invites
            assert _by_email(invites, world.meridian_invite_email)["id"] == world.meridian_invite_id
        # ...and anna can still sign in (a deactivation would also have ended her sessions and refused this).
        async with _client(app_server) as anna_client:
            await _login(anna_client, ANNA)

    run_async(scenario())


def test_partner_user_cannot_change_own_team(app_server: str, world: World):
    """Same organization, wrong role: a partner *user* cannot deactivate a colleague."""

    async def scenario():
        async with _client(app_server) as omar:
            await _login(omar, OMAR)
            members, _ = await _team_load(omar)
            dana = _by_email(members, DANA)
            updates = await omar.emit(handler_full_name(TEAM, "set_active"), {"user_id": dana["id"], "active": False})
            _assert_refused(updates, "partner user deactivating the admin")
        async with _client(app_server) as dana_client:
            await _login(dana_client, DANA)  # would fail if dana had been deactivated
            members, _ = await _team_load(dana_client)
            assert _by_email(members, DANA)["active"] is True

    run_async(scenario())


def test_partner_cannot_read_another_organizations_profile(app_server: str, world: World):
    async def scenario():
        async with _client(app_server) as dana:
            await _login(dana, DANA)
            start = len(dana.updates)
            updates = await dana.emit(
                handler_full_name(DETAIL, "load"),
                router_data=dana.default_router_data(f"/partners/{world.meridian_id}"),
            )
            assert find_var(updates, DETAIL, "found") is False, updates
            assert dana.get(DETAIL, "found") is False
            for var in ("profile", "benefits", "subs", "people"):
                assert not dana.get(DETAIL, var), f"{var} = {dana.get(DETAIL, var)}"
            _assert_no_meridian_data(dana.updates[start:], "PartnerDetailState.load of Meridian")

            # Control: the same call for dana's own organization does load it (the path does reach the handler).
            updates = await dana.emit(
                handler_full_name(DETAIL, "load"),
                router_data=dana.default_router_data(f"/partners/{world.northwind_id}"),
            )
            assert find_var(updates, DETAIL, "found") is True, updates
            assert dana.get(DETAIL, "profile")["name"] == NORTHWIND
            assert DANA in {p["email"] for p in dana.get(DETAIL, "people")}
            _assert_no_meridian_data(dana.updates, "the whole partner connection")

    run_async(scenario())


def test_client_without_session_gets_nothing(app_server: str, world: World):
    async def scenario():
        async with _client(app_server) as anon:
            calls = [
                (TEAM, "set_active", {"user_id": world.anna_id, "active": False}, "/portal/team"),
                (TEAM, "revoke", {"invite_id": world.meridian_invite_id}, "/portal/team"),
                (TEAM, "load", {}, "/portal/team"),
                (DIRECTORY, "load", {}, "/partners"),
                (DIRECTORY, "set_search", {"value": ""}, "/partners"),
                (DETAIL, "load", {}, f"/partners/{world.meridian_id}"),
                (PORTAL, "load", {}, "/portal"),
            ]
            for state, handler, payload, path in calls:
                updates = await anon.emit(
                    handler_full_name(state, handler), payload, router_data=anon.default_router_data(path)
                )
                assert _redirects(updates) == ["/login"], f"{handler}: {updates}"
                assert not _toasts(updates, "success"), updates
            assert anon.get(AUTH, "token") is MISSING
            assert all(v == [] for v in _values(anon.updates, DIRECTORY, "rows")), anon.updates
            assert all(v == [] for v in _values(anon.updates, TEAM, "members")), anon.updates
            assert all(v == [] for v in _values(anon.updates, TEAM, "invites")), anon.updates
            assert all(v == {} for v in _values(anon.updates, DETAIL, "profile")), anon.updates
            assert all(v == [] for v in _values(anon.updates, DETAIL, "people")), anon.updates
            _assert_no_meridian_data(anon.updates, "an anonymous client")

        async with _client(app_server) as jonas:
            await _login(jonas, JONAS)
            members, invites = await _team_load(jonas)
            assert next(m for m in members if m["id"] == world.anna_id)["active"] is True
            assert world.meridian_invite_id in {i["id"] for i in invites}

    run_async(scenario())


@pytest.mark.parametrize("also_cookie_header", [False, True], ids=["hydrate-var", "hydrate-var+cookie-header"])
def test_forged_session_cookie_is_not_a_session(app_server: str, world: World, also_cookie_header: bool):
    # The name the session token had when it was a client-storage var: presenting it on hydrate must do nothing.
    cookie_key = f"{AUTH}.token{FIELD_MARKER}"

    async def scenario():
        # Control: presenting a *real* session token the same way a browser does (the cookie header of a new
        # socket, e.g. after a reload) is recognised.
        async with _client(app_server) as dana:
            real = await _login(dana, DANA)
        async with _client(app_server, cookies={"prm_session": real}) as reloaded:
            members, _ = await _team_load(reloaded)
            assert DANA in {m["email"] for m in members}

        forged = secrets.token_urlsafe(32)
        cookies = {"prm_session": forged} if also_cookie_header else None
        async with _client(app_server, hydrate_payload={"vars": {cookie_key: forged}}, cookies=cookies) as c:
            assert c.get(AUTH, "token") is MISSING, c.updates  # no such var: the value was ignored
            for state, handler, path in (
                (TEAM, "load", "/portal/team"),
                (DIRECTORY, "load", "/partners"),
                (PORTAL, "load", "/portal"),
            ):
                updates = await c.emit(handler_full_name(state, handler), router_data=c.default_router_data(path))
                assert _redirects(updates) == ["/login"], f"{handler}: {updates}"
            assert all(v == [] for v in _values(c.updates, TEAM, "members")), c.updates
            assert all(v == [] for v in _values(c.updates, DIRECTORY, "rows")), c.updates
            assert all(v == {} for v in _values(c.updates, PORTAL, "profile")), c.updates
            assert not c.get(AUTH, "user_name") and not c.get(AUTH, "user_role")
            assert forged not in json.dumps(c.updates)

    run_async(scenario())


# ------------------------------------------------------------------------------------------------ deals
QUEUE = state_full_name("prm_app.deals.ui.registrations", "QueueState", parents=_AUTH_PARENT)
REVIEW = state_full_name("prm_app.deals.ui.registration_review", "ReviewState", parents=_AUTH_PARENT)
DEAL = state_full_name("prm_app.deals.ui.deal_detail", "DealDetailState", parents=_AUTH_PARENT)
MY_DEALS = state_full_name("prm_app.deals.ui.my_deals", "MyDealsState", parents=_AUTH_PARENT)
DEAL_FORM = state_full_name("prm_app.deals.ui.deal_new", "DealFormState", parents=_AUTH_PARENT)
FJORD_CUSTOMER = "Nordlys Energi AS"  # seeded: submitted by Fjord Managed IT, waiting in the review queue


def test_deal_state_names_match_reflex():
    from prm_app.deals.ui.deal_detail import DealDetailState
    from prm_app.deals.ui.deal_new import DealFormState
    from prm_app.deals.ui.my_deals import MyDealsState
    from prm_app.deals.ui.registration_review import ReviewState
    from prm_app.deals.ui.registrations import QueueState

    assert (QUEUE, REVIEW, DEAL, MY_DEALS, DEAL_FORM) == tuple(
        s.get_full_name() for s in (QueueState, ReviewState, DealDetailState, MyDealsState, DealFormState)
    )


def test_partner_cannot_review_or_touch_another_partners_deal(app_server: str):
    async def scenario():
        async with _client(app_server) as lars:
            await _login(lars, LARS)
            updates = await lars.emit(
                handler_full_name(QUEUE, "load"), router_data=lars.default_router_data("/registrations")
            )
            rows = find_var(updates, QUEUE, "rows")
            deal_id = int(next(r["id"] for r in rows if r["customer"] == FJORD_CUSTOMER))
        path = f"/registrations/{deal_id}"
        async with _client(app_server) as dana:
            await _login(dana, DANA)
            for handler, payload, route in [
                ("load", {}, path),
                ("approve", {"form": {"protection_days": "365"}}, path),
                ("reject", {"form": {"reason": "hostile"}}, path),
                ("ask", {"form": {"question": "hostile"}}, path),
            ]:
                updates = await dana.emit(
                    handler_full_name(REVIEW, handler), payload, router_data=dana.default_router_data(route)
                )
                _assert_refused(updates, f"ReviewState.{handler}")
                assert FJORD_CUSTOMER.lower() not in json.dumps(updates).lower()
            queue = await dana.emit(
                handler_full_name(QUEUE, "load"), router_data=dana.default_router_data("/registrations")
            )
            _assert_refused(queue, "QueueState.load")
            assert FJORD_CUSTOMER.lower() not in json.dumps(queue).lower()
            # The partner's own deal page, aimed at Fjord's deal: not found, then every action on it refused.
            updates = await dana.emit(
                handler_full_name(DEAL, "load"), router_data=dana.default_router_data(f"/deals/{deal_id}")
            )
            assert find_var(updates, DEAL, "found") is False, updates
            assert FJORD_CUSTOMER.lower() not in json.dumps(updates).lower()
            for handler, payload in [("withdraw", {}), ("answer", {"form": {"answer": "x"}}), ("mark_lost", {})]:
                updates = await dana.emit(
                    handler_full_name(DEAL, handler), payload, router_data=dana.default_router_data(f"/deals/{deal_id}")
                )
                assert not _toasts(updates, "success"), f"DealDetailState.{handler}: {updates}"
                assert "not found" in json.dumps(find_var(updates, DEAL, "errors")).lower(), updates
        # Nothing changed: the registration is still waiting in its manager's queue (Fjord is in Lars's book).
        async with _client(app_server) as lars:
            await _login(lars, LARS)
            updates = await lars.emit(
                handler_full_name(QUEUE, "load"), router_data=lars.default_router_data("/registrations")
            )
            assert any(r["customer"] == FJORD_CUSTOMER for r in find_var(updates, QUEUE, "rows"))

    run_async(scenario())


def test_manager_cannot_register_deals_as_a_partner(app_server: str):
    async def scenario():
        async with _client(app_server) as maya:
            await _login(maya, MAYA)
            updates = await maya.emit(
                handler_full_name(DEAL_FORM, "submit"),
                {"form": {"customer_name": "X"}},
                router_data=maya.default_router_data("/deals/new"),
            )
            _assert_refused(updates, "DealFormState.submit by a manager")

    run_async(scenario())


# ------------------------------------------------------------------------------------------------ leads
LEAD_QUEUE = state_full_name("prm_app.leads.ui.lead_queue", "LeadQueueState", parents=_AUTH_PARENT)
LEAD_DETAIL = state_full_name("prm_app.leads.ui.partner_leads", "LeadDetailState", parents=_AUTH_PARENT)


def test_lead_state_names_match_reflex():
    from prm_app.leads.ui.lead_queue import LeadQueueState
    from prm_app.leads.ui.partner_leads import LeadDetailState

    assert (LEAD_QUEUE, LEAD_DETAIL) == (LeadQueueState.get_full_name(), LeadDetailState.get_full_name())


def test_partners_and_other_managers_cannot_work_a_lead_queue(app_server: str):
    async def scenario():
        async with _client(app_server) as maya:
            await _login(maya, MAYA)
            updates = await maya.emit(
                handler_full_name(LEAD_QUEUE, "load"), router_data=maya.default_router_data("/lead-queue")
            )
            rows = find_var(updates, LEAD_QUEUE, "rows")
            queue_id = find_var(updates, LEAD_QUEUE, "queue_id")
            assert rows and queue_id, updates
            ids = [r["id"] for r in rows]
        hostile = [
            ("pick_queue", {"queue_id": queue_id}),
            ("reorder", {"ids": list(reversed(ids))}),
            ("assign", {"lead_id": ids[0], "partner_id": "1"}),
            ("route_one", {"lead_id": ids[0]}),
            ("confirm_all", {}),
        ]
        # A partner, and a manager who is not a member of that queue (confirm_all only ever acts on the caller's
        # own queue, so for Lars it is legitimate; the final check shows Maya's queue untouched either way).
        for who, calls in ((DANA, hostile), (LARS, hostile[:-1])):
            async with _client(app_server) as client:
                await _login(client, who)
                for handler, payload in calls:
                    updates = await client.emit(
                        handler_full_name(LEAD_QUEUE, handler),
                        payload,
                        router_data=client.default_router_data("/lead-queue"),
                    )
                    assert not _toasts(updates, "success"), f"{who} LeadQueueState.{handler}: {updates}"
                    got = find_var(updates, LEAD_QUEUE, "rows")
                    assert got is MISSING or not any(r["id"] in ids for r in got), f"{who} saw the queue: {updates}"
        # Nothing moved: the queue is in the same order, nothing was proposed or sent.
        async with _client(app_server) as maya:
            await _login(maya, MAYA)
            updates = await maya.emit(
                handler_full_name(LEAD_QUEUE, "load"), router_data=maya.default_router_data("/lead-queue")
            )
            after = find_var(updates, LEAD_QUEUE, "rows")
            assert [r["id"] for r in after] == ids
            assert all(r["partner"] == "" for r in after if r["status"] == "new")

    run_async(scenario())
