"""Managers configure recruitment: a program's name, partner type, intro and whether it is open; its form's extra
fields (added, removed); and the qualification criteria's weights and lists. Open applications are scored again
when the criteria change."""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlmodel import Session, col, select

from prm_app.partners import PartnerType
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.db import saved_id
from prm_app.platform.errors import FormInvalid, NotFound
from prm_app.recruitment.models import Application, Criterion, Program
from prm_app.recruitment.rules import (
    CRITERIA,
    FIELD_KINDS,
    OPEN_STATUSES,
    WEIGHT_MAX,
    ExtraField,
    dump_fields,
    field_key,
    parse_fields,
)
from prm_app.recruitment.scoring import rescore

_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def save_program(session: Session, actor: Actor, program_id: int | None, form: Mapping[str, object]) -> int:
    """Create (program_id None) or change a program; returns its id. FormInvalid names each wrong field."""
    actor.require(Permission.RECRUIT_PARTNERS)
    value = {k: str(v or "").strip() for k, v in form.items()}
    errors: dict[str, str] = {}
    name, slug, intro = value.get("name", ""), value.get("slug", "").lower(), value.get("intro", "")
    if not name or len(name) > 120:
        errors["name"] = "Give the program a name of at most 120 characters."
    if not _SLUG.fullmatch(slug) or len(slug) > 60:
        errors["slug"] = "Use lowercase letters, digits and dashes, like resellers."
    if value.get("partner_type") not in {t.value for t in PartnerType}:
        errors["partner_type"] = "Choose the partner type it recruits into."
    if len(intro) > 4000:
        errors["intro"] = "Keep the intro to 4000 characters or fewer."
    program = session.get(Program, program_id) if program_id else Program(slug=slug, name=name, partner_type="")
    if program is None:
        raise NotFound("program")
    other = session.exec(select(Program.id).where(Program.slug == slug, col(Program.id) != (program_id or 0))).first()
    if other is not None and "slug" not in errors:
        errors["slug"] = "Another program uses this address."
    if errors:
        raise FormInvalid(errors)
    program.name, program.slug, program.partner_type, program.intro = name, slug, value["partner_type"], intro
    program.is_open = value.get("is_open", "") in {"on", "true", "yes", "1"}
    session.add(program)
    session.flush()
    audit(session, actor, "save_program", "recruitment_program", program.id, slug=slug, open=program.is_open)
    return saved_id(program)


def add_field(session: Session, actor: Actor, program_id: int, form: Mapping[str, object]) -> None:
    """Add an extra field to a program's form (options one per line for a choice)."""
    actor.require(Permission.RECRUIT_PARTNERS)
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound("program")
    label = str(form.get("label", "") or "").strip()
    kind = str(form.get("kind", "") or "")
    options = tuple(o.strip() for o in str(form.get("options", "") or "").splitlines() if o.strip())
    shown = str(form.get("visibility", "")) or "optional"
    errors: dict[str, str] = {}
    if not label or len(label) > 120:
        errors["label"] = "Give the field a label of at most 120 characters."
    if kind not in FIELD_KINDS:
        errors["kind"] = "Choose the kind of field."
    if kind == "select" and len(options) < 2:
        errors["options"] = "A choice needs at least two options, one per line."
    if shown not in {"optional", "required", "hidden"}:
        errors["visibility"] = "Choose who fills it."
    fields = parse_fields(program.fields)
    if len(fields) >= 20:
        errors["label"] = "A form has at most 20 extra fields."
    if errors:
        raise FormInvalid(errors)
    key = field_key(label, [f.key for f in fields])
    new = ExtraField(key, label, kind, options if kind == "select" else (), shown == "required", shown == "hidden")
    program.fields = dump_fields([*fields, new])
    session.add(program)
    audit(session, actor, "add_program_field", "recruitment_program", program.id, key=key, kind=kind)


def remove_field(session: Session, actor: Actor, program_id: int, key: str) -> None:
    """Take a field off the form (answers already given stay with their applications)."""
    actor.require(Permission.RECRUIT_PARTNERS)
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound("program")
    program.fields = dump_fields([f for f in parse_fields(program.fields) if f.key != key])
    session.add(program)
    audit(session, actor, "remove_program_field", "recruitment_program", program.id, key=key)


def save_criteria(session: Session, actor: Actor, form: Mapping[str, object]) -> int:
    """Every criterion's weight (0..100) and list (`<key>_items`, one per line); open applications are scored
    again. Returns how many were."""
    actor.require(Permission.RECRUIT_PARTNERS)
    errors: dict[str, str] = {}
    weights: dict[str, int] = {}
    for key in CRITERIA:
        text = str(form.get(f"{key}_weight", "") or "").strip()
        if not text.isdigit() or int(text) > WEIGHT_MAX:
            errors[f"{key}_weight"] = f"Give a weight from 0 to {WEIGHT_MAX}."
        else:
            weights[key] = int(text)
    if errors:
        raise FormInvalid(errors)
    stored = {c.key: c for c in session.exec(select(Criterion)).all()}
    for key, weight in weights.items():
        row = stored.get(key) or Criterion(key=key, weight=weight)
        row.weight = weight
        items = str(form.get(f"{key}_items", "") or "")
        if key in {"vertical_fit", "competitors"}:
            row.settings = "\n".join(i.strip() for i in items.splitlines() if i.strip())[:2000]
        session.add(row)
    session.flush()
    open_apps = session.exec(select(Application).where(col(Application.status).in_(OPEN_STATUSES))).all()
    for app in open_apps:
        rescore(session, app)
    audit(session, actor, "save_criteria", "recruitment_criterion", None, weights=weights)
    return len(open_apps)
