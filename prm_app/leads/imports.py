"""Lead intake use cases: one lead typed into the form, or a CSV previewed, then imported in chunks.

The uploaded file waits between preview and import in an `ImportStorage` (a small port; the app uses a folder
outside Reflex's public upload folder, tests may use another). A preview nobody imports is deleted after a day.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlmodel import Session

from prm_app.leads.intake import HEADERS, LeadDraft, RowError, check_lead, parse_leads_csv
from prm_app.leads.store import product_catalogue, store_leads
from prm_app.platform.access import Actor, Permission
from prm_app.platform.errors import NotFound, ValidationError

MAX_BYTES = 5 * 1024 * 1024
ABANDONED_AFTER_SECONDS = 24 * 3600


class ImportStorage(Protocol):
    def put(self, data: bytes) -> str: ...
    def get(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...
    def sweep(self, older_than_seconds: float) -> int: ...


class FolderStorage:
    """Files named by random tokens in one folder; a key that is not such a token never touches the disk."""

    _KEY = re.compile(r"[0-9a-f]{32}")

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, key: str) -> Path:
        if not self._KEY.fullmatch(key):
            raise NotFound("upload")
        return self.folder / f"{key}.csv"

    def put(self, data: bytes) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(16)
        self._path(key).write_bytes(data)
        return key

    def get(self, key: str) -> bytes:
        path = self._path(key)
        if not path.is_file():
            raise NotFound("upload")
        return path.read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def sweep(self, older_than_seconds: float) -> int:
        """Delete uploads older than `older_than_seconds`; returns how many went."""
        if not self.folder.is_dir():
            return 0
        cutoff, removed = time.time() - older_than_seconds, 0
        for path in self.folder.glob("*.csv"):
            if self._KEY.fullmatch(path.stem) and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


@dataclass(frozen=True)
class ImportPreview:
    key: str  # where the file waits for `drafts_to_import`
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


def preview_import(session: Session, actor: Actor, data: bytes, storage: ImportStorage) -> ImportPreview:
    """Parse an uploaded CSV and keep it for the import; nothing is stored in the database yet.
    Also deletes previews abandoned for over a day."""
    actor.require(Permission.MANAGE_LEADS)
    if len(data) > MAX_BYTES:
        raise ValidationError("That file is over 5 MB; split it into smaller files.", "file")
    storage.sweep(ABANDONED_AFTER_SECONDS)
    result = parse_leads_csv(data, product_catalogue(session))
    key = storage.put(data)
    return ImportPreview(key, result.total_rows, len(result.drafts), result.bad_rows, tuple(result.errors[:500]))


def drafts_to_import(session: Session, actor: Actor, key: str, storage: ImportStorage) -> list[LeadDraft]:
    """The clean rows of a previewed upload, parsed again against today's catalogue; the caller stores them in
    chunks with `store_leads` and then calls `discard_import`."""
    actor.require(Permission.MANAGE_LEADS)
    return parse_leads_csv(storage.get(key), product_catalogue(session)).drafts


def discard_import(storage: ImportStorage, key: str) -> None:
    storage.delete(key)
