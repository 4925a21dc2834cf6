"""Files no package row stands for: a zip left in the incoming store by an import a crash cut short, or a package
folder unpacked by an import whose transaction then rolled back. Both are removed once they are an hour old (an
import under way is never that slow to commit), by the next import (service.import_package): files are only ever
added by imports, so nothing piles up between two of them."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from prm_app.platform.clock import utcnow
from prm_app.scorm.models import ScormPackage
from prm_app.scorm.storage import PACKAGES, PackageStore

GRACE = timedelta(hours=1)


@dataclass(frozen=True)
class OrphanRun:
    zips: int
    folders: int


def remove_orphan_files(session: Session, store: PackageStore = PACKAGES, now: datetime | None = None) -> OrphanRun:
    """Remove incoming zips and unpacked folders older than GRACE that no package row names. Idempotent."""
    cutoff = ((now or utcnow()) - GRACE).timestamp()
    zips = folders = 0
    if store.incoming.folder.is_dir():
        for path in store.incoming.folder.iterdir():
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                zips += 1
    if store.packages.is_dir():
        known = set(session.exec(select(ScormPackage.folder)).all())
        for path in store.packages.iterdir():
            if path.is_dir() and path.name not in known and path.stat().st_mtime < cutoff:
                shutil.rmtree(path, ignore_errors=True)
                folders += 1
    return OrphanRun(zips, folders)
