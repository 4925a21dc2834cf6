"""What every area's upload handling reads: a piece of an uploaded file as it arrives."""

from __future__ import annotations

from typing import Protocol


class UploadChunk(Protocol):
    """A piece of an uploaded file as it arrives (Reflex's `rx.UploadChunk` has this shape)."""

    @property
    def filename(self) -> str: ...
    @property
    def data(self) -> bytes: ...
