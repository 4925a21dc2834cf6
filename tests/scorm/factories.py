"""SCORM test helpers: zips built in memory from {path: bytes}, the demo packages' manifests, and a package
imported through the same use case managers use."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

from sqlmodel import Session

from prm_app.platform.access import Actor
from prm_app.scorm import import_package
from prm_app.scorm.storage import PackageStore

MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="test.pkg" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>{title}</title>
    <item identifier="i1" identifierref="r1"><title>Lesson one</title>{mastery}</item>
  </organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="{href}"/></resources>
</manifest>"""

MANIFEST_2004 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="test.2004" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Onboarding 2004</title>
    <item identifier="i1" identifierref="r1"><title>Only SCO</title>
      <adlcp:completionThreshold minProgressMeasure="0.9"/>
      <imsss:sequencing><imsss:objectives>
        <imsss:primaryObjective objectiveID="p" satisfiedByMeasure="true">
          <imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure></imsss:primaryObjective>
      </imsss:objectives></imsss:sequencing>
    </item>
  </organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="index.html"/></resources>
</manifest>"""


def manifest_12(title: str = "Fundamentals", href: str = "index.html", mastery: str = "") -> bytes:
    tag = f"<adlcp:masteryscore>{mastery}</adlcp:masteryscore>" if mastery else ""
    return MANIFEST_12.format(title=title, href=href, mastery=tag).encode()


def zip_bytes(files: dict[str, bytes], *, symlinks: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


def write_zip(folder: Path, files: dict[str, bytes], name: str = "package.zip", **kwargs) -> Path:
    path = folder / name
    path.write_bytes(zip_bytes(files, **kwargs))
    return path


def package_12(**kwargs) -> dict[str, bytes]:
    return {"imsmanifest.xml": manifest_12(**kwargs), "index.html": b"<!doctype html><title>x</title>"}


def package_2004() -> dict[str, bytes]:
    return {"imsmanifest.xml": MANIFEST_2004.encode(), "index.html": b"<!doctype html><title>y</title>"}


def make_package(
    session: Session, manager: Actor, store: PackageStore, tmp: Path, files: dict[str, bytes] | None = None
) -> int:
    path = write_zip(tmp, files or package_12(mastery="80"))
    return import_package(session, manager, path, "package.zip", store=store)
