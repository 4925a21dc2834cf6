"""Where partners' onboarding documents live: files named by random tokens in one folder outside Reflex's public
upload folder, served only through prm_app/onboarding/ui/document_http.py, which checks who asks (the partner's
own people, managers who reach the partner).

An upload is counted as it streams in and refused past the cap; once complete its first bytes must prove it a PDF,
PNG or JPEG (three formats with unmistakable signatures: no library needed to tell them). A file name from the
browser is only shown, never part of a path.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterable
from dataclasses import dataclass
from pathlib import Path

from prm_app.platform.errors import ValidationError
from prm_app.platform.settings import PROJECT_DIR
from prm_app.platform.uploads import UploadChunk

DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
SIGNATURES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
DOCUMENT_TYPES = frozenset(SIGNATURES.values())
NOT_A_DOCUMENT = "That file is not a PDF, PNG or JPEG."
_KEY = re.compile(r"[0-9a-f]{32}")


def document_type(head: bytes) -> str | None:
    """The type the file's first bytes prove, or None."""
    return next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)


def shown_name(filename: str) -> str:
    """The browser's file name as text to show: its last path part, printable characters, at most 200."""
    base = re.split(r"[\\/]", filename or "")[-1]
    return "".join(c for c in base if c.isprintable())[:200] or "document"


@dataclass(frozen=True)
class StoredDocument:
    key: str
    content_type: str
    name: str
    size: int


class DocumentStorage:
    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, key: str) -> Path | None:
        """The file of `key`, or None when `key` is not a token this storage makes (never a path)."""
        return self.folder / key if _KEY.fullmatch(key or "") else None

    def delete(self, key: str) -> None:
        if path := self.path(key):
            path.unlink(missing_ok=True)

    async def receive(self, chunks: AsyncIterable[UploadChunk], max_bytes: int = DOCUMENT_MAX_BYTES) -> StoredDocument:
        """Write one uploaded document as it arrives; at most `max_bytes` are written. Past that, on a second
        file, on content that is no PDF/PNG/JPEG or on any failure the partial file is deleted. Raises
        ValidationError (field "document") with the message for the person."""
        self.folder.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(16)
        path = self.folder / key
        name, size, head = None, 0, b""
        try:
            with path.open("xb") as file:
                async for chunk in chunks:
                    if name is None:
                        name = chunk.filename
                    elif chunk.filename != name:
                        raise ValidationError("Choose one file.", "document")
                    size += len(chunk.data)
                    if size > max_bytes:
                        raise ValidationError(f"That file is over {max_bytes // (1024 * 1024)} MB.", "document")
                    if len(head) < 16:
                        head += chunk.data[: 16 - len(head)]
                    file.write(chunk.data)
            if name is None or size == 0:
                raise ValidationError("Choose a file first.", "document")
            kind = document_type(head)
            if kind is None:
                raise ValidationError(NOT_A_DOCUMENT, "document")
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return StoredDocument(key=key, content_type=kind, name=shown_name(name), size=size)


DOCUMENTS = DocumentStorage(PROJECT_DIR / "uploads" / "onboarding")
