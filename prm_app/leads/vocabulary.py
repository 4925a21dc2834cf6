"""The words a lead import understands: canonical verticals and sources, the template's columns, and the
other spellings people use for headers, verticals, sources and countries."""

from __future__ import annotations

VERTICALS: tuple[str, ...] = (
    "healthcare", "financial services", "manufacturing", "retail", "public sector",
    "education", "technology", "energy", "logistics", "media",
)  # fmt: skip
LEAD_SOURCES: tuple[str, ...] = ("website", "event", "webinar", "referral", "campaign", "inbound call", "other")
HEADERS: tuple[str, ...] = (
    "company", "domain", "contact_name", "contact_email", "country", "city",
    "postcode", "vertical", "products", "estimated_size", "source",
)  # fmt: skip
REQUIRED_HEADERS: tuple[str, ...] = ("company", "domain", "contact_email", "country")

# Other spellings people put in a header row (compared after `_header_key`).
_HEADER_ALIASES = {
    "company_name": "company", "account": "company", "organization": "company", "organisation": "company",
    "website": "domain", "web_site": "domain", "url": "domain", "company_domain": "domain",
    "contact": "contact_name", "name": "contact_name", "email": "contact_email", "e_mail": "contact_email",
    "contact_e_mail": "contact_email", "post_code": "postcode", "postal_code": "postcode", "zip": "postcode",
    "zip_code": "postcode", "zipcode": "postcode", "industry": "vertical", "product": "products",
    "product_interest": "products", "size": "estimated_size", "estimated_value": "estimated_size",
    "lead_source": "source",
}  # fmt: skip
_VERTICAL_SYNONYMS = {
    "health": "healthcare", "health care": "healthcare", "medical": "healthcare", "pharma": "healthcare",
    "life sciences": "healthcare", "finance": "financial services", "financial": "financial services",
    "banking": "financial services", "fintech": "financial services", "insurance": "financial services",
    "industrial": "manufacturing", "ecommerce": "retail", "e commerce": "retail", "government": "public sector",
    "public": "public sector", "gov": "public sector", "edu": "education", "higher education": "education",
    "tech": "technology", "it": "technology", "software": "technology", "saas": "technology",
    "utilities": "energy", "oil and gas": "energy", "transport": "logistics", "transportation": "logistics",
    "supply chain": "logistics", "entertainment": "media", "publishing": "media",
}  # fmt: skip
_SOURCE_SYNONYMS = {
    "web": "website", "web form": "website", "trade show": "event", "tradeshow": "event", "conference": "event",
    "webcast": "webinar", "partner referral": "referral", "email": "campaign", "email campaign": "campaign",
    "marketing": "campaign", "phone": "inbound call", "call": "inbound call", "inbound": "inbound call",
}  # fmt: skip
