"""The library's pure rules and its checked store: types proven by content, outside links, the asset form, slugs;
oversized and disguised uploads refused with nothing kept."""

from __future__ import annotations

import asyncio
import io
import zipfile
from dataclasses import dataclass

import pytest

from prm_app.content import storage
from prm_app.content.links import check_link_resolves
from prm_app.content.rules import AssetInput, check_asset, link_problem, slugify, sniff
from prm_app.platform.errors import FormInvalid, ValidationError
from tests.content.factories import pdf_bytes, png_bytes


@dataclass(frozen=True)
class Chunk:
    filename: str
    data: bytes


async def _chunks(name: str, data: bytes, size: int = 64 * 1024):
    for start in range(0, len(data), size):
        yield Chunk(name, data[start : start + size])


def _receive(name: str, data: bytes, cap: int | None = None):
    return asyncio.run(storage.CONTENT_FILES.receive(_chunks(name, data), cap))


def _office(prefix: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{prefix}presentation.xml", "<p/>")
    return out.getvalue()


def test_types_are_proven_by_content_not_by_name():
    assert sniff(pdf_bytes()[:8192]) == "application/pdf"
    assert sniff(png_bytes()[:8192]) == "image/png"
    assert sniff(b"MZ\x90\x00\x03" + b"\x00" * 400) is None  # a Windows executable
    assert sniff(b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>") is None
    assert sniff(b"<!doctype html><script>alert(1)</script>") is None


def test_uploads_are_typed_capped_and_leave_nothing_when_refused(stores):
    folder = storage.CONTENT_FILES.folder
    stored = _receive("../../etc/passwd\x00.pdf", pdf_bytes())
    assert (
        stored.content_type == "application/pdf"
        and "/" not in stored.name
        and stored.key in {p.name for p in folder.iterdir()}
    )
    deck = _receive("deck.pptx", _office("ppt/"))
    assert deck.content_type.endswith("presentationml.presentation")
    with pytest.raises(ValidationError, match="not a PDF"):
        _receive("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 5000)
    with pytest.raises(ValidationError, match=r"over 1 MB, the library.s limit"):
        _receive("big.pdf", pdf_bytes() + b"\x00" * 1_100_000, cap=1024 * 1024)
    assert len(list(folder.iterdir())) == 2  # only the two accepted files


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://localhost:8000/admin",
        "http://127.0.0.1/",
        "https://10.0.0.8/x",
        "https://192.168.1.1/",
        "http://[::1]/",
        "https://169.254.169.254/latest/meta-data",
        "https://intranet/",
        "https://printer.local/",
        "javascript:alert(1)",
        # forms a browser reads as loopback/private that Python's ipaddress does not parse
        "http://127.1/",
        "http://0x7f.0.0.1/",
        "http://0177.0.0.1/",
        "http://0x7f000001./",
        "http://%31%32%37.0.0.1/",
        "http://10.1/",
        # IPv6 forms carrying a loopback or private IPv4 address
        "http://[::ffff:127.0.0.1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[64:ff9b::a00:8]/",
        "http://[2002:7f00:1::]/",
        "http://[::127.0.0.1]/",
        "http://[fc00::1]/",
        "HTTP://LOCALHOST./",
    ],
)
def test_links_refuse_files_and_private_addresses(url):
    assert link_problem(url) is not None


def test_links_accept_public_web_addresses():
    assert link_problem("https://www.youtube.com/watch?v=abc") is None
    assert link_problem("https://8.8.8.8/") is None
    assert link_problem("https://[2606:4700:4700::1111]/") is None
    assert link_problem("https://[64:ff9b::808:808]/") is None  # NAT64 of a public address
    assert link_problem("https://docs.v1.example.com/a?b=0x7f") is None


def test_link_names_resolving_inside_a_private_network_are_refused():
    answers = {"localtest.me": ["127.0.0.1"], "mixed.example": ["93.184.215.14", "10.0.0.3"], "v6.example": ["::1"]}
    resolve = lambda host: answers.get(host, ["93.184.215.14"])  # noqa: E731
    for host in ("localtest.me", "mixed.example", "v6.example"):
        with pytest.raises(FormInvalid) as refused:
            check_link_resolves(f"https://{host}/page", resolve)
        assert refused.value.errors == {"link_url": "That address points inside a private network."}
    check_link_resolves("https://www.example.com/", resolve)
    check_link_resolves("https://unresolvable.example/", lambda host: [])


def test_the_asset_form_names_each_wrong_field_and_cleans_tags():
    with pytest.raises(FormInvalid) as wrong:
        check_asset(AssetInput(title="x", description="", category="nope", language="xx"))
    assert set(wrong.value.errors) == {"title", "category", "language"}
    ok = check_asset(AssetInput(title=" Price list ", description="", category="sales", tags="Pricing, EMEA ,pricing"))
    assert ok.title == "Price list" and ok.tags == "pricing, emea"


def test_slugs_are_ascii_and_stable():
    assert slugify("Q3 Price List (EMEA)") == "q3-price-list-emea"
    assert slugify("Überblick: Datenblatt") == "uberblick-datenblatt"
    assert slugify("!!!") == "asset"
