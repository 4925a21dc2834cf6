"""Where partners' onboarding documents live: a checked store (platform.uploads) in its own folder outside
Reflex's public upload folder, served only through prm_app/onboarding/ui/document_http.py, which checks who asks
(the partner's own people, managers who reach the partner). A document's first bytes must prove it a PDF, PNG or
JPEG (three formats with unmistakable signatures: no library needed to tell them); its file name is only shown.
"""

from __future__ import annotations

from pathlib import Path

from prm_app.platform.settings import PROJECT_DIR
from prm_app.platform.uploads import CheckedStorage, FileRules, StoredFile

DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
SIGNATURES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
DOCUMENT_TYPES = frozenset(SIGNATURES.values())
NOT_A_DOCUMENT = "That file is not a PDF, PNG or JPEG."
StoredDocument = StoredFile


def document_type(head: bytes) -> str | None:
    """The type the file's first bytes prove, or None."""
    return next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)


DOCUMENT_RULES = FileRules(
    field="document",
    max_bytes=DOCUMENT_MAX_BYTES,
    sniff=document_type,
    head_bytes=16,
    one_file="Choose one file.",
    empty="Choose a file first.",
    too_large=lambda max_bytes: f"That file is over {max_bytes // (1024 * 1024)} MB.",
    wrong_type=NOT_A_DOCUMENT,
    unnamed="document",
)


class DocumentStorage(CheckedStorage):
    def __init__(self, folder: Path) -> None:
        super().__init__(folder, DOCUMENT_RULES)


DOCUMENTS = DocumentStorage(PROJECT_DIR / "uploads" / "onboarding")
