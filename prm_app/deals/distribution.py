"""Two-tier distribution on deal registrations: the distributor a registration names, "do not share" with it, a
distributor registering for one of its resellers, what a distributor's people read of its resellers' deals, and the
program's "distributor required" setting.

Who sees a registration is decided in one place (deals.scope: `shared_with`, `partner_reach`, `distributor_deal`);
this module only writes what that rule reads, and tells people once a registration reaches them:
- the distributor's people, when a registration naming it is first submitted and shared (or shared later): once
  per registration, never while it is not shared;
- the reseller's people, when its distributor registered a deal on its behalf.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, col, func, select

from prm_app.deals.models import Deal, DealProgramSetting, DealStatus
from prm_app.deals.rules import check_credit_pct, role_credits
from prm_app.deals.scope import partner_deal, shared_with
from prm_app.notifications import notify, withdraw
from prm_app.partners import Organization, current_children, current_parents
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import DomainError
from prm_app.platform.settings import settings

DISTRIBUTOR_SHARED_NOTICE = "deal_shared_with_distributor"
ON_BEHALF_NOTICE = "deal_registered_for_you"

# ------------------------------------------------------------------------------------------------ the program setting


def distributor_required(session: Session) -> bool:
    """Whether a reseller with a current distributor must name the one that fulfils each registration."""
    row = session.get(DealProgramSetting, 1)
    return bool(row and row.distributor_required)


def set_distributor_required(session: Session, actor: Actor, required: bool) -> None:
    """The channel team (DECIDE_DEALS) makes naming a distributor required or optional for new registrations."""
    actor.require(Permission.DECIDE_DEALS)
    row = session.get(DealProgramSetting, 1) or DealProgramSetting(id=1)
    before = row.distributor_required
    row.distributor_required, row.updated_at, row.updated_by_id = bool(required), utcnow(), actor.user_id
    session.add(row)
    audit(session, actor, "deal_setting_changed", "deal_program_setting", 1,
          distributor_required={"from": before, "to": bool(required)})  # fmt: skip


def distributor_credit_pct(session: Session) -> Decimal:
    """The share of a registration's value credited to the distributor that fulfils it (100 until changed)."""
    row = session.get(DealProgramSetting, 1)
    return Decimal(100) if row is None else Decimal(row.distributor_credit_pct)


def set_distributor_credit(session: Session, actor: Actor, pct: str) -> Decimal:
    """The channel team (DECIDE_DEALS) sets the distributor's credit share, 0-100 % (ValidationError beside the
    field otherwise); audited with its old and new value."""
    actor.require(Permission.DECIDE_DEALS)
    value = check_credit_pct(pct)
    row = session.get(DealProgramSetting, 1) or DealProgramSetting(id=1)
    before = Decimal(row.distributor_credit_pct)
    row.distributor_credit_pct, row.updated_at, row.updated_by_id = value, utcnow(), actor.user_id
    session.add(row)
    audit(session, actor, "deal_setting_changed", "deal_program_setting", 1,
          distributor_credit_pct={"from": str(before), "to": str(value)})  # fmt: skip
    return value


def program_setting(session: Session, actor: Actor) -> bool:
    """The setting as the vendor's people read it (VIEW_PARTNERS)."""
    actor.require(Permission.VIEW_PARTNERS)
    return distributor_required(session)


# ------------------------------------------------------------------------------------------------ registering


@dataclass(frozen=True)
class RegistrationChoices:
    """What the registration form offers a partner about distribution."""

    distributors: tuple[tuple[int, str], ...]  # its current distributors and master agents (id, name), by name
    resellers: tuple[tuple[int, str], ...]  # its current resellers and agents it may register for, by name
    distributor_required: bool  # the program asks it to name one (only when it has any)


def registration_choices(session: Session, actor: Actor) -> RegistrationChoices:
    """The distributors a partner may name and the resellers it may register for, today."""
    actor.require(Permission.REGISTER_DEALS)
    org = actor.organization_id or 0
    parents = tuple(current_parents(session, org))
    return RegistrationChoices(
        distributors=parents,
        resellers=tuple(current_children(session, org)),
        distributor_required=bool(parents) and distributor_required(session),
    )


@dataclass(frozen=True)
class Fulfilment:
    """Who a new registration belongs to and which distributor fulfils it, checked."""

    organization_id: int  # the registering partner, or the reseller a distributor registers for
    distributor_id: int | None
    hidden: bool  # "do not share with this distributor"
    registered_by_org_id: int | None  # the distributor that registered it on the reseller's behalf


def check_fulfilment(
    session: Session, org: int, for_organization: str, distributor: str, hide: bool, submit: bool
) -> tuple[Fulfilment | None, dict[str, str]]:
    """The registration's owner and distributor from the form's choices (ids as typed), or the messages per field.
    A reseller names one of its current distributors (required when the program says so); a distributor
    registering for one of its current resellers is that deal's distributor, shares it, and submits it (the reseller
    cannot see a distributor's draft, nor the distributor its reseller's). `org` registers it (deals.scope's
    registering_party: the actor's own organization, or the one a deal import names)."""
    errors: dict[str, str] = {}
    for_organization, distributor = (for_organization or "").strip(), (distributor or "").strip()
    if for_organization and for_organization != str(org):
        resellers = dict(current_children(session, org))
        if not for_organization.isdigit() or int(for_organization) not in resellers:
            errors["for_organization_id"] = "Choose your own company or one of your resellers."
            return None, errors
        if not submit:
            errors["for_organization_id"] = "A registration for a reseller is submitted at once; drafts are your own."
            return None, errors
        return Fulfilment(int(for_organization), org, False, org), errors
    distributors = dict(current_parents(session, org))
    chosen: int | None = None
    if distributor:
        if not distributor.isdigit() or int(distributor) not in distributors:
            errors["distributor_id"] = "Choose one of your distributors."
        else:
            chosen = int(distributor)
    elif distributors and distributor_required(session):
        errors["distributor_id"] = "Choose the distributor that will fulfil this deal."
    return Fulfilment(org, chosen, bool(hide) and chosen is not None, None), errors


def tell_distributor(session: Session, deal: Deal, at: datetime | None = None) -> bool:
    """Notify the distributor's people of a registration that now reaches them (named, shared, submitted), once per
    registration whatever toggles later. Returns whether a notice was written."""
    if deal.distributor_id is None or deal.distributor_hidden or deal.status == DealStatus.DRAFT:
        return False
    if deal.distributor_notified_at is not None or deal.registered_by_org_id == deal.distributor_id:
        return False  # told already, or it registered the deal itself
    reseller = session.get_one(Organization, deal.organization_id)
    deal.distributor_notified_at = at or utcnow()
    session.add(deal)
    return notify(
        session,
        deal.distributor_id,
        DISTRIBUTOR_SHARED_NOTICE,
        f"{reseller.name} shared a registration with you: {deal.customer_name}.",
        f"/deals/{deal.id}",
        at=at,
        about=("deal", saved_id(deal)),
        once=f"deal-shared:{deal.id}",
    )


def tell_reseller(session: Session, deal: Deal, at: datetime | None = None) -> None:
    """Notify the reseller's people that its distributor registered a deal on its behalf."""
    if deal.registered_by_org_id is None:
        return
    distributor = session.get_one(Organization, deal.registered_by_org_id)
    notify(
        session,
        deal.organization_id,
        ON_BEHALF_NOTICE,
        f"{distributor.name} registered a deal for you: {deal.customer_name}.",
        f"/deals/{deal.id}",
        at=at,
        about=("deal", saved_id(deal)),
    )


def set_distributor_sharing(session: Session, actor: Actor, deal_id: int, hidden: bool) -> None:
    """The reseller ticks or unticks "do not share with this distributor" on its own registration. Sharing a
    submitted one tells the distributor (once per registration, deals.distribution.tell_distributor)."""
    deal = partner_deal(session, actor, deal_id)
    if deal.distributor_id is None:
        raise DomainError("This registration names no distributor.", "distributor_hidden")
    if deal.registered_by_org_id is not None:
        raise DomainError("Your distributor registered this deal for you: it is shared with it.", "distributor_hidden")
    if deal.distributor_hidden == bool(hidden):
        return
    deal.distributor_hidden = bool(hidden)
    session.add(deal)
    audit(session, actor, "deal_distributor_sharing", "deal", deal.id, hidden=bool(hidden))
    if hidden:
        _untell_distributor(session, deal)
    tell_distributor(session, deal)


def _untell_distributor(session: Session, deal: Deal) -> None:
    """The distributor may no longer see the registration: its notice naming the customer goes (read or not), and
    it is told again if the registration reaches it later."""
    if deal.distributor_id is not None:
        withdraw(session, deal.distributor_id, ("deal", saved_id(deal)), DISTRIBUTOR_SHARED_NOTICE)
    deal.distributor_notified_at = None
    session.add(deal)


OPEN_FOR_DISTRIBUTOR = (DealStatus.DRAFT, DealStatus.SUBMITTED, DealStatus.INFO_REQUESTED, DealStatus.APPROVED)


def change_distributor(session: Session, actor: Actor, deal_id: int, distributor: str) -> None:
    """The reseller names another of its current distributors for its own open registration ("" for none, unless
    the program requires one). The one named before no longer sees it, nor its notice; the new one sees it and is
    told, unless the reseller keeps it from it ("do not share" carries over)."""
    deal = partner_deal(session, actor, deal_id)
    if deal.registered_by_org_id is not None:
        raise DomainError("Your distributor registered this deal for you: it fulfils it.", "distributor_id")
    if deal.status not in OPEN_FOR_DISTRIBUTOR:
        raise DomainError("A closed registration keeps its distributor.", "distributor_id")
    choice = (distributor or "").strip()
    distributors = dict(current_parents(session, deal.organization_id))
    if choice and (not choice.isdigit() or int(choice) not in distributors):
        raise DomainError("Choose one of your distributors.", "distributor_id")
    if not choice and distributors and distributor_required(session):
        raise DomainError("Choose the distributor that will fulfil this deal.", "distributor_id")
    chosen = int(choice) if choice else None
    if chosen == deal.distributor_id:
        return
    before = deal.distributor_id
    _untell_distributor(session, deal)
    deal.distributor_id = chosen
    deal.distributor_hidden = deal.distributor_hidden and chosen is not None
    session.add(deal)
    audit(session, actor, "deal_distributor_changed", "deal", deal.id, distributor_id={"from": before, "to": chosen})
    tell_distributor(session, deal)


# ---------------------------------------------------------------------------------------------- the distributor's read


@dataclass(frozen=True)
class ResellerDeal:
    """A reseller's registration shared with the actor's organization, as its list shows it."""

    id: int
    customer: str
    reseller: str
    status: DealStatus
    estimated_value: Decimal
    currency: str
    expected_close: date
    submitted_at: datetime | None


@dataclass(frozen=True)
class ResellerDealPage:
    rows: list[ResellerDeal]
    total: int
    page: int
    pages: int


def distributes(session: Session, actor: Actor) -> bool:
    """Whether the actor's organization has resellers now or registrations shared with it (its deal list links to
    them then)."""
    actor.require(Permission.REGISTER_DEALS)
    org = actor.organization_id or 0
    return (
        bool(current_children(session, org))
        or session.exec(select(Deal.id).where(shared_with(org)).limit(1)).first() is not None
    )


def list_reseller_deals(session: Session, actor: Actor, status: str = "", page: int = 1) -> ResellerDealPage:
    """The registrations the actor's resellers shared with it as their distributor (deals.scope.shared_with),
    newest first, filtered by status and paged in SQL. Empty for a partner that distributes nothing."""
    actor.require(Permission.REGISTER_DEALS)
    where = [shared_with(actor.organization_id)]
    if status:
        where.append(col(Deal.status) == status)
    total = session.exec(select(func.count()).select_from(Deal).where(*where)).one()
    size = settings.page_size
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    rows = session.exec(
        select(Deal, Organization.name)
        .join(Organization, col(Organization.id) == Deal.organization_id)
        .where(*where)
        .order_by(col(Deal.created_at).desc(), col(Deal.id).desc())
        .offset((page - 1) * size)
        .limit(size)
    ).all()
    return ResellerDealPage(
        rows=[
            ResellerDeal(
                id=saved_id(d),
                customer=d.customer_name,
                reseller=name,
                status=DealStatus(d.status),
                estimated_value=d.estimated_value,
                currency=d.currency,
                expected_close=d.expected_close,
                submitted_at=d.submitted_at,
            )
            for d, name in rows
        ],
        total=total,
        page=page,
        pages=pages,
    )


@dataclass(frozen=True)
class DealParties:
    """Who a registration involves besides the registering partner, as its page shows them."""

    reseller: str  # the organization that owns it
    distributor: str  # "" when it names none
    shared: bool  # the distributor may see it
    registered_by: str  # the distributor that registered it on the reseller's behalf; "" when the reseller did
    distributor_id: int | None = None
    # Who it credits, each party once by role (rules.role_credits): (name, role, basis, share in %).
    credits: tuple[tuple[str, str, str, Decimal], ...] = ()


def deal_parties(session: Session, deal: Deal) -> DealParties:
    """The parties of a registration (callers have already checked access)."""
    names = {
        i: n
        for i, n in session.exec(
            select(Organization.id, Organization.name).where(
                col(Organization.id).in_(
                    [i for i in (deal.organization_id, deal.distributor_id, deal.registered_by_org_id) if i]
                )
            )
        ).all()
    }
    return DealParties(
        reseller=names.get(deal.organization_id, ""),
        distributor=names.get(deal.distributor_id, "") if deal.distributor_id else "",
        shared=deal.distributor_id is not None and not deal.distributor_hidden,
        registered_by=names.get(deal.registered_by_org_id, "") if deal.registered_by_org_id else "",
        distributor_id=deal.distributor_id,
        credits=tuple(
            (names.get(c.organization_id, ""), c.role, c.basis, c.pct)
            for c in role_credits(
                deal.organization_id, deal.credit, deal.distributor_id, distributor_credit_pct(session)
            )
        ),
    )
