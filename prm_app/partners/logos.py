"""Where organization logos live: files named by random tokens in one folder outside Reflex's public upload folder
(which anyone could read without signing in), like the lead imports' CSV files. They are served only through the
logo endpoint (prm_app/partners/ui/logo_http.py), which checks who asks.

An upload streams in chunk by chunk and is counted as it arrives: past the cap it is refused and deleted at once.
Once complete its first bytes must prove it a PNG, JPEG or WebP (partners.rules.logo_type); anything else is
deleted and refused. A file name from the browser never becomes a path.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterable
from dataclasses import dataclass
from pathlib import Path

from prm_app.partners.rules import LOGO_MAX_BYTES, logo_type
from prm_app.platform.errors import ValidationError
from prm_app.platform.settings import PROJECT_DIR
from prm_app.platform.uploads import UploadChunk

_KEY = re.compile(r"[0-9a-f]{32}")
_HEAD = 32  # enough of the file's start for logo_type


@dataclass(frozen=True)
class StoredLogo:
    key: str
    content_type: str  # one of rules.LOGO_TYPES, proven by content
    size: int


def too_large_message(max_bytes: int = LOGO_MAX_BYTES) -> str:
    return f"That image is over {max_bytes / (1024 * 1024):g} MB; choose a smaller one."


NOT_AN_IMAGE = "That file is not a PNG, JPEG or WebP image."


class LogoStorage:
    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, key: str) -> Path | None:
        """The file of `key`, or None when `key` is not a token this storage could have made (never a path)."""
        return self.folder / key if _KEY.fullmatch(key or "") else None

    def delete(self, key: str) -> None:
        if path := self.path(key):
            path.unlink(missing_ok=True)

    async def receive(self, chunks: AsyncIterable[UploadChunk], max_bytes: int = LOGO_MAX_BYTES) -> StoredLogo:
        """Write one uploaded image as it arrives. At most `max_bytes` are ever written; past that, on a second
        file, on content that is no PNG/JPEG/WebP, or on any failure the partial file is deleted and nothing is
        kept. Raises ValidationError (field "logo") with the message for the person."""
        self.folder.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(16)
        path = self.folder / key
        name, size, head = None, 0, b""
        try:
            with path.open("xb") as file:  # "x": a key is never reused
                async for chunk in chunks:
                    if name is None:
                        name = chunk.filename
                    elif chunk.filename != name:
                        raise ValidationError("Choose one image.", "logo")
                    size += len(chunk.data)
                    if size > max_bytes:
                        raise ValidationError(too_large_message(max_bytes), "logo")
                    if len(head) < _HEAD:
                        head += chunk.data[: _HEAD - len(head)]
                    file.write(chunk.data)
            if name is None or size == 0:
                raise ValidationError("Choose an image first.", "logo")
            kind = logo_type(head)
            if kind is None:
                raise ValidationError(NOT_AN_IMAGE, "logo")
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return StoredLogo(key=key, content_type=kind, size=size)


LOGOS = LogoStorage(PROJECT_DIR / "uploads" / "logos")
