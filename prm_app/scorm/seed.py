"""Demo SCORM packages, built from the sources in prm_app/scorm/demo/ (a manifest and two HTML pages each that call
the run-time API): "Security Suite fundamentals (SCORM 1.2)" and "Partner onboarding essentials (SCORM 2004)".
Each is zipped and imported through the same checks as an upload. Idempotent: packages are found by title."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from sqlmodel import Session, col, select

from prm_app.identity import User
from prm_app.platform.access import Role
from prm_app.scorm.archive import check_archive
from prm_app.scorm.models import ScormPackage
from prm_app.scorm.service import record_package
from prm_app.scorm.storage import PACKAGES, PackageStore

DEMO = Path(__file__).parent / "demo"
PACKAGES_TO_SEED = {
    "Security Suite fundamentals (SCORM 1.2)": "security_suite_12",
    "Partner onboarding essentials (SCORM 2004)": "partner_onboarding_2004",
}


def zip_folder(folder: Path, target: Path) -> Path:
    """`folder`'s files zipped at `target`, paths relative to the folder (imsmanifest.xml at the top)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, path.relative_to(folder).as_posix())
    return target


def seed(session: Session, store: PackageStore = PACKAGES) -> dict[str, int]:
    admin = session.exec(select(User).where(User.role == Role.ADMIN.value).order_by(col(User.id))).first()
    created = 0
    for title, source in PACKAGES_TO_SEED.items():
        if session.exec(select(ScormPackage.id).where(ScormPackage.title == title)).first() is not None:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            path = zip_folder(DEMO / source, Path(tmp) / f"{source}.zip")
            record_package(session, path, check_archive(path), f"{source}.zip", admin.id if admin else None, store)
        created += 1
    return {"scorm packages": created}
