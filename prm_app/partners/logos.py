"""Where organization logos live: a checked store (platform.uploads) in its own folder outside Reflex's public
upload folder, like the lead imports' CSV files. They are served only through the logo endpoint
(prm_app/partners/ui/logo_http.py), which checks who asks. A logo's first bytes must prove it a PNG, JPEG or WebP
(partners.rules.logo_type).
"""

from __future__ import annotations

from pathlib import Path

from prm_app.partners.rules import LOGO_MAX_BYTES, logo_type
from prm_app.platform.settings import PROJECT_DIR
from prm_app.platform.uploads import CheckedStorage, FileRules, StoredFile

StoredLogo = StoredFile  # its content_type is one of rules.LOGO_TYPES


def too_large_message(max_bytes: int = LOGO_MAX_BYTES) -> str:
    return f"That image is over {max_bytes / (1024 * 1024):g} MB; choose a smaller one."


NOT_AN_IMAGE = "That file is not a PNG, JPEG or WebP image."
LOGO_RULES = FileRules(
    field="logo",
    max_bytes=LOGO_MAX_BYTES,
    sniff=logo_type,
    head_bytes=32,  # enough of the file's start for logo_type
    one_file="Choose one image.",
    empty="Choose an image first.",
    too_large=too_large_message,
    wrong_type=NOT_AN_IMAGE,
)


class LogoStorage(CheckedStorage):
    def __init__(self, folder: Path) -> None:
        super().__init__(folder, LOGO_RULES)


LOGOS = LogoStorage(PROJECT_DIR / "uploads" / "logos")


def logo_file(logo_key: str) -> Path | None:
    """An organization's logo file (by its `logo_key`) when it has one on disk; None otherwise, never a path
    outside the store."""
    path = LOGOS.path(logo_key) if logo_key else None
    return path if path is not None and path.is_file() else None
