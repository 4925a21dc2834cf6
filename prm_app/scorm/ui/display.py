"""What the package pages show: the area's read models in, small frozen rows of display text out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from decimal import Decimal

from prm_app.scorm.queries import PackageDetail, PackageRow
from prm_app.web.format import DASH, day, moment, number, plural


def size_text(total_bytes: int) -> str:
    """1536 -> "1.5 KB"; 5_400_000 -> "5.1 MB"."""
    if total_bytes < 1024:
        return plural(total_bytes, "byte")
    if total_bytes < 1024 * 1024:
        return f"{number(total_bytes / 1024, 1)} KB"
    return f"{number(total_bytes / (1024 * 1024), 1)} MB"


def duration_text(seconds: Decimal) -> str:
    """Seconds as "1 h 05 min", "4 min 10 s", "12 s"."""
    whole = int(seconds)
    hours, minutes, secs = whole // 3600, whole % 3600 // 60, whole % 60
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


@dataclass(frozen=True)
class PackageLine:
    id: int
    title: str
    version: str
    scos: str
    size: str
    imported: str


def package_line(row: PackageRow, zone: tzinfo) -> PackageLine:
    by = f" by {row.uploaded_by}" if row.uploaded_by else ""
    return PackageLine(
        id=row.id,
        title=row.title,
        version=f"SCORM {row.version}",
        scos=plural(row.sco_count, "SCO"),
        size=f"{size_text(row.total_bytes)} in {plural(row.file_count, 'file')}",
        imported=f"{day(row.created_at, zone)}{by}",
    )


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class ScoRow:
    identifier: str
    title: str
    href: str


def _decimal(value: Decimal | None, scale: Decimal = Decimal(1)) -> str:
    return DASH if value is None else f"{(value * scale).normalize():f}"


def package_facts(detail: PackageDetail, zone: tzinfo) -> list[Fact]:
    row = detail.row
    facts = [
        Fact("Version", f"SCORM {row.version}"),
        Fact("Launch file", detail.launch_href),
        Fact("Files", f"{size_text(row.total_bytes)} in {plural(row.file_count, 'file')}"),
        Fact("Imported", moment(row.created_at, zone) + (f" by {row.uploaded_by}" if row.uploaded_by else "")),
        Fact("Uploaded file", detail.original_name or DASH),
    ]
    if detail.mastery_score is not None:
        facts.append(Fact("Mastery score", _decimal(detail.mastery_score)))
    if detail.scaled_passing_score is not None:
        facts.append(Fact("Passing score", f"{_decimal(detail.scaled_passing_score, Decimal(100))}%"))
    if detail.completion_threshold is not None:
        facts.append(Fact("Completion threshold", f"{_decimal(detail.completion_threshold, Decimal(100))}%"))
    return facts


def preview_facts(detail: PackageDetail, zone: tzinfo) -> list[Fact]:
    """Where the manager's own preview attempt stands ([] before the first launch)."""
    p = detail.preview
    if p is None:
        return []
    return [
        Fact("Status", p.lesson_status),
        Fact("Location", p.location or DASH),
        Fact("Suspend data", plural(p.suspend_chars, "character")),
        Fact("Time spent", duration_text(p.total_seconds)),
        Fact("Launches", str(p.launches)),
        Fact("Last exit", p.exit or "normal"),
        Fact("Last saved", moment(p.updated_at, zone)),
    ]
