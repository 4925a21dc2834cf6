"""Where the library's files live: a checked store (platform.uploads) in its own folder outside Reflex's public
upload folder, under random names (the browser's file name is only shown). Served only through
prm_app/content/ui/file_http.py, which checks the session and the asset's audience on every request.

Uploads are capped while they stream in: 200 MB unless PRM_CONTENT_MAX_MB says otherwise (read here, once: the
store is the only thing that needs it). The type is proven by content (rules.sniff), a zip's refined from its
table of contents (slides, spreadsheets) once it is complete. Co-branded renders live in a second store of the
same kind."""

from __future__ import annotations

import hashlib
import os
import secrets
import zipfile
from collections.abc import AsyncIterable
from pathlib import Path

from prm_app.content.rules import HEAD_BYTES, NOT_ACCEPTED, OFFICE, ZIP, sniff
from prm_app.platform.errors import ValidationError
from prm_app.platform.settings import PROJECT_DIR
from prm_app.platform.uploads import CheckedStorage, FileRules, StoredFile, UploadChunk


def office_type(path: Path) -> str | None:
    """For a stored zip: the OOXML type its entries prove (slides, spreadsheet, document), "application/zip" for
    another zip, None when it is no readable zip at all."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    if "[Content_Types].xml" in names:
        for prefix, kind in OFFICE.items():
            if any(name.startswith(prefix) for name in names):
                return kind
    return ZIP


CONTENT_MAX_BYTES = int(os.environ.get("PRM_CONTENT_MAX_MB", "200")) * 1024 * 1024


def too_large(max_bytes: int) -> str:
    return f"That file is over {max_bytes / (1024 * 1024):.4g} MB, the library's limit. Nothing was stored."


CONTENT_RULES = FileRules(
    field="file",
    max_bytes=CONTENT_MAX_BYTES,
    sniff=sniff,
    head_bytes=HEAD_BYTES,
    one_file="Choose one file.",
    empty="Choose a file first.",
    too_large=too_large,
    wrong_type=NOT_ACCEPTED + " Nothing was stored.",
    unnamed="file",
)


class ContentStorage(CheckedStorage):
    def __init__(self, folder: Path) -> None:
        super().__init__(folder, CONTENT_RULES)

    async def receive(self, chunks: AsyncIterable[UploadChunk], max_bytes: int | None = None) -> StoredFile:
        """As CheckedStorage.receive; a zip is then typed from its entries (an unreadable one is refused)."""
        stored = await super().receive(chunks, max_bytes)
        if stored.content_type != ZIP:
            return stored
        path = self.path(stored.key)
        kind = office_type(path) if path else None
        if kind is None:
            self.delete(stored.key)
            raise ValidationError(CONTENT_RULES.wrong_type, CONTENT_RULES.field)
        return StoredFile(key=stored.key, content_type=kind, size=stored.size, name=stored.name)

    def sha256(self, key: str) -> str:
        path = self.path(key)
        digest = hashlib.sha256()
        if path is not None:
            with path.open("rb") as file:
                for block in iter(lambda: file.read(1 << 20), b""):
                    digest.update(block)
        return digest.hexdigest()

    def put(self, data: bytes, name: str, content_type: str) -> StoredFile:
        """Store bytes the server made itself (renders, seed files) under a new random key."""
        self.folder.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(16)
        (self.folder / key).write_bytes(data)
        return StoredFile(key=key, content_type=content_type, size=len(data), name=name)


CONTENT_FILES = ContentStorage(PROJECT_DIR / "uploads" / "content")
RENDERS = ContentStorage(PROJECT_DIR / "uploads" / "content-renders")


def forget_files(keys: list[str]) -> None:
    """Delete purged versions' files and their co-branded renders (after the purge is committed: a failed purge
    keeps rows and files). Keys are random, so each is deleted from whichever store holds it."""
    for key in keys:
        CONTENT_FILES.delete(key)
        RENDERS.delete(key)
