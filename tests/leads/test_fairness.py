"""The fairness report: per partner with a routing profile, over [since, until): leads offered against the monthly
capacity scaled to the period (never less than one month), how it answered (accepted, declined, expired), and
the average routing score of its offers. Checked number for number on a small hand-built history, and on the
history the routing and partner services write themselves.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import Session

from prm_app.leads.fairness import FairnessLine, fairness_report
from prm_app.leads.models import LeadEvent
from prm_app.leads.offers import accept_lead, decline_lead, recycle_overdue_leads
from prm_app.leads.ui.display import fairness_row
from prm_app.platform.access import Role
from prm_app.platform.errors import PermissionDenied
from prm_app.platform.settings import settings
from tests.factories import T0, actor_for, make_org, make_user
from tests.leads.factories import make_lead, make_lead_world, make_partner, make_queue, send

DAY = timedelta(days=1)
SINCE, UNTIL = T0 - 61 * DAY, T0  # 61 days = 2.007 months of 30.4 days


@pytest.fixture
def h(session: Session) -> SimpleNamespace:
    """Alpha (capacity 10/month), Beta (4), Gamma (0, takes no leads), and Outsider without a routing profile;
    one lead the history is about, and the vendor's and a partner's people."""
    h = SimpleNamespace()
    h.alpha = make_partner(session, "Alpha Partners", capacity=10, tier_rank=2)
    h.beta = make_partner(session, "Beta Partners", capacity=4)
    h.gamma = make_partner(session, "Gamma Partners", capacity=0, accepts_leads=False)
    h.outsider = make_org(session, name="Outsider Ltd")
    h.lead = make_lead(session, make_queue(session, "Americas", "US"), "Acme Retail")
    h.exec = actor_for(make_user(session, Role.EXEC))
    h.manager = actor_for(make_user(session, Role.CHANNEL_MANAGER))
    h.partner = actor_for(make_user(session, Role.PARTNER_ADMIN, h.alpha))
    session.commit()
    return h


def _log(session: Session, h: SimpleNamespace, partner, action: str, at: datetime, score: float | None = None):
    session.add(
        LeadEvent(lead_id=h.lead.id, partner_id=partner.id if partner else None, action=action, at=at, score=score)
    )


def _history(session: Session, h: SimpleNamespace) -> None:
    for at, score in ((SINCE, 50.0), (T0 - 10 * DAY, 60.5), (UNTIL - timedelta(seconds=1), 70.0)):
        _log(session, h, h.alpha, "offered", at, score)
    _log(session, h, h.alpha, "offered", SINCE - timedelta(seconds=1), 99.0)  # before the period
    _log(session, h, h.alpha, "offered", UNTIL, 1.0)  # the period ends before `until`
    _log(session, h, h.alpha, "accepted", SINCE - DAY)  # before the period
    _log(session, h, h.alpha, "accepted", T0 - 9 * DAY)
    _log(session, h, h.alpha, "declined", T0 - 8 * DAY)
    _log(session, h, h.alpha, "expired", T0 - 5 * DAY)
    _log(session, h, h.alpha, "returned", T0 - 5 * DAY)  # not an answer
    _log(session, h, h.alpha, "contacted", T0 - 4 * DAY)  # working a lead is not an answer either
    for n in range(6):
        _log(session, h, h.beta, "offered", T0 - (20 - n) * DAY, 80.0 if n < 3 else 81.0)
    _log(session, h, h.beta, "declined", T0 - 14 * DAY)
    _log(session, h, h.beta, "declined", T0 - 13 * DAY)
    for n in range(5):
        _log(session, h, h.outsider, "offered", T0 - (30 - n) * DAY, 90.0)  # no routing profile: not reported
    _log(session, h, None, "offered", T0 - 3 * DAY, 10.0)  # an event about no partner counts for nobody
    session.flush()


def _row(partner, offered, capacity, share, accepted, declined, expired, score) -> tuple:
    """A line as the page shows it: the share of capacity and the average score as displayed."""
    return (partner, offered, capacity, share, accepted, declined, expired, score)


def _shown(lines: list[FairnessLine]) -> list[tuple]:
    shown = [(line, fairness_row(line)) for line in lines]
    return [
        (n.partner, n.offered, n.capacity, row.share, n.accepted, n.declined, n.expired, row.score) for n, row in shown
    ]


def test_offers_answers_and_scores_per_partner_over_the_period(session, h):
    _history(session, h)

    assert _shown(fairness_report(session, h.exec, SINCE, UNTIL)) == [
        # 3 offers against 10 x 61 / 30.4 = 20; average score (50.0 + 60.5 + 70.0) / 3 = 60.17
        _row("Alpha Partners", 3, 20, "15%", 1, 1, 1, "60.2"),
        _row("Beta Partners", 6, 8, "75%", 0, 2, 0, "80.5"),
        _row("Gamma Partners", 0, 0, "—", 0, 0, 0, "—"),  # no capacity: no share to speak of
    ]


def test_a_period_shorter_than_a_month_is_measured_against_a_whole_months_capacity(session, h):
    _history(session, h)

    assert _shown(fairness_report(session, h.manager, T0 - 7 * DAY, UNTIL)) == [
        _row("Alpha Partners", 1, 10, "10%", 0, 0, 1, "70.0"),
        _row("Beta Partners", 0, 4, "0%", 0, 0, 0, "—"),
        _row("Gamma Partners", 0, 0, "—", 0, 0, 0, "—"),
    ]


def test_a_partner_with_no_history_is_listed_with_zeros(session, h):
    assert _shown(fairness_report(session, h.exec, SINCE, UNTIL)) == [
        _row("Alpha Partners", 0, 20, "0%", 0, 0, 0, "—"),
        _row("Beta Partners", 0, 8, "0%", 0, 0, 0, "—"),
        _row("Gamma Partners", 0, 0, "—", 0, 0, 0, "—"),
    ]


def test_partners_do_not_see_the_fairness_report(session, h):
    with pytest.raises(PermissionDenied):
        fairness_report(session, h.partner, SINCE, UNTIL)


def test_the_report_counts_what_routing_and_partners_did(session):
    """Through the services: a manager offers a lead to Northwind, which declines; the lead goes to Bluepeak,
    which lets it expire; the recycler offers it to Cobalt, which accepts. (Each partner gets one offer, scored
    at load 0.)"""
    w = make_lead_world(session)
    acme = make_lead(session, w.americas, "Acme Retail", vertical="retail")
    send(session, w.maya, w.americas, [acme], now=T0)
    decline_lead(session, w.nw, acme.id, "Not a fit", now=T0 + timedelta(hours=1))
    recycled_at = T0 + timedelta(hours=1 + settings.lead_accept_hours)
    assert recycle_overdue_leads(session, now=recycled_at).expired == 1
    accept_lead(session, w.cb, acme.id, now=recycled_at + timedelta(minutes=30))
    assert (acme.status, acme.partner_id) == ("accepted", w.cobalt.id)

    since, until = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)

    # 36,525 days = 1201.48 months of 30.4 days: capacity 5 -> 6007, 10 -> 12015, 3 -> 3604, 4 -> 4806, 2 -> 2403
    assert _shown(fairness_report(session, w.exec, since, until)) == [
        _row("Bluepeak Resellers", 1, 6007, "0%", 0, 0, 1, "50.0"),
        _row("Cobalt Systems", 1, 6007, "0%", 1, 0, 0, "45.0"),
        _row("Dormant Partners", 0, 12015, "0%", 0, 0, 0, "—"),
        _row("Harbor Tech", 0, 3604, "0%", 0, 0, 0, "—"),
        _row("Lisboa Digital", 0, 4806, "0%", 0, 0, 0, "—"),
        _row("Northwind Distribution", 1, 2403, "0%", 0, 1, 0, "75.0"),
    ]
