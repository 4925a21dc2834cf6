"""What the agreement pages show: the area's read models in, small frozen rows of display text out.

Pure functions (formatting with prm_app/web/format.py), so the page modules only lay things out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from prm_app.agreements import (
    Segment,
    SignatureLine,
    SignedAgreement,
    TemplateSummary,
    VersionLine,
)
from prm_app.agreements.ui.pdf_http import pdf_url
from prm_app.partners import type_label
from prm_app.platform.i18n import DEFAULT_LANGUAGE, catalogue
from prm_app.web.format import day, moment


def applies_to(partner_types: tuple[str, ...] | list[str], regions: tuple[str, ...] | list[str]) -> str:
    """ "All partner types, all regions" or e.g. "MSP; EMEA, APAC"."""
    types = ", ".join(type_label(t) for t in partner_types) if partner_types else "All partner types"
    places = ", ".join(regions) if regions else "all regions"
    return f"{types}; {places}"


@dataclass(frozen=True)
class ChangeRow:
    kind: str  # same | added | removed | break | skipped (rules.Segment)
    text: str


def change_rows(segments: tuple[Segment, ...]) -> list[ChangeRow]:
    return [ChangeRow(s.kind, s.text) for s in segments]


@dataclass(frozen=True)
class SignedRow:
    id: int
    agreement: str
    version: str
    signer: str
    typed: str  # typed “Erika Muster”
    signed: str
    language: str  # the language version signed, named in the reader's language
    pdf: str
    pdf_label: str


def signed_row(s: SignedAgreement, zone: tzinfo = UTC, language: str = DEFAULT_LANGUAGE) -> SignedRow:
    words = catalogue(language)
    version = words.text("agreements.sign.version", number=s.version_number)
    return SignedRow(
        s.signature_id,
        s.template,
        version,
        s.signer,
        words.text("agreements.sign.typed", name=s.typed_name),
        moment(s.signed_at, zone, language=language),
        words.text(f"agreements.language.{s.language}"),
        pdf_url(s.signature_id),
        words.text("agreements.sign.download_label", agreement=s.template, version=version),
    )


def due_text(due_at: datetime, overdue: bool, zone: tzinfo = UTC, language: str = DEFAULT_LANGUAGE) -> str:
    words = catalogue(language)
    if overdue:
        return words.text("agreements.sign.due_now")
    return words.text("agreements.sign.due", day=day(due_at, zone, language=language))


@dataclass(frozen=True)
class TemplateRow:
    id: int
    name: str
    applies: str
    latest: str
    published: str
    draft: str
    signatures: str


def template_row(t: TemplateSummary, zone: tzinfo = UTC) -> TemplateRow:
    return TemplateRow(
        id=t.id,
        name=t.name,
        applies=applies_to(t.partner_types, t.regions),
        latest=f"Version {t.latest_number}" if t.latest_number else "Not published",
        published=day(t.latest_published_at, zone) if t.latest_published_at else "—",
        draft="Changed since the latest version" if t.draft_changed else "Same as the latest version",
        signatures=str(t.signatures),
    )


@dataclass(frozen=True)
class VersionRow:
    number: str
    published: str
    by: str
    reacceptance: str
    sha: str


def version_row(v: VersionLine, zone: tzinfo = UTC) -> VersionRow:
    if v.number == 1:
        acceptance = "First version: every partner signs"
    elif v.requires_acceptance:
        acceptance = f"Re-acceptance required, {v.grace_days} days' grace" if v.grace_days else "Re-acceptance required"
    else:
        acceptance = "No re-acceptance"
    return VersionRow(
        f"Version {v.number}", moment(v.published_at, zone), v.published_by or "—", acceptance, v.body_sha256
    )


@dataclass(frozen=True)
class SignatureRow:
    id: int
    organization: str
    version: str
    signer: str
    typed_name: str
    signed: str
    ip: str
    pdf: str
    language: str = ""


def signature_row(s: SignatureLine, zone: tzinfo = UTC) -> SignatureRow:
    return SignatureRow(
        s.id,
        s.organization,
        f"Version {s.version_number}",
        s.signer,
        s.typed_name,
        moment(s.signed_at, zone),
        s.ip or "—",
        pdf_url(s.id),
        catalogue(DEFAULT_LANGUAGE).text(f"agreements.language.{s.language}"),
    )
