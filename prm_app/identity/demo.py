"""Demo accounts and production: the published demo password must never open a production server.

The demo (`make run`) seeds people who all share one password printed in the README. Production
(`python -m prm_app.cli serve`) refuses to start while any account still has it, new passwords may never be it,
and the first administrator comes from `python -m prm_app.cli create-admin EMAIL`.
"""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from prm_app.identity.auth import normalize_email
from prm_app.identity.models import User
from prm_app.platform.access import Actor, Role
from prm_app.platform.audit import audit
from prm_app.platform.errors import ValidationError
from prm_app.platform.i18n import Words
from prm_app.platform.security import hash_password, verify_password
from prm_app.platform.settings import settings

DEMO_PASSWORD = "demo-partner-2026"  # noqa: S105  (published in the README on purpose: the demo only)
DEMO_ADMIN_EMAIL = "admin@vendor.example"  # the demo program's administrator marks a demo database


def check_new_password(password: str, confirm: str) -> None:
    """A password anyone may choose: long enough, typed twice alike, and not the published demo password."""
    if len(password or "") < settings.password_min_length:
        raise ValidationError(Words("password.too_short", count=settings.password_min_length), "password")
    if password.strip() == DEMO_PASSWORD:
        raise ValidationError(Words("password.demo"), "password")
    if password != confirm:
        raise ValidationError(Words("password.differ"), "confirm")


def accounts_with_demo_password(session: Session) -> list[str]:
    """Emails of active accounts whose password is the demo password, sorted.

    Verifying an argon2 hash is slow on purpose, so not every account is tried: the demo seeding gives all its
    people one shared hash, and no one can choose the demo password afterwards (`check_new_password`). So the
    candidates are the hashes shared by several accounts plus the demo administrator's; each distinct hash is
    verified once.
    """
    shared = select(User.password_hash).group_by(col(User.password_hash)).having(func.count() > 1)
    demo_admin = select(User.password_hash).where(User.email == DEMO_ADMIN_EMAIL)
    candidates = set(session.exec(shared).all()) | set(session.exec(demo_admin).all())
    demo_hashes = [h for h in candidates if verify_password(DEMO_PASSWORD, h)]
    if not demo_hashes:
        return []
    rows = session.exec(
        select(User.email).where(col(User.password_hash).in_(demo_hashes), col(User.is_active)).order_by(User.email)
    )
    return list(rows.all())


def demo_password_refusal(session: Session) -> str | None:
    """Why a production server must not start on this database (accounts open with the demo password), or None."""
    exposed = accounts_with_demo_password(session)
    if not exposed:
        return None
    shown = ", ".join(exposed[:5]) + (f" and {len(exposed) - 5} more" if len(exposed) > 5 else "")
    return (
        f"Refusing to start in production: {len(exposed)} account(s) still have the published demo password "
        f"({shown}). This database holds the demo program; use a database of your own (REFLEX_DB_URL) and "
        "create its first administrator with `python -m prm_app.cli create-admin EMAIL`, or run the demo with "
        "`make run`."
    )


def demo_seeding_refusal(session: Session) -> str | None:
    """Why demo data must not go into this database, or None when it may: an empty database, or a demo one."""
    users = session.exec(select(func.count()).select_from(User)).one()
    if users == 0 or session.exec(select(User.id).where(User.email == DEMO_ADMIN_EMAIL)).first() is not None:
        return None
    return (
        f"This database already has {users} account(s) and is not a demo database: demo accounts with a published "
        "password are not added to it. Use an empty database for the demo (e.g. the default SQLite file)."
    )


def create_admin(session: Session, email: str, full_name: str, password: str) -> int:
    """Create an administrator (the first one of a production install). Returns the new user's id."""
    email = normalize_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise ValidationError("Give the administrator's email address.", "email")
    check_new_password(password, password)
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise ValidationError("Someone with this email already has an account.", "email")
    user = User(
        email=email,
        full_name=full_name.strip() or email.split("@")[0],
        role=Role.ADMIN.value,
        title="Administrator",
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    audit(session, Actor.system("create-admin"), "user.create_admin", "user", user.id, email=email)
    assert user.id is not None  # flushed above
    return user.id
