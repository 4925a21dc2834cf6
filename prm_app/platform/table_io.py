"""One engine for every record CSV import and export (partners, users, ...): an area plugs its records in with a small
`TableSpec`; the engine reads the file, maps its columns, and decides and applies each row the same way for all.

What a person gets (after Frappe's Data Import and SAP Business One's import simulation, research §6):
- **Modes**: insert (new keys only), update (existing keys only), upsert (either), keyed by `external_id`.
- **Per-row outcome** with its spreadsheet line number (the header is line 1): added, updated, skipped (unchanged,
  or an existing key in insert mode) or failed with the reason. A row is applied through the area's own use cases
  (permissions, scoping, audit) inside its own savepoint, so a refused row writes nothing and the others stay.
- **Dry run**: exactly the real run's code, each chunk rolled back instead of committed, so its counts are the
  real run's counts. What one row could change for a later one in another chunk is checked across the whole file
  first: a key or a unique value (`TableSpec.unique`) repeated in the file fails its later rows.
- **Idempotent**: a row whose canonical cells equal the record's current ones is skipped and writes nothing, so
  running the same file again, or importing an export, changes nothing.
- **Keys**: a row without an external_id gets the one its spec derives from its other cells (`derived_key`: leads
  from their domain and contact e-mail), or fails when the spec derives none (partners).
- **Results**: every row's outcome can be written back as a CSV (`results_csv`), formula-safe like an export.

Pure except `apply_chunk` (which takes the caller's session); no area imported.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from prm_app.platform.access import Actor, Permission
from prm_app.platform.csv_files import Unreadable, decode, records, unguarded, write_csv
from prm_app.platform.db import savepoint
from prm_app.platform.errors import DomainError, ValidationError
from prm_app.platform.places import fold

KEY = "external_id"
MAX_ROWS = 50_000
MAX_KEY_LENGTH = 100
_SHOWN = 200  # characters of a message kept per row


class Mode(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    UPSERT = "upsert"


class Outcome(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class Column:
    name: str  # the template's header and the cell's key
    required: bool = False
    aliases: tuple[str, ...] = ()  # other headers people use for it, compared after `header_key`
    hint: str = ""  # what a cell holds, shown beside the template


Cells = Mapping[str, str]


class TableSpec(Protocol):
    """What an area provides to import and export one kind of record. Cells are strings keyed by column name;
    `canonical` is the form both `current` and a checked row are compared in (equal: nothing to do)."""

    kind: str  # "partners": the run's and the URL's name
    title: str  # "Partners"
    permission: Permission  # asked before anything is read or written
    columns: tuple[Column, ...]  # the first is KEY
    unique: tuple[str, ...]  # columns no two records share (compared folded), checked across the file

    def canonical(self, session: Session, cells: Cells) -> dict[str, str]:
        """The row's cells in canonical form; ValidationError (field = the column) for a bad cell. Writes nothing;
        reads at most reference data (a product catalogue), cached for the unit of work in `session.info`."""
        ...

    def derived_key(self, cells: Cells) -> str:
        """The KEY of a row whose KEY cell is blank, from its other cells; "" when such a row has no key. Pure."""
        ...

    def current(self, session: Session, actor: Actor, keys: Collection[str]) -> dict[str, dict[str, str]]:
        """Canonical cells of the records with these keys that the actor may change."""
        ...

    def insert_many(self, session: Session, actor: Actor, rows: Sequence[Cells]) -> list[str]:
        """Create the records through the area's use cases, by their rules, in few statements; per row "" when
        created or the reason it was refused (a refused row writes nothing)."""
        ...

    def update(self, session: Session, actor: Actor, cells: Cells) -> None:
        """Change the record with cells[KEY] to `cells`; DomainError to refuse it."""
        ...

    def export(self, session: Session, actor: Actor, filters: Mapping[str, str]) -> Iterator[dict[str, str]]:
        """Canonical cells of the records the actor may see that match the list's filters, in a stable order."""
        ...


@dataclass(frozen=True)
class RowResult:
    line: int
    key: str
    outcome: Outcome
    message: str = ""


@dataclass(frozen=True)
class Mapped:
    """A file read and its columns mapped: the rows as {column: cell}, or the one problem with the whole file."""

    header: list[str] = field(default_factory=list)  # the file's header cells
    mapping: list[str] = field(default_factory=list)  # per file column: the column it fills, "" = ignored
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problem: str = ""
    problem_line: int = 0


def header_key(text: str) -> str:
    return fold(text.lstrip("\ufeff")).replace(" ", "_")


def auto_mapping(spec: TableSpec, header: Sequence[str]) -> list[str]:
    """Per file column, the column it names (by name or alias, ignoring case, spacing and punctuation) or "";
    a column named twice is read from its first occurrence."""
    names = {header_key(c.name): c.name for c in spec.columns}
    names.update({header_key(a): c.name for c in spec.columns for a in c.aliases})
    mapping: list[str] = []
    for text in header:
        column = names.get(header_key(text), "")
        mapping.append("" if column in mapping else column)
    return mapping


def encode_mapping(spec: TableSpec, mapping: Sequence[str]) -> str:
    """A mapping as a short text (a job run carries it): per file column the column's index, "" when ignored."""
    index = {c.name: str(i) for i, c in enumerate(spec.columns)}
    return ".".join(index.get(name, "") for name in mapping)


def decode_mapping(spec: TableSpec, text: str) -> list[str] | None:
    """`encode_mapping`'s text back; None for "" (map automatically). Unknown indexes are ignored columns."""
    if not text:
        return None
    names = [c.name for c in spec.columns]
    return [names[int(part)] if part.isdigit() and int(part) < len(names) else "" for part in text.split(".")]


def check_mapping(spec: TableSpec, mapping: Sequence[str]) -> str:
    """The problem with a mapping ("" when none): a required column no file column fills, or one filled twice."""
    chosen = [name for name in mapping if name]
    twice = sorted({name for name in chosen if chosen.count(name) > 1})
    if twice:
        return f"Each column can be filled from one file column only: {', '.join(twice)}."
    missing = [c.name for c in spec.columns if c.required and c.name not in chosen]
    return f"No column of the file is mapped to: {', '.join(missing)}." if missing else ""


def read_header(data: bytes | str) -> list[str]:
    """The file's header cells ([] when it has none or cannot be read)."""
    try:
        return next(records(decode(data)), (1, []))[1]
    except Unreadable:
        return []


def read_table(
    spec: TableSpec, data: bytes | str, mapping: Sequence[str] | None = None, *, max_rows: int = MAX_ROWS
) -> Mapped:
    """The file's rows under `mapping` (per file column, as `auto_mapping` gives; that when None). A file-level
    problem (empty, a required column unmapped, no rows, too many, unreadable) gives `problem` and no rows."""
    try:
        found = records(decode(data))
        header_line, header = next(found, (1, []))
        if not header:
            return Mapped(problem="The file is empty; start from the template.", problem_line=1)
        mapping = list(auto_mapping(spec, header) if mapping is None else mapping)[: len(header)]
        mapping += [""] * (len(header) - len(mapping))
        if problem := check_mapping(spec, mapping):
            return Mapped(header, mapping, problem=problem, problem_line=header_line)
        positions = {column: i for i, column in enumerate(mapping) if column}
        rows: list[tuple[int, dict[str, str]]] = []
        for line, cells in found:
            if len(rows) == max_rows:
                message = f"The file has more than {max_rows:,} rows; split it into smaller files."
                return Mapped(header, mapping, problem=message, problem_line=line)
            row = {c: unguarded(cells[p].strip()) if p < len(cells) else "" for c, p in positions.items()}
            rows.append((line, {**row, KEY: row.get(KEY, "") or spec.derived_key(row)}))
    except Unreadable as problem:
        return Mapped(problem=f"The file is not a readable CSV ({problem}).", problem_line=problem.row)
    if not rows:
        return Mapped(header, mapping, problem="The file has no rows below the header.", problem_line=header_line + 1)
    return Mapped(header, mapping, rows)


def repeats(spec: TableSpec, rows: Sequence[tuple[int, Cells]]) -> dict[int, str]:
    """line -> why it fails, for every row repeating an earlier row's key or unique value (across the file, so
    the dry run, whose chunks are each rolled back, fails exactly the rows the real run would)."""
    seen: dict[tuple[str, str], int] = {}
    failed: dict[int, str] = {}
    for line, cells in rows:
        for column in (KEY, *spec.unique):
            value = fold(cells.get(column, ""))
            if not value:
                continue
            first = seen.setdefault((column, value), line)
            if first != line and line not in failed:
                failed[line] = f"{column} '{cells[column][:60]}' repeats line {first}"
    return failed


def _check(session: Session, spec: TableSpec, cells: Cells) -> dict[str, str]:
    for column in spec.columns:  # first: a blank required cell is the reason, rather than the key it left blank
        if column.required and not cells.get(column.name, ""):
            raise ValidationError(f"{column.name} is missing", column.name)
    key = cells.get(KEY, "")
    if not key:
        raise ValidationError(f"{KEY} is missing", KEY)
    if len(key) > MAX_KEY_LENGTH:
        raise ValidationError(f"{KEY} is longer than {MAX_KEY_LENGTH} characters", KEY)
    return spec.canonical(session, cells)


def apply_chunk(
    session: Session,
    actor: Actor,
    spec: TableSpec,
    mode: Mode,
    rows: Sequence[tuple[int, Cells]],
    failed_before: Mapping[int, str],
) -> list[RowResult]:
    """Decide and apply each row in the caller's transaction, each in its own savepoint (a refused row leaves
    nothing behind); `failed_before` are lines `repeats` already failed. Returns one result per row, in order."""
    actor.require(spec.permission)
    wanted: list[tuple[int, str, dict[str, str] | None, str]] = []
    for line, cells in rows:
        key = cells.get(KEY, "")
        if line in failed_before:
            wanted.append((line, key, None, failed_before[line]))
            continue
        try:
            wanted.append((line, key, _check(session, spec, cells), ""))
        except ValidationError as bad:
            wanted.append((line, key, None, bad.message))
    current = spec.current(session, actor, [key for _l, key, canon, _m in wanted if canon is not None])
    results: list[RowResult | None] = []
    inserts: list[tuple[int, int, str, dict[str, str]]] = []  # (position in results, line, key, cells)
    for line, key, canon, message in wanted:
        now = current.get(key) if canon is not None else None
        if canon is None:
            results.append(RowResult(line, key, Outcome.FAILED, message[:_SHOWN]))
        elif now is None and mode != Mode.UPDATE:
            inserts.append((len(results), line, key, canon))
            results.append(None)  # decided with the others below
        else:
            results.append(_apply_row(session, actor, spec, mode, line, key, canon, now))
    for position, result in _insert_rows(session, actor, spec, inserts):
        results[position] = result
    return [r for r in results if r is not None]


def _insert_rows(
    session: Session, actor: Actor, spec: TableSpec, rows: list[tuple[int, int, str, dict[str, str]]]
) -> list[tuple[int, RowResult]]:
    """Insert the new rows in one go; if the batch trips over a constraint nobody checked (a race), row by row."""
    if not rows:
        return []
    try:
        with savepoint(session):
            refusals = spec.insert_many(session, actor, [cells for _p, _l, _k, cells in rows])
            session.flush()
    except IntegrityError:
        return [(p, _insert_one(session, actor, spec, line, key, cells)) for p, line, key, cells in rows]
    return [
        (p, RowResult(line, key, Outcome.FAILED, why[:_SHOWN]) if why else RowResult(line, key, Outcome.ADDED))
        for (p, line, key, _cells), why in zip(rows, refusals, strict=True)
    ]


def _insert_one(session: Session, actor: Actor, spec: TableSpec, line: int, key: str, cells: Cells) -> RowResult:
    try:
        with savepoint(session):
            (why,) = spec.insert_many(session, actor, [cells])
            session.flush()
    except IntegrityError:
        why = "another record already has this external_id or a value that must be unique"
    return RowResult(line, key, Outcome.FAILED, why[:_SHOWN]) if why else RowResult(line, key, Outcome.ADDED)


def _apply_row(
    session: Session,
    actor: Actor,
    spec: TableSpec,
    mode: Mode,
    line: int,
    key: str,
    canon: dict[str, str],
    now: dict[str, str] | None,
) -> RowResult:
    """An existing record (or, in update mode, a missing one): skipped, updated in its own savepoint, or failed."""
    if now is None:
        return RowResult(line, key, Outcome.FAILED, f"no record has {KEY} '{key[:60]}' (update mode changes only)")
    if mode == Mode.INSERT:
        return RowResult(line, key, Outcome.SKIPPED, "exists already (insert mode adds new records only)")
    if all(now.get(c) == v for c, v in canon.items()):
        return RowResult(line, key, Outcome.SKIPPED, "unchanged")
    try:
        with savepoint(session):
            spec.update(session, actor, {**now, **canon})
            session.flush()
    except DomainError as refused:
        return RowResult(line, key, Outcome.FAILED, refused.message[:_SHOWN])
    except IntegrityError:
        message = "another record already has this external_id or a value that must be unique"
        return RowResult(line, key, Outcome.FAILED, message)
    return RowResult(line, key, Outcome.UPDATED)


def counts(results: Sequence[RowResult]) -> dict[str, int]:
    tally = {o.value: 0 for o in Outcome}
    for result in results:
        tally[result.outcome.value] += 1
    return tally


RESULT_COLUMNS = ("line", KEY, "outcome", "reason")


def results_csv(results: Iterable[RowResult], *, bom: bool = True) -> str:
    """Every row's outcome with its line number and reason, formula-safe (a reason quotes the row's cells)."""
    return write_csv(RESULT_COLUMNS, ((str(r.line), r.key, r.outcome.value, r.message) for r in results), bom=bom)


def template_csv(spec: TableSpec) -> str:
    """The header row alone, with a BOM so Excel opens it as UTF-8."""
    return write_csv([c.name for c in spec.columns], [], bom=True)


def export_csv(
    session: Session, actor: Actor, spec: TableSpec, filters: Mapping[str, str], *, bom: bool = False
) -> str:
    """The records the actor may see under `filters` (the spec checks who may read them), every column,
    formula-safe; importing it changes nothing."""
    names = [c.name for c in spec.columns]
    return write_csv(names, ([row.get(n, "") for n in names] for row in spec.export(session, actor, filters)), bom=bom)
