"""The agreement gate as the front door and the HTTP routes see it: held while an agreement is overdue (only the
agreement and account pages, only their use cases), a notice within the grace period, nothing for the vendor's
people; uploads and logos answer 403 while held; signed copies download as PDF for whoever may read them."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from starlette.testclient import TestClient

import prm_app.identity.ui  # noqa: F401  (registers the account page, which the gate keeps open)
from prm_app.agreements import my_agreements, publish_version, save_template, sign_agreement
from prm_app.agreements.manage import SignedCopy
from prm_app.agreements.ui.gate import HELD, agreement_hold
from prm_app.agreements.ui.pdf_http import agreement_routes, pdf_url
from prm_app.identity import change_password, with_zone
from prm_app.identity.sessions import end_my_other_sessions
from prm_app.partners.ui.logo_http import logo_routes, logo_url
from prm_app.platform.access import Actor, Role
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import NotFound
from prm_app.web import uploads_http
from prm_app.web.state import HeldByGate
from tests.factories import actor_for, make_org, make_user


def list_my_deals(_session: Any, _actor: Actor) -> None:
    """Stands in for any other page's use case."""


def _world(session, grace: int = 0):
    manager = make_user(session, Role.CHANNEL_MANAGER)
    org = make_org(session, joined_at=utcnow() - timedelta(days=30))
    admin = make_user(session, Role.PARTNER_ADMIN, org, full_name="Ingrid Berg")
    tid = save_template(session, actor_for(manager), None, name="Partner Program Agreement", body="Hi {{company_name}}")
    publish_version(session, actor_for(manager), tid, requires_acceptance=True, grace_days=grace)
    return manager, org, admin


def test_an_overdue_agreement_holds_a_partner_on_the_agreement_and_account_pages(session):
    manager, _org, admin = _world(session)
    gate = agreement_hold(session, actor_for(admin))
    assert gate is not None and gate.held and gate.message == HELD
    assert gate.opens("/agreement/") and gate.opens("/account") and not gate.opens("/deals")
    assert not gate.refuses(my_agreements, ()) and not gate.refuses(sign_agreement, (1,))
    assert not gate.refuses(change_password, ("a", "b")) and not gate.refuses(end_my_other_sessions, ("x",))
    assert not gate.refuses(with_zone, (my_agreements,))
    assert gate.refuses(list_my_deals, ()) and gate.refuses(with_zone, (list_my_deals,))
    assert agreement_hold(session, actor_for(manager)) is None


def test_within_the_grace_period_every_page_shows_when_it_must_be_signed(session):
    _manager, _org, admin = _world(session, grace=10)
    gate = agreement_hold(session, actor_for(admin))
    assert gate is not None and not gate.held and gate.opens("/deals") and not gate.refuses(list_my_deals, ())
    assert gate.message.startswith("The Partner Program Agreement must be signed by ")
    assert gate.open_pages == ("/agreement",)


def test_once_signed_the_gate_lifts(session):
    _manager, _org, admin = _world(session)
    shown = my_agreements(session, actor_for(admin)).to_sign[0]
    sign_agreement(
        session,
        actor_for(admin),
        shown.pending.version_id,
        typed_name="Ingrid Berg",
        agreed=True,
        shown_sha256=shown.text_sha256,
    )
    assert agreement_hold(session, actor_for(admin)) is None


def test_a_held_partner_can_upload_nothing(monkeypatch):
    def held(_token: str, _ip: str) -> Actor:
        raise HeldByGate(HELD)

    scope = {"type": "http", "headers": [(b"cookie", b"prm_session=tok")], "client": ("1.2.3.4", 5)}
    assert asyncio.run(uploads_http.check_upload(scope, held)) == (403, HELD, None)


def test_a_held_partner_gets_no_logo():
    def held(*_args: Any) -> tuple[str, str]:
        raise HeldByGate(HELD)

    client = TestClient(logo_routes(held))
    client.cookies.set("prm_session", "tok")
    answer = client.get(logo_url(7, "ab" * 16))
    assert answer.status_code == 403 and HELD in answer.text


def test_a_signed_copy_downloads_as_pdf_for_its_readers_only():
    copy = SignedCopy(
        5,
        "Partner Program Agreement",
        2,
        "Fjord",
        "Ingrid Berg",
        "ingrid berg",
        utcnow(),
        "203.0.113.7",
        "Browser",
        "# Agreement\n\nText.",
        "ab" * 32,
    )

    def find(token: str, _ip: str, signature_id: int) -> SignedCopy:
        if token != "reader" or signature_id != 5:
            raise NotFound("signed agreement")
        return copy

    client = TestClient(agreement_routes(find))
    client.cookies.set("prm_session", "reader")
    answer = client.get(pdf_url(5))
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith("attachment;")
    assert b"Signed by Ingrid Berg" in answer.content
    assert client.get(pdf_url(6)).status_code == 404
    client.cookies.set("prm_session", "stranger")
    assert client.get(pdf_url(5)).status_code == 404
