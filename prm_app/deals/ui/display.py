"""What the deal pages show: the area's read models in, small frozen rows of display text out.

All formatting of deals happens here (with prm_app/web/format.py), so the queries stay raw and the page modules
only lay things out. Times are shown in `zone`, the viewer's (identity's `with_zone`); UTC when not given.
Pure functions: tested in tests/deals/test_deal_display.py without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from prm_app.deals.conflicts import Evidence
from prm_app.deals.distribution import DealParties
from prm_app.deals.labels import DEAL_STATUS_LABELS, evidence_title
from prm_app.deals.queries import DealDetail, DealSummary, ExtensionRequest, HistoryEntry, ProductOption, QueuedDeal
from prm_app.platform.clock import utcnow
from prm_app.platform.i18n import DEFAULT_LANGUAGE, catalogue
from prm_app.platform.places import country_name
from prm_app.web.format import day, deadline, moment, money, plural

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


def deal_line(deal: DealSummary, zone: tzinfo = UTC, language: str = DEFAULT_LANGUAGE) -> DealLine:
    """The row in `language`: its status in words, the value and days in the language's region."""
    return DealLine(
        id=deal.id,
        customer=deal.customer,
        status=deal.status.value,
        status_label=catalogue(language).text(f"deal.status.{deal.status.value}"),
        value=money(deal.estimated_value, deal.currency, language=language),
        submitted=day(deal.submitted_at, zone, language=language),
        protection_ends=day(deal.protection_ends_at, zone, language=language),
    )


@dataclass(frozen=True)
class DealCard:
    """One registration's facts as both sides' pages show them. "" hides an optional fact."""

    id: int = 0
    customer: str = ""
    status: str = ""
    status_label: str = ""
    site: str = ""
    country: str = ""  # the country's name
    contact: str = ""
    products: str = ""
    value: str = ""
    close: str = ""
    stage: str = ""
    submitted: str = ""
    protection_ends: str = ""  # "" until approved; "15 Apr 2030, 09:00 CEST (in 85 days)"
    final_amount: str = ""  # "" until won
    discount: str = ""  # "20 %": the tier's discount stored at approval; "" when none
    description: str = ""
    decision_note: str = ""
    extension: str = ""  # the latest extension request, "" when none
    extension_pending: bool = False


def extension_text(ext: ExtensionRequest) -> str:
    """ "30 days requested (pending): Board meets in March." """
    return f"{plural(ext.days, 'day')} requested ({ext.status}): {ext.reason}"


def deal_card(deal: DealDetail, zone: tzinfo = UTC, now: datetime | None = None) -> DealCard:
    """The registration's facts as text, times in `zone`; the end of protection says how far off it is from `now`."""
    return DealCard(
        id=deal.id,
        customer=deal.customer,
        status=deal.status.value,
        status_label=DEAL_STATUS_LABELS[deal.status],
        site=deal.customer_site,
        country=country_name(deal.country),
        contact=f"{deal.contact_name} <{deal.contact_email}>",
        products=", ".join(deal.products),
        value=money(deal.estimated_value, deal.currency),
        close=day(deal.expected_close),
        stage=deal.stage,
        submitted=day(deal.submitted_at, zone),
        protection_ends=(
            deadline(deal.protection_ends_at, zone, now=now or utcnow()) if deal.protection_ends_at else ""
        ),
        final_amount=money(deal.final_amount, deal.currency) if deal.final_amount is not None else "",
        discount=f"{deal.discount_pct.normalize():f} %" if deal.discount_pct is not None else "",
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


def history_line(entry: HistoryEntry, zone: tzinfo = UTC) -> HistoryLine:
    return HistoryLine(
        action=entry.action.replace("_", " "),
        who=entry.actor_name or SYSTEM,
        at=moment(entry.at, zone),
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
    waiting: str  # "1 business day", "4 business days"
    overdue: bool
    conflicts: int
    conflicts_text: str  # "2 possible conflicts, best score 81"; "" when clean
    top_score: int  # 0 when clean


def queue_line(item: QueuedDeal, zone: tzinfo = UTC) -> QueueLine:
    """The submitted moment in `zone`, without the zone's name: the column header names it once."""
    return QueueLine(
        id=str(item.id),
        customer=item.customer,
        partner=item.partner,
        value=money(item.estimated_value, item.currency),
        submitted=moment(item.submitted_at, zone, named=False),
        age_business_days=item.age_business_days,
        waiting=plural(item.age_business_days, "business day"),
        overdue=item.overdue,
        conflicts=item.conflicts,
        conflicts_text=(
            f"{plural(item.conflicts, 'possible conflict')}, best score {item.top_score or 0}" if item.conflicts else ""
        ),
        top_score=item.top_score or 0,
    )


ROLE_LABELS = {"reseller": "reseller", "distributor": "distributor"}


def credit_lines(parties: DealParties | None, deal: DealDetail) -> list[str]:
    """Who the registration credits, a line per party: "Bluepeak Resellers: reseller (sourced), 100 % of the value
    (30,000.00 USD)", of the final amount once won. Empty when it credits its owner alone (nobody to tell apart)."""
    if parties is None or len(parties.credits) < 2:
        return []
    lines = []
    for name, role, basis, pct in parties.credits:
        share = (deal.final_amount if deal.final_amount is not None else deal.estimated_value) * pct / 100
        lines.append(
            f"{name}: {ROLE_LABELS.get(role, role)} ({basis}), {pct.normalize():f} % of the value "
            f"({money(share, deal.currency)})"
        )
    return lines


def distribution_note(parties: DealParties | None) -> str:
    """For the channel team: the distributor a registration names and whether it is shared with it."""
    if parties is None or not parties.distributor:
        return ""
    if parties.registered_by:
        return f"{parties.registered_by} registered it for {parties.reseller} and fulfils it."
    shared = "shared with it" if parties.shared else "kept from it (do not share)"
    return f"Names {parties.distributor} to fulfil it; {shared}."
