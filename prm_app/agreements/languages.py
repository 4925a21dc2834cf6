"""An agreement version in several languages: its own text is English; a manager adds the same version's text in
German, French, Spanish or Japanese, and a partner signs the language version it reads (its person's language
when there is one, else English, with the choice on the agreement page). The signature keeps the language signed.

A language version can be corrected until an organization has signed it; from then on it is evidence and is never
changed (publish a new version instead). A new version starts with no language versions: a translation of the
earlier text would not be a translation of this one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from prm_app.agreements.models import AgreementSignature, AgreementVersion, AgreementVersionText
from prm_app.agreements.rules import BODY_MAX, MERGE_FIELDS, sha256_of, unknown_merge_fields
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import FormInvalid, NotFound
from prm_app.platform.i18n import DEFAULT_LANGUAGE, LANGUAGES

OTHER_LANGUAGES = tuple(code for code in LANGUAGES if code != DEFAULT_LANGUAGE)


def version_texts(session: Session, version_id: int) -> dict[str, str]:
    """The version's text by language: "en" (its own) first, then each language version ({} for no version)."""
    version = session.get(AgreementVersion, version_id)
    if version is None:
        return {}
    rows = session.exec(
        select(AgreementVersionText.language, AgreementVersionText.body).where(
            AgreementVersionText.version_id == version_id
        )
    ).all()
    found = dict(rows)
    return {DEFAULT_LANGUAGE: version.body, **{code: found[code] for code in OTHER_LANGUAGES if code in found}}


def language_to_sign(available: list[str] | tuple[str, ...], asked: str | None, person: str) -> str:
    """The language version shown: the one asked for if the version has it, else the person's, else English."""
    for code in (asked, person):
        if code and code in available:
            return code
    return DEFAULT_LANGUAGE


@dataclass(frozen=True)
class LanguageVersion:
    language: str
    body: str
    updated_at: datetime
    signatures: int  # organizations that signed this language version (then it can no longer change)


def language_versions(session: Session, version_id: int) -> tuple[LanguageVersion, ...]:
    """The version's language versions other than English, in LANGUAGES' order, with how often each was signed."""
    rows = session.exec(select(AgreementVersionText).where(AgreementVersionText.version_id == version_id)).all()
    signed: dict[str, int] = dict(
        session.exec(
            select(AgreementSignature.language, func.count(col(AgreementSignature.id)))
            .where(AgreementSignature.version_id == version_id)
            .group_by(col(AgreementSignature.language))
        ).all()
    )
    by_code = {r.language: r for r in rows}
    return tuple(
        LanguageVersion(code, by_code[code].body, by_code[code].updated_at, signed.get(code, 0))
        for code in OTHER_LANGUAGES
        if code in by_code
    )


def save_language_version(
    session: Session, actor: Actor, version_id: int, *, language: str, body: str, now: datetime | None = None
) -> int:
    """Add or correct the text of published version `version_id` in `language` (not English: that is the version's
    own). FormInvalid (a message per field, nothing written) for an unknown language, an empty or too long text, an
    unknown merge field, or a language version an organization has signed already. Returns its id."""
    actor.require(Permission.MANAGE_AGREEMENTS)
    now = now or utcnow()
    if session.get(AgreementVersion, version_id) is None:
        raise NotFound("agreement version")
    body = (body or "").replace("\r\n", "\n").strip()
    errors: dict[str, str] = {}
    if language not in OTHER_LANGUAGES:
        errors["language"] = "Choose the language of this text."
    if not body:
        errors["translation"] = "Write the agreement's text in this language."
    elif len(body) > BODY_MAX:
        errors["translation"] = f"Keep the text to {BODY_MAX:,} characters or fewer."
    elif unknown := unknown_merge_fields(body):
        known = ", ".join("{{" + f + "}}" for f in MERGE_FIELDS)
        errors["translation"] = f"Unknown merge field {{{{{unknown[0]}}}}}; the fields are {known}."
    signed = session.exec(
        select(AgreementSignature.id).where(
            AgreementSignature.version_id == version_id, AgreementSignature.language == language
        )
    ).first()
    if signed is not None and "language" not in errors:
        errors["translation"] = "A partner has signed this language version: it can no longer change."
    if errors:
        raise FormInvalid(errors)
    row = session.exec(
        select(AgreementVersionText).where(
            AgreementVersionText.version_id == version_id, AgreementVersionText.language == language
        )
    ).first()
    before = {"body_sha256": row.body_sha256} if row is not None else {}
    row = row or AgreementVersionText(version_id=version_id, language=language, body="", body_sha256="")
    row.body, row.body_sha256, row.updated_by_id, row.updated_at = body, sha256_of(body), actor.user_id, now
    session.add(row)
    session.flush()
    audit(session, actor, "agreement_language_saved", "agreement_version", version_id,
          before=before, language=language, body_sha256=row.body_sha256)  # fmt: skip
    return saved_id(row)
