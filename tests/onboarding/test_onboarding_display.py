"""What the onboarding pages show, from the read models (pure: no browser, no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prm_app.onboarding.queries import BoardRow, ChecklistView, StageView, TaskView
from prm_app.onboarding.ui.display import board_line, days_text, journey_card, stage_groups, task_line
from prm_app.platform.i18n import catalogue

T = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _task(id_: int, kind: str, status: str, note: str = "") -> TaskView:
    return TaskView(id_, f"Task {id_}", kind, status, True, note, "", T, kind != "custom")


def test_what_a_partner_and_a_manager_may_do_with_a_task():
    manual = task_line(_task(1, "custom", "action_required", "Add targets"))
    assert (manual.can_mark_done, manual.needs_upload, manual.note, manual.status_label) == (
        True, False, "Add targets", "Action required"
    )  # fmt: skip
    assert task_line(_task(2, "upload_document", "pending")).needs_upload
    ticking = task_line(_task(3, "register_first_deal", "pending"))
    assert not ticking.can_mark_done and "first deal" in ticking.hint
    waiting = task_line(_task(4, "custom", "waiting_approval", "old note"))
    assert (waiting.can_approve, waiting.can_send_back, waiting.can_mark_done, waiting.note) == (True, True, False, "")
    assert not task_line(_task(5, "custom", "skipped")).can_skip


def test_the_journey_names_the_current_stage_and_the_next_step_action_required_first():
    done = StageView(1, "Welcome", 1, 1, T, [_task(1, "sign_agreement", "completed")])
    enable = StageView(2, "Enable", 0, 2, None, [_task(2, "custom", "pending"), _task(3, "custom", "action_required")])
    card = journey_card(ChecklistView(9, "Acme", "Resellers", T, T, None, None, [done, enable]))
    assert (card.current_stage, card.next_step, card.next_status) == ("Enable", "Task 3", "Action required")
    assert [(s.progress, s.done, s.current) for s in card.stages] == [("1 of 1 done", True, False),
                                                                      ("0 of 2 done", False, True)]  # fmt: skip
    assert not journey_card(None).started
    assert card.stage_sentence == "You are in the Enable stage."


def test_the_journey_in_the_readers_language():
    """Kinds, statuses, hints, days and the sentences in German; stage names and task titles as the template has
    them."""
    done = StageView(1, "Welcome", 1, 1, T, [_task(1, "sign_agreement", "completed")])
    enable = StageView(2, "Enable", 0, 1, None, [_task(2, "register_first_deal", "pending")])
    card = journey_card(ChecklistView(9, "Acme", "Resellers", T, T, None, None, [done, enable]), UTC, catalogue("de"))
    task = card.stages[1].tasks[0]
    assert (task.title, task.kind_label, task.status_label) == ("Task 2", "Ersten Deal registrieren", "Offen")
    assert task.meta == "Ersten Deal registrieren · aktualisiert am 02.03.2026"
    assert task.hint == "Wird automatisch abgehakt, wenn Sie Ihren ersten Deal registrieren."
    assert card.stage_sentence == "Sie sind in der Phase „Enable“."
    assert (card.stages[0].progress, card.stages[0].progress_label) == ("1 von 1 erledigt", "Fortschritt: Welcome")
    finished = ChecklistView(9, "Acme", "Resellers", T, T, T, None, [done])
    assert journey_card(finished, UTC, catalogue("de")).onboarded_text == "Onboarding abgeschlossen seit 02.03.2026."


def test_board_lines_and_groups():
    row = BoardRow(3, "Acme", "msp", T, "Enable", 1, 2, 5, T, True, None, None, 12.4)
    line = board_line(row, T + timedelta(days=20))
    assert (line.type_label, line.stage, line.progress, line.to_onboard, line.to_first_deal) == (
        "MSP", "Enable", "2 of 5 tasks", "—", "12 days"
    )  # fmt: skip
    assert line.last_progress == "20 days ago"
    done = board_line(BoardRow(4, "Bolt", "var", T, "", 3, 5, 5, T, False, T, 0.2, None), T)
    assert done.stage == "Onboarded" and done.to_onboard == "under a day"
    groups = stage_groups([line, done])
    assert [(g.stage, g.count, g.stuck) for g in groups] == [("Enable", 1, 1), ("Onboarded", 1, 0)]
    assert days_text(1.2) == "1 day"
