"""Where SCORM packages live: each unpacked in its own folder, named by a random token, under a root outside
Reflex's public upload folder; the zip being imported waits in a checked store (platform.uploads) until it is
unpacked or refused, then goes. Files are served only through ui/files_http.py, which checks who asks."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from prm_app.platform.settings import PROJECT_DIR
from prm_app.platform.uploads import CheckedStorage, FileRules
from prm_app.scorm.manifest import safe_relative

_FOLDER = re.compile(r"[0-9a-f]{32}")


def _upload_cap() -> int:
    raw = os.environ.get("PRM_SCORM_MAX_UPLOAD_MB", "").strip()
    return (int(raw) if raw.isdigit() and int(raw) > 0 else 100) * 1024 * 1024


PACKAGE_MAX_BYTES = _upload_cap()


def zip_type(head: bytes) -> str | None:
    """A zip's first bytes are a local file header (an empty zip is no package either)."""
    return "application/zip" if head.startswith(b"PK\x03\x04") else None


PACKAGE_RULES = FileRules(
    field="package",
    max_bytes=PACKAGE_MAX_BYTES,
    sniff=zip_type,
    head_bytes=4,
    one_file="Choose one zip file.",
    empty="Choose a SCORM zip file first.",
    too_large=lambda cap: f"That file is over {cap // (1024 * 1024)} MB.",
    wrong_type="That file is not a zip archive. Export the course as a SCORM 1.2 or 2004 zip.",
    unnamed="package.zip",
)


class PackageStore:
    def __init__(self, root: Path):
        self.root = root
        self.incoming = CheckedStorage(root / "incoming", PACKAGE_RULES)
        self.packages = root / "packages"

    def file(self, folder: str, relative: str) -> Path | None:
        """The file `relative` of the package in `folder`, or None when either is not one this store could have
        (a token, a path inside the package) or the file is not there."""
        if not _FOLDER.fullmatch(folder or "") or (safe := safe_relative(relative)) is None:
            return None
        base = (self.packages / folder).resolve()
        path = (base / safe).resolve()
        return path if path.is_relative_to(base) and path.is_file() else None

    def remove(self, folder: str) -> None:
        if _FOLDER.fullmatch(folder or ""):
            shutil.rmtree(self.packages / folder, ignore_errors=True)


PACKAGES = PackageStore(PROJECT_DIR / "uploads" / "scorm")
