"""One tab, two people: nothing of the first reaches the second; and the session token stays out of reach.

Signing in and out goes through the HTTP endpoints (identity/ui/session_http.py), which set and clear an HttpOnly
cookie and reset the tab's whole state tree; events read the token from the socket handshake, and it never
appears in a delta (nor in Redis when the scale-out variant runs).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, assert_accessible, at, log_in
from tests.e2e.raw_client import MISSING, RawReflexClient, handler_full_name
from tests.e2e.test_hostile_client import (
    AUTH,
    DANA,
    JONAS,
    MERIDIAN_MARKERS,
    PORTAL,
    TEAM,
    _redirects,
    _values,
    run_async,
)


def _record_socket(page: Page) -> list[str]:
    """Every event-socket frame the page receives, as text."""
    frames: list[str] = []

    def on_socket(ws: Any) -> None:
        if "/_event" in ws.url:
            ws.on("framereceived", lambda p: frames.append(p if isinstance(p, str) else p.decode("utf-8", "replace")))

    page.on("websocket", on_socket)
    return frames


def _strings_under(frames: list[str], key_part: str) -> set[str]:
    """String values of every delta key containing `key_part` (e.g. the customers of the deal rows)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key_part in str(key) and isinstance(value, str) and len(value) > 3:
                    found.add(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for frame in frames:
        start = frame.find("[")
        if start >= 0:
            try:
                walk(json.loads(frame[start:]))
            except json.JSONDecodeError:
                pass
    return found


def _visit_everything(page: Page) -> None:
    """Every page of the main navigation, plus one record page from each list that links to some."""
    nav = page.get_by_role("navigation", name="Main").get_by_role("link")
    routes = [nav.nth(i).get_attribute("href") for i in range(nav.count())]
    for route in routes:
        page.goto(route)
        page.wait_for_load_state("networkidle")
        if route in ("/deals", "/leads"):
            records = page.locator(f"main a[href^='{route}/']")
            hrefs = [h for h in records.evaluate_all("els => els.map(e => e.getAttribute('href'))") if h]
            for href in [h for h in hrefs if re.fullmatch(rf"{route}/\d+/?", h)][:1] + [f"{route}/new"] * (
                route == "/deals"
            ):
                page.goto(href)
                page.wait_for_load_state("networkidle")


def test_the_next_person_in_the_tab_gets_nothing_of_the_previous_one(page: Page):
    frames = _record_socket(page)
    log_in(page, JONAS, expect_path="/portal")  # Meridian's admin: a team, deals, leads, a scorecard
    tab = page.evaluate("sessionStorage.getItem('token')")
    # Jonas makes an invitation: its link is in the team page's state.
    page.goto("/portal/team")
    page.get_by_label("Full name").fill("Bleed Probe")
    page.get_by_label("Work email").fill(f"bleed.{secrets.token_hex(4)}@example.com")
    page.get_by_role("button", name="Create invitation").click()
    invite_link = page.get_by_label("Invitation link")
    expect(invite_link).to_have_value(re.compile(r"/invite/[\w-]{40,}$"))
    invite_token = invite_link.input_value().rsplit("/", 1)[-1]
    _visit_everything(page)

    customers = _strings_under(frames, "customer")
    jonas_words = {*MERIDIAN_MARKERS, invite_token, *customers}
    seen = "\n".join(frames).lower()
    # Control: Jonas's socket did carry all of these, so their absence below means something.
    assert customers, "no deal customers in Jonas's pages"
    assert all(w.lower() in seen for w in jonas_words), [w for w in jonas_words if w.lower() not in seen]

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(at("/login"))
    after = len(frames)
    log_in(page, DANA, expect_path="/portal")
    # Usually the same tab token and so the same state tree. With several workers Reflex may hand the reloaded
    # page a new token (the old one still linked to the closing socket), which abandons the old tree; either way
    # none of Jonas's words may reach Dana, which is what is checked below.
    same_tree = page.evaluate("sessionStorage.getItem('token')") == tab
    assert same_tree or os.environ.get("E2E_REDIS_URL"), "a single worker keeps the tab's token"
    expect(page.get_by_role("heading", name="Northwind Distribution")).to_be_visible()
    _visit_everything(page)
    page.goto("/portal/team")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_label("Invitation link")).to_have_count(0)
    assert_accessible(page)

    dana_saw = "\n".join(frames[after:]).lower()
    assert "northwind" in dana_saw  # control: frames of Dana's session were recorded
    leaked = sorted(w for w in jonas_words if w.lower() in dana_saw)
    assert not leaked, f"Jonas's words reached the next person in his tab: {leaked}"


def test_sign_in_form_offers_to_keep_the_session(page: Page):
    page.goto("/login")
    expect(page.get_by_label("Keep me signed in")).not_to_be_checked()
    page.get_by_label("Email").fill(DANA)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_label("Keep me signed in").check()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(at("/portal"))
    cookie = next(c for c in page.context.cookies() if c["name"] == "prm_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert cookie["expires"] > 0  # a persistent cookie (a session cookie has -1)
    assert page.evaluate("document.cookie").find("prm_session") == -1  # out of reach of the page's JavaScript


# ------------------------------------------------------------------------------------------------ raw socket
def _set_cookie(response: Any) -> str:
    return "; ".join(v for k, v in response.headers.multi_items() if k.lower() == "set-cookie")


def test_the_session_cookie_is_http_only_and_never_in_a_delta(app_server: str):
    async def scenario():
        async with RawReflexClient(app_server, page_path="/login") as c:
            response = await c.sign_in(DANA, DEMO_PASSWORD)
            assert response.status_code == 303 and response.headers["location"] == "/portal"
            header = _set_cookie(response)
            assert re.search(r"prm_session=[\w-]{40,};", header), header
            for attribute in ("HttpOnly", "SameSite=strict", "Path=/"):
                assert attribute.lower() in header.lower(), header
            assert "max-age" not in header.lower() and "expires" not in header.lower()  # ends with the browser
            assert "secure" not in header.lower()  # the e2e origin is http://localhost
            token = c.cookies["prm_session"]

            for state, path in ((PORTAL, "/portal"), (TEAM, "/portal/team")):
                await c.emit(handler_full_name(state, "load"), router_data=c.default_router_data(path))
            assert DANA in {m["email"] for m in c.get(TEAM, "members")}  # control: the cookie is the session
            assert c.get(AUTH, "token") is MISSING
            everything = json.dumps(c.updates)
            assert token not in everything, "the session token reached the browser in a delta"
            assert "prm_session" not in everything

            if os.environ.get("E2E_REDIS_URL"):
                import redis.asyncio as redis

                store = redis.from_url(os.environ["E2E_REDIS_URL"])
                try:
                    keys = [k async for k in store.scan_iter(match=f"{c.token}_*")]
                    assert keys, "no state of this tab in Redis: the check below would be vacuous"
                    for key in keys:
                        if await store.type(key) == b"string":
                            assert token.encode() not in await store.get(key), f"session token in Redis at {key}"
                finally:
                    await store.aclose()

            # Sign-out ends the session server-side and clears the cookie.
            out = await c.post_form("/_auth/sign-out", {})
            assert out.status_code == 303 and out.headers["location"] == "/login"
            assert re.search(r'prm_session="?"?;', _set_cookie(out)), _set_cookie(out)
        async with RawReflexClient(app_server, page_path="/portal", cookies={"prm_session": token}) as stale:
            updates = await stale.emit(
                handler_full_name(TEAM, "load"), router_data=stale.default_router_data("/portal/team")
            )
            # Only ever to the sign-in page (the load and the guard's chained reset may each send it there).
            assert _redirects(updates) and set(_redirects(updates)) == {"/login"}, updates
            assert all(v == [] for v in _values(stale.updates, TEAM, "members"))

    run_async(scenario())


async def _until(client: RawReflexClient, done: Callable[[], bool], timeout: float = 10) -> None:
    """Wait for more updates until `done()` holds or `timeout` passes (the caller asserts afterwards)."""
    deadline = time.monotonic() + timeout
    while not done() and (remaining := deadline - time.monotonic()) > 0:
        try:
            await client.wait_for(lambda _update: True, timeout=remaining)
        except TimeoutError:
            return


def test_a_session_that_ended_elsewhere_leaves_nothing_in_the_tab(app_server: str):
    """Timeout, deactivation or sign-out in another tab: the next page guard empties this tab's whole state."""

    async def scenario():
        async with RawReflexClient(app_server, page_path="/login") as c:
            await c.sign_in(DANA, DEMO_PASSWORD)
            await c.emit(handler_full_name(TEAM, "load"), router_data=c.default_router_data("/portal/team"))
            assert DANA in {m["email"] for m in c.get(TEAM, "members")}
            # The session ends without this tab taking part (another tab's token on the sign-out form).
            tab, c.token = c.token, "0" * 32
            await c.post_form("/_auth/sign-out", {})
            c.token = tab
            updates = await c.emit(
                handler_full_name(AUTH, "guard_partner"), router_data=c.default_router_data("/portal/team")
            )
            assert "/login" in _redirects(updates), updates
            # The reset is the guard's chained event: with several workers its delta may come a moment later.
            await _until(c, lambda: c.get(TEAM, "members") == [] and c.get(AUTH, "user_name") == "")
            assert c.get(TEAM, "members") == [], c.get(TEAM, "members")
            assert c.get(AUTH, "user_name") == ""

    run_async(scenario())


def test_absent_or_forged_cookie_on_the_socket_gets_nothing(app_server: str):
    async def scenario():
        for cookies in (None, {"prm_session": secrets.token_urlsafe(32)}, {"prm_session": ""}):
            async with RawReflexClient(app_server, page_path="/portal", cookies=cookies) as c:
                updates = await c.emit(
                    handler_full_name(TEAM, "load"), router_data=c.default_router_data("/portal/team")
                )
                if not _redirects(updates):  # a loaded machine may send the state first and the redirect after a pause
                    updates.append(await c.wait_for(lambda u: bool(_redirects([u])), timeout=10))
                # Sent to /login and nowhere else. (The first event of a connection also re-runs the page's on_load
                # guard, whose own redirect may land in this window or just after it, depending on the machine.)
                assert set(_redirects(updates)) == {"/login"}, (cookies, updates)
                assert all(v == [] for v in _values(c.updates, TEAM, "members")), c.updates
                assert "northwind" not in json.dumps(c.updates).lower()
        # An Authorization header of the client's own cannot name another connection's session either.
        async with RawReflexClient(
            app_server, page_path="/portal", headers={"Authorization": "PRM-Connection anything"}
        ) as c:
            updates = await c.emit(handler_full_name(TEAM, "load"), router_data=c.default_router_data("/portal/team"))
            assert _redirects(updates) == ["/login"], updates

    run_async(scenario())


def test_sign_in_and_out_from_another_site_are_refused(app_server: str):
    async def scenario():
        async with RawReflexClient(app_server, page_path="/login") as c:
            response = await c.post_form(
                "/_auth/sign-in", {"email": DANA, "password": DEMO_PASSWORD}, origin="https://evil.example"
            )
            assert response.status_code == 403 and "prm_session" not in _set_cookie(response)
            response = await c.post_form("/_auth/sign-out", {}, origin="https://evil.example")
            assert response.status_code == 403

    run_async(scenario())
