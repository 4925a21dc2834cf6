"""The areas' dashboard panels as analytics shows them: registered readers in order, only for the vendor's people,
computed once per (filters, version) per worker; each bar series drawn as plain JSON plotly accepts, put in words,
offered as a table, and kept in a state that pickles."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

import plotly.graph_objects as go
import pytest
from sqlalchemy import text
from sqlmodel import Session

from prm_app.analytics import Panel, PanelBars, PanelFact, PanelTable, charts, dashboard_panels, live
from prm_app.analytics import panels as panels_module
from prm_app.analytics.ui.display import chart_table
from prm_app.analytics.ui.panel_views import panel_chart_rows, panel_view
from prm_app.partners import Filters
from prm_app.platform.access import Role
from prm_app.platform.errors import PermissionDenied
from tests.factories import actor_for, make_org, make_user

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
TIERS = PanelBars("Partners per tier now", ("Silver", "Gold"), (3.0, 1.0), unit="partners", item="Tier")
PANEL = Panel(
    key="demo",
    title="Demo",
    facts=(PanelFact("Upgrades", "2", "in the period"),),
    tables=(PanelTable("Moves", ("From", "To", "Partners"), (("Silver", "Gold", "2"),)),),
    bars=(TIERS, PanelBars("Nothing", ("a", "b"), (0.0, 0.0))),
    note="As of now.",
)


def test_a_bar_series_is_drawn_put_in_words_and_tabled():
    figure = charts.bars_figure(TIERS)
    go.Figure(figure)  # plotly accepts it as it is
    assert figure["data"][0]["x"] == ["Silver", "Gold"] and figure["data"][0]["y"] == [3.0, 1.0]
    assert figure["layout"]["xaxis"]["title"]["text"] == "Tier"
    view = panel_view(PANEL)
    drawn, nothing = view.charts
    assert (drawn.key, drawn.empty) == ("panel-demo-0", False)
    assert drawn.summary == "Partners per tier now: Silver: 3; Gold: 1."
    assert nothing.empty and nothing.summary == "Nothing: nothing to show for these filters."
    rows = panel_chart_rows((PANEL,), "panel-demo-0")
    assert rows == [{"Tier": "Silver", "partners": 3}, {"Tier": "Gold", "partners": 1}]
    assert chart_table(rows) == [["Tier", "Partners"], ["Silver", "3"], ["Gold", "1"]]
    assert charts.to_csv(rows).splitlines() == ["Tier,partners", "Silver,3", "Gold,1"]
    assert panel_chart_rows((PANEL,), "panel-demo-7") is None
    assert pickle.loads(pickle.dumps(view)) == view  # noqa: S301  (the state keeps it; Redis pickles it)
    assert view.tables[0].rows == [["Silver", "Gold", "2"]] and view.note == "As of now."


def test_panels_come_in_order_for_the_vendor_only_and_are_shared(session: Session, monkeypatch):
    calls: list[str] = []

    def reader(key: str, answer: Panel | None):
        def read(_session, f: Filters, now: datetime) -> Panel | None:
            calls.append(key)
            assert f.region == "EMEA" and now == NOW
            return answer

        return read

    monkeypatch.setattr(panels_module, "_readers", {})
    panels_module.register_dashboard_panel("late", 50, reader("late", PANEL))
    panels_module.register_dashboard_panel("early", 5, reader("early", Panel("early", "Early")))
    panels_module.register_dashboard_panel("none", 7, reader("none", None))
    f = Filters.last_days(30, NOW, region="EMEA")
    exec_ = actor_for(make_user(session, Role.EXEC))
    assert [p.key for p in dashboard_panels(session, exec_, f, NOW)] == ["early", "demo"]
    with pytest.raises(PermissionDenied):
        dashboard_panels(session, actor_for(make_user(session, Role.PARTNER_USER)), f, NOW)

    calls.clear()
    monkeypatch.setattr(live, "_reports", type(live._reports)())
    first = live.shared_panels(session, exec_, f, (1, 2, 3), NOW)
    again = live.shared_panels(session, exec_, f, (1, 2, 3), NOW)  # another viewer, same version: no reading
    assert first is again and calls == ["early", "none", "late"]
    live.shared_panels(session, exec_, f, (2, 2, 3), NOW)  # the data moved: read again
    assert calls == ["early", "none", "late"] * 2
    with pytest.raises(PermissionDenied):  # nothing cached is handed to a partner
        live.shared_panels(session, actor_for(make_user(session, Role.PARTNER_USER)), f, (2, 2, 3), NOW)


def test_a_channel_manager_sees_only_the_partners_of_their_book_in_a_panel(session: Session, monkeypatch):
    """Program-wide facts stay whole, but a table or bar series that lists partners (the MDF return by partner)
    keeps only the manager's partners, as the dashboard's own per-partner tables do."""
    manager, other = make_user(session, Role.CHANNEL_MANAGER), make_user(session, Role.CHANNEL_MANAGER)
    mine, theirs = make_org(session, manager=manager), make_org(session, manager=other)
    ids = (mine.id or 0, theirs.id or 0)
    paid = PanelTable("Paid by partner", ("Partner", "Paid"), ((mine.name, "100.00"), (theirs.name, "200.00")), ids)
    roi = PanelBars("ROI by partner", (mine.name, theirs.name), (1.0, 3.0), partners=ids)
    moves = PanelTable("Moves", ("From", "To"), (("Silver", "Gold"),))
    by_partner = Panel("money", "Money", (PanelFact("Paid", "300.00 EUR"),), (paid, moves), (roi, TIERS))
    monkeypatch.setattr(panels_module, "_readers", {"money": (1, lambda _s, _f, _n: by_partner)})
    monkeypatch.setattr(live, "_reports", type(live._reports)())
    f = Filters.last_days(30, NOW)

    (seen,) = live.shared_panels(session, actor_for(manager), f, (1, 2, 3), NOW)
    assert seen.facts == by_partner.facts
    assert seen.tables[0].rows == ((mine.name, "100.00"),) and seen.tables[1] == by_partner.tables[1]
    assert (seen.bars[0].labels, seen.bars[0].values) == ((mine.name,), (1.0,)) and seen.bars[1] == TIERS
    assert live.shared_panels(session, actor_for(manager), f, (1, 2, 3), NOW)[0] is seen  # drawn once per book
    assert panel_chart_rows((seen,), "panel-money-0") == [{"item": mine.name, "value": 1}]  # its table and CSV
    (whole,) = live.shared_panels(session, actor_for(make_user(session, Role.EXEC)), f, (1, 2, 3), NOW)
    assert whole is by_partner  # an exec sees every partner


def test_a_failing_panel_is_left_out_and_spoils_no_other(session: Session, monkeypatch, caplog):
    """One area's error must not hold the dashboard busy: its panel is left out (and logged), the others show, and
    the failed query's transaction (aborted on PostgreSQL) does not take the later readers with it."""

    def broken(s: Session, _f: Filters, _now: datetime) -> Panel:
        s.exec(text("SELECT no_such_column FROM organization"))  # type: ignore[call-overload]
        raise AssertionError("unreachable")

    def after(s: Session, _f: Filters, _now: datetime) -> Panel:
        count = s.exec(text("SELECT count(*) FROM organization")).one()  # type: ignore[call-overload]
        return Panel("after", f"Partners: {count[0]}")

    monkeypatch.setattr(panels_module, "_readers", {})
    panels_module.register_dashboard_panel("broken", 1, broken)
    panels_module.register_dashboard_panel("after", 2, after)
    make_org(session)
    exec_ = actor_for(make_user(session, Role.EXEC))
    shown = dashboard_panels(session, exec_, Filters.last_days(30, NOW), NOW)
    assert [p.key for p in shown] == ["after"] and shown[0].title.startswith("Partners: ")
    assert "dashboard panel broken failed" in caplog.text
