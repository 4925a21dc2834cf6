"""The REST API's program reads (/courses, /certificates, /tiers) on SQLite and PostgreSQL: each key sees what its
person's pages show (the catalogue's audience rule, a partner's own people, a channel manager's book), pages run
in id order with `updated_since`, and a key without the scope is refused."""

from __future__ import annotations

import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from prm_app.audience import AudienceRule
from prm_app.integrations import KeyInput, create_api_key
from prm_app.integrations.program_reads import list_certificates, list_courses, list_tiers
from prm_app.integrations.ui.api_http import build_api
from prm_app.platform.access import Role
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import PermissionDenied
from prm_app.training import Certificate, Certification, CertificationCourse, Course
from prm_app.training.certificates import revoke_certificate
from tests.factories import actor_for, make_org, make_user
from tests.tiering.factories import make_world

READS = ("training:read", "tiers:read")


def _course(session: Session, code: str, status: str = "published", audience: AudienceRule | None = None) -> int:
    course = Course(code=code, title=f"Course {code}", summary=f"About {code}", status=status, minutes=30)
    course.audience = audience.to_json() if audience else ""
    session.add(course)
    session.flush()
    return course.id or 0


def _certificate(session: Session, user, certification: Certification, days_left: int = 300, **fields) -> int:
    now = utcnow()
    row = Certificate(
        code=f"code{user.id}x{certification.id}{fields.pop('n', '')}",
        user_id=user.id,
        certification_id=certification.id,
        holder_name=user.full_name,
        issued_at=now - timedelta(days=30),
        expires_at=now + timedelta(days=days_left),
        **fields,
    )
    session.add(row)
    session.flush()
    return row.id or 0


@pytest.fixture
def world(engine) -> SimpleNamespace:
    """Alpha (a Silver reseller, in one channel manager's book) and Beta (a Registered MSP, in another's), each
    with a partner admin and certificates; two published courses (one for MSPs only) and a draft."""
    with Session(engine, expire_on_commit=False) as session:
        tiers = make_world(session)
        w = SimpleNamespace(tiers=tiers, engine=engine)
        w.alpha = make_org(session, name="Alpha Resellers", tier=tiers.silver, manager=tiers.manager)
        w.beta = make_org(  # an MSP: no tier program covers it, yet it holds a tier
            session, name="Beta Systems", tier=tiers.registered, manager=tiers.other_manager, partner_type="msp"
        )
        w.a_admin, w.a_user = (
            make_user(session, Role.PARTNER_ADMIN, w.alpha),
            make_user(session, Role.PARTNER_USER, w.alpha),
        )
        w.b_admin = make_user(session, Role.PARTNER_ADMIN, w.beta)
        w.admin = make_user(session, Role.ADMIN)
        w.core, w.msp_only = (
            _course(session, "CORE"),
            _course(session, "MSP", audience=AudienceRule(partner_types=("msp",))),
        )
        w.draft = _course(session, "DRAFT", status="draft")
        cert = Certification(code="CORE-CERT", name="Core Certified")
        session.add(cert)
        session.flush()
        session.add(CertificationCourse(certification_id=cert.id, course_id=w.core))
        old = _certificate(session, w.a_user, cert, n="old", days_left=-5)
        w.alpha_certs = [_certificate(session, w.a_admin, cert), _certificate(session, w.a_user, cert)]
        session.get(Certificate, old).superseded_by_id = w.alpha_certs[1]  # a renewal replaced it: not listed
        w.beta_certs = [_certificate(session, w.b_admin, cert)]
        w.a_key = create_api_key(session, actor_for(w.a_admin), KeyInput("Alpha LMS", READS)).secret
        w.a_deals = create_api_key(session, actor_for(w.a_admin), KeyInput("Alpha deals", ("deals:read",))).secret
        w.b_key = create_api_key(session, actor_for(w.b_admin), KeyInput("Beta LMS", READS)).secret
        w.admin_key = create_api_key(session, actor_for(w.admin), KeyInput("Program", READS)).secret
        session.commit()
    return w


def client(key: str) -> TestClient:
    c = TestClient(build_api())
    c.headers["Authorization"] = f"Bearer {key}"
    return c


def ids(response) -> list[int]:
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["data"]]


def test_a_partner_key_sees_the_catalogue_it_would_see_and_a_program_key_every_course(world):
    alpha = client(world.a_key).get("/api/v1/courses").json()
    assert [c["id"] for c in alpha["data"]] == [world.core]  # not the MSP course, not the draft
    assert alpha["data"][0]["certifications"] == [{"code": "CORE-CERT", "name": "Core Certified"}]
    assert alpha["data"][0]["status"] == "published" and alpha["next_cursor"] is None
    assert ids(client(world.admin_key).get("/api/v1/courses")) == [world.core, world.msp_only, world.draft]


def test_certificates_are_those_of_the_keys_people_and_another_partners_are_absent(world):
    alpha = client(world.a_key).get("/api/v1/certificates").json()["data"]
    assert [c["id"] for c in alpha] == world.alpha_certs
    assert {c["organization_id"] for c in alpha} == {world.alpha.id}
    assert alpha[0]["certification"] == "Core Certified" and alpha[0]["status"] == "valid"
    assert alpha[0]["verification_url"].endswith(f"/verify/{alpha[0]['verification_code']}")
    assert ids(client(world.b_key).get("/api/v1/certificates")) == world.beta_certs
    assert ids(client(world.admin_key).get("/api/v1/certificates")) == [*world.alpha_certs, *world.beta_certs]


def test_a_channel_manager_reads_the_certificates_of_their_book_and_a_partner_user_none(world):
    with Session(world.engine) as session:
        mine = list_certificates(session, actor_for(world.tiers.manager), 0, 50)
        assert [c.id for c in mine.data] == world.alpha_certs
        theirs = list_certificates(session, actor_for(world.tiers.other_manager), 0, 50)
        assert [c.id for c in theirs.data] == world.beta_certs
        with pytest.raises(PermissionDenied):  # the team's certificates are the partner admin's page
            list_certificates(session, actor_for(world.a_user), 0, 50)
        assert [c.id for c in list_courses(session, actor_for(world.a_user), 0, 50).data] == [world.core]


def test_certificates_page_in_id_order_and_updated_since_keeps_what_changed(world):
    admin, seen, cursor = client(world.admin_key), [], ""
    while True:
        page = admin.get("/api/v1/certificates", params={"limit": 2, "cursor": cursor}).json()
        assert len(page["data"]) <= 2
        seen += [c["id"] for c in page["data"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == [*world.alpha_certs, *world.beta_certs]
    since = utcnow()
    time.sleep(0.01)
    with Session(world.engine) as session:
        revoke_certificate(session, actor_for(world.admin), world.beta_certs[0])
        session.commit()
    changed = admin.get("/api/v1/certificates", params={"updated_since": since.isoformat()}).json()["data"]
    assert [c["id"] for c in changed] == world.beta_certs and changed[0]["status"] == "revoked"
    later = {"updated_since": (utcnow() + timedelta(hours=1)).isoformat()}
    assert ids(admin.get("/api/v1/courses", params=later)) == []


def test_tiers_show_the_partner_its_tier_and_the_program_every_requirement(world):
    alpha = {t["name"]: t for t in client(world.a_key).get("/api/v1/tiers").json()["data"]}
    assert [n for n, t in alpha.items() if t["current"]] == ["Silver"]
    assert alpha["Registered"]["requirements"] == alpha["Silver"]["requirements"] == []
    assert {r["metric"] for r in alpha["Gold"]["requirements"]} == {"revenue", "won_deals", "lead_acceptance"}
    assert {t["name"] for t in client(world.b_key).get("/api/v1/tiers").json()["data"] if t["current"]} == {
        "Registered"
    }
    program = {t["name"]: t for t in client(world.admin_key).get("/api/v1/tiers").json()["data"]}
    assert {t["current"] for t in program.values()} == {None}
    assert [(r["program"], r["metric"], r["threshold"]) for r in program["Silver"]["requirements"]] == [
        ("Resellers", "revenue", "50000.00")
    ]
    assert len(program["Gold"]["requirements"]) == 3
    later = {"updated_since": (utcnow() + timedelta(hours=1)).isoformat()}
    assert ids(client(world.admin_key).get("/api/v1/tiers", params=later)) == []
    with Session(world.engine) as session:
        page = list_tiers(session, actor_for(world.admin), 0, 2)
        assert [t.name for t in page.data] == ["Registered", "Silver"] and page.next_cursor


def test_a_key_without_the_scope_is_refused_and_the_paths_are_documented(world):
    for path in ("/api/v1/courses", "/api/v1/certificates", "/api/v1/tiers"):
        refused = client(world.a_deals).get(path)
        assert refused.status_code == 403 and refused.headers["content-type"].startswith("application/problem+json")
    spec = TestClient(build_api()).get("/api/v1/openapi.json").json()
    assert {"/api/v1/courses", "/api/v1/certificates", "/api/v1/tiers"} <= set(spec["paths"])
