"""What the deal pages show: the area's read models in, small frozen rows of display text out.

All formatting of deals happens here (with prm_app/web/format.py), so the queries stay raw and the page modules
only lay things out. Pure functions: tested in tests/deals/test_deal_display.py without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass

from prm_app.deals.conflicts import Evidence
from prm_app.deals.labels import DEAL_STATUS_LABELS, evidence_title
from prm_app.deals.queries import DealDetail, DealSummary, ExtensionRequest, HistoryEntry, ProductOption, QueuedDeal
from prm_app.web.format import day, moment, money

SYSTEM = "System"  # who did what nobody signed in did (expiry)


@dataclass(frozen=True)
class ProductChoice:
    """A product checkbox on the registration form (the id as text: form field names are text)."""

    id: str
    name: str
    price: str


def product_choice(product: ProductOption) -> ProductChoice:
    return ProductChoice(id=str(product.id), name=product.name, price=money(product.list_price, product.currency))


@dataclass(frozen=True)
class DealLine:
    """One row of the partner's list of registrations."""

    id: int
    customer: str
    status: str  # the code, for the badge's colour
    status_label: str
    value: str
    submitted: str  # "—" while a draft
    protection_ends: str  # "—" until approved


def deal_line(deal: DealSummary) -> DealLine:
    return DealLine(
        id=deal.id,
        customer=deal.customer,
        status=deal.status.value,
        status_label=DEAL_STATUS_LABELS[deal.status],
        value=money(deal.estimated_value, deal.currency),
        submitted=day(deal.submitted_at),
        protection_ends=day(deal.protection_ends_at),
    )


@dataclass(frozen=True)
class DealCard:
    """One registration's facts as both sides' pages show them. "" hides an optional fact."""

    id: int = 0
    customer: str = ""
    status: str = ""
    status_label: str = ""
    site: str = ""
    country: str = ""
    contact: str = ""
    products: str = ""
    value: str = ""
    close: str = ""
    stage: str = ""
    submitted: str = ""
    protection_ends: str = ""  # "" until approved
    final_amount: str = ""  # "" until won
    description: str = ""
    decision_note: str = ""
    extension: str = ""  # the latest extension request, "" when none
    extension_pending: bool = False


def extension_text(ext: ExtensionRequest) -> str:
    """ "30 days requested (pending): Board meets in March." """
    return f"{ext.days} days requested ({ext.status}): {ext.reason}"


def deal_card(deal: DealDetail) -> DealCard:
    return DealCard(
        id=deal.id,
        customer=deal.customer,
        status=deal.status.value,
        status_label=DEAL_STATUS_LABELS[deal.status],
        site=deal.customer_site,
        country=deal.country,
        contact=f"{deal.contact_name} <{deal.contact_email}>",
        products=", ".join(deal.products),
        value=money(deal.estimated_value, deal.currency),
        close=day(deal.expected_close),
        stage=deal.stage,
        submitted=day(deal.submitted_at),
        protection_ends=day(deal.protection_ends_at) if deal.protection_ends_at else "",
        final_amount=money(deal.final_amount, deal.currency) if deal.final_amount is not None else "",
        description=deal.description,
        decision_note=deal.decision_note,
        extension=extension_text(deal.extension) if deal.extension else "",
        extension_pending=deal.extension is not None and deal.extension.status == "pending",
    )


@dataclass(frozen=True)
class HistoryLine:
    """One step of a registration's history."""

    action: str
    who: str
    at: str
    status: str  # the status it moved to, "" for a step that moved none
    note: str


def history_line(entry: HistoryEntry) -> HistoryLine:
    return HistoryLine(
        action=entry.action.replace("_", " "),
        who=entry.actor_name or SYSTEM,
        at=moment(entry.at),
        status=DEAL_STATUS_LABELS[entry.to_status] if entry.to_status else "",
        note=entry.note,
    )


@dataclass(frozen=True)
class EvidenceCard:
    """One possible conflict as the reviewer reads it."""

    title: str
    score: int
    protected: bool
    reasons: tuple[str, ...]


def evidence_card(item: Evidence) -> EvidenceCard:
    return EvidenceCard(title=evidence_title(item), score=item.score, protected=item.protected, reasons=item.reasons)


@dataclass(frozen=True)
class QueueLine:
    """One row of the review queue (the id as text: the selection is compared with it in the browser)."""

    id: str
    customer: str
    partner: str
    value: str
    submitted: str
    age_business_days: int
    overdue: bool
    conflicts: int
    top_score: int  # 0 when clean


def queue_line(item: QueuedDeal) -> QueueLine:
    return QueueLine(
        id=str(item.id),
        customer=item.customer,
        partner=item.partner,
        value=money(item.estimated_value, item.currency),
        submitted=moment(item.submitted_at, zone=False),
        age_business_days=item.age_business_days,
        overdue=item.overdue,
        conflicts=item.conflicts,
        top_score=item.top_score or 0,
    )
