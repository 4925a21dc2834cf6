"""The rules of agreements, on plain values (no session, no I/O).

- A template's text is markdown with merge fields: {{company_name}}, {{company_address}}, {{signer_name}}, {{date}}.
  Merging puts the organization's values in, escaped so a company called "*Acme* [x](y)" stays plain text.
- A template applies to an organization when its partner types and regions include the organization's (an empty
  list means every type, or every region).
- What an organization must have signed: the latest version that requires acceptance (version 1 always does). A
  signature of that version or of any later one counts. Until then the organization has the latest version to
  sign, due `grace_days` after the requiring version was published; an organization that joined after that
  publication gets no grace (it is due when it joined, i.e. at once).
- A signer types their full name: it must be their account's name, case and spacing forgiven.
- What changed between two texts is shown word by word, paragraph by paragraph; unchanged paragraphs collapse.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

MERGE_FIELDS = ("company_name", "company_address", "signer_name", "date")
_FIELD = re.compile(r"\{\{\s*([a-zA-Z_]+)\s*\}\}")
# Inline markup (emphasis, code, links, HTML, entities, tables, strikethrough); a value's own start is escaped
# apart (# heading, - + list, "1." list), since a template may put a field at the start of a line.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~])")
_BLOCK_START = re.compile(r"^([#+\-=>]|\d+[.)])")

NAME_MAX = 120
BODY_MAX = 50_000
GRACE_MAX = 365


def merge_fields_in(body: str) -> list[str]:
    """The merge fields `body` names, in order of first use."""
    return list(dict.fromkeys(m.group(1) for m in _FIELD.finditer(body)))


def unknown_merge_fields(body: str) -> list[str]:
    return [name for name in merge_fields_in(body) if name not in MERGE_FIELDS]


def escape_markdown(value: str) -> str:
    """`value` as literal text inside markdown: every character markdown could read as markup is escaped, and
    line breaks become spaces (a merged value never starts a heading or a list)."""
    inline = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(value.split()))
    return _BLOCK_START.sub(lambda m: "".join("\\" + c if not c.isdigit() else c for c in m.group(1)), inline)


def merge(body: str, values: Mapping[str, str]) -> str:
    """`body` with each known merge field replaced by its escaped value ("" when `values` lacks it); unknown
    fields stay as written (publishing refuses them, so a published text has none)."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return escape_markdown(values.get(name, "")) if name in MERGE_FIELDS else match.group(0)

    return _FIELD.sub(fill, body)


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normal_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def same_name(typed: str, account_name: str) -> bool:
    """Whether the typed name is the account's name, ignoring case and spacing (never an empty name)."""
    return bool(normal_name(typed)) and normal_name(typed) == normal_name(account_name)


def applies(partner_types: Sequence[str], regions: Sequence[str], partner_type: str, region: str) -> bool:
    return (not partner_types or partner_type in partner_types) and (not regions or region in regions)


@dataclass(frozen=True)
class VersionFacts:
    """What the requirement needs to know of one published version."""

    id: int
    number: int
    requires_acceptance: bool
    grace_days: int
    published_at: datetime


@dataclass(frozen=True)
class Requirement:
    """What one organization owes one template: `to_sign` (the latest version) by `due_at`."""

    to_sign: VersionFacts
    required: VersionFacts  # the latest version that requires acceptance
    due_at: datetime
    signed_number: int | None  # the latest version this organization signed, None if none


def requirement(
    versions: Sequence[VersionFacts], signed_numbers: Sequence[int], joined_at: datetime
) -> Requirement | None:
    """What the organization still has to sign of a template with these published `versions`, having signed the
    versions numbered `signed_numbers`; None when it owes nothing (or nothing is published)."""
    if not versions:
        return None
    ordered = sorted(versions, key=lambda v: v.number)
    requiring = [v for v in ordered if v.requires_acceptance or v.number == 1]
    required = requiring[-1] if requiring else ordered[0]
    signed = max(signed_numbers, default=None)
    if signed is not None and signed >= required.number:
        return None
    grace = timedelta(days=max(0, required.grace_days))
    due = required.published_at + grace if joined_at <= required.published_at else joined_at
    return Requirement(to_sign=ordered[-1], required=required, due_at=due, signed_number=signed)


def check_template(
    name: str,
    body: str,
    partner_types: Sequence[str],
    regions: Sequence[str],
    known_types: Sequence[str],
    known_regions: Sequence[str],
) -> dict[str, str]:
    """A message per field that breaks a rule ({} when the draft may be saved)."""
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Give the agreement a name."
    elif len(name) > NAME_MAX:
        errors["name"] = f"Keep the name to {NAME_MAX} characters or fewer."
    if len(body) > BODY_MAX:
        errors["body"] = f"Keep the text to {BODY_MAX:,} characters or fewer."
    elif unknown := unknown_merge_fields(body):
        known = ", ".join("{{" + f + "}}" for f in MERGE_FIELDS)
        errors["body"] = f"Unknown merge field {{{{{unknown[0]}}}}}; the fields are {known}."
    if any(t not in known_types for t in partner_types):
        errors["partner_types"] = "Choose partner types from the list."
    if any(r not in known_regions for r in regions):
        errors["regions"] = "Choose regions from the list."
    return errors


def check_publish(body: str, latest_body: str | None, grace_days: int) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not body.strip():
        errors["body"] = "Write the agreement's text before publishing it."
    elif latest_body is not None and body == latest_body:
        errors["publish"] = "The draft is the same as the latest published version: change it first."
    if not 0 <= grace_days <= GRACE_MAX:
        errors["grace_days"] = f"Give a grace period from 0 to {GRACE_MAX} days."
    return errors


# ------------------------------------------------------------------------------------------------ what changed


@dataclass(frozen=True)
class Segment:
    """A piece of the changes: kind "same", "added" or "removed" text; "break" between paragraphs; "skipped"
    for unchanged paragraphs left out (`text` says how many)."""

    kind: str
    text: str = ""


_TOKENS = re.compile(r"\s+|[^\s]+")


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def _words(old: str, new: str) -> list[Segment]:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(Segment("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(Segment("removed", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(Segment("added", "".join(b[j1:j2])))
    return out


def _skipped(count: int) -> Segment:
    return Segment("skipped", f"{count} unchanged paragraph{'s' if count != 1 else ''}")


def changes(old: str, new: str) -> list[Segment]:
    """What changed from `old` to `new`: changed paragraphs word by word, unchanged ones collapsed; [] when the
    texts are the same."""
    a, b = _paragraphs(old), _paragraphs(new)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if out:
            out.append(Segment("break"))
        if op == "equal":
            out.append(_skipped(i2 - i1))
        elif op == "delete":
            out.append(Segment("removed", "\n\n".join(a[i1:i2])))
        elif op == "insert":
            out.append(Segment("added", "\n\n".join(b[j1:j2])))
        else:
            out.extend(_words("\n\n".join(a[i1:i2]), "\n\n".join(b[j1:j2])))
    return [] if all(s.kind in ("skipped", "break") for s in out) else out
