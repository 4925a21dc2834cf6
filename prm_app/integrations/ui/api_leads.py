"""The REST API's leads under /api/v1/leads: add one (the vendor's keys), list and read them, route one and offer it
to a partner (the vendor's keys), accept or decline an offer (partners' keys). Each route runs the leads area's own
use case as the key's actor; a lead outside the key's reach answers 404 (integrations.lead_reads)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import event
from sqlmodel import Session

from prm_app.integrations.lead_reads import LeadOut, get_lead, lead_out, list_leads, reachable_lead
from prm_app.integrations.reads import Page
from prm_app.integrations.ui.api_routes import ERRORS, Cursor, Holder, Limit, Since, listed
from prm_app.integrations.ui.api_support import answer, post, run
from prm_app.leads import (
    DECLINE_REASONS,
    LEAD_FIELDS,
    Lead,
    accept_lead,
    add_lead,
    assign_by_hand,
    confirm_proposals,
    decline_lead,
    route_leads,
)
from prm_app.platform.access import Actor
from prm_app.platform.errors import DomainError, FormInvalid

router = APIRouter(prefix="/api/v1", tags=["leads"], responses=ERRORS)


class LeadIn(BaseModel):
    """A lead as the "Add a lead" form takes it, checked by the same rules as a row of the CSV import."""

    company: str = Field(max_length=200)
    domain: str = Field(description="The company's website or email domain, e.g. acme.com", max_length=254)
    contact_name: str = Field("", max_length=120)
    contact_email: str = Field(max_length=254)
    country: str = Field(description="A country name or its ISO 3166 alpha-2 code, e.g. PT", max_length=60)
    city: str = Field("", max_length=120)
    postcode: str = Field("", max_length=20)
    vertical: str = Field("", description="e.g. healthcare, retail", max_length=40)
    products: list[str] = Field(default_factory=list, description="Product SKUs or names", max_length=50)
    estimated_size: str = Field("", description='A decimal amount, e.g. "25000"', max_length=30)
    source: str = Field("", description="e.g. website, event, referral (empty: other)", max_length=30)

    def cells(self) -> dict[str, str]:
        values = self.model_dump()
        values["products"] = ";".join(p.replace(";", " ").replace("|", " ") for p in self.products)
        return {h: str(values[h]) for h in LEAD_FIELDS}


def _add_lead(session: Session, actor: Actor, cells: dict[str, str]) -> Lead:
    """`leads.add_lead`, and the lead it stored: the one Lead its flush inserts (FormInvalid, nothing stored, for
    bad cells, naming each field as the form does)."""
    inserted: list[Lead] = []

    def keep(flushing: Session, _context: object) -> None:
        inserted.extend(row for row in flushing.new if isinstance(row, Lead))

    event.listen(session, "after_flush", keep)
    try:
        problems, _draft = add_lead(session, actor, cells)
    finally:
        event.remove(session, "after_flush", keep)
    if problems:
        raise FormInvalid({p.field: p.message for p in problems})
    if len(inserted) != 1:  # never: add_lead stores exactly one lead for clean cells
        raise RuntimeError(f"expected the one lead add_lead stored, found {len(inserted)}")
    return inserted[0]


@router.post("/leads", status_code=201)
async def create_lead(request: Request, holder: Holder, body: LeadIn) -> Response:
    """Add a lead at the end of its country's queue (the vendor's keys whose person may manage leads).
    Send an `Idempotency-Key` header to retry safely."""

    def effect(session: Session, actor: Actor) -> LeadOut:
        return lead_out(session, actor, _add_lead(session, actor, body.cells()))

    return await post(request, holder, "leads:write", effect)


@router.get("/leads", response_model=Page[LeadOut])
def leads(holder: Holder, cursor: Cursor = "", limit: Limit = None, updated_since: Since = "") -> Response:
    """Leads: a partner's key those offered to, accepted or worked by its organization; a program key those of the
    queues its person works."""
    return listed(holder, "leads:read", list_leads, cursor, limit, updated_since)


@router.get("/leads/{lead_id}", response_model=LeadOut)
def lead(holder: Holder, lead_id: int) -> Response:
    """One lead; 404 outside the key's reach. A partner sees the contact person once it has accepted."""
    return answer(run(holder, "leads:read", get_lead, lead_id))


def _lead_after(session: Session, actor: Actor, lead_id: int) -> LeadOut:
    session.flush()
    return get_lead(session, actor, lead_id)


@router.post("/leads/{lead_id}/route", status_code=200)
async def route_a_lead(request: Request, holder: Holder, lead_id: int) -> Response:
    """Run routing for one waiting lead (the vendor's keys): the lead with its proposed partner and routing's
    explanation in `proposal_reasons` (or why no partner is eligible)."""

    def effect(session: Session, actor: Actor) -> dict[str, Any]:
        lead = reachable_lead(session, actor, lead_id)
        run_ = route_leads(session, actor, lead.queue_id, [lead_id])
        out = _lead_after(session, actor, lead_id)
        return {"proposed": run_.proposed == 1, "explanation": out.proposal_reasons, "lead": out}

    return await post(request, holder, "leads:write", effect, status_code=200)


class OfferIn(BaseModel):
    partner_id: int | None = Field(None, description="Offer to this partner (empty: to the partner routing proposed)")


@router.post("/leads/{lead_id}/offer", status_code=200)
async def offer_a_lead(request: Request, holder: Holder, lead_id: int, body: OfferIn) -> Response:
    """Send a waiting lead to a partner as an offer (the vendor's keys): the accept deadline starts and the partner
    is told. Without `partner_id` the partner routing proposed gets it."""

    def effect(session: Session, actor: Actor) -> LeadOut:
        reachable_lead(session, actor, lead_id)
        if body.partner_id is not None:
            assign_by_hand(session, actor, lead_id, body.partner_id)
        if confirm_proposals(session, actor, [lead_id]) != 1:
            raise DomainError("This lead has no proposed partner: route it first, or name a partner_id.")
        return _lead_after(session, actor, lead_id)

    return await post(request, holder, "leads:write", effect, status_code=200)


@router.post("/leads/{lead_id}/accept", status_code=200)
async def accept_a_lead(request: Request, holder: Holder, lead_id: int) -> Response:
    """Accept a lead offered to the key's organization before its deadline (partners' keys); 409 once it has
    moved on."""

    def effect(session: Session, actor: Actor) -> LeadOut:
        accept_lead(session, actor, lead_id)
        return _lead_after(session, actor, lead_id)

    return await post(request, holder, "leads:write", effect, status_code=200)


class DeclineIn(BaseModel):
    reason: str = Field(description="One of: " + ", ".join(DECLINE_REASONS), max_length=60)


@router.post("/leads/{lead_id}/decline", status_code=200)
async def decline_a_lead(request: Request, holder: Holder, lead_id: int, body: DeclineIn) -> Response:
    """Decline a lead offered to the key's organization, with a reason (partners' keys); it moves on to the next
    partner at once and is no longer the organization's."""

    def effect(session: Session, actor: Actor) -> dict[str, Any]:
        decline_lead(session, actor, lead_id, body.reason)
        return {"id": lead_id, "declined": True, "reason": body.reason}

    return await post(request, holder, "leads:write", effect, status_code=200)
