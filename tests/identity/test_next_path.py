"""Where a sign-in may return to: same-origin paths only."""

from __future__ import annotations

import pytest

from prm_app.identity.rules import login_url, safe_next_path


@pytest.mark.parametrize(
    "path", ["/portal/deals/12", "/deals?status=approved&page=2", "/partners/7/scorecard", "/registrations/3#facts"]
)
def test_a_path_of_this_site_is_kept(path):
    assert safe_next_path(path) == path


@pytest.mark.parametrize(
    "path",
    [
        "//evil.example/portal",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/portal\\..\\x",
        "http://evil.example/",
        "https:/evil.example",
        "javascript:alert(1)",
        "evil.example/portal",
        "/\t/evil.example",
        "/portal\n",
        "/_auth/sign-out",
        "/_event",
        "/login",
        "/login/",
        "/",
        "",
        None,
        42,
        "/" + "x" * 2001,
    ],
)
def test_anything_else_is_dropped(path):
    assert safe_next_path(path) is None


def test_the_login_url_carries_only_a_safe_path_encoded():
    assert login_url("/deals?status=approved&page=2") == "/login?next=/deals%3Fstatus%3Dapproved%26page%3D2"
    assert login_url("//evil.example") == "/login"
    assert login_url(None) == "/login"
