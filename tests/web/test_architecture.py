"""The direction of the arrows (an area's ui → its services → its models → platform, never back), checked on the
source, and the engagement events dashboards depend on."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from sqlmodel import select

from prm_app.identity.auth import log_in
from prm_app.platform.models import EngagementEvent
from tests.factories import PASSWORD, T0, make_user

PACKAGE = Path(__file__).resolve().parents[2] / "prm_app"
WEB_EDGE = ("web", "app.py", "prm_app.py")


def imported_modules(source: str, module: str) -> set[str]:
    """Every module `source` imports, absolute (relative imports are resolved against `module`), including
    `importlib.import_module("x")` and `__import__("x")` with a literal name."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: -node.level]
                prefix = ".".join([*base, node.module] if node.module else base)
            else:
                prefix = node.module or ""
            found.add(prefix)
            found.update(f"{prefix}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


def _is_under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _inner_modules() -> list[tuple[str, str]]:
    """(dotted module name, source) of every module in the inner layers."""
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] in WEB_EDGE or "ui" in relative.parts[:-1]:
            continue
        dotted = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        modules.append((dotted, path.read_text(encoding="utf-8")))
    return modules


def test_the_import_finder_sees_every_form_of_import():
    source = textwrap.dedent(
        """
        import os, reflex.vars
        from reflex import State
        from . import sibling
        from ..ui.pages import team
        import importlib
        x = importlib.import_module("plotly")
        y = __import__("redis")
        """
    )
    found = imported_modules(source, "prm_app.domain.example")

    assert {"os", "reflex.vars", "reflex", "prm_app.domain.sibling", "prm_app.ui.pages.team"} <= found
    assert {"plotly", "redis"} <= found


def test_the_inner_layers_are_all_checked():
    names = {name for name, _ in _inner_modules()}

    assert {"prm_app.identity.auth", "prm_app.partners.team", "prm_app.platform.db", "prm_app.identity.models"} <= names


@pytest.mark.parametrize(("module", "source"), [pytest.param(m, s, id=m) for m, s in _inner_modules()])
def test_inner_layers_never_import_reflex_or_the_ui(module, source):
    imports = imported_modules(source, module)

    assert not [name for name in imports if _is_under(name, "reflex")]
    assert not [name for name in imports if ".ui" in name or _is_under(name, "prm_app.web") or name == "prm_app.app"]
    if _is_under(module, "prm_app.platform"):  # the ground imports no area
        assert not [name for name in imports if _is_under(name, "prm_app") and not _is_under(name, "prm_app.platform")]


def test_login_records_an_engagement_event(session):
    user = make_user(session)
    session.commit()

    log_in(session, user.email, PASSWORD, now=T0)

    events = session.exec(select(EngagementEvent)).all()
    assert [(e.kind, e.user_id, e.organization_id, e.subject_type, e.subject_id) for e in events] == [
        ("login", user.id, user.organization_id, "user", user.id)
    ]
