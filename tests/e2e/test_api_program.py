"""The REST API's program reads against the running app and its demo data: a partner admin creates a key for
training and tiers in the browser, and it reads the courses its catalogue shows, its own people's certificates and
its tier; an administrator's key reads every course, every partner's certificates and every program's criteria.
The OpenAPI document lists the three paths."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Page, expect
from sqlmodel import col, select

from tests.e2e.conftest import BASE_URL, actor_of, live_goto, log_in
from tests.e2e.test_api_keys import ADMIN, PARTNER_ADMIN, api, create_key

SCOPE_LABELS = ["Read training courses and certificates", "Read tiers and their requirements"]


def every(client: httpx.Client, path: str) -> list[dict[str, Any]]:
    """Every row of a list, following `next_cursor` page by page."""
    rows: list[dict[str, Any]] = []
    cursor = ""
    while True:
        answer = client.get(path, params={"limit": 100, "cursor": cursor})
        assert answer.status_code == 200, answer.text
        rows += answer.json()["data"]
        if not (cursor := answer.json()["next_cursor"]):
            return rows


def test_partner_and_program_keys_read_courses_certificates_and_tiers_in_their_reach(browser, app_db):
    from prm_app.identity import User
    from prm_app.integrations import KeyInput, create_api_key
    from prm_app.partners import Organization, Tier
    from prm_app.training import Certificate, Course

    partner = browser.new_context(base_url=BASE_URL)
    p = live_goto(partner.new_page())
    log_in(p, PARTNER_ADMIN, expect_path="/portal")
    partner_key = create_key(p, "/portal/api-keys", "LMS sync", SCOPE_LABELS)  # the portal's form offers both
    partner.close()
    with app_db() as session:
        admin_key = create_api_key(
            session, actor_of(session, ADMIN), KeyInput("BI training", ("training:read", "tiers:read"))
        ).secret
        org_id = session.exec(select(User.organization_id).where(User.email == PARTNER_ADMIN)).one()
        org_tier = session.exec(
            select(Tier.name).join(Organization, col(Organization.tier_id) == Tier.id).where(Organization.id == org_id)
        ).one()
        specialist = session.exec(select(Course.id).where(col(Course.audience).contains("system_integrator"))).one()
        cert_orgs = dict(
            session.exec(
                select(Certificate.id, User.organization_id)
                .join(User, col(User.id) == Certificate.user_id)
                .where(col(Certificate.superseded_by_id).is_(None), col(User.organization_id).is_not(None))
            ).all()
        )
        session.commit()
    assert len(set(cert_orgs.values())) > 1  # the demo certifies several partners' people

    with api(partner_key) as mine, api(admin_key) as program:
        courses, all_courses = every(mine, "/courses"), every(program, "/courses")
        assert courses and {c["status"] for c in courses} == {"published"}
        assert {c["id"] for c in courses} < {c["id"] for c in all_courses}
        assert specialist in {c["id"] for c in all_courses} - {c["id"] for c in courses}  # an MSP/SI course

        own = every(mine, "/certificates")
        assert [c["id"] for c in own] == sorted(i for i, o in cert_orgs.items() if o == org_id)
        assert {c["organization_id"] for c in own} == {org_id}
        assert all(c["verification_url"].endswith("/verify/" + c["verification_code"]) for c in own)
        assert [c["id"] for c in every(program, "/certificates")] == sorted(cert_orgs)

        tiers = every(mine, "/tiers")
        assert [t["name"] for t in tiers if t["current"]] == [org_tier]
        program_tiers = every(program, "/tiers")
        assert {t["current"] for t in program_tiers} == {None}
        assert any(t["requirements"] for t in program_tiers)

        refused = mine.get("/deals")  # not one of this key's scopes
        assert refused.status_code == 403 and refused.headers["content-type"].startswith("application/problem+json")

    spec = httpx.get(f"{BASE_URL}/api/v1/openapi.json", timeout=15).json()
    assert {"/api/v1/courses", "/api/v1/certificates", "/api/v1/tiers"} <= set(spec["paths"])


def test_the_key_form_offers_the_training_and_tier_scopes_to_an_administrator(page: Page):
    log_in(page, ADMIN, expect_path="/partners")
    page.goto("/api-keys")
    for label in SCOPE_LABELS:
        expect(page.get_by_label(label)).to_be_visible()
