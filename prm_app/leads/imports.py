"""Lead intake use cases: one lead typed into the form, or a CSV previewed, then imported in chunks.

An uploaded CSV streams into an `ImportStorage` (prm_app/platform/import_files.py, shared with the record imports
of prm_app/dataio). It waits there between preview and import; a preview nobody imports is deleted after a day. An
import takes it (withdraws it, once) and the job that stores its leads reads it from there
(prm_app/leads/import_runs.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session

from prm_app.leads.intake import LeadDraft, RowError, check_lead, parse_leads_csv
from prm_app.leads.store import product_catalogue, store_leads
from prm_app.leads.vocabulary import HEADERS
from prm_app.platform.access import Actor, Permission
from prm_app.platform.import_files import (  # the lead import's names for them, as before they moved to platform
    ABANDONED_AFTER_SECONDS,
    ALREADY_IMPORTING,
    AlreadyTaken,
    FolderStorage,
    ImportStorage,
    StoredUpload,
    read_capped,
    receive_upload,
    too_large_message,
)
from prm_app.platform.settings import PROJECT_DIR, settings

__all__ = [
    "ABANDONED_AFTER_SECONDS", "ALREADY_IMPORTING", "AlreadyTaken", "FolderStorage", "ImportStorage", "StoredUpload",
    "receive_upload", "too_large_message",
]  # fmt: skip

# Outside Reflex's public upload folder, named by random tokens; the web workers and the job consumers share it.
UPLOADS = FolderStorage(PROJECT_DIR / "uploads" / "lead-imports")


@dataclass(frozen=True)
class ImportPreview:
    key: str  # where the file waits for `take_upload`
    total_rows: int
    valid: int
    bad_rows: int
    errors: tuple[RowError, ...]  # at most 500, in row order


def add_lead(session: Session, actor: Actor, cells: Mapping[str, str]) -> tuple[list[RowError], LeadDraft | None]:
    """Check one lead typed into the form by exactly the CSV rules and, if clean, queue it.
    Returns the problems (none when stored) and the draft."""
    actor.require(Permission.MANAGE_LEADS)
    problems, draft = check_lead({h: str(cells.get(h, "")) for h in HEADERS}, product_catalogue(session))
    if draft is not None:
        store_leads(session, actor, [draft])
    return problems, draft


def may_import(session: Session, actor: Actor) -> None:
    """Raises unless the actor may import leads; asked before a byte of an upload is stored."""
    actor.require(Permission.MANAGE_LEADS)


def preview_import(
    session: Session, actor: Actor, key: str, storage: ImportStorage, max_bytes: int | None = None
) -> ImportPreview:
    """Parse a CSV that `receive_upload` stored under `key` and keep it for the import; nothing is stored in the
    database yet, and if the preview fails (refused, unreadable) the file is deleted too. Also deletes previews
    abandoned for over a day."""
    try:
        actor.require(Permission.MANAGE_LEADS)
        storage.sweep(ABANDONED_AFTER_SECONDS)
        data = read_capped(storage.open(key), settings.max_upload_bytes if max_bytes is None else max_bytes)
        result = parse_leads_csv(data, product_catalogue(session))
    except BaseException:
        storage.delete(key)
        raise
    return ImportPreview(key, result.total_rows, len(result.drafts), result.bad_rows, tuple(result.errors[:500]))


def take_upload(session: Session, actor: Actor, key: str, storage: ImportStorage, max_bytes: int | None = None) -> None:
    """Withdraw a previewed upload for its import (see `taken_drafts`). Atomic: an import started twice (a double
    click, two workers, a replayed event) takes it once, and the second gets ALREADY_IMPORTING. A file over the cap
    is refused and left where it is."""
    actor.require(Permission.MANAGE_LEADS)
    read_capped(storage.open(key), settings.max_upload_bytes if max_bytes is None else max_bytes)
    storage.take(key).close()


def taken_drafts(
    session: Session, actor: Actor, key: str, storage: ImportStorage, max_bytes: int | None = None
) -> list[LeadDraft]:
    """The clean rows of an upload `take_upload` withdrew, parsed again against today's catalogue, in file order
    (each with its row number, which is how a resumed import knows where it stopped)."""
    actor.require(Permission.MANAGE_LEADS)
    data = read_capped(storage.taken(key), settings.max_upload_bytes if max_bytes is None else max_bytes)
    return parse_leads_csv(data, product_catalogue(session)).drafts


def discard_import(storage: ImportStorage, key: str) -> None:
    storage.delete(key)
