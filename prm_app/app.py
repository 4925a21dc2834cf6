"""The app: every area's pages come from the page registry. Scheduled work runs in the job consumer
(prm_app.runtime, started beside the server by prm_app.web.server), not in the web workers."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from importlib import import_module
from importlib.util import find_spec

import reflex as rx

from prm_app import areas
from prm_app.agreements.ui.pdf_http import agreement_routes
from prm_app.cli.serve import production_refusal
from prm_app.content.ui.file_http import content_routes
from prm_app.crm.ui.inbound_http import crm_routes
from prm_app.identity.ui.session_http import api_transformers
from prm_app.integrations.ui.api_http import api_routes
from prm_app.mail import outbox_backlog
from prm_app.onboarding.ui.document_http import document_routes
from prm_app.partners.ui.logo_http import logo_routes
from prm_app.platform.db import get_engine, session_scope
from prm_app.platform.logs import configure_logging
from prm_app.platform.settings import settings
from prm_app.runtime.jobs import failed_runs, skipped_periodic_runs
from prm_app.runtime.queue import queue
from prm_app.scorm.ui import scorm_routes
from prm_app.training.ui.media_http import training_routes
from prm_app.web.components.idle import IdleState
from prm_app.web.errors import backend_exception_handler
from prm_app.web.header_state import HeaderState
from prm_app.web.health_http import health_routes
from prm_app.web.layout import app_shell, public_page
from prm_app.web.metrics_http import (
    EventMetrics,
    HttpMetrics,
    metrics_routes,
    register_counter,
    register_gauge,
    watch_pool,
)
from prm_app.web.reflex_patches import release_interrupted_state_locks
from prm_app.web.registry import Audience, pages
from prm_app.web.state import AuthState, page_opening
from prm_app.web.static_cache import CacheFingerprinted
from prm_app.web.uploads_http import guard_uploads

release_interrupted_state_locks()  # no tab waits 10 s for a state lock a superseded event left behind
configure_logging()  # JSON lines with request/event ids in production, readable in the demo (PRM_LOG_FORMAT)
app = rx.App(
    html_lang="en",
    stylesheets=["/app.css"],
    backend_exception_handler=backend_exception_handler,
)
# Applied in order, each wrapping the last: long caching of the build's fingerprinted files, the upload guard
# (refuses anonymous or unauthorized uploads before their body is read), /healthz and /readyz for load balancers,
# partners' logos, /metrics for Prometheus (404 unless PRM_METRICS_TOKEN is set), then the sign-in/out endpoints (they
# set the HttpOnly session cookie) and the gate that keeps that cookie out of the state tree; outermost, HttpMetrics
# counts every request and open event socket.
app.api_transformer = [
    CacheFingerprinted,  # the build's content-hashed files cached for good (web/static_cache.py)
    guard_uploads,
    health_routes(),
    logo_routes(),
    document_routes(),  # onboarding documents, for the partner's people and its managers
    agreement_routes(),  # signed agreements as PDF, for whoever may read them
    content_routes(),  # the library's files, for whoever may see each asset (404 otherwise)
    scorm_routes(),  # SCORM launches, commits and package files, for the person who launched
    training_routes(),  # lesson files (video by ranges), the video position beacon, certificate PDFs
    api_routes(),  # the REST API under /api/v1 with its OpenAPI document and offline docs (integrations)
    crm_routes(),  # the receiver of CRM events, verified by their signatures (crm)
    metrics_routes(),
    *api_transformers(app),
    HttpMetrics,
]
app.add_middleware(EventMetrics(), index=0)  # first: Reflex's hydrate middleware answers hydrate events itself
watch_pool(get_engine())


def outbox_backlog_now() -> int:
    """Unsent mail (a quick count on the status index), for the metric below."""
    with session_scope() as session:
        return outbox_backlog(session)


register_gauge("prm_job_queue_depth", "Jobs waiting in the queue", queue.pending_count)
register_gauge("prm_job_scheduled", "Jobs scheduled for later (retries, delayed runs)", queue.scheduled_count)
register_gauge("prm_mail_outbox_backlog", "Messages in the outbox not sent yet", outbox_backlog_now)
register_counter("prm_job_failed_runs", "Failed job runs by job, all consumers together", failed_runs, label="job")
register_counter(
    "prm_job_periodic_skipped", "Periodic runs another consumer had claimed", skipped_periodic_runs, label="job"
)


@contextlib.asynccontextmanager
async def production_guard() -> AsyncIterator[None]:
    """Outside demo mode the server does not start while the published demo password opens any account."""
    if not settings.demo_mode:
        if reason := await asyncio.to_thread(production_refusal):
            raise RuntimeError(reason)
    yield


app.register_lifespan_task(production_guard)

for area in areas.AREAS:
    if find_spec(f"prm_app.{area}.ui") is not None:  # an area may have no pages of its own (notifications)
        import_module(f"prm_app.{area}.ui")  # its ui package imports its pages, which register themselves

GUARDS = {
    Audience.PUBLIC: [],
    Audience.PARTNER: [HeaderState.guard_portal],  # the partner guard, and the header's counts in the same event
    Audience.INTERNAL: [HeaderState.guard_console],  # the internal guard and the console's counts (applications)
    Audience.ANY: [AuthState.guard_any],
}
# After the guard, on every signed-in page: the idle banner's time left, answered with the page's opening.
OPENED = [IdleState.opened]


def index() -> rx.Component:
    return public_page(rx.text("Opening your workspace…"), "Open PRM")


app.add_page(index, route="/", title="Open PRM", on_load=AuthState.go_home)


def not_found() -> rx.Component:
    """Any address that is no page: said in the app's own frame, with the way back."""
    return rx.vstack(
        rx.text("There is no page at this address. The link may be mistyped, or the page may have moved."),
        rx.link("Go to your home page", href="/"),
        spacing="3",
    )


# Reflex serves this for every unknown path; signed out, its guard sends the person to sign in first.
app.add_page(
    app_shell("Page not found", not_found),
    route="404",
    title="Page not found · Open PRM",
    on_load=page_opening("404", [*GUARDS[Audience.ANY], *OPENED]),
)
for spec in pages():
    public = spec.audience == Audience.PUBLIC
    app.add_page(
        spec.component if public else app_shell(spec.title, spec.component),
        route=spec.route,
        title=f"{spec.title} · Open PRM",
        # A signed-in page opens with one event: its guard and its loads in one unit of work (web/state.py).
        on_load=list(spec.on_load)
        if public
        else page_opening(spec.route, [*GUARDS[spec.audience], *OPENED, *spec.on_load]),
    )
