"""Invitations are emailed from the outbox of the transaction that creates them; resending mails a new link."""

from __future__ import annotations

import pytest
from sqlmodel import select

from prm_app.mail.models import OutboxMessage
from prm_app.partners.team import (
    accept_invite,
    get_invite,
    invite_colleague,
    invite_link,
    invite_user,
    resend_invite,
)
from prm_app.platform.access import Role
from prm_app.platform.errors import NotFound, ValidationError
from tests.factories import actor_for, make_user


def _mails(session, to: str) -> list[OutboxMessage]:
    return list(session.exec(select(OutboxMessage).where(OutboxMessage.to_address == to)).all())


def test_an_invitation_is_emailed_with_its_link_and_a_resend_mails_a_new_one(session):
    admin = make_user(session, Role.PARTNER_ADMIN, full_name="Dana Scully")
    session.commit()
    created = invite_colleague(
        session, actor_for(admin), email="Casey@Example.com", full_name="Casey <b>Jones</b>", role="partner_user"
    )
    session.commit()
    (mail,) = _mails(session, "casey@example.com")
    assert mail.kind == "invitation" and mail.subject.startswith("Dana Scully invited you to ")
    assert invite_link(created.token) in mail.text_body and "as partner user" in mail.text_body
    assert "Casey &lt;b&gt;Jones&lt;/b&gt;" in mail.html_body

    again = resend_invite(session, actor_for(admin), created.invite_id)
    session.commit()
    assert len(_mails(session, "casey@example.com")) == 2
    assert invite_link(again.token) in _mails(session, "casey@example.com")[-1].text_body
    with pytest.raises(NotFound):  # the first link stopped working
        get_invite(session, created.token)
    accept_invite(session, again.token, "a-good-long-password", "a-good-long-password")
    session.commit()
    with pytest.raises(NotFound):  # nothing pending to resend any more
        resend_invite(session, actor_for(admin), again.invite_id)


def test_a_refused_invitation_emails_nobody(session):
    admin = make_user(session, Role.PARTNER_ADMIN)
    session.commit()
    with pytest.raises(ValidationError):
        invite_colleague(session, actor_for(admin), email="not-an-address", full_name="X", role="partner_user")
    session.rollback()
    assert session.exec(select(OutboxMessage)).all() == []


def test_nobody_resends_another_organizations_invitation(session):
    admin = make_user(session, Role.PARTNER_ADMIN)
    stranger = make_user(session, Role.PARTNER_ADMIN)
    colleague = make_user(session, Role.PARTNER_USER, org=None)
    session.commit()
    created = invite_colleague(session, actor_for(admin), email="c@example.com", full_name="C", role="partner_user")
    session.commit()
    for other in (stranger, colleague):
        with pytest.raises(NotFound):
            resend_invite(session, actor_for(other), created.invite_id)
    assert len(_mails(session, "c@example.com")) == 1


def test_an_invitation_and_its_resend_speak_the_inviting_teams_language(session):
    """A German partner admin's colleague is invited in German (the invitee has no account, so no language of their
    own yet); the resend too. The page it links to speaks the browser's language."""
    admin = make_user(session, Role.PARTNER_ADMIN, full_name="Jonas Weber")
    admin.language = "de"
    session.add(admin)
    session.commit()
    created = invite_colleague(
        session, actor_for(admin), email="lena@example.com", full_name="Lena", role="partner_admin"
    )
    session.commit()
    (mail,) = _mails(session, "lena@example.com")
    assert mail.subject.startswith("Jonas Weber hat Sie zu ")
    assert "als Partner-Administrator beizutreten." in mail.text_body and "Einladung annehmen" in mail.text_body
    resend_invite(session, actor_for(admin), created.invite_id)
    session.commit()
    assert _mails(session, "lena@example.com")[-1].subject.startswith("Jonas Weber hat Sie zu ")


def test_an_invitation_from_the_vendor_is_english_unless_the_invitee_chose_a_language(session):
    manager = make_user(session, Role.ADMIN, full_name="Vera Admin")
    manager.language = "fr"  # the vendor's people are not the partner's team: their language is not the invitee's
    partner_admin = make_user(session, Role.PARTNER_ADMIN)
    session.add(manager)
    session.commit()
    org_id = partner_admin.organization_id
    assert org_id is not None
    invite_user(session, actor_for(manager), org_id, email="sam@example.com", full_name="Sam", role="partner_user")
    session.commit()
    (mail,) = _mails(session, "sam@example.com")
    assert mail.subject.startswith("Vera Admin invited you to ")
