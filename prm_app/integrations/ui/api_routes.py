"""The REST API's resources under /api/v1: each route parses, checks the key's scope and calls the area's own use
case or read as the key's actor (api_support.run / post). Lists are cursor-paged (`cursor`, `limit`) and take
`updated_since`; another tenant's record answers 404, like one that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from prm_app.deals import DealInput, get_deal_for_review, get_my_deal, register_deal
from prm_app.integrations.keys import KeyHolder
from prm_app.integrations.reads import (
    AuditEventOut,
    DealOut,
    Page,
    PartnerOut,
    UserOut,
    list_audit_events,
    list_deals,
    list_partners,
    list_users,
)
from prm_app.integrations.rules import decode_cursor, page_size, parse_updated_since
from prm_app.integrations.ui.api_support import answer, key_holder, post, run
from prm_app.nps import answer_survey, list_surveys, surveys_to_answer
from prm_app.platform.access import Actor
from prm_app.platform.errors import NotFound

router = APIRouter(prefix="/api/v1")
Holder = Annotated[KeyHolder, Depends(key_holder)]
Cursor = Annotated[str, Query(description="The `next_cursor` of the previous page; empty for the first page")]
Limit = Annotated[int | None, Query(description="Rows per page, 1-100 (default 50)")]
Since = Annotated[str, Query(description="Only rows created or changed at or after this ISO 8601 moment")]
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid API key (problem+json)"},
    403: {"description": "The key's scope or its person's permissions do not allow this (problem+json)"},
    422: {"description": "Invalid input, with an `errors` entry per field (problem+json)"},
    429: {"description": "Rate limit reached; see `Retry-After` (problem+json)"},
}


def listed(
    holder: KeyHolder, scope: str, read: Callable[..., Page[Any]], cursor: str, limit: int | None, since: str
) -> Response:
    def page(session: Session, actor: Actor) -> Page[Any]:
        return read(session, actor, decode_cursor(cursor), page_size(limit), parse_updated_since(since))

    return answer(run(holder, scope, page))


@router.get("/partners", response_model=Page[PartnerOut], tags=["partners"], responses=ERRORS)
def partners(holder: Holder, cursor: Cursor = "", limit: Limit = None, updated_since: Since = "") -> Response:
    """Partner organizations: a partner's key sees its own; a program key the whole directory."""
    return listed(holder, "partners:read", list_partners, cursor, limit, updated_since)


@router.get("/partners/{partner_id}", response_model=PartnerOut, tags=["partners"], responses=ERRORS)
def partner(holder: Holder, partner_id: int) -> Response:
    """One partner organization; 404 outside the key's reach."""

    def one(session: Session, actor: Actor) -> PartnerOut:
        found = list_partners(session, actor, partner_id - 1, 1).data
        if not found or found[0].id != partner_id:
            raise NotFound("partner")
        return found[0]

    return answer(run(holder, "partners:read", one))


@router.get("/users", response_model=Page[UserOut], tags=["users"], responses=ERRORS)
def users(holder: Holder, cursor: Cursor = "", limit: Limit = None, updated_since: Since = "") -> Response:
    """Partners' people: a partner's key its own team; a program key the teams of the partners in reach."""
    return listed(holder, "users:read", list_users, cursor, limit, updated_since)


@router.get("/deals", response_model=Page[DealOut], tags=["deals"], responses=ERRORS)
def deals(holder: Holder, cursor: Cursor = "", limit: Limit = None, updated_since: Since = "") -> Response:
    """Deal registrations: a partner's key its own organization's (and, for a distributor, those its resellers
    shared with it); a program key those of the partners in reach."""
    return listed(holder, "deals:read", list_deals, cursor, limit, updated_since)


def _deal(session: Session, actor: Actor, deal_id: int) -> dict[str, Any]:
    """A registration with its history; for the vendor's keys also the partner and the conflict evidence."""
    if actor.is_partner:
        mine = get_my_deal(session, actor, deal_id)
        return {"deal": mine.deal, "possible_conflict": mine.possible_conflict, "parties": mine.parties}
    review = get_deal_for_review(session, actor, deal_id)
    return {
        "deal": review.deal, "partner_id": review.partner_id, "partner_name": review.partner_name,
        "evidence": review.evidence, "approval_blocked": review.approval_blocked,
    }  # fmt: skip


@router.get("/deals/{deal_id}", tags=["deals"], responses=ERRORS)
def deal(holder: Holder, deal_id: int) -> Response:
    """One registration; 404 for another tenant's. Internal keys also get the conflict evidence."""
    return answer(run(holder, "deals:read", _deal, deal_id))


class DealIn(BaseModel):
    """A registration as the deal form takes it (values as text: money as a decimal string, never a float)."""

    customer_name: str = Field(max_length=200)
    customer_site: str = Field("", max_length=254)
    country: str = Field(description="ISO 3166 alpha-2, e.g. DE", max_length=2)
    contact_name: str = Field(max_length=120)
    contact_email: str = Field(max_length=254)
    product_ids: list[int] = Field(default_factory=list, max_length=50)
    estimated_value: str = Field(description='A decimal amount, e.g. "25000.00"', max_length=30)
    currency: str = Field("USD", max_length=3)
    expected_close: str = Field(description="ISO date, e.g. 2027-03-31", max_length=10)
    stage: str = Field(max_length=30)
    description: str = Field("", max_length=5000)
    credit: str = Field("sourced", description="sourced (you found it) or influenced (you help on it)", max_length=20)
    distributor_id: int | None = Field(None, description="The distributor that fulfils it: one of yours, now")
    hide_from_distributor: bool = Field(False, description="Do not share this deal with that distributor")
    for_organization_id: int | None = Field(None, description="A distributor registers for one of its resellers")
    submit: bool = Field(True, description="Submit for review now (false: keep as a draft)")


@router.post("/deals", status_code=201, tags=["deals"], responses=ERRORS)
async def create_deal(request: Request, holder: Holder, body: DealIn) -> Response:
    """Register a deal for the key's partner (partner keys). Send an `Idempotency-Key` header to retry safely."""
    data = DealInput(
        **body.model_dump(exclude={"submit", "product_ids", "distributor_id", "for_organization_id"}),
        distributor_id=str(body.distributor_id or ""),
        for_organization_id=str(body.for_organization_id or ""),
        product_ids=tuple(body.product_ids),
    )

    def effect(session: Session, actor: Actor) -> dict[str, Any]:
        deal_id = register_deal(session, actor, data, submit=body.submit)
        return _deal(session, actor, deal_id)

    return await post(request, holder, "deals:write", effect)


@router.get("/surveys", tags=["surveys"], responses=ERRORS)
def surveys(holder: Holder) -> Response:
    """NPS surveys: for a partner's key those open to answer (with this person's answer); for a program key every
    survey with its tally. Surveys are few: one page."""

    def read(session: Session, actor: Actor) -> dict[str, Any]:
        rows = surveys_to_answer(session, actor) if actor.is_partner else list_surveys(session, actor)
        return {"data": rows, "next_cursor": None}

    return answer(run(holder, "surveys:read", read))


class AnswerIn(BaseModel):
    score: int = Field(ge=0, le=10, description="0-10")
    comment: str = Field("", max_length=2000)


@router.post("/surveys/{survey_id}/answers", status_code=201, tags=["surveys"], responses=ERRORS)
async def answer_a_survey(request: Request, holder: Holder, survey_id: int, body: AnswerIn) -> Response:
    """Answer an open survey as the key's person, once (partner keys)."""

    def effect(session: Session, actor: Actor) -> dict[str, Any]:
        answer_survey(session, actor, survey_id, body.score, body.comment)
        return {"survey_id": survey_id, "score": body.score, "comment": body.comment.strip(), "answered": True}

    return await post(request, holder, "surveys:write", effect)


@router.get("/audit-events", response_model=Page[AuditEventOut], tags=["audit"], responses=ERRORS)
def audit_events(holder: Holder, cursor: Cursor = "", limit: Limit = None, updated_since: Since = "") -> Response:
    """The audit log, oldest first (program keys of administrators)."""
    return listed(holder, "audit:read", list_audit_events, cursor, limit, updated_since)
