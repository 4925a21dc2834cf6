"""`saved_id`: the id of a row that is in the database, or a clear error when it is not yet. `part_of`: one part of a
shared unit of work, whose writes are undone when it raises while the other parts' are kept."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from prm_app.platform.db import part_of, saved_id, session_scope
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


class Boom(Exception):
    pass


def _write(session: Session, action: str, fail: bool = False) -> None:
    with part_of(session):
        session.add(AuditLog(action=action, record_type="test"))
        session.flush()
        if fail:
            raise Boom


def _actions(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return sorted(session.exec(select(AuditLog.action)).all())


@pytest.mark.parametrize("first_fails", [False, True], ids=["later part fails", "first part fails"])
def test_a_failing_part_undoes_only_its_own_writes(engine: Engine, first_fails: bool):
    with session_scope(engine) as session:
        for action, fail in [("kept-1", False), ("undone", True), ("kept-2", False)][int(first_fails) :]:
            try:
                _write(session, action, fail)
            except Boom:
                pass
    assert _actions(engine) == (["kept-2"] if first_fails else ["kept-1", "kept-2"])


def test_a_part_that_succeeds_is_committed_with_the_unit(engine: Engine):
    with session_scope(engine) as session:
        _write(session, "one")
        _write(session, "two")
    assert _actions(engine) == ["one", "two"]
