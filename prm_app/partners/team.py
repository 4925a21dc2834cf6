"""A partner's team: invitations with single-use expiring tokens, accepting them, deactivation.

The reads (who is on the team, which invitations are pending) are in team_queries.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, col, select, update

from prm_app.identity import (
    User,
    adopt_browser_zone,
    check_new_password,
    check_profile,
    end_sessions,
    mail_reader,
    normalize_email,
)
from prm_app.mail import Reader, queue_message
from prm_app.partners.models import Invite, Organization
from prm_app.partners.scope import team_org
from prm_app.platform.access import PARTNER_ROLES, Actor, Permission, Role
from prm_app.platform.audit import apply_and_audit, audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound, PermissionDenied, ValidationError
from prm_app.platform.i18n import LANGUAGES, Words
from prm_app.platform.security import hash_password, hash_token, new_token
from prm_app.platform.settings import settings


@dataclass(frozen=True)
class InviteCreated:
    """A new invitation and its one-time token (the page turns the token into the link to send)."""

    invite_id: int
    token: str
    email: str
    expires_at: datetime


@dataclass(frozen=True)
class InviteInfo:
    """What the set-password page tells the invited person."""

    email: str
    full_name: str
    organization: str  # its name
    role: Role


def invite_user(
    session: Session,
    actor: Actor,
    organization_id: int,
    *,
    email: str,
    full_name: str,
    role: str,
    now: datetime | None = None,
    profile: ImportedProfile | None = None,
) -> InviteCreated:
    """Invite a colleague to `organization_id`. Returns the one-time token (only its hash is stored).

    Partner admins invite into their own organization only; partner roles only. A people import
    (partners/people_table.py) adds what its row says beyond name and role (`profile`, checked by the profile
    rules); accepting the invitation copies it onto the new user. The invitation is written in `profile.language`
    when the caller knows it (an import's row, an approved applicant's application).
    """
    now = now or utcnow()
    org = team_org(session, actor, organization_id)
    if not actor.can_manage_team_of(saved_id(org), org.channel_manager_id):
        raise PermissionDenied("Only your organization's admins can invite colleagues.")
    if actor.user_id is None:  # an invitation speaks for a person (invited_by_id): the system actor sends none
        raise PermissionDenied()
    full_name = (full_name or "").strip()
    if not full_name:
        raise ValidationError("Enter the colleague's name.", "full_name")
    if len(full_name) > 120:
        raise ValidationError("Keep the name under 120 characters.", "full_name")
    try:
        email = normalize_email(validate_email((email or "").strip(), check_deliverability=False).normalized)
    except EmailNotValidError:
        raise ValidationError("Enter a valid email address, like name@company.com.", "email") from None
    if role not in {r.value for r in PARTNER_ROLES}:
        raise ValidationError("Choose a role.", "role")
    extra = _checked_profile(full_name, profile or ImportedProfile())
    # Only a colleague already on this team is named: whether the email has an account elsewhere (another
    # partner, the vendor) is not this inviter's business. Such an invitee is told to sign in when opening the link.
    existing = session.exec(select(User.organization_id).where(User.email == email)).first()
    if existing is not None and existing == org.id:
        raise ValidationError("This person is already on your team.", "email")
    for old in session.exec(
        select(Invite).where(
            Invite.organization_id == org.id,  # never touch another organization's invitations
            Invite.email == email,
            col(Invite.used_at).is_(None),
            col(Invite.revoked_at).is_(None),
        )
    ).all():
        old.revoked_at = now  # a new invite replaces this organization's older one for the same person
        session.add(old)
    token = new_token()
    invite = Invite(
        token_hash=hash_token(token),
        organization_id=saved_id(org),
        email=email,
        full_name=full_name,
        role=role,
        invited_by_id=actor.user_id,
        created_at=now,
        expires_at=now + settings.invite_lifetime,
        external_id=extra.external_id or None,
        title=extra.title,
        phone=extra.phone,
        language=extra.language,
    )
    session.add(invite)
    session.flush()
    _email_invite(session, actor, invite, org, token)
    audit(session, actor, "invite_user", "invite", invite.id, email=email, role=role, organization_id=org.id)
    return InviteCreated(invite_id=saved_id(invite), token=token, email=email, expires_at=invite.expires_at)


@dataclass(frozen=True)
class ImportedProfile:
    """What a people import sets beyond name and role: the profile fields a person otherwise keeps themselves,
    their language ("" = not set; a shipped language's code) and their id in the CRM ("" = none)."""

    title: str = ""
    phone: str = ""
    language: str = ""
    external_id: str = ""


def _checked_profile(full_name: str, profile: ImportedProfile) -> ImportedProfile:
    """The profile by the account page's rules (identity.check_profile; FormInvalid per bad field) and a shipped
    language."""
    clean = check_profile(full_name, profile.title, profile.phone)
    if profile.language and profile.language not in LANGUAGES:
        raise ValidationError("Choose a language from the list.", "language")
    return ImportedProfile(clean.title, clean.phone, profile.language, profile.external_id.strip())


def _free_external_id(session: Session, invite: Invite) -> str | None:
    """The invitation's external id for the new user, unless a colleague took it meanwhile (unique per partner)."""
    mine = (User.external_id == invite.external_id, User.organization_id == invite.organization_id)
    taken = invite.external_id and session.exec(select(User.id).where(*mine)).first() is not None
    return None if taken or not invite.external_id else invite.external_id


def update_member(
    session: Session, actor: Actor, user_id: int, *, full_name: str, role: str, profile: ImportedProfile
) -> list[str]:
    """Change a team member's name, title, phone (the account page's rules), role (a partner role), language and
    CRM id, as those who manage the team may (its admins, the vendor's managers of its book, admins); another
    organization's person is "not found". Nobody changes their own role. Only what differs is written, audited with
    before and after. Returns the changed fields."""
    user = _managed_member(session, actor, user_id)
    if role not in {r.value for r in PARTNER_ROLES}:
        raise ValidationError("Choose a role.", "role")
    if user.id == actor.user_id and role != user.role:
        raise ValidationError("You cannot change your own role.", "role")
    extra = _checked_profile(full_name, profile)
    fields = ("full_name", "title", "phone", "role", "language", "external_id")
    before = {name: getattr(user, name) for name in fields}
    after: dict[str, object] = {
        "full_name": " ".join(full_name.split()),
        "title": extra.title,
        "phone": extra.phone,
        "role": role,
    }
    after |= {"language": extra.language or user.language, "external_id": extra.external_id or user.external_id}
    return apply_and_audit(session, actor, user, before, after, "user.changed_by_team", "user")


def invite_link(token: str) -> str:
    """The link that opens the set-password page of an invitation (the page at /invite/[token])."""
    return f"{settings.app_origin.rstrip('/')}/invite/{token}"


def _invitee_reader(session: Session, actor: Actor, invite: Invite) -> Reader:
    """The language an invitation is written in: the invitee's own if they already have an account (moving from
    another organization), else the one a people import gave for them, else the inviter's when the inviter is a
    colleague in that organization (a team writes to its new member in the team's language), else English. Its
    times are in the invitee's zone, else UTC."""
    own = session.exec(select(User).where(User.email == invite.email)).first()
    if own is not None and own.language:
        return mail_reader(own)
    if invite.language:  # the inviter knew the language the person reads (an import's row, an application)
        return Reader(language=invite.language)
    inviter = session.get(User, actor.user_id) if actor.user_id is not None else None
    if inviter is None or inviter.organization_id != invite.organization_id:
        return Reader()
    return Reader(language=mail_reader(inviter).language)


def _email_invite(session: Session, actor: Actor, invite: Invite, org: Organization, token: str) -> None:
    """The invitation email, in the outbox of this transaction: no invitation, no mail; no mail lost."""
    queue_message(
        session,
        to=invite.email,
        kind="invitation",
        values={
            "name": invite.full_name,
            "inviter": actor.name or Words("mail.invitation.your_admin"),
            "organization": org.name,
            "role": Words(f"mail.role.{Role(invite.role).value}"),
            "link": invite_link(token),
            "expires": invite.expires_at,
        },
        reader=_invitee_reader(session, actor, invite),
    )


def resend_invite(session: Session, actor: Actor, invite_id: int) -> InviteCreated:
    """Send a pending invitation again: a new link (the old one stops working), emailed again, valid afresh.
    Only those who manage the organization's team may; another organization's invitation is "not found"."""
    invite = session.get(Invite, invite_id)
    if invite is None or invite.used_at is not None or invite.revoked_at is not None:
        raise NotFound("invitation")
    try:
        team_org(session, actor, invite.organization_id)
    except NotFound:
        raise NotFound("invitation") from None
    kept = ImportedProfile(invite.title or "", invite.phone or "", invite.language or "", invite.external_id or "")
    return invite_user(
        session, actor, invite.organization_id, email=invite.email, full_name=invite.full_name, role=invite.role,
        profile=kept,
    )  # fmt: skip


def invite_colleague(session: Session, actor: Actor, *, email: str, full_name: str, role: str) -> InviteCreated:
    """A partner admin invites someone to their own organization."""
    actor.require(Permission.USE_PORTAL)
    if actor.organization_id is None:  # only a partner's people use the portal, and they all have one
        raise PermissionDenied()
    return invite_user(session, actor, actor.organization_id, email=email, full_name=full_name, role=role)


# The set-password page's refusals, said in the reader's language (the page knows it from the browser).
INVITER_GONE = Words("invite.inviter_gone")
_INVITE_USED, _UNKNOWN_INVITE = Words("invite.used"), Words("invite.unknown")


def _inviter_still_may_invite(session: Session, invite: Invite) -> bool:
    """An invitation speaks for its inviter: it dies when they are deactivated or no longer manage this team."""
    inviter = session.get(User, invite.invited_by_id)
    if inviter is None or not inviter.is_active:
        return False
    as_actor = Actor(user_id=inviter.id, role=Role(inviter.role), organization_id=inviter.organization_id)
    org = session.get(Organization, invite.organization_id)
    return org is not None and as_actor.can_manage_team_of(invite.organization_id, org.channel_manager_id)


def _live_invite(session: Session, token: str, now: datetime) -> Invite:
    invite = session.exec(select(Invite).where(Invite.token_hash == hash_token(token or ""))).first()
    if invite is None or invite.revoked_at is not None:
        raise NotFound(_UNKNOWN_INVITE)
    if invite.used_at is not None:
        raise ValidationError(_INVITE_USED)
    if invite.expires_at <= now:
        raise ValidationError(Words("invite.expired"))
    if not _inviter_still_may_invite(session, invite):
        raise ValidationError(INVITER_GONE)
    return invite


def get_invite(session: Session, token: str, now: datetime | None = None) -> InviteInfo:
    """What the set-password page shows; raises when the token is unknown, used, revoked or expired."""
    invite = _live_invite(session, token, now or utcnow())
    org = session.get(Organization, invite.organization_id)
    if org is None:  # the foreign key keeps it; this only tells the type checker so
        raise NotFound("invitation")
    return InviteInfo(email=invite.email, full_name=invite.full_name, organization=org.name, role=Role(invite.role))


def accept_invite(
    session: Session, token: str, password: str, confirm: str, now: datetime | None = None, time_zone: str = ""
) -> int:
    """Create the invited user with the chosen password and burn the token. Returns the new user's id.

    `time_zone` is the zone the accepting browser reports: it becomes the person's setting by the rule of a first
    sign-in (identity's `adopt_browser_zone`: a name the tz database knows, kept under its current name; anything
    else leaves it unset, and the first sign-in that reports one sets it)."""
    now = now or utcnow()
    invite = _live_invite(session, token, now)
    check_new_password(password, confirm)
    if session.exec(select(User.id).where(User.email == invite.email)).first() is not None:
        raise ValidationError(Words("invite.has_account"))
    # Mark used first, guarded by used_at IS NULL, so two concurrent accepts cannot both succeed.
    claimed = session.exec(
        update(Invite)
        .where(col(Invite.id) == saved_id(invite), col(Invite.used_at).is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise ValidationError(_INVITE_USED)
    user = User(
        email=invite.email,
        full_name=invite.full_name,
        password_hash=hash_password(password),
        role=invite.role,
        organization_id=invite.organization_id,
        created_at=now,
        title=invite.title,
        phone=invite.phone,
        language=invite.language,
        external_id=_free_external_id(session, invite),
    )
    session.add(user)
    session.flush()
    adopt_browser_zone(session, saved_id(user), time_zone)
    audit(
        session, None, "accept_invite", "user", user.id, invite_id=invite.id, email=user.email, time_zone=user.time_zone
    )
    _colleague_joined(session, user)
    return saved_id(user)


def _colleague_joined(session: Session, user: User) -> None:
    """Count the new colleague (onboarding's "a colleague joins" task ticks on it), as the person who joined."""
    joined = Actor(user_id=saved_id(user), role=Role(user.role), organization_id=user.organization_id,
                   name=user.full_name, email=user.email)  # fmt: skip
    record_engagement(session, joined, "colleague_joined", "user", user.id)


def revoke_invite(session: Session, actor: Actor, invite_id: int, now: datetime | None = None) -> None:
    """Revoke an invitation (its link stops working). Only those who manage the organization's team may: its
    admins, the vendor's admins and channel managers. Another organization's invitation is "not found"."""
    invite = session.get(Invite, invite_id)
    if invite is None:
        raise NotFound("invitation")
    try:
        org = team_org(session, actor, invite.organization_id)
    except NotFound:
        raise NotFound("invitation") from None
    if not actor.can_manage_team_of(saved_id(org), org.channel_manager_id):
        raise PermissionDenied()
    invite.revoked_at = now or utcnow()
    session.add(invite)
    audit(session, actor, "revoke_invite", "invite", invite.id, email=invite.email)


def set_user_active(session: Session, actor: Actor, user_id: int, active: bool, now: datetime | None = None) -> None:
    """Deactivate (ending every session at once and revoking the invitations they sent that are still open) or
    reactivate a colleague. Nobody deactivates themselves."""
    user = _managed_member(session, actor, user_id)
    if user.id == actor.user_id:
        raise ValidationError("You cannot deactivate yourself.")
    if user.is_active == active:
        return
    user.is_active = active
    session.add(user)
    revoked = 0
    if not active:
        end_sessions(session, saved_id(user))
        revoked = _revoke_invites_sent_by(session, saved_id(user), now or utcnow())
    audit(
        session,
        actor,
        "activate_user" if active else "deactivate_user",
        "user",
        user.id,
        email=user.email,
        **({"invites_revoked": revoked} if revoked else {}),
    )


def _revoke_invites_sent_by(session: Session, user_id: int, now: datetime) -> int:
    open_invites = session.exec(
        select(Invite).where(
            Invite.invited_by_id == user_id, col(Invite.used_at).is_(None), col(Invite.revoked_at).is_(None)
        )
    ).all()
    for invite in open_invites:
        invite.revoked_at = now
        session.add(invite)
    return len(open_invites)


def _managed_member(session: Session, actor: Actor, user_id: int) -> User:
    """A partner's person, for one who manages their team (its admins, the vendor's managers
    of its book, admins); another organization's person is "not found"."""
    user = session.get(User, user_id)
    if user is None or user.organization_id is None:
        raise NotFound("user")
    try:
        org = team_org(session, actor, user.organization_id)
    except NotFound:
        raise NotFound("user") from None
    if not actor.can_manage_team_of(saved_id(org), org.channel_manager_id):
        raise PermissionDenied("Only your organization's admins can change the team.")
    return user
