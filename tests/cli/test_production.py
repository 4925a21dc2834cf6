"""Production never runs on demo accounts: the server refuses the published demo password, demo seeding refuses a
database that is not a demo, new passwords may not be the demo one, and the first admin comes from the command line."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

import prm_app.app as app_module
from prm_app.identity.demo import (
    DEMO_PASSWORD,
    accounts_with_demo_password,
    check_new_password,
    create_admin,
    demo_password_refusal,
    demo_seeding_refusal,
)
from prm_app.identity.models import User
from prm_app.partners.seed import seed
from prm_app.platform.errors import ValidationError
from prm_app.platform.models import AuditLog
from prm_app.platform.security import verify_password

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_password_is_refused_as_anyones_new_password():
    with pytest.raises(ValidationError) as refused:
        check_new_password(DEMO_PASSWORD, DEMO_PASSWORD)

    assert refused.value.field == "password" and "demo" in str(refused.value)
    check_new_password("a-password-of-my-own", "a-password-of-my-own")


def test_create_admin_makes_an_audited_administrator_with_a_password_of_their_own(session):
    user_id = create_admin(session, " Ops@Example.COM ", "Olga Ops", "a-long-own-secret")
    session.commit()

    user = session.get(User, user_id)
    assert (user.email, user.role, user.full_name, user.organization_id) == (
        "ops@example.com",
        "admin",
        "Olga Ops",
        None,
    )
    assert verify_password("a-long-own-secret", user.password_hash)
    assert session.exec(select(AuditLog).where(AuditLog.action == "user.create_admin")).one().record_id == user_id
    with pytest.raises(ValidationError, match="already has an account"):
        create_admin(session, "ops@example.com", "", "another-long-secret")
    with pytest.raises(ValidationError, match="published with the demo"):
        create_admin(session, "two@example.com", "", DEMO_PASSWORD)
    with pytest.raises(ValidationError, match="at least"):
        create_admin(session, "three@example.com", "", "short")


def test_production_is_refused_while_demo_accounts_exist_and_allowed_without_them(session):
    assert demo_password_refusal(session) is None  # an empty database
    create_admin(session, "ops@example.com", "", "a-long-own-secret")
    assert accounts_with_demo_password(session) == []

    seed(session)
    session.flush()

    exposed = accounts_with_demo_password(session)
    assert "admin@vendor.example" in exposed and "ops@example.com" not in exposed
    assert len(exposed) == len(session.exec(select(User).where(User.email != "ops@example.com")).all())
    assert "Refusing to start in production" in demo_password_refusal(session)


def test_demo_seeding_fills_an_empty_or_demo_database(session):
    assert demo_seeding_refusal(session) is None  # empty: the demo may start here
    seed(session)
    session.flush()

    assert demo_seeding_refusal(session) is None  # a demo database: seeding again only fills gaps


def test_demo_seeding_refuses_a_database_that_is_not_a_demo(session):
    create_admin(session, "ops@example.com", "", "a-long-own-secret")

    assert "not a demo database" in demo_seeding_refusal(session)


def test_the_server_does_not_start_in_production_when_the_database_refuses(monkeypatch):
    monkeypatch.setattr(app_module, "production_refusal", lambda: "Refusing to start in production: test")

    async def start() -> None:
        async with app_module.production_guard():
            pass

    if app_module.settings.demo_mode:
        pytest.skip("PRM_DEMO is set in this environment")
    with pytest.raises(RuntimeError, match="Refusing to start in production"):
        asyncio.run(start())
    monkeypatch.setattr(app_module, "production_refusal", lambda: None)
    asyncio.run(start())


def _cli(args: list[str], db: Path, stdin: str = "", **extra_env: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PRM_DEMO", "REFLEX_REDIS_URL")}
    env.update(REFLEX_DB_URL=f"sqlite:///{db}", **extra_env)
    command = args if args[0] == "alembic" else ["-m", "prm_app.cli", *args]
    return subprocess.run(
        [sys.executable, *(["-m", *command] if args[0] == "alembic" else command)],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_the_command_line_keeps_demo_and_production_apart(tmp_path):
    """create-admin reads the password from stdin on a fresh database; seed refuses that production database;
    serve refuses a demo database before any server starts (it would otherwise build and serve: a hang here)."""
    prod_db, demo_db = tmp_path / "prod.db", tmp_path / "demo.db"

    created = _cli(["create-admin", "ops@example.com", "--name", "Olga Ops"], prod_db, stdin="a-long-own-secret\n")
    assert created.returncode == 0, created.stderr
    refused_seed = _cli(["seed"], prod_db)
    assert refused_seed.returncode == 1 and "not a demo database" in refused_seed.stderr

    assert _cli(["alembic", "upgrade", "head"], demo_db).returncode == 0
    seeded = _cli(["seed"], demo_db)
    assert seeded.returncode == 0 and "admin@vendor.example" in seeded.stdout
    refused_serve = _cli(["serve", "--port", "3999"], demo_db)
    assert refused_serve.returncode == 1 and "Refusing to start in production" in refused_serve.stderr
    assert "admin@vendor.example" in refused_serve.stderr
    demo_flag = _cli(["serve", "--port", "3999"], prod_db, PRM_DEMO="1")
    assert demo_flag.returncode == 2 and "make run" in demo_flag.stderr
