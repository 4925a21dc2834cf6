"""The REST API's program reads under /api/v1: training courses and certificates (`training:read`) and tiers
(`tiers:read`), cursor-paged like the other lists and narrowed by the areas' own rules
(integrations.program_reads)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from prm_app.integrations.program_reads import (
    CertificateOut,
    CourseOut,
    TierOut,
    list_certificates,
    list_courses,
    list_tiers,
)
from prm_app.integrations.reads import Page
from prm_app.integrations.ui.api_routes import ERRORS, Cursor, Holder, Limit, Since, listed

router = APIRouter(prefix="/api/v1", responses=ERRORS)


@router.get("/courses", response_model=Page[CourseOut], tags=["training"])
def courses(holder: Holder, cursor: Cursor = "", limit: Limit = None, updated_since: Since = "") -> Response:
    """Training courses: a partner's key the published courses its organization may take (the catalogue's
    audience rule); a program key every course, drafts and retired ones too."""
    return listed(holder, "training:read", list_courses, cursor, limit, updated_since)


@router.get("/certificates", response_model=Page[CertificateOut], tags=["training"])
def certificates(holder: Holder, cursor: Cursor = "", limit: Limit = None, updated_since: Since = "") -> Response:
    """Current certificates (not replaced by a renewal): a partner admin's key those of its organization's people;
    a program key those of the people of the partners in reach. Revoked and expired ones are listed with their
    status."""
    return listed(holder, "training:read", list_certificates, cursor, limit, updated_since)


@router.get("/tiers", response_model=Page[TierOut], tags=["tiers"])
def tiers(holder: Holder, cursor: Cursor = "", limit: Limit = None, updated_since: Since = "") -> Response:
    """The tiers, lowest id first. A program key gets every program's criteria per tier; a partner's key which
    tier its organization holds (`current`) and the criteria of the next tier up. Tiers keep no change time: with
    `updated_since`, every tier when the criteria, benefits or (for a partner) its own tier changed since, else
    none."""
    return listed(holder, "tiers:read", list_tiers, cursor, limit, updated_since)
