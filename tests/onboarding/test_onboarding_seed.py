"""The demo onboarding: every demo partner has a checklist at its own point, seeding twice adds nothing."""

from __future__ import annotations

from prm_app.onboarding import seed as onboarding_seed
from prm_app.onboarding.queries import onboarding_board, onboarding_medians
from prm_app.partners import seed as partners_seed
from prm_app.platform.access import Actor


def test_demo_checklists_onboarded_mid_way_and_stuck(session):
    partners_seed.seed(session)
    assert onboarding_seed.seed(session) == {"onboarding templates": 4, "onboarding checklists": 14}
    assert onboarding_seed.seed(session) == {"onboarding templates": 0, "onboarding checklists": 0}
    board = onboarding_board(session, Actor.system("test"))
    by_name = {r.organization: r for r in board.rows}
    assert len(by_name) == 14
    harbor = by_name["Harbor Tech Supply"]
    assert (harbor.stage, harbor.stuck, harbor.onboarded_at) == ("Enable", False, None)
    assert by_name["Atlas Value Partners"].stuck and by_name["Andes Cloud Services"].stuck
    assert by_name["Bluepeak Resellers"].days_to_onboard == 52.0
    assert by_name["Bluepeak Resellers"].days_to_first_deal == 30.0
    medians = onboarding_medians(session, Actor.system("test"), quarters=8)
    assert sum(q.onboarded for q in medians) == 7
    assert all(q.median_days_to_onboard is None or q.median_days_to_onboard > 0 for q in medians)
