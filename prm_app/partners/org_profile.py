"""A partner organization's own profile: its address, website, phone and logo, kept up to date by its partner
admin, read by its people and shown to the vendor on the partner's page.

Only the partner admin of the organization changes it, and only their own: the organization is always the actor's
(no id from the browser is ever used to choose it). Every change is audited with what it was and what it is now.
Where and how much the partner works for routing (countries served, verticals, lead capacity) is not here: that
is the leads area's lead preferences, which the same admin sets on the Leads page.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlmodel import Session

from prm_app.partners.logos import StoredLogo
from prm_app.partners.models import Organization
from prm_app.partners.rules import LOGO_TYPES, OrgContact, OrgProfileInput, check_org_profile
from prm_app.partners.scope import profile_org
from prm_app.platform.access import Actor, Permission, Role
from prm_app.platform.audit import apply_and_audit, audit, record_engagement
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound, PermissionDenied


@dataclass(frozen=True)
class OrgProfileView:
    """The organization's profile as its own people see it (raw values: the country as its ISO code)."""

    id: int
    name: str
    street: str
    city: str
    postal_code: str
    country: str  # ISO 3166 alpha-2
    website: str  # "" when none
    phone: str  # "" when none
    logo_key: str  # "" when there is no logo; names the current file (its URL changes with it)
    can_edit: bool  # the asking person is the organization's partner admin


def _own_org(session: Session, actor: Actor) -> Organization:
    actor.require(Permission.USE_PORTAL)
    if actor.organization_id is None:
        raise NotFound("partner")
    org = session.get(Organization, actor.organization_id)
    if org is None:
        raise NotFound("partner")
    return org


def _may_edit(actor: Actor) -> bool:
    return actor.role == Role.PARTNER_ADMIN and actor.can(Permission.MANAGE_TEAM)


def _editable_org(session: Session, actor: Actor) -> Organization:
    org = _own_org(session, actor)
    if not _may_edit(actor):
        raise PermissionDenied("Only your organization's partner admin can change its profile.")
    return org


def _view(org: Organization, actor: Actor) -> OrgProfileView:
    return OrgProfileView(
        id=saved_id(org),
        name=org.name,
        street=org.street,
        city=org.city,
        postal_code=org.postal_code,
        country=org.country,
        website=org.website,
        phone=org.phone,
        logo_key=org.logo_key,
        can_edit=_may_edit(actor),
    )


def check_org_editor(session: Session, actor: Actor) -> None:
    """PermissionDenied unless the actor is the partner admin of an organization (checked before an upload's body
    is read)."""
    _editable_org(session, actor)


def my_org_profile(session: Session, actor: Actor) -> OrgProfileView:
    """The profile of the actor's own organization (partner people only)."""
    return _view(_own_org(session, actor), actor)


def _contact(org: Organization) -> dict[str, str]:
    return {"street": org.street, "city": org.city, "postal_code": org.postal_code, "country": org.country,
            "website": org.website, "phone": org.phone}  # fmt: skip


def update_org_profile(session: Session, actor: Actor, data: OrgProfileInput) -> OrgProfileView:
    """The partner admin sets their organization's address, website and phone. Every field is checked before
    anything is written (FormInvalid names each bad field); the audit entry keeps the changed fields' values
    before and after (none written when nothing changed)."""
    org = _editable_org(session, actor)
    clean: OrgContact = check_org_profile(data)
    if apply_and_audit(
        session, actor, org, _contact(org), asdict(clean), "organization_profile_changed", "organization"
    ):
        _profile_updated(session, actor, org)
    return _view(org, actor)


def _profile_updated(session: Session, actor: Actor, org: Organization) -> None:
    """Tell whoever counts it (onboarding's "complete the profile" task) that the profile changed; they judge
    whether it is complete now."""
    session.flush()
    record_engagement(session, actor, "org_profile_updated", "organization", org.id, organization_id=org.id)


def set_org_logo(session: Session, actor: Actor, logo: StoredLogo) -> str:
    """The partner admin's organization shows `logo` (already stored and proven an image) from now on. Returns
    the previous logo's key ("" when none), for the caller to delete its file once this is committed."""
    org = _editable_org(session, actor)
    if logo.content_type not in LOGO_TYPES:
        raise PermissionDenied()
    previous = org.logo_key
    org.logo_key, org.logo_type = logo.key, logo.content_type
    session.add(org)
    audit(
        session, actor, "organization_logo_changed", "organization", org.id,
        before={"logo": previous or None}, after={"logo": logo.key, "type": logo.content_type, "bytes": logo.size},
    )  # fmt: skip
    _profile_updated(session, actor, org)
    return previous


def remove_org_logo(session: Session, actor: Actor) -> str:
    """The partner admin's organization shows no logo. Returns the removed logo's key ("" when there was none),
    for the caller to delete once this is committed."""
    org = _editable_org(session, actor)
    previous = org.logo_key
    if previous:
        org.logo_key, org.logo_type = "", ""
        session.add(org)
        audit(
            session, actor, "organization_logo_changed", "organization", org.id,
            before={"logo": previous}, after={"logo": None},
        )  # fmt: skip
        _profile_updated(session, actor, org)
    return previous


def org_logo(session: Session, actor: Actor, organization_id: int, key: str) -> tuple[str, str]:
    """(key, content type) of the organization's current logo for whoever may read its profile (its own people,
    internal users); NotFound outside that scope, when it has no logo, or when `key` is not its current one."""
    org = profile_org(session, actor, organization_id)
    if not org.logo_key or org.logo_key != key or org.logo_type not in LOGO_TYPES:
        raise NotFound("logo")
    return org.logo_key, org.logo_type
