"""API keys: created by admins (program-wide) and partner admins (their organization only), shown once, stored as
a SHA-256, revoked by whoever may manage them, resolved to the actor of their creator on every request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, true
from sqlmodel import Session, col, func, or_, select

from prm_app.identity import User
from prm_app.integrations.models import ApiKey
from prm_app.integrations.rules import KEY_PREFIX, SHOWN_PREFIX_LENGTH, KeyInput, check_key
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission, Role
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotAuthenticated, NotFound, PermissionDenied
from prm_app.platform.security import hash_token, new_token

_TOUCH_EVERY = timedelta(minutes=1)  # last-used precise to the minute, not a write on every request


@dataclass(frozen=True)
class KeyCreated:
    id: int
    name: str
    secret: str  # the whole key: shown once, never stored


@dataclass(frozen=True)
class KeyRow:
    id: int
    name: str
    prefix: str
    scopes: tuple[str, ...]
    organization: str  # "" for a program-wide key
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    def active_at(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


@dataclass(frozen=True)
class KeyHolder:
    """Who a request's key acts as: the key's id (its rate limit and idempotency records), its scopes, the actor,
    and its shown prefix (the audit log names the key by id and prefix, never by its secret)."""

    key_id: int
    scopes: frozenset[str]
    actor: Actor
    prefix: str = ""


def create_api_key(session: Session, actor: Actor, data: KeyInput, now: datetime | None = None) -> KeyCreated:
    """A new key acting as `actor`, limited to the actor's organization for a partner admin, program-wide for an
    administrator. The secret is in the answer only; FormInvalid (nothing written) for a bad name, scope or expiry."""
    actor.require(Permission.MANAGE_API_KEYS)
    if actor.user_id is None:  # a key acts as a person; scheduled work has none
        raise PermissionDenied()
    now = now or utcnow()
    clean = check_key(data, partner=actor.is_partner, now=now)
    secret = KEY_PREFIX + new_token()
    key = ApiKey(
        name=clean.name,
        prefix=secret[:SHOWN_PREFIX_LENGTH],
        secret_hash=hash_token(secret),
        user_id=actor.user_id,
        organization_id=actor.organization_id if actor.is_partner else None,
        scopes=" ".join(clean.scopes),
        created_at=now,
        expires_at=clean.expires_at,
    )
    session.add(key)
    session.flush()
    audit(session, actor, "api_key_created", "api_key", key.id, name=clean.name, scopes=key.scopes)
    return KeyCreated(id=saved_id(key), name=clean.name, secret=secret)


def _reachable(actor: Actor) -> ColumnElement[bool]:
    """The keys `actor` may see and revoke: an administrator every key, a partner admin their organization's."""
    actor.require(Permission.MANAGE_API_KEYS)
    return col(ApiKey.organization_id) == actor.organization_id if actor.is_partner else true()


KEYS_PER_PAGE = 50
MAX_SHOWN = 5_000


@dataclass(frozen=True)
class KeyPage:
    rows: list[KeyRow]
    more: bool  # further keys match beyond these


def list_api_keys(session: Session, actor: Actor, search: str = "", shown: int = KEYS_PER_PAGE) -> KeyPage:
    """The keys the actor may manage, newest first: the first `shown` (at most 5,000) of those whose name, shown
    prefix, partner or creator contains `search` (any case), and whether more follow, so every key can be found
    and revoked however many there are."""
    shown = max(1, min(shown, MAX_SHOWN))
    query = (
        select(ApiKey, User.full_name, Organization.name)
        .where(_reachable(actor))
        .join(User, col(User.id) == ApiKey.user_id)
        .outerjoin(Organization, col(Organization.id) == ApiKey.organization_id)
    )
    if text := " ".join(search.split()).lower()[:100]:
        searched = (col(ApiKey.name), col(ApiKey.prefix), col(Organization.name), col(User.full_name))
        query = query.where(or_(*(func.lower(c).contains(text, autoescape=True) for c in searched)))
    rows = session.exec(query.order_by(col(ApiKey.id).desc()).limit(shown + 1)).all()
    return KeyPage(
        rows=[
            KeyRow(
                id=saved_id(key),
                name=key.name,
                prefix=key.prefix,
                scopes=tuple(key.scopes.split()),
                organization=org_name or "",
                created_by=user_name,
                created_at=key.created_at,
                expires_at=key.expires_at,
                last_used_at=key.last_used_at,
                revoked_at=key.revoked_at,
            )
            for key, user_name, org_name in rows[:shown]
        ],
        more=len(rows) > shown,
    )


def revoke_api_key(session: Session, actor: Actor, key_id: int, now: datetime | None = None) -> None:
    """Stop a key working from now on. A key outside the actor's reach is NotFound; revoking twice changes nothing."""
    key = session.exec(select(ApiKey).where(_reachable(actor), ApiKey.id == key_id)).first()
    if key is None:
        raise NotFound("API key")
    if key.revoked_at is None:
        key.revoked_at, key.revoked_by_id = now or utcnow(), actor.user_id
        session.add(key)
        audit(session, actor, "api_key_revoked", "api_key", key.id, name=key.name)


def resolve_api_key(session: Session, secret: str, *, ip: str = "", now: datetime | None = None) -> KeyHolder:
    """The holder of `secret`, or NotAuthenticated when it is unknown, revoked, expired, its creator deactivated,
    moved to another organization or no longer allowed to manage keys. Touches its last-used time (once a minute)."""
    now = now or utcnow()
    row = session.exec(
        select(ApiKey, User)
        .join(User, col(User.id) == ApiKey.user_id)
        .where(ApiKey.secret_hash == hash_token(secret), col(ApiKey.revoked_at).is_(None))
        .where(or_(col(ApiKey.expires_at).is_(None), col(ApiKey.expires_at) > now))
    ).first()
    if row is None:
        raise NotAuthenticated()
    key, user = row
    actor = Actor(
        user_id=user.id, role=Role(user.role), organization_id=user.organization_id,
        name=user.full_name, email=user.email, ip=ip,
    )  # fmt: skip
    if (
        not user.is_active
        or not actor.can(Permission.MANAGE_API_KEYS)
        or key.organization_id != (actor.organization_id if actor.is_partner else None)
    ):
        raise NotAuthenticated()
    if key.last_used_at is None or now - key.last_used_at > _TOUCH_EVERY:
        key.last_used_at = now
        session.add(key)
    return KeyHolder(key_id=saved_id(key), scopes=frozenset(key.scopes.split()), actor=actor, prefix=key.prefix)
