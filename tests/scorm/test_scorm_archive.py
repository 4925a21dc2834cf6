"""Hostile zips are refused, each with its own clear message, before anything is unpacked; a good one is read."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from prm_app.scorm.archive import ArchiveLimits, check_archive, unpack
from prm_app.scorm.manifest import PackageRefused, safe_relative
from prm_app.scorm.rules import Version
from tests.scorm.factories import manifest_12, package_12, package_2004, write_zip

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<manifest identifier="x"><metadata><schemaversion>1.2</schemaversion></metadata>
<organizations><organization><title>&secret;</title></organization></organizations></manifest>"""
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<manifest identifier="x"><metadata><schemaversion>&lol3;</schemaversion></metadata></manifest>"""


def test_a_good_12_package_is_read_and_unpacked_under_a_random_folder(tmp_path):
    files = {**package_12(title="Security basics", mastery="80"), "media/intro.mp4": b"\x00" * 100}
    checked = check_archive(write_zip(tmp_path, files))
    m = checked.manifest
    assert (m.version, m.title, m.launch_href, m.mastery_score) == (Version.V12, "Security basics", "index.html", 80)
    assert checked.total_bytes == sum(len(v) for v in files.values())
    folder = unpack(tmp_path / "package.zip", checked, tmp_path / "store")
    assert len(folder) == 32 and (tmp_path / "store" / folder / "media" / "intro.mp4").read_bytes() == b"\x00" * 100


def test_a_2004_package_gives_its_thresholds(tmp_path):
    m = check_archive(write_zip(tmp_path, package_2004())).manifest
    assert (m.version, m.title) == (Version.V2004, "Onboarding 2004")
    assert (m.scaled_passing_score, m.completion_threshold) == (Decimal("0.8"), Decimal("0.9"))


def test_a_package_of_assets_only_launches_its_first(tmp_path):
    files = package_12()
    files["imsmanifest.xml"] = files["imsmanifest.xml"].replace(b'adlcp:scormtype="sco"', b'adlcp:scormtype="asset"')
    assert check_archive(write_zip(tmp_path, files)).manifest.launch_href == "index.html"


def test_item_parameters_join_the_launch_href(tmp_path):
    files = package_12()
    with_parameters = b'identifierref="r1" parameters="?lang=en"'
    files["imsmanifest.xml"] = files["imsmanifest.xml"].replace(b'identifierref="r1"', with_parameters)
    assert check_archive(write_zip(tmp_path, files)).manifest.launch_href == "index.html?lang=en"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"../../evil.sh": b"x"}, "outside the package"),
        ({"/etc/cron.d/evil": b"x"}, "outside the package"),
        ({"C:/Windows/evil.dll": b"x"}, "outside the package"),
        ({"media\\..\\..\\evil": b"x"}, "outside the package"),
        ({"ok/../../evil": b"x"}, "outside the package"),
        ({"INDEX.HTML": b"dup"}, "twice"),
    ],
)
def test_paths_that_could_leave_the_package_are_refused(tmp_path, extra, message):
    with pytest.raises(PackageRefused, match=message):
        check_archive(write_zip(tmp_path, {**package_12(), **extra}))


@pytest.mark.parametrize("first", ["file", "folder"])
def test_a_name_both_file_and_folder_is_refused_before_unpacking(tmp_path, first):
    clash = {"media": b"x", "Media/intro.png": b"y"}  # unpacked, one would land where the other must go
    extra = clash if first == "file" else dict(reversed(clash.items()))
    with pytest.raises(PackageRefused, match="both as a file and as a folder"):
        check_archive(write_zip(tmp_path, {**package_12(), **extra}))


def test_symlinks_are_refused(tmp_path):
    with pytest.raises(PackageRefused, match="symbolic link"):
        check_archive(write_zip(tmp_path, package_12(), symlinks={"passwd": "/etc/passwd"}))


def test_xxe_and_entity_bombs_never_reach_the_parser(tmp_path):
    for manifest in (XXE, BILLION_LAUGHS):
        with pytest.raises(PackageRefused, match="DTD or entities"):
            check_archive(write_zip(tmp_path, {"imsmanifest.xml": manifest, "index.html": b"x"}))


def test_oversized_archives_are_refused_from_their_directory(tmp_path):
    small = ArchiveLimits(max_files=3, max_total_bytes=10_000, max_ratio=100)
    with pytest.raises(PackageRefused, match="more than 3 entries"):
        check_archive(write_zip(tmp_path, {**package_12(), "a": b"1", "b": b"2"}), small)
    with pytest.raises(PackageRefused, match="unpacks to more than"):
        check_archive(write_zip(tmp_path, {**package_12(), "big.bin": bytes(range(256)) * 50}), small)
    bomb = {**package_12(), "bomb.bin": b"\x00" * (20 * 1024 * 1024)}  # 20 MB of zeros packs to ~20 KB
    with pytest.raises(PackageRefused, match="zip bomb"):
        check_archive(write_zip(tmp_path, bomb))


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"index.html": b"x"}, "no imsmanifest.xml"),
        ({"imsmanifest.xml": b"<manifest", "index.html": b"x"}, "not well-formed"),
        ({"imsmanifest.xml": manifest_12(href="../../etc/passwd"), "index.html": b"x"}, "outside the package"),
        ({"imsmanifest.xml": manifest_12(href="http://evil.example/x.html")}, "outside the package"),
        ({"imsmanifest.xml": manifest_12(href="missing.html"), "index.html": b"x"}, "not in the zip"),
        ({"imsmanifest.xml": b"<manifest><resources/></manifest>", "index.html": b"x"}, "which SCORM version"),
        (
            {"imsmanifest.xml": manifest_12().replace(b'identifierref="r1"', b'identifierref="r9"'), "index.html": b""},
            "nothing to launch",
        ),
    ],
)
def test_manifests_that_do_not_hold_together_are_refused(tmp_path, files, message):
    with pytest.raises(PackageRefused, match=message):
        check_archive(write_zip(tmp_path, files))


def test_not_a_zip_and_a_lying_directory(tmp_path):
    (tmp_path / "x.zip").write_bytes(b"PK\x03\x04 but then nothing")
    with pytest.raises(PackageRefused, match="not a readable zip"):
        check_archive(tmp_path / "x.zip")
    path = write_zip(tmp_path, package_12())
    checked = check_archive(path)
    info = next(info for info, name in checked.files if name == "index.html")
    info.file_size = 3  # a directory that understates a file: never more than that is written, and it is refused
    store = tmp_path / "store"
    with pytest.raises(PackageRefused, match=r"damaged|larger than the zip says"):
        unpack(path, checked, store)
    assert list(store.iterdir()) == []  # the half-written folder is gone


def test_safe_relative_paths():
    assert safe_relative("a/b/../c.html") is None
    assert safe_relative("a/./b.html") is None
    assert safe_relative("a//b.html") == "a/b.html"
    assert safe_relative("sco/index.html") == "sco/index.html"
    for bad in ("", "/x", "\\x", "a\\b", "javascript:alert(1)", "x\x00y", ".."):
        assert safe_relative(bad) is None


def test_an_unreadable_compression_method_is_refused_from_the_directory(tmp_path):
    path = write_zip(tmp_path, {**package_12(), "media/a.js": b"x" * 100})
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):  # local and central headers' method
        at = data.find(signature)
        while at >= 0:
            data[at + offset : at + offset + 2] = (9).to_bytes(2, "little")  # Deflate64: zipfile cannot read it
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    with pytest.raises(PackageRefused, match="cannot read"):
        check_archive(path)


def test_a_corrupt_zip_is_refused_however_it_is_corrupt(tmp_path):
    """Bytes changed or cut anywhere: checking and unpacking end in PackageRefused or an import, never another
    error (zlib's, EOFError, a bad seek), which would reach the manager as "something went wrong"."""
    original = write_zip(tmp_path, {**package_12(), "media/a.js": b"console.log(1);" * 50}).read_bytes()
    rng = random.Random(7)
    for i in range(400):
        data = bytearray(original)
        if i % 3 == 0:
            data = data[: rng.randrange(len(data))]
        else:
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / "corrupt.zip"
        path.write_bytes(bytes(data))
        try:
            unpack(path, check_archive(path), tmp_path / "store")
        except PackageRefused:
            continue


def test_a_huge_directory_is_refused_before_zipfile_reads_it(tmp_path, monkeypatch):
    """zipfile parses the whole central directory into memory: its size is checked from the end record first."""
    import prm_app.scorm.archive as archive

    many = write_zip(tmp_path, {**package_12(), **{f"{i}.js": b"" for i in range(6)}}, "many.zip")
    long_names = {f"{'n' * 2000}{i}.js": b"" for i in range(3)}  # 5 entries, over 6 KB of directory
    long = write_zip(tmp_path, {**package_12(), **long_names}, "long.zip")

    def never(*args, **kwargs):
        raise AssertionError("zipfile read the directory")

    monkeypatch.setattr(archive.zipfile, "ZipFile", never)
    small = ArchiveLimits(max_files=5)
    with pytest.raises(PackageRefused, match="more than 5 entries"):
        check_archive(many, small)
    with pytest.raises(PackageRefused, match="table of contents"):
        check_archive(long, small)


def test_an_encrypted_entry_is_refused_as_unreadable(tmp_path):
    """zipfile cannot read an encrypted entry (it asks for a password, a RuntimeError): the package is refused like
    any other archive it cannot read, not reported as "something went wrong"."""
    path = write_zip(tmp_path, package_12(), "locked.zip")
    data = bytearray(path.read_bytes())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # the "encrypted" bit, local and central
        at = data.find(signature)
        while at != -1:
            data[at + flag_at] |= 0x01
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    with pytest.raises(PackageRefused):
        unpack(path, check_archive(path), tmp_path / "store")
