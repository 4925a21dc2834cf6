"""Partners' people as a CSV table (platform/table_io.py's engine). A new person is invited through `invite_user`,
the team page's own use case (the invitation e-mail goes through the outbox, audited): nobody's password is ever
imported, the person sets it from the link. A pending invitation is the person until they accept it: a changed row
invites them again with the new details (the older link stops working, as "Resend" does). A person who joined is
changed through `update_member` (the account page's profile rules, a partner role, a shipped language).

Who: the people who manage a team (Actor.can_manage_team_of): a partner admin its own organization's (the partner
column may stay blank; any other partner fails the row), a channel manager the partners of their book, admins all.

Keys: `external_id` (the person's id in the CRM), or, when blank, the e-mail address. A row whose external_id no
one has yet finds the person (or pending invitation) with its e-mail address and no other external_id.

Canonical cells: the partner as its external_id (else its name), the e-mail in lower case, name, title and phone as
the profile rules store them, the role's value, the language's code. A blank partner or language cell is left out
of the comparison (the importer's own organization, the language the person chose).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, col, select

from prm_app.identity import User, check_profile, normalize_email
from prm_app.partners.models import Invite, Organization
from prm_app.partners.scope import team_org
from prm_app.partners.table import partner_by_reference, partner_reference
from prm_app.partners.team import ImportedProfile, invite_user, update_member
from prm_app.platform.access import PARTNER_ROLES, ROLE_LABELS, Actor, Permission, Role
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id, savepoint
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, ValidationError
from prm_app.platform.i18n import LANGUAGES
from prm_app.platform.places import fold
from prm_app.platform.table_io import KEY, Cells, Column

PARTNER = "partner"
_ROLES = {fold(r.value): r.value for r in PARTNER_ROLES} | {fold(ROLE_LABELS[r]): r.value for r in PARTNER_ROLES}
_ROLES |= {"admin": Role.PARTNER_ADMIN.value, "user": Role.PARTNER_USER.value}
_LANGUAGES = {fold(code): code for code in LANGUAGES} | {fold(name): code for code, name in LANGUAGES.items()}
# Never quoting the partner as resolved: a row naming another organization by name learns nothing of it.
NOT_IN_REACH = "the partner named is not one whose people you may import"
PARTNER_HINT = "the partner's external_id or exact name; partner admins: blank or their own"
Person = User | Invite


class PeopleTable:
    kind = "users"
    title = "Partner people"
    permission = Permission.MANAGE_TEAM
    columns: tuple[Column, ...] = (
        Column(KEY, False, ("id", "user_id", "crm_id", "contact_id"), "your id for the person; blank: the e-mail"),
        Column(PARTNER, False, ("organization", "partner_id", "partner_name"), PARTNER_HINT),
        Column("email", True, ("e_mail", "email_address"), "the person's work e-mail"),
        Column("full_name", True, ("name",), ""),
        Column("title", False, ("job_title",), ""),
        Column("phone", False, ("telephone",), "like +1 415 555 0100"),
        Column("role", True, (), "partner_user or partner_admin"),
        Column("language", False, ("locale",), "one of: " + ", ".join(LANGUAGES)),
    )
    unique: tuple[str, ...] = ("email",)

    def derived_key(self, cells: Cells) -> str:
        return normalize_email(cells.get("email", ""))

    def canonical(self, session: Session, cells: Cells) -> dict[str, str]:
        try:
            email = normalize_email(validate_email(cells.get("email", ""), check_deliverability=False).normalized)
        except EmailNotValidError:
            raise ValidationError(f"email '{cells.get('email', '')[:60]}' is not an e-mail address", "email") from None
        try:
            profile = check_profile(cells.get("full_name", ""), cells.get("title", ""), cells.get("phone", ""))
        except FormInvalid as bad:
            raise ValidationError("; ".join(f"{f}: {m}" for f, m in bad.errors.items()), bad.field) from None
        role = _ROLES.get(fold(cells.get("role", "")))
        if role is None:
            raise ValidationError(f"role '{cells.get('role', '')[:40]}' is not partner_user or partner_admin", "role")
        canon = {KEY: cells[KEY].strip(), "email": email, "full_name": profile.full_name, "title": profile.title,
                 "phone": profile.phone, "role": role}  # fmt: skip
        if language := cells.get("language", "").strip():
            canon["language"] = _LANGUAGES.get(fold(language), "")
            if not canon["language"]:
                raise ValidationError(f"language '{language[:20]}' is not one of {', '.join(LANGUAGES)}", "language")
        if partner := cells.get(PARTNER, "").strip():
            org = partner_by_reference(session, partner)
            canon[PARTNER] = partner_reference(org) if org is not None else partner
            _named_partners(session)[canon[KEY]] = org.id if org is not None else None
        _emails(session)[canon[KEY]] = email
        return canon

    def current(self, session: Session, actor: Actor, keys: Collection[str]) -> dict[str, dict[str, str]]:
        actor.require(self.permission)
        return {key: _cells(key, person, org) for key, (person, org) in _find(session, actor, keys).items()}

    def insert_many(self, session: Session, actor: Actor, rows: Sequence[Cells]) -> list[str]:
        actor.require(self.permission)
        refusals: list[str] = []
        for cells in rows:
            try:
                with savepoint(session):
                    org_id = _organization(session, actor, cells)
                    invite_user(session, actor, org_id, email=cells["email"], full_name=cells["full_name"],
                                role=cells["role"], profile=_profile(cells))  # fmt: skip
                refusals.append("")
            except DomainError as refused:
                refusals.append(_reason(refused, cells))
        return refusals

    def update(self, session: Session, actor: Actor, cells: Cells) -> None:
        actor.require(self.permission)
        person, org = _find(session, actor, [cells[KEY]]).get(cells[KEY]) or (None, None)
        if person is None or org is None:
            raise NotFound("person")
        if cells.get(PARTNER, partner_reference(org)) != partner_reference(org):
            raise DomainError("a person moves to another partner by that partner's invitation, not by an import")
        if isinstance(person, Invite):  # invited again with the new details; the earlier link stops working
            if cells["email"] != person.email:
                raise DomainError("an invitation's e-mail address cannot change; revoke it and invite the new one")
            invite_user(session, actor, saved_id(org), email=cells["email"], full_name=cells["full_name"],
                        role=cells["role"], profile=_profile(cells))  # fmt: skip
            return
        if cells["email"] != person.email:
            raise DomainError("a person's e-mail address is their sign-in; it cannot change by import")
        try:
            update_member(session, actor, saved_id(person), full_name=cells["full_name"], role=cells["role"],
                          profile=_profile(cells))  # fmt: skip
        except DomainError as refused:
            raise DomainError(_reason(refused, cells)) from None

    def export(self, session: Session, actor: Actor, filters: Mapping[str, str]) -> Iterator[dict[str, str]]:
        """The people of the team the actor's list shows (`organization_id`; a partner: its own), active or
        not, then the invitations still pending, each by e-mail address. Only for those who may import them back:
        a partner user or an exec sees the team on its page, but does not take it away as a file."""
        actor.require(self.permission)
        org = team_org(session, actor, _org_filter(actor, filters))
        users = session.exec(select(User).where(User.organization_id == org.id).order_by(col(User.email)))
        for user in users:  # a blank external_id imports back keyed by the e-mail address
            yield _cells(user.external_id or "", user, org)
        for invite in _pending(session, [saved_id(org)]):
            yield _cells(invite.external_id or "", invite, org)


def _org_filter(actor: Actor, filters: Mapping[str, str]) -> int:
    if actor.is_partner and actor.organization_id is not None:
        return actor.organization_id
    wanted = filters.get("organization_id", "")
    if not wanted.isdigit():
        raise NotFound("partner")
    return int(wanted)


def _reason(refused: DomainError, cells: Cells) -> str:
    if isinstance(refused, FormInvalid):
        return "; ".join(f"{f}: {m}" for f, m in refused.errors.items())
    if isinstance(refused, NotFound):
        return NOT_IN_REACH
    return refused.message


def _profile(cells: Cells) -> ImportedProfile:
    key = cells[KEY]
    return ImportedProfile(cells.get("title", ""), cells.get("phone", ""), cells.get("language", ""),
                           "" if key == cells["email"] else key)  # fmt: skip


def _organization(session: Session, actor: Actor, cells: Cells) -> int:
    """The organization a new person is invited to: the one the row names (invite_user checks the actor's reach),
    else a partner admin's own."""
    if reference := cells.get(PARTNER, ""):
        org = partner_by_reference(session, reference)
        if org is None:
            raise NotFound("partner")
        return saved_id(org)
    if actor.is_partner and actor.organization_id is not None:
        return actor.organization_id
    raise ValidationError(f"{PARTNER} is missing: name the partner the person belongs to", PARTNER)


def _emails(session: Session) -> dict[str, str]:
    """The e-mail address of each row `canonical` checked in this unit of work, by key (`current` finds a person
    whose external_id is new by it)."""
    emails: dict[str, str] = session.info.setdefault("people_table.emails", {})
    return emails


def _named_partners(session: Session) -> dict[str, int | None]:
    """The partner each row `canonical` checked in this unit of work names, by key (None: one not found)."""
    named: dict[str, int | None] = session.info.setdefault("people_table.partners", {})
    return named


def _pending(session: Session, org_ids: list[int]) -> list[Invite]:
    return list(
        session.exec(
            select(Invite)
            .where(
                col(Invite.organization_id).in_(org_ids),
                col(Invite.used_at).is_(None),
                col(Invite.revoked_at).is_(None),
                col(Invite.expires_at) > utcnow(),
            )
            .order_by(col(Invite.email), col(Invite.id).desc())
        ).all()
    )


def _find(session: Session, actor: Actor, keys: Collection[str]) -> dict[str, tuple[Person, Organization]]:
    """The people (or pending invitations) with these keys whose team the actor manages: by external_id, else by
    the row's e-mail address when they have no other external_id. A person who joined wins over an invitation."""
    emails = _emails(session)
    wanted = {key: emails.get(key, key if "@" in key else "") for key in keys}
    addresses = [e for e in wanted.values() if e]
    users = session.exec(
        select(User).where(col(User.external_id).in_(list(wanted)) | col(User.email).in_(addresses))
    ).all()
    invites = session.exec(
        select(Invite)
        .where(
            col(Invite.external_id).in_(list(wanted)) | col(Invite.email).in_(addresses),
            col(Invite.used_at).is_(None),
            col(Invite.revoked_at).is_(None),
            col(Invite.expires_at) > utcnow(),
        )
        .order_by(col(Invite.id).desc())
    ).all()
    orgs: dict[int, Organization | None] = {}

    def reachable(org_id: int | None) -> Organization | None:
        if org_id is None:
            return None
        if org_id not in orgs:
            org = session.get(Organization, org_id)
            ok = org is not None and actor.can_manage_team_of(org_id, org.channel_manager_id)
            orgs[org_id] = org if ok else None
        return orgs[org_id]

    candidates: dict[str, list[tuple[Person, Organization]]] = {}
    for person in [*invites, *users]:  # users last: they win
        org = reachable(person.organization_id)
        if org is None:
            continue
        for key, email in wanted.items():
            if person.external_id == key or (email == person.email and person.external_id in (None, key)):
                candidates.setdefault(key, []).append((person, org))
    # An external_id is unique within a partner: a row naming its partner finds that partner's person; one naming
    # none finds the person only when a single team in reach has the key (else the row must name its partner).
    named, found = _named_partners(session), {}
    for key, people in candidates.items():
        if key in named:
            people = [(person, org) for person, org in people if org.id == named[key]]
        if len({org.id for _person, org in people}) == 1:
            found[key] = people[-1]
    return found


def _cells(key: str, person: Person, org: Organization) -> dict[str, str]:
    return {
        KEY: key,
        PARTNER: partner_reference(org),
        "email": person.email,
        "full_name": person.full_name,
        "title": person.title,
        "phone": person.phone,
        "role": person.role,
        "language": person.language,
    }


PEOPLE_TABLE = PeopleTable()
