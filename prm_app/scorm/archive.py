"""Checking a SCORM zip before a byte of it is unpacked, and unpacking it into the package store.

Every entry is checked first, from the central directory: no path that could leave the package (.., absolute
paths, drive letters, backslashes, control characters), no symlink, no encrypted entry, no two entries that
would land on the same file; the number of files, the total unpacked size and each entry's compression ratio
are capped (a zip bomb is refused from its directory). Then the manifest is read and checked (manifest.py). Only
a package that passes all of it is unpacked, each file counted again as it is written (a directory can lie about
sizes), into a new folder named by a random token; any failure removes that folder.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from prm_app.scorm.manifest import MANIFEST, Manifest, PackageRefused, parse_manifest, safe_relative

MB = 1024 * 1024
# What reading a corrupt zip raises besides BadZipFile (found by fuzzing: a bad deflate stream, a truncated entry, an
# entry needing a newer zip version, a directory pointing before the file's start; zipfile raises RuntimeError, or
# its subclass for an unsupported version or method, also for an encrypted entry). Each is the archive's fault.
_UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, ValueError)
_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})


def _mb(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) * MB if raw.isdigit() and int(raw) > 0 else default * MB


@dataclass(frozen=True)
class ArchiveLimits:
    max_files: int = 5000
    max_total_bytes: int = 500 * MB  # unpacked
    max_ratio: int = 100  # unpacked / packed, per entry (entries over 1 MB unpacked)
    max_manifest_bytes: int = 2 * MB


def archive_limits() -> ArchiveLimits:
    return ArchiveLimits(max_total_bytes=_mb("PRM_SCORM_MAX_UNPACKED_MB", 500))


@dataclass(frozen=True)
class CheckedArchive:
    manifest: Manifest
    files: tuple[tuple[zipfile.ZipInfo, str], ...]  # each file entry and its checked relative path
    total_bytes: int


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def check_archive(path: Path, limits: ArchiveLimits | None = None) -> CheckedArchive:
    """The package in the zip at `path`, checked (see the module docstring). Writes nothing.
    Raises PackageRefused with a message for the manager."""
    limits = limits or archive_limits()
    _check_directory_size(path, limits)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            files = _checked_entries(infos, limits)
            names = frozenset(name for _, name in files)
            if MANIFEST not in names:
                raise PackageRefused("The zip has no imsmanifest.xml at its top level: it is not a SCORM package.")
            info = next(i for i, name in files if name == MANIFEST)
            if info.file_size > limits.max_manifest_bytes:
                raise PackageRefused("imsmanifest.xml is too large.")
            data = _read_capped(archive, info, limits.max_manifest_bytes)
    except (*_UNREADABLE, OSError):  # OSError: a seek the directory's offsets send before the start of the file
        raise PackageRefused("That file is not a readable zip archive.") from None
    manifest = parse_manifest(data, names)
    return CheckedArchive(manifest, tuple(files), sum(i.file_size for i, _ in files))


def _check_directory_size(path: Path, limits: ArchiveLimits) -> None:
    """Before zipfile reads the central directory (all of it, into memory: about half a KB and 20 µs per entry, so
    a 100 MB upload of empty entries would hold a worker for seconds and 600 MB), its end record's entry count and
    directory size must be within the limits (a zip64 record's counts, 0xFFFF, are over them too)."""
    with path.open("rb") as source:
        source.seek(0, os.SEEK_END)
        source.seek(max(0, source.tell() - (22 + 0xFFFF)))  # the end record and the longest comment it may carry
        tail = source.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return  # no end record: zipfile says it is not a zip
    entries, directory_bytes = struct.unpack("<HI", tail[at + 10 : at + 16])
    if entries > limits.max_files:
        raise PackageRefused(f"The zip holds more than {limits.max_files} entries.")
    if directory_bytes > limits.max_files * 1024:
        raise PackageRefused("The zip's table of contents is too large for a SCORM package.")


def _checked_entries(infos: list[zipfile.ZipInfo], limits: ArchiveLimits) -> list[tuple[zipfile.ZipInfo, str]]:
    if len(infos) > limits.max_files:
        raise PackageRefused(f"The zip holds more than {limits.max_files} entries.")
    files: list[tuple[zipfile.ZipInfo, str]] = []
    seen: set[str] = set()
    folders: set[str] = set()  # every folder a path passes through: no file may have one of their names
    total = 0
    for info in infos:
        shown = info.filename[:80]
        if _is_symlink(info):
            raise PackageRefused(f"The zip contains a symbolic link ({shown}); packages may hold only files.")
        if info.flag_bits & 0x1:
            raise PackageRefused("The zip contains encrypted entries.")
        if info.compress_type not in _METHODS:
            raise PackageRefused(
                f"{shown} is compressed in a way this server cannot read; export it again as a standard zip."
            )
        name = info.filename.rstrip("/") if info.is_dir() else info.filename
        relative = safe_relative(name)
        if relative is None or ":" in name.split("/")[0]:
            raise PackageRefused(f"The zip contains a path that points outside the package ({shown}).")
        if relative.lower() in seen:
            raise PackageRefused(f"The zip contains {shown} twice.")
        seen.add(relative.lower())
        parts = relative.lower().split("/")
        folders.update("/".join(parts[:i]) for i in range(1, len(parts) + (1 if info.is_dir() else 0)))
        if info.is_dir():
            continue
        total += info.file_size
        if total > limits.max_total_bytes:
            raise PackageRefused(f"The package unpacks to more than {limits.max_total_bytes // MB} MB.")
        if info.file_size > MB and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise PackageRefused(f"{shown} is compressed more than {limits.max_ratio} to 1: a zip bomb was refused.")
        files.append((info, relative))
    if clash := next((name for _, name in files if name.lower() in folders), None):
        raise PackageRefused(f"The zip holds {clash[:80]} both as a file and as a folder.")
    return files


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    with archive.open(info) as source:
        data = source.read(cap + 1)
    if len(data) > cap or len(data) > info.file_size:
        raise PackageRefused(f"{info.filename[:80]} is larger than the zip says.")
    return data


def unpack(path: Path, checked: CheckedArchive, store: Path) -> str:
    """Unpack the checked package into a new folder of `store`; returns its random name. Each file is written
    with at most the size the zip declared for it; on any failure the folder is removed and the error raised."""
    store.mkdir(parents=True, exist_ok=True)
    folder = secrets.token_hex(16)
    target = store / folder
    target.mkdir()
    try:
        with zipfile.ZipFile(path) as archive:
            for info, relative in checked.files:
                destination = target / relative
                if not destination.resolve().is_relative_to(target.resolve()):
                    raise PackageRefused(f"{info.filename[:80]} points outside the package.")
                destination.parent.mkdir(parents=True, exist_ok=True)
                _copy_capped(archive, info, destination)
    except _UNREADABLE:  # a CRC that does not match, a directory that lies about sizes, a broken deflate stream
        shutil.rmtree(target, ignore_errors=True)
        raise PackageRefused("The zip is damaged; export the package again.") from None
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return folder


def _copy_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, destination: Path) -> None:
    written = 0
    with archive.open(info) as source, destination.open("xb") as out:
        while chunk := source.read(64 * 1024):
            written += len(chunk)
            if written > info.file_size:
                raise PackageRefused(f"{info.filename[:80]} is larger than the zip says.")
            out.write(chunk)
