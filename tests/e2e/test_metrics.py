"""The served app's /metrics: refused without the token; with it, one scrape shows what a signed-in person's page
just did (its event handlers timed, the sign-in request counted by route, the tab's socket open), summed over every
worker when the app runs scale-out."""

from __future__ import annotations

import re
import time

import httpx
from playwright.sync_api import Page
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.conftest import log_in

TOKEN = "e2e-metrics-token"  # the harness gives the server this PRM_METRICS_TOKEN (tests/e2e/conftest.py)


def _scrape(app_server: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    response = httpx.get(f"{app_server}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


def _value(samples: dict, name: str, **labels: str) -> float:
    return sum(v for found, v in samples.get(name, []) if all(found.get(k) == w for k, w in labels.items()))


def test_metrics_are_refused_without_the_token(app_server: str):
    assert httpx.get(f"{app_server}/metrics", timeout=10).status_code == 401
    wrong = httpx.get(f"{app_server}/metrics", headers={"Authorization": "Bearer guess"}, timeout=10)
    assert wrong.status_code == 401


def test_a_page_event_shows_in_the_scrape(app_server: str, page: Page):
    log_in(page, "admin@vendor.example", expect_path="/partners")

    # The event's task records its time when it ends, just after the page got its update: allow a moment.
    deadline = time.time() + 10
    while True:
        samples = _scrape(app_server)
        guarded = _value(samples, "prm_event_duration_seconds_count", handler="AuthState.open_page")
        if guarded > 0 or time.time() > deadline:
            break
        time.sleep(0.3)

    assert guarded > 0
    # Scaled out, each scrape may be answered by another worker than the one holding this tab's socket: every
    # answer still counts the event (workers write their samples to one folder and a scrape reads them all).
    for _ in range(4):
        again = _scrape(app_server)
        assert _value(again, "prm_event_duration_seconds_count", handler="AuthState.open_page") >= guarded
    assert _value(samples, "prm_http_requests_total", route="/_auth/sign-in", method="POST", status="303") >= 1
    assert _value(samples, "prm_event_sockets_open") >= 1  # this page's tab is still connected
    assert _value(samples, "prm_db_pool_size") > 0
    assert "prm_db_pool_checked_out" in samples
    # The job queue, seen from the web worker that answers: nothing waiting, no failed run of either job.
    assert "prm_job_queue_depth" in samples and "prm_job_failed_runs_total" in samples
    assert _value(samples, "prm_job_queue_depth") == 0
    assert _value(samples, "prm_job_failed_runs_total", job="expire_deals") == 0
    assert _value(samples, "prm_job_failed_runs_total", job="recycle_leads") == 0
    # One consumer beside the server: no periodic run found its minute already claimed by another.
    assert _value(samples, "prm_job_periodic_skipped_total", job="recycle_leads") == 0
    assert {found["job"] for found, _ in samples["prm_job_periodic_skipped_total"]} == {
        "expire_deals",
        "fold_rollups",
        "recycle_leads",
        "remind_expiring_offers",
        "resend_stalled_runs",
        "send_mail_periodic",
        "purge_content",
        "remind_expiring_certificates",
        "expire_fund_requests",
        "evaluate_tiers",
        "forget_idempotency_records",
        "deliver_webhooks_periodic",
        "revalue_fx",
    }
    # Label values are templates and names from code: no e-mail address, no id-bearing path.
    labels = {v for rows in samples.values() for found, _ in rows for v in found.values()}
    assert not [v for v in labels if "@" in v or re.search(r"/\d", v)]
