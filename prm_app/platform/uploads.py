"""What every area's upload handling uses: a piece of an uploaded file as it arrives, and the checked store its
files go to (logos, onboarding documents, ...).

A store keeps files named by random tokens in one folder outside Reflex's public upload folder (which anyone could
read without signing in); each area serves them only through an endpoint that checks who asks. An upload is counted
as it streams in and refused past the cap at once; once complete its first bytes must prove one of the store's
types; on any refusal or failure the partial file is deleted. A file name from the browser never becomes a path.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from prm_app.platform.errors import ValidationError


class UploadChunk(Protocol):
    """A piece of an uploaded file as it arrives (Reflex's `rx.UploadChunk` has this shape)."""

    @property
    def filename(self) -> str: ...
    @property
    def data(self) -> bytes: ...


@dataclass(frozen=True)
class StoredFile:
    key: str  # the random token naming the file in its store
    content_type: str  # proven by content
    size: int
    name: str = ""  # the browser's file name, cleaned, for showing only


@dataclass(frozen=True)
class FileRules:
    """What a store accepts and what it says when it refuses; errors name the form's `field`."""

    field: str
    max_bytes: int
    sniff: Callable[[bytes], str | None]  # the type the file's first `head_bytes` prove, or None
    head_bytes: int
    one_file: str  # "Choose one image."
    empty: str  # "Choose an image first."
    too_large: Callable[[int], str]  # the message for a file over this many bytes
    wrong_type: str  # "That file is not a PNG, JPEG or WebP image."
    unnamed: str = "file"  # shown for a file the browser gave no usable name


_KEY = re.compile(r"[0-9a-f]{32}")


def shown_name(filename: str, default: str = "file") -> str:
    """The browser's file name as text to show: its last path part, printable characters, at most 200."""
    base = re.split(r"[\\/]", filename or "")[-1]
    return "".join(c for c in base if c.isprintable())[:200] or default


class CheckedStorage:
    def __init__(self, folder: Path, rules: FileRules):
        self.folder = folder
        self.rules = rules

    def path(self, key: str) -> Path | None:
        """The file of `key`, or None when `key` is not a token this store could have made (never a path)."""
        return self.folder / key if _KEY.fullmatch(key or "") else None

    def delete(self, key: str) -> None:
        if path := self.path(key):
            path.unlink(missing_ok=True)

    async def receive(self, chunks: AsyncIterable[UploadChunk], max_bytes: int | None = None) -> StoredFile:
        """Write one uploaded file as it arrives. At most `max_bytes` (the rules' cap by default) are ever written;
        past that, on a second file, on content of another type, or on any failure the partial file is deleted and
        nothing is kept. Raises ValidationError (the rules' field) with the message for the person."""
        rules, cap = self.rules, self.rules.max_bytes if max_bytes is None else max_bytes
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
                        raise ValidationError(rules.one_file, rules.field)
                    size += len(chunk.data)
                    if size > cap:
                        raise ValidationError(rules.too_large(cap), rules.field)
                    if len(head) < rules.head_bytes:
                        head += chunk.data[: rules.head_bytes - len(head)]
                    file.write(chunk.data)
            if name is None or size == 0:
                raise ValidationError(rules.empty, rules.field)
            kind = rules.sniff(head)
            if kind is None:
                raise ValidationError(rules.wrong_type, rules.field)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return StoredFile(key=key, content_type=kind, size=size, name=shown_name(name, rules.unnamed))
