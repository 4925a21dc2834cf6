"""Uploaded CSV files waiting between their check (a preview, a dry run) and their import: a small storage port and
the folder the app uses, and the receiving of an upload as it streams in.

An uploaded CSV streams into an `ImportStorage` and is counted as it arrives: past the cap it is refused and deleted
at once, so a file is never held whole in memory unless it is under the cap, and nothing is parsed before it is
complete. An import takes it (withdraws it, once) and the job that stores its rows reads it from there. Used by the
record imports (prm_app/dataio: partners, leads, ...).
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import AsyncIterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from prm_app.platform.errors import DomainError, NotFound, ValidationError
from prm_app.platform.settings import settings
from prm_app.platform.uploads import UploadChunk

_NAME_SHOWN = 120
ABANDONED_AFTER_SECONDS = 24 * 3600  # an upload nobody imported is deleted after a day
ALREADY_IMPORTING = "This file is already imported or being imported. Preview it again to import it anew."


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


def read_capped(file: BinaryIO, max_bytes: int) -> bytes:
    """At most the cap (plus one byte to know): a larger file, whatever put it there, is refused."""
    with file:
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(too_large_message(max_bytes), "file")
    return data
