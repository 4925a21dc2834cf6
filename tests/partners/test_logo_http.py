"""The logo endpoint: only a signed-in person who may read the partner's profile gets its current logo, served as
the image type its content proved, never sniffed into anything else; everyone else gets the same 404."""

from __future__ import annotations

from starlette.testclient import TestClient

from prm_app.partners.logos import LogoStorage
from prm_app.partners.ui.logo_http import logo_routes, logo_url
from prm_app.platform.errors import NotAuthenticated, NotFound
from tests.partners.test_partner_rules import PNG

KEY = "ab" * 16


def _client(tmp_path, store: bool = True) -> tuple[TestClient, list]:
    storage = LogoStorage(tmp_path)
    if store:
        (tmp_path / KEY).write_bytes(PNG)
    asked: list = []

    def find(token: str, ip: str, organization_id: int, key: str) -> tuple[str, str]:
        asked.append((token, organization_id, key))
        if not token:
            raise NotAuthenticated()
        if token != "member" or organization_id != 7 or key != KEY:
            raise NotFound("logo")
        return key, "image/png"

    return TestClient(logo_routes(find, storage)), asked


def _as(client: TestClient, token: str) -> TestClient:
    client.cookies.clear()
    client.cookies.set("prm_session", token)
    return client


def test_a_member_gets_the_logo_as_an_image_that_is_never_sniffed(tmp_path):
    client, asked = _client(tmp_path)
    answer = _as(client, "member").get(logo_url(7, KEY))
    assert answer.status_code == 200 and answer.content == PNG
    assert answer.headers["content-type"] == "image/png"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in answer.headers["content-security-policy"]
    assert asked == [("member", 7, KEY)]


def test_everyone_else_gets_the_same_not_found(tmp_path):
    client, _ = _client(tmp_path)
    assert _as(client, "").get(logo_url(7, KEY)).status_code == 404  # not signed in
    assert _as(client, "stranger").get(logo_url(7, KEY)).status_code == 404
    assert _as(client, "member").get(logo_url(8, KEY)).status_code == 404
    assert _as(client, "member").get("/_files/logo/seven/" + KEY).status_code == 404
    assert _as(client, "member").post(logo_url(7, KEY)).status_code == 405


def test_a_logo_whose_file_is_gone_is_not_found(tmp_path):
    client, _ = _client(tmp_path, store=False)
    assert _as(client, "member").get(logo_url(7, KEY)).status_code == 404
    assert logo_url(7, "") == ""
