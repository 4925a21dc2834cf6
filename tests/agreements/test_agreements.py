"""Agreement use cases on SQLite and PostgreSQL: publishing immutable versions, what each organization owes, the
gate, signing with its evidence, and who may read which signed copy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from prm_app.agreements import (
    agreement_gate,
    list_templates,
    my_agreements,
    pending_agreements,
    publish_version,
    save_template,
    sign_agreement,
    signed_copy,
    template_detail,
)
from prm_app.agreements.models import AgreementSignature, AgreementVersion, ImmutableVersion
from prm_app.agreements.pdf import signed_copy_pdf
from prm_app.agreements.rules import sha256_of
from prm_app.notifications.models import Notification
from prm_app.platform import audit
from prm_app.platform.access import Role
from prm_app.platform.audit import reacts_to
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import FormInvalid, NotFound, PermissionDenied, ValidationError
from prm_app.platform.models import EngagementEvent
from tests.factories import T0, actor_for, make_org, make_user

BODY = "# Agreement\n\nBetween us and {{company_name}}.\n\nNotice: 30 days.\n\nSigned by {{signer_name}} on {{date}}."


def _world(session: Session):
    manager = make_user(session, Role.CHANNEL_MANAGER, full_name="Maya Okafor")
    org = make_org(
        session, name="Fjord Managed IT", partner_type="msp", manager=manager, joined_at=T0 - timedelta(days=90)
    )
    admin = make_user(session, Role.PARTNER_ADMIN, org, full_name="Ingrid Berg")
    user = make_user(session, Role.PARTNER_USER, org, full_name="Ola Hansen")
    return manager, org, admin, user


def _publish(
    session,
    manager,
    body=BODY,
    *,
    name="Partner Program Agreement",
    types=(),
    requires=True,
    grace=0,
    at=T0,
    template_id=None,
):
    tid = save_template(session, actor_for(manager), template_id, name=name, body=body, partner_types=types, now=at)
    vid = publish_version(session, actor_for(manager), tid, requires_acceptance=requires, grace_days=grace, now=at)
    return tid, vid


def _sign(session, admin, version_id, at, name=None, **kw):
    view = my_agreements(session, actor_for(admin, ip="203.0.113.7"), now=at)
    item = next(t for t in view.to_sign if t.pending.version_id == version_id)
    return sign_agreement(
        session,
        actor_for(admin, ip="203.0.113.7"),
        version_id,
        typed_name=name or admin.full_name,
        agreed=True,
        shown_sha256=item.text_sha256,
        user_agent="Test browser",
        now=at,
        **kw,
    )


def test_publishing_numbers_versions_keeps_them_immutable_and_needs_a_change(session):
    manager, *_ = _world(session)
    tid, v1 = _publish(session, manager, requires=False)
    version = session.get(AgreementVersion, v1)
    assert (version.number, version.requires_acceptance, version.body_sha256) == (1, True, sha256_of(BODY))
    with pytest.raises(FormInvalid) as same:
        publish_version(session, actor_for(manager), tid, requires_acceptance=True, now=T0)
    assert "publish" in same.value.errors
    version.body = "changed behind everyone's back"
    with pytest.raises(ImmutableVersion):
        session.flush()
    session.rollback()


def test_only_managers_edit_and_publish_and_merge_fields_are_checked(session):
    manager, _org, admin, _user = _world(session)
    with pytest.raises(PermissionDenied):
        save_template(session, actor_for(admin), None, name="Mine", body="x")
    with pytest.raises(FormInvalid) as bad:
        save_template(session, actor_for(manager), None, name="A", body="Hi {{ceo}}", partner_types=["alien"])
    assert set(bad.value.errors) == {"body", "partner_types"}


def test_what_an_organization_owes_follows_type_region_and_signatures(session):
    manager, org, admin, _user = _world(session)
    other = make_org(session, partner_type="var", region="APAC")
    _, v1 = _publish(session, manager, at=T0)
    _, addendum = _publish(session, manager, name="MSP Addendum", types=["msp"], at=T0)
    assert {p.version_id for p in pending_agreements(session, org.id)} == {v1, addendum}
    assert [p.version_id for p in pending_agreements(session, other.id)] == [v1]
    assert agreement_gate(session, org.id, now=T0 + timedelta(minutes=1)).held
    _sign(session, admin, v1, T0 + timedelta(hours=1))
    _sign(session, admin, addendum, T0 + timedelta(hours=1))
    assert pending_agreements(session, org.id) == []
    assert not agreement_gate(session, org.id, now=T0 + timedelta(days=1)).held


def test_signing_keeps_the_evidence_records_the_event_and_never_signs_twice(session):
    manager, org, admin, _user = _world(session)
    _, v1 = _publish(session, manager)
    seen = []
    reaction = reacts_to("agreement_signed")(lambda _s, event: seen.append((event.organization_id, event.subject_id)))
    at = T0 + timedelta(hours=2)
    try:
        first = _sign(session, admin, v1, at, name="  ingrid   BERG ")
    finally:
        audit._REACTIONS["agreement_signed"].remove(reaction)  # registered for this test only
    again = sign_agreement(
        session, actor_for(admin), v1, typed_name="Ingrid Berg", agreed=True, shown_sha256="whatever", now=at
    )
    assert again == first  # a double submit: the same signature, no second one
    row = session.get(AgreementSignature, first)
    assert (row.organization_id, row.user_id, row.typed_name, row.ip, row.user_agent) == (
        org.id,
        admin.id,
        "ingrid BERG",
        "203.0.113.7",
        "Test browser",
    )
    assert "Between us and Fjord Managed IT." in row.text and "Signed by Ingrid Berg on 15 January 2030." in row.text
    assert row.text_sha256 == sha256_of(row.text) and row.signed_at == at
    events = session.exec(select(EngagementEvent).where(EngagementEvent.kind == "agreement_signed")).all()
    assert [(e.organization_id, e.subject_type, e.subject_id) for e in events] == [(org.id, "agreement_version", v1)]
    assert (org.id, v1) in seen


def test_a_wrong_name_no_consent_or_a_changed_text_sign_nothing(session):
    manager, _org, admin, user = _world(session)
    _, v1 = _publish(session, manager)
    view = my_agreements(session, actor_for(admin), now=T0)
    digest = view.to_sign[0].text_sha256
    with pytest.raises(FormInvalid) as wrong:
        sign_agreement(
            session, actor_for(admin), v1, typed_name="Ingrid Bergman", agreed=False, shown_sha256=digest, now=T0
        )
    assert set(wrong.value.errors) == {"full_name", "agree"}
    with pytest.raises(ValidationError):  # the date in the text moved on: read it again
        sign_agreement(
            session,
            actor_for(admin),
            v1,
            typed_name="Ingrid Berg",
            agreed=True,
            shown_sha256=digest,
            now=T0 + timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):
        sign_agreement(session, actor_for(user), v1, typed_name="Ola Hansen", agreed=True, shown_sha256=digest, now=T0)
    assert session.exec(select(AgreementSignature)).all() == []
    colleague = my_agreements(session, actor_for(user), now=T0)
    assert not colleague.can_sign and colleague.signers == ("Ingrid Berg",)
    assert colleague.to_sign[0].text == "" and colleague.to_sign[0].changes == ()


def test_partners_who_must_sign_are_told_and_signing_closes_the_notice(session):
    manager, org, admin, _user = _world(session)
    elsewhere = make_org(session, partner_type="var")
    tid, v1 = _publish(session, manager, name="MSP Addendum", types=["msp"])
    notices = session.exec(select(Notification).where(Notification.kind == "agreement_to_sign")).all()
    assert [(n.organization_id, n.link, n.subject_id) for n in notices] == [(org.id, "/agreement", v1)]
    assert "MSP Addendum, version 1" in notices[0].message and elsewhere.id != org.id
    _sign(session, admin, v1, T0 + timedelta(hours=1))
    session.flush()
    assert session.get(Notification, notices[0].id).resolved_at is not None
    _publish(session, manager, BODY + "\n\nMore.", name="MSP Addendum", types=["msp"], requires=False, template_id=tid)
    assert len(session.exec(select(Notification)).all()) == 1  # no re-acceptance: nobody is asked again


def test_reacceptance_shows_what_changed_and_holds_only_after_the_grace_period(session):
    manager, org, admin, _user = _world(session)
    tid, v1 = _publish(session, manager)
    _sign(session, admin, v1, T0 + timedelta(hours=1))
    later = T0 + timedelta(days=10)
    _, _v2 = _publish(
        session, manager, BODY.replace("30 days", "60 days"), requires=True, grace=7, at=later, template_id=tid
    )
    gate = agreement_gate(session, org.id, now=later + timedelta(days=6))
    assert not gate.held and gate.due_at == later + timedelta(days=7)
    assert agreement_gate(session, org.id, now=later + timedelta(days=7)).held
    item = my_agreements(session, actor_for(admin), now=later).to_sign[0]
    assert item.pending.is_reacceptance and item.pending.signed_number == 1
    kinds = {(s.kind, s.text) for s in item.changes}
    assert ("removed", "30") in kinds and ("added", "60") in kinds  # the date and signer are not "changes"


def test_signed_copies_are_scoped_and_render_as_pdf(session):
    manager, org, admin, user = _world(session)
    stranger_manager = make_user(session, Role.CHANNEL_MANAGER)
    vendor_admin = make_user(session, Role.ADMIN)
    foreign_admin = make_user(session, Role.PARTNER_ADMIN)
    tid, v1 = _publish(session, manager)
    sid = _sign(session, admin, v1, T0 + timedelta(hours=1))
    for reader in (user, manager, vendor_admin):
        assert signed_copy(session, actor_for(reader), sid).typed_name == "Ingrid Berg"
    for outsider in (foreign_admin, stranger_manager):
        with pytest.raises(NotFound):
            signed_copy(session, actor_for(outsider), sid)
    pdf = signed_copy_pdf(signed_copy(session, actor_for(user), sid))
    assert pdf.startswith(b"%PDF") and b"Signed by Ingrid Berg" in pdf
    detail = template_detail(session, actor_for(manager), tid)
    assert [(s.organization, s.version_number, s.ip) for s in detail.signatures] == [(org.name, 1, "203.0.113.7")]
    assert (detail.partners, detail.up_to_date) == (1, 1)  # the manager's book: Fjord
    everyone = template_detail(session, actor_for(vendor_admin), tid)
    assert (everyone.partners, everyone.up_to_date) == (2, 1)  # and the foreign admin's organization, unsigned
    assert template_detail(session, actor_for(stranger_manager), tid).signatures == ()
    assert [t.signatures for t in list_templates(session, actor_for(vendor_admin))] == [1]
    with pytest.raises(PermissionDenied):
        template_detail(session, actor_for(user), tid)


def test_who_must_sign_follows_the_published_versions_not_the_draft(session):
    manager = make_user(session, Role.CHANNEL_MANAGER)
    long_ago = utcnow() - timedelta(days=400)
    apac, emea = (
        make_org(session, region="APAC", joined_at=long_ago),
        make_org(session, region="EMEA", joined_at=long_ago),
    )
    m = actor_for(manager)
    tid = save_template(session, m, None, name="APAC addendum", body="Hello {{company_name}}", regions=["APAC"])
    publish_version(session, m, tid, requires_acceptance=True, grace_days=30, now=utcnow() - timedelta(days=60))
    assert agreement_gate(session, apac.id).held and not agreement_gate(session, emea.id).held
    # The draft widened to EMEA holds nobody there: nothing is published yet.
    save_template(session, m, tid, name="APAC addendum", body="Hello {{company_name}}!", regions=["APAC", "EMEA"])
    assert pending_agreements(session, emea.id) == []
    # Published, EMEA partners owe it within its grace period, and are told.
    published = utcnow()
    v2 = publish_version(session, m, tid, requires_acceptance=False, grace_days=14, now=published)
    (owed,) = pending_agreements(session, emea.id)
    assert owed.version_id == v2 and owed.due_at == published + timedelta(days=14)
    assert not agreement_gate(session, emea.id).held
    told = session.exec(select(Notification.organization_id).where(Notification.kind == "agreement_to_sign")).all()
    assert emea.id in told
