"""A person's own profile: the name, job title and phone their colleagues see, kept by themselves on the account
page. Always the actor's own user row (no id from the browser chooses it); every change is audited with the
changed fields' values before and after."""

from __future__ import annotations

from dataclasses import asdict

from sqlmodel import Session

from prm_app.identity.models import User
from prm_app.identity.rules import ProfileFields, check_profile
from prm_app.platform.access import Actor
from prm_app.platform.audit import apply_and_audit
from prm_app.platform.errors import PermissionDenied


def _me(session: Session, actor: Actor) -> User:
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None or not user.is_active:
        raise PermissionDenied()
    return user


def _fields(user: User) -> ProfileFields:
    return ProfileFields(full_name=user.full_name, title=user.title, phone=user.phone)


def my_profile(session: Session, actor: Actor) -> ProfileFields:
    """The actor's own name, title and phone as stored (PermissionDenied for anyone who is not a signed-in,
    active person, e.g. a job)."""
    return _fields(_me(session, actor))


def update_my_profile(session: Session, actor: Actor, full_name: str, title: str, phone: str) -> ProfileFields:
    """The signed-in person sets their own name, title and phone. Every field is checked before anything is
    written (FormInvalid names each bad field); nothing is written or audited when nothing changed. Returns the
    profile as stored."""
    user = _me(session, actor)
    clean = check_profile(full_name, title, phone)
    apply_and_audit(session, actor, user, asdict(_fields(user)), asdict(clean), "user.profile_changed", "user")
    return clean
