"""Pages register themselves: routes, navigation, guards and each role's home come from one registry."""

from __future__ import annotations

import pytest
import reflex as rx

import prm_app.app  # noqa: F401  (importing the app registers every page)
from prm_app.web.registry import Audience, home_route, nav_items, pages, url_for
from prm_app.web.state import home_for


def test_every_page_has_one_route_and_a_title():
    specs = pages()
    routes = [p.route for p in specs]

    assert len(routes) == len(set(routes)), "two pages on one route"
    assert all(p.title and p.route.startswith("/") for p in specs)
    assert {"/login", "/deals", "/deals/[deal_id]", "/lead-queue", "/dashboards"} <= set(routes)


def test_navigation_lists_each_audiences_pages_in_order():
    assert [p.nav.label for p in nav_items(Audience.PARTNER)] == [
        "Home",
        "Deals",
        "Leads",
        "Learning",
        "Incentives",
        "Tier",
        "Scorecard",
        "Library",
        "Team",
        "Organization",
        "API keys",
        "Webhooks",
        "Import & export",  # shown to partner admins (their people and deals)
    ]
    assert [p.nav.label for p in nav_items(Audience.INTERNAL)] == [
        "Dashboards",
        "Partners",
        "Deal registrations",
        "Lead queue",
        "Applications",
        "Onboarding",
        "Content",
        "Training",
        "Tiers",
        "Incentives",
        "FX rates",
        "Partner NPS",
        "Outbox",
        "API keys",
        "Webhooks",
        "CRM sync",
        "Import & export",
    ]


def test_an_entry_that_needs_a_permission_is_shown_only_to_roles_granted_it():
    outbox = next(p.nav for p in nav_items(Audience.INTERNAL) if p.nav and p.nav.label == "Outbox")
    assert outbox.roles() == ["admin"]
    dashboards = next(p.nav for p in nav_items(Audience.INTERNAL) if p.nav and p.nav.label == "Dashboards")
    assert dashboards.permission is None and "channel_manager" in dashboards.roles()


def test_each_role_lands_on_its_audiences_home():
    assert home_route(Audience.PARTNER) == home_for("partner_user") == home_for("partner_admin") == "/portal"
    assert home_route(Audience.INTERNAL) == home_for("channel_manager") == home_for("admin") == "/partners"
    assert home_for("exec") == "/dashboards"  # execs sign in to watch the program, not to work the directory


def test_url_for_fills_route_parameters():
    assert url_for("deals_page") == "/deals"
    assert url_for("deal_detail_page", deal_id=42) == "/deals/42"
    assert url_for("partner_scorecard_page", partner_id=7) == "/partners/7/scorecard"
    with pytest.raises(KeyError):
        url_for("deal_detail_page")


def test_url_for_takes_a_var_for_links_built_in_the_browser():
    class RowState(rx.State):
        deal_id: int = 0

    href = url_for("deal_detail_page", deal_id=RowState.deal_id)

    assert "/deals/" in str(rx.Var.create(href)) and "deal_id" in str(rx.Var.create(href))


@pytest.mark.parametrize("spec", pages(), ids=lambda p: p.route)
def test_every_page_builds_and_renders(spec):
    """Each page's component tree builds and renders (a Var used wrongly fails here, without a frontend build)."""
    rendered = spec.component().render()

    assert rendered
