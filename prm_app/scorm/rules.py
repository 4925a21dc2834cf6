"""The SCORM run-time rules, on plain data: what a commit from the browser means, what a launch gives the package.

- **Entry**: `resume` only when the previous launch ended with `exit=suspend` and left state; else `ab-initio`.
  A resumed launch gets back what the SCO committed: location, suspend data and its collections (objectives;
  in 2004 also interactions and comments), so the whole CMI of the attempt survives a suspend.
  An `ab-initio` relaunch after a finished launch starts the content afresh (no location, no suspend data) but
  keeps the status reached and the time spent.
- **Time**: the runtime reports `session_time` for the launch so far; the total is the time of every earlier
  launch plus it. It is never added to what is stored, so a commit sent twice cannot count twice.
- **Lenient lengths**: packages in the field write far more suspend data than SCORM 1.2's 4096 characters; we
  keep up to a configurable cap (PRM_SCORM_SUSPEND_DATA_MAX, 256k characters by default) and refuse beyond it
  with the spec's error code, saving nothing of that commit. (The browser runtime, scorm-again 3.4, itself
  accepts 64,000 characters in both versions: that is what a package can store today.)
- **Status**: SCORM 1.2 has one `lesson_status`; 2004 has `completion_status` and `success_status`. Both map to
  one pair (completed, passed). A 1.2 mastery score from the manifest decides passed/failed from `score.raw`;
  a 2004 completion threshold and scaled passing score decide from `progress_measure` and `score.scaled`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any


class Version(StrEnum):
    V12 = "1.2"
    V2004 = "2004"


AB_INITIO, RESUME, SUSPEND = "ab-initio", "resume", "suspend"
LESSON_STATUSES = frozenset({"passed", "completed", "failed", "incomplete", "browsed", "not attempted"})
COMPLETION_STATUSES = frozenset({"completed", "incomplete", "not attempted", "unknown"})
SUCCESS_STATUSES = frozenset({"passed", "failed", "unknown"})
EXITS = frozenset({"", "suspend", "logout", "time-out", "normal"})
# The error codes a refused commit answers with (the runtime hands them to the package's GetLastError).
GENERAL_ERROR = {Version.V12: 101, Version.V2004: 391}
TYPE_MISMATCH = {Version.V12: 405, Version.V2004: 406}
OUT_OF_RANGE = {Version.V12: 405, Version.V2004: 407}
MAX_SESSION_SECONDS = Decimal(99_999 * 3600)  # 1.2's time format holds four digits of hours


def _cap(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


@dataclass(frozen=True)
class Limits:
    suspend_data_max: int  # characters
    location_max: int


def limits() -> Limits:
    """The lenient caps, from the environment (PRM_SCORM_SUSPEND_DATA_MAX, PRM_SCORM_LOCATION_MAX)."""
    return Limits(_cap("PRM_SCORM_SUSPEND_DATA_MAX", 256_000), _cap("PRM_SCORM_LOCATION_MAX", 4000))


class CommitRefused(Exception):
    """A commit the server will not keep: nothing of it is saved; `code` goes back to the runtime."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Thresholds:
    """What the manifest says decides status from score and progress."""

    mastery_score: Decimal | None = None  # 1.2, on score.raw (0-100)
    scaled_passing_score: Decimal | None = None  # 2004, on score.scaled (-1..1)
    completion_threshold: Decimal | None = None  # 2004, on progress_measure (0..1)


@dataclass(frozen=True)
class Facts:
    """What one commit says, checked: the columns an attempt keeps besides the whole CMI tree."""

    location: str
    suspend_data: str
    exit: str
    session_seconds: Decimal
    lesson_status: str
    completion_status: str
    success_status: str
    score_raw: Decimal | None
    score_min: Decimal | None
    score_max: Decimal | None
    score_scaled: Decimal | None
    progress_measure: Decimal | None

    @property
    def completed(self) -> bool:
        return self.completion_status == "completed"

    @property
    def passed(self) -> bool:
        return self.success_status == "passed"

    @property
    def score_percent(self) -> Decimal | None:
        return score_percent(self.score_raw, self.score_min, self.score_max, self.score_scaled)


def score_percent(
    raw: Decimal | None, low: Decimal | None, high: Decimal | None, scaled: Decimal | None
) -> Decimal | None:
    """The score as 0-100: from `scaled` when given, else `raw` within [min, max] (0-100 when unset)."""
    if scaled is not None:
        return (scaled * 100).quantize(Decimal("0.01"))
    if raw is None:
        return None
    low, high = low if low is not None else Decimal(0), high if high is not None else Decimal(100)
    if high <= low:
        return None
    return ((raw - low) / (high - low) * 100).quantize(Decimal("0.01"))


# ------------------------------------------------------------------------------------------------ time
_TIMESPAN_12 = re.compile(r"^(\d{2,4}):([0-5]\d):([0-5]\d)(\.\d{1,2})?$")
_NUM = r"(\d+(?:\.\d+)?)"
_DURATION_2004 = re.compile(rf"^P(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}D)?(?:T(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?$")
_UNITS_2004 = (365 * 86400, 30 * 86400, 86400, 3600, 60, 1)


def parse_duration(version: Version, text: str) -> Decimal:
    """Seconds in a 1.2 timespan (HHHH:MM:SS.SS) or a 2004 ISO 8601 duration (PT1H2M3.5S); "" is 0.
    Raises ValueError on anything else."""
    text = (text or "").strip()
    if not text:
        return Decimal(0)
    if version == Version.V12:
        match = _TIMESPAN_12.match(text)
        if not match:
            raise ValueError(text)
        hours, minutes, seconds, fraction = match.groups()
        return Decimal(int(hours) * 3600 + int(minutes) * 60 + int(seconds)) + Decimal(fraction or "0")
    match = _DURATION_2004.match(text)
    if not match or text in {"P", "PT"} or text.endswith("T"):
        raise ValueError(text)
    return sum((Decimal(v) * unit for v, unit in zip(match.groups(), _UNITS_2004, strict=True) if v), Decimal(0))


def format_duration(version: Version, seconds: Decimal) -> str:
    """`seconds` as the version's total_time: 0012:05:30.25 (1.2) or PT12H5M30.25S (2004)."""
    seconds = max(Decimal(0), min(seconds, MAX_SESSION_SECONDS)).quantize(Decimal("0.01"))
    whole = int(seconds)
    hours, minutes, secs = whole // 3600, whole % 3600 // 60, whole % 60
    fraction = seconds - whole
    if version == Version.V12:
        return f"{hours:04d}:{minutes:02d}:{secs:02d}.{int(fraction * 100):02d}"
    sec_text = f"{secs + fraction:f}".rstrip("0").rstrip(".") if fraction else str(secs)
    return f"PT{hours}H{minutes}M{sec_text}S"


# ------------------------------------------------------------------------------------------------ commits
def _text(node: Any, *path: str) -> str:
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    if node is None:
        return ""
    if not isinstance(node, str | int | float) or isinstance(node, bool):
        raise ValueError(".".join(path))
    return str(node)


def _number(
    version: Version, value: str, element: str, low: Decimal | None = None, high: Decimal | None = None
) -> Decimal | None:
    if value == "":
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise CommitRefused(TYPE_MISMATCH[version], f"{element} is not a number.") from None
    if not number.is_finite() or abs(number) >= Decimal("1e8"):
        raise CommitRefused(TYPE_MISMATCH[version], f"{element} is not a number.")
    if (low is not None and number < low) or (high is not None and number > high):
        raise CommitRefused(OUT_OF_RANGE[version], f"{element} is out of range.")
    return number


def _vocabulary(version: Version, value: str, allowed: frozenset[str], element: str, default: str) -> str:
    if value == "":
        return default
    if value not in allowed:
        raise CommitRefused(TYPE_MISMATCH[version], f"{element} has no value {value[:40]!r}.")
    return value


def _checked_length(version: Version, value: str, cap: int, element: str) -> str:
    if len(value) > cap:
        raise CommitRefused(OUT_OF_RANGE[version], f"{element} is over {cap} characters.")
    return value


def read_commit(version: Version, cmi: Any, thresholds: Thresholds, caps: Limits) -> Facts:
    """The checked facts of a commit's CMI tree (`{"core": {...}, "suspend_data": ...}` for 1.2,
    `{"location": ..., "completion_status": ...}` for 2004). Raises CommitRefused with the spec's error code."""
    if not isinstance(cmi, dict):
        raise CommitRefused(GENERAL_ERROR[version], "The commit holds no CMI data.")
    try:
        return _read_12(cmi, thresholds, caps) if version == Version.V12 else _read_2004(cmi, thresholds, caps)
    except ValueError as bad:
        raise CommitRefused(TYPE_MISMATCH[version], f"Malformed value in {bad}.") from None


def _read_12(cmi: dict[str, Any], thresholds: Thresholds, caps: Limits) -> Facts:
    v = Version.V12
    status = _vocabulary(v, _text(cmi, "core", "lesson_status"), LESSON_STATUSES, "lesson_status", "not attempted")
    exit_ = _vocabulary(v, _text(cmi, "core", "exit"), EXITS, "exit", "")
    raw = _number(v, _text(cmi, "core", "score", "raw"), "score.raw")
    low = _number(v, _text(cmi, "core", "score", "min"), "score.min")
    high = _number(v, _text(cmi, "core", "score", "max"), "score.max")
    if thresholds.mastery_score is not None and raw is not None and status not in {"not attempted", "browsed"}:
        status = "passed" if raw >= thresholds.mastery_score else "failed"
    return Facts(
        location=_checked_length(v, _text(cmi, "core", "lesson_location"), caps.location_max, "lesson_location"),
        suspend_data=_checked_length(v, _text(cmi, "suspend_data"), caps.suspend_data_max, "suspend_data"),
        exit=exit_,
        session_seconds=min(parse_duration(v, _text(cmi, "core", "session_time")), MAX_SESSION_SECONDS),
        lesson_status=status,
        completion_status="completed" if status in {"completed", "passed", "failed"} else
        ("not attempted" if status == "not attempted" else "incomplete"),
        success_status={"passed": "passed", "failed": "failed"}.get(status, "unknown"),
        score_raw=raw, score_min=low, score_max=high, score_scaled=None, progress_measure=None,
    )  # fmt: skip


def _read_2004(cmi: dict[str, Any], thresholds: Thresholds, caps: Limits) -> Facts:
    v = Version.V2004
    completion = _vocabulary(v, _text(cmi, "completion_status"), COMPLETION_STATUSES, "completion_status", "unknown")
    success = _vocabulary(v, _text(cmi, "success_status"), SUCCESS_STATUSES, "success_status", "unknown")
    scaled = _number(v, _text(cmi, "score", "scaled"), "score.scaled", Decimal(-1), Decimal(1))
    progress = _number(v, _text(cmi, "progress_measure"), "progress_measure", Decimal(0), Decimal(1))
    if thresholds.completion_threshold is not None and progress is not None:
        completion = "completed" if progress >= thresholds.completion_threshold else "incomplete"
    if thresholds.scaled_passing_score is not None and scaled is not None:
        success = "passed" if scaled >= thresholds.scaled_passing_score else "failed"
    lesson = (
        success if success in {"passed", "failed"}
        else completion if completion in {"completed", "incomplete", "not attempted"}
        else "incomplete"
    )  # fmt: skip
    return Facts(
        location=_checked_length(v, _text(cmi, "location"), caps.location_max, "location"),
        suspend_data=_checked_length(v, _text(cmi, "suspend_data"), caps.suspend_data_max, "suspend_data"),
        exit=_vocabulary(v, _text(cmi, "exit"), EXITS, "exit", ""),
        session_seconds=min(parse_duration(v, _text(cmi, "session_time")), MAX_SESSION_SECONDS),
        lesson_status=lesson,
        completion_status=completion,
        success_status=success,
        score_raw=_number(v, _text(cmi, "score", "raw"), "score.raw"),
        score_min=_number(v, _text(cmi, "score", "min"), "score.min"),
        score_max=_number(v, _text(cmi, "score", "max"), "score.max"),
        score_scaled=scaled,
        progress_measure=progress,
    )


# ------------------------------------------------------------------------------------------------ launches
def entry_for(previous_exit: str, location: str, suspend_data: str) -> str:
    """`resume` only after `exit=suspend` that left something to resume from; otherwise `ab-initio`."""
    return RESUME if previous_exit == SUSPEND and (location or suspend_data) else AB_INITIO


@dataclass(frozen=True)
class Resumable:
    """What an attempt holds that a launch hands back to the package."""

    entry: str
    location: str
    suspend_data: str
    lesson_status: str
    completion_status: str
    success_status: str
    score_raw: Decimal | None
    score_min: Decimal | None
    score_max: Decimal | None
    score_scaled: Decimal | None
    progress_measure: Decimal | None
    total_seconds: Decimal


def _plain(number: Decimal | None) -> str:
    return "" if number is None else f"{number.normalize():f}"


# What a resumed launch hands back besides location and suspend data: the collections a SCO reads again on resume
# (its objectives; in 2004 also its interactions and its learner's comments), as the last commit carried them.
# SCORM 1.2's interactions are write-only for the SCO, so they are not handed back.
RESUMED_COLLECTIONS = {
    Version.V12: ("objectives",),
    Version.V2004: ("objectives", "interactions", "comments_from_learner"),
}


def resumed_collections(version: Version, kept: object) -> dict[str, Any]:
    """The collections of the last commit's CMI (`kept`) that a resumed launch loads again, each as scorm-again
    renders it ({"0": {...}, "1": {...}}, or a list of objects); anything of another shape is left out."""
    if not isinstance(kept, dict):
        return {}
    out: dict[str, Any] = {}
    for name in RESUMED_COLLECTIONS[version]:
        value = kept.get(name)
        if isinstance(value, dict) and all(k.isdigit() and isinstance(v, dict) for k, v in value.items()):
            value = [value[k] for k in sorted(value, key=int)]
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            out[name] = value
    return out


def initial_cmi(
    version: Version,
    state: Resumable,
    learner_id: str,
    learner_name: str,
    t: Thresholds,
    kept: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The CMI tree a launch loads into the runtime before the package calls Initialize (scorm-again's
    loadFromJSON shape; empty values are left out, as the runtime skips them). On `resume`, the collections the
    last commit held (`kept`, see resumed_collections) come back too: the whole CMI of the attempt, not only its
    location."""
    restored = resumed_collections(version, kept) if state.entry == RESUME else {}
    total = format_duration(version, state.total_seconds)
    if version == Version.V12:
        core = {
            "student_id": learner_id, "student_name": learner_name, "lesson_location": state.location,
            "lesson_status": state.lesson_status, "entry": state.entry, "total_time": total,
            "credit": "credit", "lesson_mode": "normal",
            "score": {"raw": _plain(state.score_raw), "min": _plain(state.score_min), "max": _plain(state.score_max)},
        }  # fmt: skip
        tree: dict[str, Any] = {"core": core, "suspend_data": state.suspend_data}
        if t.mastery_score is not None:
            tree["student_data"] = {"mastery_score": _plain(t.mastery_score)}
        return {**_without_empty(tree), **restored}
    tree = {
        "learner_id": learner_id, "learner_name": learner_name, "location": state.location,
        "completion_status": state.completion_status, "success_status": state.success_status,
        "entry": state.entry, "total_time": total, "suspend_data": state.suspend_data,
        "credit": "credit", "mode": "normal", "progress_measure": _plain(state.progress_measure),
        "scaled_passing_score": _plain(t.scaled_passing_score),
        "completion_threshold": _plain(t.completion_threshold),
        "score": {"scaled": _plain(state.score_scaled), "raw": _plain(state.score_raw),
                  "min": _plain(state.score_min), "max": _plain(state.score_max)},
    }  # fmt: skip
    return {**_without_empty(tree), **restored}  # as committed: pruning could renumber their entries


def _without_empty(tree: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            value = _without_empty(value)
        if value not in ("", {}, None):
            out[key] = value
    return out


_CONTEXT = re.compile(r"^(preview|[a-z][a-z_]{0,19}:[A-Za-z0-9_-]{1,36})(/[1-9][0-9]{0,2})?$")  # one spelling a SCO
MAX_SCOS = 1000  # a context's "/<n>" names SCO n (0-based) of the package
PREVIEW = "preview"


def valid_context(context: object) -> bool:
    """ "preview", or `kind:id` like "lesson:42" (what another area launches a package for), either followed by
    "/<n>" to run the package's SCO n ("lesson:42/1": its second SCO; without it, the first)."""
    return isinstance(context, str) and bool(_CONTEXT.match(context))


def split_context(context: str) -> tuple[str, int]:
    """("lesson:42", 1) from "lesson:42/1"; ("lesson:42", 0) from "lesson:42". Each SCO of a package runs in its
    own context, so each keeps its own attempt (CMI data, time, completion)."""
    base, _, index = context.partition("/")
    return base, int(index) if index.isdigit() else 0


def sco_context(base: str, index: int) -> str:
    """The context SCO `index` runs in: the base itself for the first (attempts made before packages had several
    SCOs stay theirs), "<base>/<index>" for the others."""
    return base if index == 0 else f"{base}/{index}"


def learner_name(full_name: str) -> str:
    """SCORM's "Last, First" from a full name ("Maya Chen" -> "Chen, Maya"); one word stays as it is."""
    parts = full_name.split()
    return f"{parts[-1]}, {' '.join(parts[:-1])}" if len(parts) > 1 else full_name.strip()
