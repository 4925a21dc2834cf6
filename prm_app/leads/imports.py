"""Lead intake use cases: one lead typed into the form, or a CSV previewed, then imported in chunks.

An uploaded CSV streams into an `ImportStorage` (a small port; the app uses a folder outside Reflex's public upload
folder, tests may use another) and is counted as it arrives: past the cap it is refused and deleted at once, so a
file is never held whole in memory unless it is under the cap, and nothing is parsed before it is complete.
It waits there between preview and import; a preview nobody imports is deleted after a day. An import takes it
(withdraws it, once) and the job that stores its leads reads it from there (prm_app/leads/import_runs.py).
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import AsyncIterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from sqlmodel import Session

from prm_app.leads.intake import LeadDraft, RowError, check_lead, parse_leads_csv
from prm_app.leads.store import product_catalogue, store_leads
from prm_app.leads.vocabulary import HEADERS
from prm_app.platform.access import Actor, Permission
from prm_app.platform.errors import DomainError, NotFound, ValidationError
from prm_app.platform.settings import PROJECT_DIR, settings
from prm_app.platform.uploads import UploadChunk

ABANDONED_AFTER_SECONDS = 24 * 3600
ALREADY_IMPORTING = "This file is already imported or being imported. Preview it again to import it anew."
_NAME_SHOWN = 120


class AlreadyTaken(DomainError):
    """Another caller took this upload first (its import has started)."""

    def __init__(self) -> None:
        super().__init__(ALREADY_IMPORTING)


class ImportStorage(Protocol):
    def create(self) -> tuple[str, BinaryIO]:
        """A new key and its file, open for writing."""
        ...

    def open(self, key: str) -> BinaryIO:
        """The file under `key`, open for reading; AlreadyTaken once an import took it, NotFound when there is none."""
        ...

    def take(self, key: str) -> BinaryIO:
        """The file under `key`, open for reading and atomically withdrawn, so only one caller ever takes it (an
        import runs once); AlreadyTaken when another caller took it first, NotFound when there is none."""
        ...

    def taken(self, key: str) -> BinaryIO:
        """The file `take` withdrew, open for reading (the import job reads it, again if it resumes); NotFound
        when it was never taken or is gone."""
        ...

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

    def create(self) -> tuple[str, BinaryIO]:
        self.folder.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(16)
        return key, self._path(key).open("xb")  # "x": a key is never reused

    def open(self, key: str) -> BinaryIO:
        path = self._path(key)
        try:
            return path.open("rb")
        except FileNotFoundError:
            if path.with_suffix(".taken").exists():
                raise AlreadyTaken() from None
            raise NotFound("upload") from None

    def take(self, key: str) -> BinaryIO:
        path = self._path(key)
        taken = path.with_suffix(".taken")
        try:
            path.rename(taken)  # atomic within one folder: of two racing callers, one finds the file gone
        except FileNotFoundError:
            if taken.exists():
                raise AlreadyTaken() from None
            raise NotFound("upload") from None
        return taken.open("rb")

    def taken(self, key: str) -> BinaryIO:
        try:
            return self._path(key).with_suffix(".taken").open("rb")
        except FileNotFoundError:
            raise NotFound("upload") from None

    def delete(self, key: str) -> None:
        path = self._path(key)
        path.unlink(missing_ok=True)
        path.with_suffix(".taken").unlink(missing_ok=True)

    def sweep(self, older_than_seconds: float) -> int:
        """Delete uploads older than `older_than_seconds`; returns how many went."""
        if not self.folder.is_dir():
            return 0
        cutoff, removed = time.time() - older_than_seconds, 0
        for path in [*self.folder.glob("*.csv"), *self.folder.glob("*.taken")]:
            if self._KEY.fullmatch(path.stem) and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


# Outside Reflex's public upload folder, named by random tokens; the web workers and the job consumers share it.
UPLOADS = FolderStorage(PROJECT_DIR / "uploads" / "lead-imports")


@dataclass(frozen=True)
class StoredUpload:
    key: str
    name: str  # the file name the browser sent, cut to 120 characters; for display only, never a path
    size: int


def too_large_message(max_bytes: int) -> str:
    return f"That file is over {max_bytes / (1024 * 1024):g} MB; split it into smaller files."


async def receive_upload(
    storage: ImportStorage, chunks: AsyncIterable[UploadChunk], max_bytes: int | None = None
) -> StoredUpload:
    """Write one uploaded file into `storage` as its chunks arrive. Guarantees: at most `max_bytes` (the setting by
    default) are ever written or held; past that, or on a second file, or on any failure (the upload cancelled)
    the partial file is deleted and nothing is stored. Raises ValidationError (field "file") for the person."""
    limit = settings.max_upload_bytes if max_bytes is None else max_bytes
    key, file, name, size = "", None, "", 0
    try:
        async for chunk in chunks:
            if file is None:
                name = chunk.filename
                key, file = storage.create()
            elif chunk.filename != name:
                raise ValidationError("Upload one CSV file at a time.", "file")
            size += len(chunk.data)
            if size > limit:
                raise ValidationError(too_large_message(limit), "file")
            file.write(chunk.data)
    except BaseException:
        if file is not None:
            file.close()
            storage.delete(key)
        raise
    if file is None:
        raise ValidationError("Choose a CSV file first.", "file")
    file.close()
    return StoredUpload(key, name.rsplit("/", 1)[-1][:_NAME_SHOWN] or "upload.csv", size)


def _read_capped(file: BinaryIO, max_bytes: int) -> bytes:
    """At most the cap (plus one byte to know): a larger file, whatever put it there, is refused."""
    with file:
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(too_large_message(max_bytes), "file")
    return data


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
        data = _read_capped(storage.open(key), settings.max_upload_bytes if max_bytes is None else max_bytes)
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
    _read_capped(storage.open(key), settings.max_upload_bytes if max_bytes is None else max_bytes)
    storage.take(key).close()


def taken_drafts(
    session: Session, actor: Actor, key: str, storage: ImportStorage, max_bytes: int | None = None
) -> list[LeadDraft]:
    """The clean rows of an upload `take_upload` withdrew, parsed again against today's catalogue, in file order
    (each with its row number, which is how a resumed import knows where it stopped)."""
    actor.require(Permission.MANAGE_LEADS)
    data = _read_capped(storage.taken(key), settings.max_upload_bytes if max_bytes is None else max_bytes)
    return parse_leads_csv(data, product_catalogue(session)).drafts


def discard_import(storage: ImportStorage, key: str) -> None:
    storage.delete(key)
