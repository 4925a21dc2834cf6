"""Notices are emailed from one place (notifications.notify), in the transaction of the change they announce: to
each active partner user of the organization who wants that event by email, with absolute links, plain text and
HTML; reminders are written once per offer however often, or by however many consumers, the job runs."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import Session, select

from prm_app.deals.review import approve_deal, expire_deals, reject_deal, request_more_info
from prm_app.leads import remind_expiring_offers
from prm_app.leads.offer_reminders import REMIND_AHEAD, reminder_due
from prm_app.leads.offers import accept_lead, decline_lead
from prm_app.mail.models import OutboxMessage
from prm_app.notifications import NoticeState, list_notices, notify, set_email_choices
from prm_app.notifications.models import Notification
from prm_app.nps import launch_survey
from prm_app.platform.access import Role
from prm_app.platform.settings import settings
from tests.deals.factories import make_world, register
from tests.factories import T0, actor_for, make_org, make_user
from tests.leads.factories import make_lead, make_lead_world, send


def _mail(session: Session, kind: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return list(session.exec(query).all())


def _to(session: Session, kind: str) -> list[str]:
    return sorted(m.to_address for m in _mail(session, kind))


def _address(session: Session, actor) -> str:
    from prm_app.identity import User

    user = session.get(User, actor.user_id)
    assert user is not None
    return user.email


@pytest.fixture
def dw(session: Session) -> SimpleNamespace:
    """make_world's Alpha (an admin and a user) and Beta (a user), plus an Alpha colleague who left (deactivated)."""
    w = make_world(session)
    w.gone = make_user(session, Role.PARTNER_USER, w.alpha, is_active=False)
    session.commit()
    return w


# -- who gets it ---------------------------------------------------------------------------------------------------
def test_an_approval_emails_the_organizations_active_people_with_plain_text_html_and_absolute_links(session, dw):
    deal_id = register(session, dw.a, dw.products, customer_name="Hooli <b>XYZ</b>")
    session.commit()
    assert _mail(session, "deal_approved") == []
    approve_deal(session, dw.manager, deal_id, now=T0)
    session.commit()

    assert _to(session, "deal_approved") == sorted([_address(session, dw.a), _address(session, dw.a2)])
    mail = _mail(session, "deal_approved")[0]
    origin = settings.app_origin.rstrip("/")
    assert mail.subject.startswith("Registration for Hooli <b>XYZ</b> approved: protected until ")
    assert f"{origin}/deals/{deal_id}" in mail.text_body
    assert f"{origin}/account/notifications" in mail.text_body
    assert f'href="{origin}/deals/{deal_id}"' in mail.html_body
    assert "Hooli &lt;b&gt;XYZ&lt;/b&gt;" in mail.html_body and "<b>XYZ" not in mail.html_body
    assert mail.status == "queued"


def test_nobody_outside_the_organization_nor_a_deactivated_colleague_is_emailed(session, dw):
    deal_id = register(session, dw.b, dw.products, customer_name="Initech")
    session.commit()
    reject_deal(session, dw.manager, deal_id, "Direct account", now=T0)
    session.commit()
    assert _to(session, "deal_rejected") == [_address(session, dw.b)]
    everyone = {m.to_address for m in _mail(session)}
    assert _address(session, dw.a) not in everyone
    assert dw.gone.email not in everyone


def test_a_person_who_chose_in_app_only_gets_the_notice_but_no_email(session, dw):
    set_email_choices(session, dw.a2, ["deal_approved"])  # everything but "more info asked" and the rest
    session.commit()
    deal_id = register(session, dw.a, dw.products)
    session.commit()
    request_more_info(session, dw.manager, deal_id, "Which site?")
    session.commit()
    assert _to(session, "deal_info_requested") == [_address(session, dw.a)]
    # Both still see it in the app.
    for person in (dw.a, dw.a2):
        assert list_notices(session, person).rows[0].message.startswith("More information needed")


def test_a_rolled_back_change_emails_nobody(session, dw):
    deal_id = register(session, dw.a, dw.products)
    session.commit()
    reject_deal(session, dw.manager, deal_id, "Duplicate", now=T0)
    session.rollback()
    assert _mail(session, "deal_rejected") == []


def test_an_in_app_only_kind_is_never_emailed(session, dw):
    notify(session, dw.alpha.id, "something_internal", "Only in the app", "/portal")
    session.commit()
    assert _mail(session) == []
    assert list_notices(session, dw.a).rows[0].message == "Only in the app"


def test_a_notice_without_a_link_points_the_email_at_the_notifications_page(session, dw):
    notify(session, dw.beta.id, "deal_expired", "Ended", "")
    set_email_choices(session, dw.b, ["deal_expired"])
    notify(session, dw.beta.id, "deal_expired", "Ended, link to another site", "https://evil.example/x")
    session.commit()
    (mail,) = _mail(session, "deal_expired")  # off by default: only the second, after the person turned it on
    assert f"{settings.app_origin.rstrip('/')}/portal/notifications" in mail.text_body
    assert "evil.example" not in mail.text_body


# -- every event of the brief --------------------------------------------------------------------------------------
def test_protection_ending_soon_is_emailed_once(session, dw):
    deal_id = register(session, dw.b, dw.products)
    session.commit()
    ends = approve_deal(session, dw.manager, deal_id, now=T0)
    session.commit()
    soon = ends - timedelta(days=settings.expiry_notice_days - 1)
    assert expire_deals(session, now=soon).notified == 1
    assert expire_deals(session, now=soon + timedelta(minutes=5)).notified == 0
    session.commit()
    assert _to(session, "protection_ending") == [_address(session, dw.b)]


def test_a_launched_survey_is_emailed_to_every_partner_person(session, dw):
    launch_survey(
        session,
        dw.manager,
        title="Q1 pulse",
        question="How likely…?",
        opens_at=T0,
        closes_at=T0 + timedelta(days=14),
        now=T0,
    )
    session.commit()
    expected = sorted(_address(session, p) for p in (dw.a, dw.a2, dw.b))
    assert _to(session, "nps_survey") == expected
    assert all("/portal/survey/" in m.text_body for m in _mail(session, "nps_survey"))


# -- leads: offered, and about to expire ---------------------------------------------------------------------------
@pytest.fixture
def offered(session: Session) -> SimpleNamespace:
    """Acme Retail offered to Northwind at T0 (tests/leads/factories.py's world), Northwind with a second person."""
    lw = make_lead_world(session)
    lw.nw2 = actor_for(make_user(session, Role.PARTNER_USER, lw.northwind))
    lw.acme = make_lead(session, lw.americas, "Acme Retail", vertical="retail", products=[lw.core], city="Detroit")
    send(session, lw.maya, lw.americas, [lw.acme], now=T0)
    session.commit()
    lw.deadline = T0 + timedelta(hours=settings.lead_accept_hours)
    return lw


def _reminders(session: Session) -> list[Notification]:
    return list(session.exec(select(Notification).where(Notification.kind == "lead_offer_expiring")).all())


def test_an_offered_lead_is_emailed_to_the_partners_people(session, offered):
    assert _to(session, "lead_offered") == sorted([_address(session, offered.nw), _address(session, offered.nw2)])
    assert f"/leads/{offered.acme.id}" in _mail(session, "lead_offered")[0].text_body


def test_an_offer_about_to_expire_is_reminded_once_per_offer(session, offered):
    early = offered.deadline - REMIND_AHEAD - timedelta(minutes=1)
    assert remind_expiring_offers(session, now=early).reminded == 0
    soon = offered.deadline - timedelta(hours=1)
    assert remind_expiring_offers(session, now=soon).reminded == 1
    session.commit()
    assert remind_expiring_offers(session, now=soon + timedelta(minutes=5)).reminded == 0  # the next run
    session.commit()
    (reminder,) = _reminders(session)
    assert (reminder.organization_id, reminder.subject_id) == (offered.northwind.id, offered.acme.id)
    people = sorted([_address(session, offered.nw), _address(session, offered.nw2)])
    assert _to(session, "lead_offer_expiring") == people


def test_two_consumers_racing_on_one_reminder_write_it_once(session, engine, offered):
    """Each consumer read the offer as due; the second writes after the first committed: nothing again."""
    soon = offered.deadline - timedelta(hours=1)
    with Session(engine, expire_on_commit=False) as other:
        assert remind_expiring_offers(other, now=soon).reminded == 1
        other.commit()
    assert remind_expiring_offers(session, now=soon).reminded == 0
    session.commit()
    assert len(_reminders(session)) == 1
    assert len(_mail(session, "lead_offer_expiring")) == 2  # one per person


def test_answering_the_offer_closes_its_reminder_and_a_new_offer_gets_its_own(session, offered):
    soon = offered.deadline - timedelta(hours=1)
    remind_expiring_offers(session, now=soon)
    session.commit()
    decline_lead(session, offered.nw, offered.acme.id, "No capacity", now=soon)
    session.commit()
    (first,) = _reminders(session)
    assert first.resolved_at == soon
    # The lead moved on to Bluepeak, with a fresh deadline: its offer is reminded in its turn.
    later = soon + timedelta(hours=settings.lead_accept_hours) - timedelta(minutes=30)
    assert remind_expiring_offers(session, now=later).reminded == 1
    session.commit()
    accept_lead(session, offered.bp, offered.acme.id, now=later)
    session.commit()
    states = {n.message[:30]: n.state for n in list_notices(session, offered.bp).rows}
    assert set(states.values()) == {NoticeState.DONE}


def test_reminder_timing():
    assert reminder_due(T0, T0 + timedelta(hours=48), T0 + timedelta(hours=45))  # 3 h left of 48
    assert not reminder_due(T0, T0 + timedelta(hours=48), T0 + timedelta(hours=43))  # 5 h left
    assert not reminder_due(T0, T0 + timedelta(hours=48), T0 + timedelta(hours=48))  # past: recycling's turn
    assert not reminder_due(T0, T0 + timedelta(hours=2), T0 + timedelta(minutes=30))  # a short offer: 1 h ahead
    assert reminder_due(T0, T0 + timedelta(hours=2), T0 + timedelta(minutes=61))


def test_vendor_people_and_other_organizations_get_no_lead_emails(session, offered):
    everyone = {m.to_address for m in _mail(session)}
    assert _address(session, offered.maya) not in everyone
    assert _address(session, offered.bp) not in everyone
    stranger = make_user(session, Role.PARTNER_USER, make_org(session))
    assert stranger.email not in everyone


# -- the sender checks again -----------------------------------------------------------------------------------------
class _Recorder:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, message) -> None:
        self.sent.append(message.to_address)


def test_a_person_who_left_before_the_email_went_out_gets_nothing(session, engine, dw):
    from prm_app.identity import User
    from prm_app.mail import MailStatus, send_due_mail
    from prm_app.notifications import still_members
    from prm_app.platform.db import session_scope

    notify(session, dw.alpha.id, "deal_approved", "Hooli approved", "/deals/1")
    session.commit()
    a, a2 = _address(session, dw.a), _address(session, dw.a2)
    assert _to(session, "deal_approved") == sorted([a, a2])
    # Before the job runs, one colleague is deactivated.
    left = session.get(User, dw.a2.user_id)
    left.is_active = False
    session.add(left)
    session.commit()

    transport = _Recorder()
    run = send_due_mail(lambda: session_scope(engine), transport, still_there=still_members)
    assert (run.sent, run.withdrawn) == (1, 1)
    assert transport.sent == [a]
    withdrawn = session.exec(select(OutboxMessage).where(OutboxMessage.to_address == a2)).one()
    session.refresh(withdrawn)
    assert withdrawn.status == MailStatus.WITHDRAWN and "no longer active" in withdrawn.last_error

    # Moved to another organization: withdrawn too, even though still active.
    notify(session, dw.alpha.id, "deal_approved", "Pied Piper approved", "/deals/2")
    session.commit()
    mover = session.get(User, dw.a.user_id)
    mover.organization_id = dw.beta.id
    session.add(mover)
    session.commit()
    run = send_due_mail(lambda: session_scope(engine), transport, still_there=still_members)
    assert (run.sent, run.withdrawn) == (0, 1)


# -- in each person's language -------------------------------------------------------------------------------------
def _speaks(session: Session, actor, language: str, zone: str = "") -> None:
    from prm_app.identity import User

    user = session.get(User, actor.user_id)
    assert user is not None
    user.language, user.time_zone = language, zone
    session.add(user)


def test_each_person_gets_the_notice_in_their_language_and_zone_and_the_app_keeps_english(session, dw):
    _speaks(session, dw.a, "de", "Europe/Berlin")  # dw.a2 has no language: English, UTC
    deal_id = register(session, dw.a, dw.products, customer_name="Hooli")
    session.commit()
    approve_deal(session, dw.manager, deal_id, now=T0)
    session.commit()

    by_address = {m.to_address: m for m in _mail(session, "deal_approved")}
    german, english = by_address[_address(session, dw.a)], by_address[_address(session, dw.a2)]
    assert german.subject.startswith("Registrierung für Hooli genehmigt: geschützt bis ")
    assert "Hallo " in german.text_body and "In Open PRM öffnen" in german.text_body
    assert "Registrierter Wert: 25.000,50\xa0$." in german.text_body  # the deal's 25,000.50 USD, as Germans write it
    assert '<html lang="de">' in german.html_body
    assert english.subject.startswith("Registration for Hooli approved: protected until ")
    assert " UTC. Registered value: " in english.text_body and "Open it in Open PRM" in english.text_body
    notice = list_notices(session, dw.a).rows[0]
    assert notice.message.startswith("Registration for Hooli approved")  # the app's notice stays as written


def test_a_lead_offer_reminder_reaches_a_french_reader_in_french(session, offered):
    _speaks(session, offered.nw2, "fr", "Europe/Paris")
    session.commit()
    remind_expiring_offers(session, now=offered.deadline - timedelta(hours=1))
    session.commit()
    by_address = {m.to_address: m for m in _mail(session, "lead_offer_expiring")}
    french = by_address[_address(session, offered.nw2)]
    assert french.subject.startswith("Le lead Acme Retail attend toujours votre réponse : l'offre expire le ")
    assert "Bonjour " in french.text_body and "puis il passera à un autre partenaire." in french.text_body
    assert by_address[_address(session, offered.nw)].subject.startswith("Lead Acme Retail is still waiting")
