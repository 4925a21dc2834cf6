"""`saved_id`: the id of a row that is in the database, or a clear error when it is not yet."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from prm_app.platform.db import saved_id
from prm_app.platform.models import AuditLog


def _entry() -> AuditLog:
    return AuditLog(action="probe", record_type="test")


def test_an_unflushed_row_has_no_saved_id():
    with pytest.raises(RuntimeError, match="AuditLog has no id yet"):
        saved_id(_entry())


def test_a_flushed_row_gives_its_id(session: Session):
    entry = _entry()
    session.add(entry)
    session.flush()
    assert isinstance(saved_id(entry), int)
    assert session.get(AuditLog, saved_id(entry)) is entry
