"""The file endpoints' answers, with the lookup replaced (the lookup itself is tested in test_content_library.py):
videos seek with Range requests, previews are inline only for PDFs, images and videos, every file is nosniff with
a sandboxing CSP, and every refusal is the same 404."""

from __future__ import annotations

import asyncio

import pytest
from starlette.testclient import TestClient

from prm_app.content.service import FileToServe
from prm_app.content.storage import CONTENT_FILES
from prm_app.content.ui import file_http
from prm_app.platform.errors import NotAuthenticated, NotFound


@pytest.fixture
def client(stores, monkeypatch):
    video = CONTENT_FILES.put(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40, "demo.mp4", "video/mp4")
    archive = CONTENT_FILES.put(b"PK\x03\x04" + b"\x00" * 100, "kit.zip", "application/zip")
    files = {
        "demo": FileToServe(video.key, "video/mp4", "demo.mp4", ""),
        "kit": FileToServe(archive.key, "application/zip", "kit.zip", ""),
    }

    def find(token, ip, slug, n, counted, texts, language=None):
        asked.append((slug, counted) if language is None else (slug, counted, language))
        if slug == "anon":
            raise NotAuthenticated()
        if slug not in files:
            raise NotFound("asset")
        return files[slug]

    asked: list[tuple[str, bool]] = []
    monkeypatch.setattr(file_http, "_find", find)
    test_client = TestClient(file_http.content_routes())
    test_client.asked = asked  # type: ignore[attr-defined]
    return test_client


def test_a_video_previews_inline_and_seeks_by_range(client):
    whole = client.get("/_files/content/demo?inline=1")
    assert whole.headers["content-disposition"].startswith("inline")
    assert whole.headers["content-type"] == "video/mp4"
    part = client.get("/_files/content/demo?inline=1", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == whole.content[100:200]
    for answer in (whole, part):
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in answer.headers["content-security-policy"]


def test_other_types_are_attachments_even_when_a_preview_is_asked(client):
    assert client.get("/_files/content/kit?inline=1").headers["content-disposition"].startswith("attachment")


def test_every_refusal_is_the_same_404(client):
    missing, anonymous, pinned = (
        client.get("/_files/content/nothing"),
        client.get("/_files/content/anon"),
        client.get("/_files/content/nothing/v/3"),
    )
    assert missing.status_code == anonymous.status_code == pinned.status_code == 404
    assert missing.content == anonymous.content == pinned.content
    assert dict(missing.headers) == dict(anonymous.headers)


def test_only_a_whole_download_counts_not_a_preview_a_head_or_a_later_range(client):
    client.get("/_files/content/demo")
    client.get("/_files/content/demo", headers={"Range": "bytes=0-99"})
    client.get("/_files/content/demo", headers={"Range": "bytes=100-"})
    client.head("/_files/content/demo")
    client.get("/_files/content/demo?inline=1")
    assert [counted for _, counted in client.asked] == [True, True, False, False, False]


def test_a_bad_or_unsatisfiable_range_is_answered_with_the_same_protective_headers(client):
    for asked, status in (("bytes=200-100", 400), ("bytes=100000-", 416), ("items=0-1", 400)):
        answer = client.get("/_files/content/demo", headers={"Range": asked})
        assert answer.status_code == status
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["cache-control"] == "private, no-store"
        assert "sandbox" in answer.headers["content-security-policy"]


def test_the_copies_zip_goes_to_the_channel_team_once_and_every_refusal_is_the_same_404(client, monkeypatch, tmp_path):
    def zip_for(token, ip, slug, folder):
        if slug != "datasheet":
            raise NotFound("copies") if slug == "empty" else NotAuthenticated()
        path = folder / "made.zip"
        path.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
        return path, "datasheet-co-branded-copies.zip"

    monkeypatch.setattr(file_http, "_zip", zip_for)
    answer = client.get("/_files/content/datasheet/copies.zip")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    assert answer.headers["content-disposition"].startswith("attachment")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert list((tmp_path / "content-zips").iterdir()) == []  # the zip is gone once sent
    refused, empty = client.get("/_files/content/other/copies.zip"), client.get("/_files/content/empty/copies.zip")
    missing = client.get("/_files/content/nothing")
    assert refused.status_code == empty.status_code == 404 and refused.content == empty.content == missing.content


def test_a_zip_that_vanishes_while_old_ones_are_swept_does_not_fail_the_next_download(client, monkeypatch, tmp_path):
    """Two managers downloading at once: one request's zip is deleted once sent while the other request sweeps the
    folder for zips older than an hour (listed, then gone before its age is read). The sweep skips it."""

    def zip_for(token, ip, slug, folder):
        path = folder / "made.zip"
        path.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
        return path, "datasheet-co-branded-copies.zip"

    monkeypatch.setattr(file_http, "_zip", zip_for)
    folder = tmp_path / "content-zips"
    folder.mkdir()
    (folder / "sent-meanwhile.zip").symlink_to(folder / "already-deleted.zip")  # listed, but its stat fails

    answer = client.get("/_files/content/datasheet/copies.zip")

    assert answer.status_code == 200 and answer.content.startswith(b"PK")


def test_the_zip_is_streamed_by_this_process_even_where_the_server_offers_pathsend(monkeypatch, tmp_path, stores):
    """Granian offers the ASGI pathsend extension: a response that used it handed granian the path and deleted the
    zip at once, before granian opened it (404 "Not found" under load). The zip's bytes go out as body messages,
    and only then is it deleted."""
    sent_zip = b"PK\x05\x06" + b"\x00" * 18
    paths: list = []

    def zip_for(token, ip, slug, folder):
        path = folder / "made.zip"
        path.write_bytes(sent_zip)
        paths.append(path)
        return path, "datasheet-co-branded-copies.zip"

    monkeypatch.setattr(file_http, "_zip", zip_for)
    app = file_http.content_routes()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/_files/content/datasheet/copies.zip",
        "raw_path": b"/_files/content/datasheet/copies.zip",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"prm.example")],
        "client": ("127.0.0.1", 5000),
        "server": ("prm.example", 80),
        "extensions": {"http.response.pathsend": {}},
    }
    messages: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] != "http.response.start":
            assert paths[0].exists()  # still there while any of it is being sent
        messages.append(message)

    asyncio.run(app(scope, receive, send))

    assert messages[0]["type"] == "http.response.start" and messages[0]["status"] == 200
    assert all(m["type"] != "http.response.pathsend" for m in messages)
    assert b"".join(m.get("body", b"") for m in messages) == sent_zip
    assert not paths[0].exists()  # deleted once sent


def test_a_language_versions_file_is_asked_for_by_its_language(client):
    answer = client.get("/_files/content/kit/lang/de")
    assert answer.status_code == 200 and answer.headers["content-disposition"].startswith("attachment")
    assert client.asked[-1] == ("kit", True, "de")
    assert client.get("/_files/content/nothing/lang/de").status_code == 404
