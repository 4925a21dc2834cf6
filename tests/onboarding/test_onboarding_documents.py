"""A document task: the file is checked by content and capped as it streams in, hands the task in, and is read back
only by the partner's people and the managers who reach the partner."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest
from sqlmodel import select

from prm_app.onboarding import service as onb
from prm_app.onboarding.documents import DocumentStorage
from prm_app.onboarding.models import Checklist, ChecklistTask
from prm_app.platform.access import Role
from prm_app.platform.errors import DomainError, NotFound, ValidationError
from prm_app.platform.uploads import shown_name
from tests.factories import T0, actor_for, make_org, make_user
from tests.onboarding.factories import make_template

PDF = b"%PDF-1.7\n" + b"x" * 100


@dataclass(frozen=True)
class Chunk:
    filename: str
    data: bytes


async def _chunks(*chunks: Chunk):
    for c in chunks:
        yield c


def _receive(storage: DocumentStorage, *chunks: Chunk, max_bytes: int = 1000):
    return asyncio.run(storage.receive(_chunks(*chunks), max_bytes=max_bytes))


def test_storage_keeps_pdf_png_jpeg_only_and_within_the_cap(tmp_path):
    storage = DocumentStorage(tmp_path)
    stored = _receive(storage, Chunk("C:\\docs\\cert.pdf", PDF[:50]), Chunk("C:\\docs\\cert.pdf", PDF[50:]))
    assert (stored.content_type, stored.name, stored.size) == ("application/pdf", "cert.pdf", len(PDF))
    assert storage.path(stored.key).read_bytes() == PDF
    for bad, message in (
        ((Chunk("x.html", b"<script>alert(1)</script>"),), "not a PDF"),
        ((Chunk("a.pdf", PDF), Chunk("b.pdf", PDF)), "one file"),
        ((Chunk("big.pdf", PDF * 20),), "over"),
    ):
        with pytest.raises(ValidationError, match=message):
            _receive(storage, *bad)
    assert [p.name for p in tmp_path.iterdir()] == [stored.key]  # nothing refused was kept
    assert storage.path("../../etc/passwd") is None
    assert shown_name("../../evil\x00.pdf") == "evil.pdf"


def test_a_document_hands_the_task_in_and_is_read_in_scope_only(session):
    maya, lars = make_user(session, Role.CHANNEL_MANAGER), make_user(session, Role.CHANNEL_MANAGER)
    org = make_org(session, manager=maya)
    ann, other = make_user(session, Role.PARTNER_ADMIN, org), make_user(session, Role.PARTNER_ADMIN)
    make_template(session, actor_for(maya), {"Enable": [("Certificate", "upload_document", True)]}, partner_type="")
    onb.start_onboarding(session, actor_for(maya), org.id, now=T0)
    checklist = session.exec(select(Checklist).where(Checklist.organization_id == org.id)).one()
    task = session.exec(select(ChecklistTask).where(ChecklistTask.checklist_id == checklist.id)).one()
    with pytest.raises(DomainError):
        onb.mark_task_done(session, actor_for(ann), task.id)  # a document task needs its document
    with pytest.raises(NotFound):
        onb.check_document_task(session, actor_for(other), task.id)
    assert onb.attach_document(session, actor_for(ann), task.id, "a" * 32, "application/pdf", "cert.pdf") == ""
    session.refresh(task)
    assert (task.status, task.document_name) == ("waiting_approval", "cert.pdf")
    with pytest.raises(DomainError):  # handed in: not again until sent back
        onb.attach_document(session, actor_for(ann), task.id, "b" * 32, "application/pdf", "again.pdf")
    assert onb.task_document(session, actor_for(maya), task.id) == ("a" * 32, "application/pdf", "cert.pdf")
    assert onb.task_document(session, actor_for(ann), task.id)[0] == "a" * 32
    for outsider in (lars, other):
        with pytest.raises(NotFound):
            onb.task_document(session, actor_for(outsider), task.id)
    onb.send_back_task(session, actor_for(maya), task.id, "Unsigned copy.")
    assert onb.attach_document(session, actor_for(ann), task.id, "c" * 32, "image/png", "c.png") == "a" * 32
