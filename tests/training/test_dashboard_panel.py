"""Training's dashboard panel on SQLite and PostgreSQL: certified headcount (live certificates today) per
certification, issued certificates and course completions in the period, certificates expiring within 60 days;
all for the partners the filters select (people count for the partner they belong to now)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from prm_app.partners import Filters, Organization, Tier
from prm_app.training.dashboard_panel import training_panel
from prm_app.training.models import Certificate, Certification, Course, Enrollment
from tests.factories import make_org, make_tier, make_user

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
LAST_30 = Filters.last_days(30, NOW)


def _cert(session: Session, user, certification: Certification, issued: datetime, **kw) -> Certificate:
    row = Certificate(
        code=f"c{user.id}x{certification.id}x{issued:%j}x{len(kw)}",
        user_id=user.id,
        certification_id=certification.id,
        holder_name=user.full_name,
        issued_at=issued,
        expires_at=kw.pop("expires_at", issued + timedelta(days=720)),
        **kw,
    )
    session.add(row)
    session.flush()
    return row


def _world(session: Session):
    tier = make_tier(session)
    emea, apac = make_org(session, tier=tier, region="EMEA"), make_org(session, tier=tier, region="APAC")
    sec = Certification(code="SEC", name="Security Suite Certified")
    net = Certification(code="NET", name="Networking Associate")
    course = Course(code="C1", title="Basics")
    session.add_all([sec, net, course])
    session.flush()
    a, b, c = (make_user(session, org=emea) for _ in range(3))
    d = make_user(session, org=apac)
    _cert(session, a, sec, NOW - timedelta(days=400))  # live, issued before the period
    _cert(session, b, sec, NOW - timedelta(days=5), expires_at=NOW + timedelta(days=30))  # live, expiring soon
    _cert(session, c, sec, NOW - timedelta(days=800), expires_at=NOW - timedelta(days=1))  # expired
    _cert(session, c, net, NOW - timedelta(days=3), revoked_at=NOW - timedelta(days=1))  # revoked (issued in period)
    _cert(session, d, net, NOW - timedelta(days=10))  # APAC, live, issued in period
    session.add_all(
        [
            Enrollment(user_id=a.id, course_id=course.id, completed_at=NOW - timedelta(days=2)),
            Enrollment(user_id=b.id, course_id=course.id, completed_at=NOW - timedelta(days=60)),  # before
            Enrollment(user_id=d.id, course_id=course.id, completed_at=NOW - timedelta(days=1)),
            Enrollment(user_id=c.id, course_id=course.id),  # not completed
        ]
    )
    session.flush()
    return emea, apac


def _facts(panel) -> dict[str, str]:
    return {f.label: f.value for f in panel.facts}


def test_headcount_is_live_today_and_the_period_counts_issues_and_completions(session: Session):
    _world(session)
    panel = training_panel(session, LAST_30, NOW)
    assert panel is not None and panel.key == "training"
    assert _facts(panel) == {
        "Certified people": "3",  # a and b (SEC), d (NET); c's are expired and revoked
        "Certificates issued": "3",  # b, c's revoked one and d in the last 30 days
        "Course completions": "2",
        "Certificates expiring soon": "1",
    }
    bars, by_tier = panel.bars
    assert dict(zip(bars.labels, bars.values, strict=True)) == {
        "Networking Associate": 1.0,
        "Security Suite Certified": 2.0,
    }
    assert panel.tables[0].rows == (("Networking Associate", "1", "0"), ("Security Suite Certified", "2", "1"))
    # by partner (most certified first, with its tier and region; a manager's book keeps its own rows) and by tier
    emea, apac = session.exec(select(Organization).order_by(col(Organization.id))).all()
    tier = session.get(Tier, emea.tier_id)
    assert panel.tables[1].rows == ((emea.name, tier.name, "EMEA", "2"), (apac.name, tier.name, "APAC", "1"))
    assert panel.tables[1].partners == (emea.id, apac.id)
    assert (by_tier.labels, by_tier.values) == ((tier.name,), (3.0,))
    assert "as of today" in panel.note


def test_the_partner_filters_and_the_period_narrow_it(session: Session):
    emea, _apac = _world(session)
    apac_only = training_panel(session, Filters.last_days(30, NOW, region="APAC"), NOW)
    assert apac_only is not None
    assert _facts(apac_only)["Certified people"] == "1"
    assert _facts(apac_only)["Course completions"] == "1"
    assert dict(zip(apac_only.bars[0].labels, apac_only.bars[0].values, strict=True))["Security Suite Certified"] == 0
    by_tier = training_panel(session, Filters.last_days(30, NOW, tier_id=emea.tier_id + 999), NOW)
    assert by_tier is not None and _facts(by_tier)["Certified people"] == "0"
    longer = training_panel(session, Filters.last_days(90, NOW), NOW)
    assert longer is not None and _facts(longer)["Course completions"] == "3"


def test_a_person_counts_for_the_partner_they_belong_to_now(session: Session):
    emea, apac = _world(session)
    mover = make_user(session, org=emea)
    sec = session.exec(select(Certification).where(Certification.code == "SEC")).one()
    _cert(session, mover, sec, NOW - timedelta(days=100))
    mover.organization_id = apac.id
    session.flush()
    apac_only = training_panel(session, Filters.last_days(30, NOW, region="APAC"), NOW)
    assert apac_only is not None and _facts(apac_only)["Certified people"] == "2"


def test_no_certification_means_no_panel(session: Session):
    make_org(session)
    assert training_panel(session, LAST_30, NOW) is None
