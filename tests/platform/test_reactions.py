"""Engagement reactions run in the recording unit of work, for their kinds only."""

from __future__ import annotations

from sqlmodel import Session, select

from prm_app.platform import audit
from prm_app.platform.access import Actor
from prm_app.platform.models import EngagementEvent


def test_a_reaction_runs_for_its_kinds_in_the_same_session(session: Session, monkeypatch) -> None:
    monkeypatch.setattr(audit, "_REACTIONS", {})
    seen: list[tuple[str, bool]] = []

    @audit.reacts_to("thing_done", "other_done")
    def _react(s: Session, event: EngagementEvent) -> None:
        seen.append((event.kind, event in s))

    actor = Actor.system("Test")
    audit.record_engagement(session, actor, "thing_done")
    audit.record_engagement(session, actor, "unrelated")
    audit.record_engagement(session, actor, "other_done")
    assert seen == [("thing_done", True), ("other_done", True)]
    session.flush()
    assert len(session.exec(select(EngagementEvent)).all()) == 3
