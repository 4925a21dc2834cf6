"""Record CSV uploads (issue #9 item 6; a lead file here, prm_app/dataio and platform/import_files.py): a file
streams into storage counted as it arrives and is refused the moment it passes the cap (nothing kept, the rest never
pulled); it is read from disk, within the cap; only people who may import those records get there; abandoned
uploads are swept; uploads/ stays out of git."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import threading
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from prm_app.dataio import runs
from prm_app.dataio.runs import TABLE_IMPORT, check_upload, start_import
from prm_app.leads.vocabulary import HEADERS
from prm_app.platform import jobs_progress
from prm_app.platform.access import Role
from prm_app.platform.errors import DomainError, NotFound, PermissionDenied, ValidationError
from prm_app.platform.import_files import (
    ABANDONED_AFTER_SECONDS,
    AlreadyTaken,
    FolderStorage,
    StoredUpload,
    receive_upload,
    too_large_message,
)
from prm_app.platform.settings import PROJECT_DIR, settings
from tests.factories import actor_for, make_user

ROW = "Acme Health,acmehealth.com,Ana Silva,ana@acmehealth.com,PT,Lisbon,1000-001,healthcare,,25000,event"
CSV = (",".join(HEADERS) + "\r\n" + ROW + "\r\n").encode()


@dataclass(frozen=True)
class Chunk:
    filename: str
    data: bytes


class Feed:
    """Chunks as Reflex hands them over; counts how many the receiver pulled."""

    def __init__(self, chunks: Iterable[Chunk], fail_after: int | None = None):
        self.chunks, self.pulled, self.fail_after = list(chunks), 0, fail_after

    async def __aiter__(self) -> AsyncIterator[Chunk]:
        for chunk in self.chunks:
            if self.fail_after is not None and self.pulled == self.fail_after:
                raise asyncio.CancelledError  # the browser went away mid-upload
            self.pulled += 1
            yield chunk


def pieces(data: bytes, size: int = 1000, name: str = "leads.csv") -> list[Chunk]:
    return [Chunk(name, data[i : i + size]) for i in range(0, len(data), size)]


def receive(storage: FolderStorage, feed: Feed, max_bytes: int = 4096) -> StoredUpload:
    return asyncio.run(receive_upload(storage, feed, max_bytes))


def start(session, actor, key: str, storage: FolderStorage) -> int:
    """The real run of a lead upload started (the upload taken, once); its run id."""
    return start_import(session, actor, "leads", "upsert", key, [], storage, dry=False)


def files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*")) if folder.is_dir() else []


@pytest.fixture
def storage(tmp_path, monkeypatch) -> FolderStorage:
    monkeypatch.setattr(jobs_progress, "_senders", {})
    jobs_progress.register_sender(TABLE_IMPORT, lambda _run_id: None)  # no consumer: only the upload matters here
    return FolderStorage(tmp_path / "record-imports")


def test_a_file_streams_into_storage_and_is_read_from_there(session, storage):
    manager = actor_for(make_user(session, Role.CHANNEL_MANAGER))

    upload = receive(storage, Feed(pieces(CSV, 7, name="folder/my leads.csv")))
    found = check_upload(session, manager, "leads", upload.key, storage)

    assert upload.size == len(CSV) and upload.name == "my leads.csv"
    assert (storage.folder / f"{upload.key}.csv").read_bytes() == CSV
    assert (found.rows, found.problem) == (1, "")
    assert found.mapping == list(HEADERS)
    start(session, manager, upload.key, storage)
    assert storage.taken(upload.key).read() == CSV


def test_a_file_over_the_cap_is_refused_while_it_streams_and_nothing_is_kept(storage):
    feed = Feed(pieces(b"x" * 100_000))  # 100 chunks of 1000 bytes against a 4096-byte cap

    with pytest.raises(ValidationError) as refused:
        receive(storage, feed, max_bytes=4096)

    assert refused.value.message == too_large_message(4096) and refused.value.field == "file"
    assert feed.pulled == 5  # the chunk that crossed the cap is the last one read
    assert files(storage.folder) == []


def test_a_file_exactly_at_the_cap_is_kept(storage):
    upload = receive(storage, Feed(pieces(b"y" * 4096)), max_bytes=4096)
    assert upload.size == 4096 and len(files(storage.folder)) == 1


def test_the_cap_is_a_setting_of_five_megabytes_by_default():
    assert settings.max_upload_bytes == 5 * 1024 * 1024
    assert too_large_message(settings.max_upload_bytes) == "That file is over 5 MB; split it into smaller files."


@pytest.mark.parametrize(
    "feed, message",
    [
        (Feed([Chunk("a.csv", b"one"), Chunk("b.csv", b"two")]), "Upload one CSV file at a time."),
        (Feed([]), "Choose a CSV file first."),
    ],
)
def test_a_second_file_or_no_file_is_refused_and_nothing_is_kept(storage, feed, message):
    with pytest.raises(ValidationError, match=message):
        receive(storage, feed)
    assert files(storage.folder) == []


def test_an_upload_cut_short_leaves_nothing_behind(storage):
    with pytest.raises(asyncio.CancelledError):
        receive(storage, Feed(pieces(CSV, 10), fail_after=3))
    assert files(storage.folder) == []


def test_only_people_who_may_import_leads_read_or_start_an_upload(session, storage):
    partner = actor_for(make_user(session, Role.PARTNER_ADMIN))
    executive = actor_for(make_user(session, Role.EXEC))
    upload = receive(storage, Feed(pieces(CSV)))

    for actor in (partner, executive):
        with pytest.raises(PermissionDenied):
            check_upload(session, actor, "leads", upload.key, storage)
        with pytest.raises(PermissionDenied):
            start(session, actor, upload.key, storage)
    assert storage.open(upload.key).read() == CSV  # untouched by them
    assert check_upload(session, actor_for(make_user(session, Role.ADMIN)), "leads", upload.key, storage).rows == 1


def test_a_stored_file_over_the_cap_is_not_read(session, storage, monkeypatch):
    """Whatever put a big file there, the import reads at most the cap (plus one byte to know)."""
    manager = actor_for(make_user(session, Role.CHANNEL_MANAGER))
    key, file = storage.create()
    with file:
        file.write(CSV + b"x" * 5000)
    monkeypatch.setattr(runs, "settings", replace(settings, max_upload_bytes=len(CSV)))

    with pytest.raises(ValidationError, match="over"):
        check_upload(session, manager, "leads", key, storage)
    with pytest.raises(ValidationError, match="over"):
        start(session, manager, key, storage)
    assert storage.open(key).read() == CSV + b"x" * 5000  # not taken


@pytest.mark.parametrize("key", ["../../etc/passwd", "A" * 32, "", "0" * 31, "0" * 32 + "/x"])
def test_keys_that_are_not_tokens_never_touch_the_disk(storage, key):
    with pytest.raises(NotFound):
        storage.open(key)
    with pytest.raises(NotFound):
        storage.delete(key)


def test_a_discarded_or_missing_upload_is_not_found(session, storage):
    manager = actor_for(make_user(session, Role.CHANNEL_MANAGER))
    upload = receive(storage, Feed(pieces(CSV)))
    storage.delete(upload.key)
    with pytest.raises(NotFound):
        start(session, manager, upload.key, storage)


def test_abandoned_previews_are_swept_after_a_day_and_fresh_ones_stay(storage):
    old, fresh = receive(storage, Feed(pieces(CSV))), receive(storage, Feed(pieces(CSV)))
    stranger = storage.folder / "notes.csv"  # not a token: not ours to delete
    stranger.write_text("keep")
    day_ago = time.time() - ABANDONED_AFTER_SECONDS - 60
    for path in (storage.folder / f"{old.key}.csv", stranger):
        os.utime(path, (day_ago, day_ago))

    assert storage.sweep(ABANDONED_AFTER_SECONDS) == 1
    assert {p.name for p in files(storage.folder)} == {f"{fresh.key}.csv", "notes.csv"}


def test_reading_an_upload_sweeps_the_abandoned_ones(session, storage):
    manager = actor_for(make_user(session, Role.CHANNEL_MANAGER))
    old = receive(storage, Feed(pieces(CSV)))
    day_ago = time.time() - ABANDONED_AFTER_SECONDS - 60
    os.utime(storage.folder / f"{old.key}.csv", (day_ago, day_ago))

    new = receive(storage, Feed(pieces(CSV)))
    check_upload(session, manager, "leads", new.key, storage)

    assert [p.name for p in files(storage.folder)] == [f"{new.key}.csv"]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_uploads_are_ignored_by_git_and_none_are_committed():
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "uploads/record-imports/0123456789abcdef0123456789abcdef.csv"], cwd=PROJECT_DIR
    )
    assert ignored.returncode == 0
    committed = subprocess.run(["git", "ls-files", "*.csv", "uploads"], cwd=PROJECT_DIR, capture_output=True, text=True)
    assert committed.stdout == ""


def test_an_import_started_twice_runs_once(session, storage):
    """#9: a double click, a replayed event or two workers: the upload is taken atomically as an import starts, so
    of two racing starts one gets the rows and the other a clear refusal; no lead is stored twice."""
    manager = actor_for(make_user(session, Role.CHANNEL_MANAGER))
    raced = receive(storage, Feed(pieces(CSV)))
    barrier, taken = threading.Barrier(2), []

    def take() -> None:
        barrier.wait(timeout=10)
        try:
            with storage.take(raced.key) as file:
                taken.append(file.read())
        except AlreadyTaken:
            taken.append("refused")

    threads = [threading.Thread(target=take) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert sorted(taken, key=str) == [CSV, "refused"]

    twice = receive(storage, Feed(pieces(CSV)))
    start(session, manager, twice.key, storage)
    with pytest.raises(DomainError, match="already imported or being imported"):
        start(session, manager, twice.key, storage)
    assert {p.suffix for p in storage.folder.iterdir()} == {".taken"}  # held for their runs, no longer previews
