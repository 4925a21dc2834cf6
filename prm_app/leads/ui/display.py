"""What the lead pages show: the area's read models in, small frozen rows of display text out.

All formatting of leads happens here (with prm_app/web/format.py), so the reads stay raw and the page modules
only lay things out. Pure functions: tested in tests/leads/test_lead_display.py without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from prm_app.leads.assignment import PartnerOption
from prm_app.leads.fairness import FairnessLine
from prm_app.leads.models import LeadStatus
from prm_app.leads.my_leads import MyLead, MyLeadDetail
from prm_app.leads.queries import QueuedLead
from prm_app.leads.queue_access import QueueOption
from prm_app.leads.ui.labels import lead_status_label, new_offer_label, vertical_words
from prm_app.platform.clock import utcnow
from prm_app.platform.i18n import DEFAULT_LANGUAGE, Catalogue, catalogue, country_shown
from prm_app.web.format import DASH, deadline, money, number, or_dash, percent


def _place(*parts: str, country: str, sep: str = ", ", language: str = DEFAULT_LANGUAGE) -> str:
    """The non-empty parts, then the country's name (in `language`): ("Detroit", "", country="US") -> "Detroit,
    United States" (German "Detroit, Vereinigte Staaten")."""
    name = country_shown(country, language)
    return sep.join(part for part in (*parts, name) if part)


# ------------------------------------------------------------------------------------------------ the queue page


@dataclass(frozen=True)
class QueueChoice:
    """A queue in the queue picker (ids as text: option values are text)."""

    id: str
    name: str


def queue_choice(queue: QueueOption) -> QueueChoice:
    return QueueChoice(id=str(queue.id), name=queue.name)


@dataclass(frozen=True)
class PartnerChoice:
    """A partner to assign a lead to, in the "Assign to…" list and as a drop target beside the sortable list
    (whose component reads `value` and `label`)."""

    value: str
    label: str


def partner_choice(partner: PartnerOption) -> PartnerChoice:
    return PartnerChoice(value=str(partner.id), label=partner.name)


@dataclass(frozen=True)
class QueueRow:
    """One waiting lead: a row of the drag-sorted list (which reads `id`, `label`, `sublabel`, `status_label`)
    and of the proposals table. "" hides the partner and the score."""

    id: str
    label: str
    sublabel: str  # "Detroit · United States · retail"
    status: str  # the code: "proposed" rows are the ones "Confirm and send" sends
    status_label: str
    partner: str
    score: str
    reasons: tuple[str, ...]


def queue_row(lead: QueuedLead) -> QueueRow:
    return QueueRow(
        id=str(lead.id),
        label=lead.company,
        sublabel=" · ".join(p for p in (_place(lead.city, country=lead.country, sep=" · "), lead.vertical) if p),
        status=lead.status.value,
        status_label=lead_status_label(lead.status),
        partner=lead.partner or "",
        score="" if lead.score is None else number(lead.score, 1),
        reasons=lead.reasons,
    )


# ------------------------------------------------------------------------------------------------ fairness


@dataclass(frozen=True)
class FairnessRow:
    """One partner in the fairness table; counts as numbers ("1,204"), "—" for a share or score that does not exist."""

    partner: str
    offered: str
    capacity: str
    share: str
    accepted: str
    declined: str
    expired: str
    score: str


def fairness_row(line: FairnessLine) -> FairnessRow:
    return FairnessRow(
        partner=line.partner,
        offered=number(line.offered),
        capacity=number(line.capacity),
        share=DASH if line.share is None else percent(line.share * 100),
        accepted=number(line.accepted),
        declined=number(line.declined),
        expired=number(line.expired),
        score=or_dash(line.average_score, lambda s: number(s, 1)),
    )


# ------------------------------------------------------------------------------------------------ the partner's leads


@dataclass(frozen=True)
class MyLeadLine:
    """One row of the partner's list of leads."""

    id: int
    company: str
    status: str
    status_label: str  # "New offer" while it waits for an answer
    where: str  # "Detroit, United States"
    vertical: str
    deadline: str  # the accept deadline of an offer, "4 Mar 2026, 10:30 CET (in 47 h)"; "—" otherwise


def my_lead_line(
    lead: MyLead, zone: tzinfo = UTC, now: datetime | None = None, words: Catalogue | None = None
) -> MyLeadLine:
    """The lead as a row in `words`' language (English by default), its deadline in `zone` with the time left
    from `now`."""
    words = words or catalogue(DEFAULT_LANGUAGE)
    offered = lead.status == LeadStatus.OFFERED
    return MyLeadLine(
        id=lead.id,
        company=lead.company,
        status=lead.status.value,
        status_label=new_offer_label(words) if offered else lead_status_label(lead.status, words),
        where=_place(lead.city, country=lead.country, language=words.language),
        vertical=or_dash(lead.vertical, lambda v: vertical_words(v, words)),
        deadline=deadline(lead.accept_deadline, zone, now=now or utcnow(), language=words.language)
        if offered
        else DASH,
    )


@dataclass(frozen=True)
class LeadCard:
    """One of the partner's leads as its page shows it. "" hides an optional fact."""

    id: int = 0
    company: str = ""
    domain: str = ""
    status: str = ""  # the code: which actions the page offers
    status_label: str = ""
    contact: str = ""
    email: str = ""
    where: str = ""  # "Detroit, 48201, United States"
    vertical: str = ""
    products: str = ""
    size: str = ""
    deadline: str = ""  # "" when no deadline is set
    note: str = ""
    deal_id: int = 0  # the registration it became; 0 = none


def lead_card(
    lead: MyLeadDetail, zone: tzinfo = UTC, now: datetime | None = None, words: Catalogue | None = None
) -> LeadCard:
    """The lead's facts as text in `words`' language (English by default); its deadline in `zone` with the time
    left from `now`. The contact person of a lead that is only offered is withheld until it is accepted."""
    words = words or catalogue(DEFAULT_LANGUAGE)
    withheld = words.text("leads.withheld")
    return LeadCard(
        id=lead.id,
        company=lead.company,
        domain=lead.domain,
        status=lead.status.value,
        status_label=lead_status_label(lead.status, words),
        contact=withheld if lead.contact_name is None else lead.contact_name,
        email=withheld if lead.contact_email is None else lead.contact_email,
        where=_place(lead.city, lead.postcode, country=lead.country, language=words.language),
        vertical=or_dash(lead.vertical, lambda v: vertical_words(v, words)),
        products=", ".join(lead.products) or DASH,
        size=money(lead.estimated_size, lead.currency, language=words.language),
        deadline=""
        if lead.accept_deadline is None
        else deadline(lead.accept_deadline, zone, now=now or utcnow(), language=words.language),
        note=lead.status_note,
        deal_id=lead.deal_id or 0,
    )
