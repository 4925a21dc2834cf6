"""CRM sync's rules, on plain values: what each PRM object offers to map, which fields a sync sends, the hash that
says whether a record changed since it was last sent, the order of inbound events and what counts as drift.

Mapping (Channeltivity's model, research §6): a field map ties one PRM field (or a fixed value) to one CRM field,
with a direction for the sync that creates the CRM record and one for later syncs:
- `to_crm`: the PRM's value is sent; `to_prm`: the CRM's value is taken (inbound events, resolving drift);
  `none`: the field is left alone in that phase.
- "first sync only": sent when the record is created in the CRM, never again (the CRM's people own it from then).
- A fixed value is sent as it is (e.g. LeadSource = "Partner"); it has no PRM field and is never taken back.
Only the PRM fields marked writable take values from the CRM; the others are the PRM's own (status, partner).

Every CRM record also carries the PRM's key (`prm_key`: "deal-42") in a unique CRM property (HubSpot's idProperty,
Salesforce's external id field), so a sync that runs twice, or resumes after a crash between the CRM's answer and
our commit, updates the record it made instead of making a second one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from base64 import b64encode
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from urllib.parse import urlsplit

from prm_app.platform.errors import FormInvalid, ValidationError

SIGNATURE_WINDOW_SECONDS = 300  # HubSpot's v3 window; our signed JSON uses the same
BATCH = {"hubspot": 100, "salesforce": 200}  # the largest batch each API takes in one request


class Provider(StrEnum):
    HUBSPOT = "hubspot"
    SALESFORCE = "salesforce"


PROVIDER_LABELS = {Provider.HUBSPOT: "HubSpot", Provider.SALESFORCE: "Salesforce"}


class Direction(StrEnum):
    TO_CRM = "to_crm"
    TO_PRM = "to_prm"
    NONE = "none"


DIRECTION_LABELS = {Direction.TO_CRM: "PRM → CRM", Direction.TO_PRM: "CRM → PRM", Direction.NONE: "Not synced"}


class Kind(StrEnum):
    TEXT = "text"
    MONEY = "money"
    DATE = "date"


@dataclass(frozen=True)
class PrmField:
    name: str
    label: str
    kind: Kind = Kind.TEXT
    writable: bool = False  # may take the CRM's value
    choices: tuple[str, ...] = ()  # when not empty, the only values it takes


@dataclass(frozen=True)
class CrmObject:
    """One PRM record type and the CRM object it becomes with each provider."""

    name: str
    label: str  # singular
    plural: str
    hubspot: str  # the HubSpot object type in its API path
    salesforce: str  # the Salesforce sObject
    fields: tuple[PrmField, ...]

    def field(self, name: str) -> PrmField | None:
        return next((f for f in self.fields if f.name == name), None)

    def crm_type(self, provider: str) -> str:
        return self.hubspot if provider == Provider.HUBSPOT else self.salesforce


DEAL_STAGE_CHOICES = ("Prospecting", "Discovery", "Proposal", "Negotiation", "Verbal commit")
OBJECTS: dict[str, CrmObject] = {
    o.name: o
    for o in (
        CrmObject("partner", "partner", "partners", "companies", "Account", (
            PrmField("name", "Name"),
            PrmField("partner_type", "Partner type"),
            PrmField("country", "Country"),
            PrmField("city", "City", writable=True),
            PrmField("website", "Website", writable=True),
            PrmField("phone", "Phone", writable=True),
        )),
        CrmObject("contact", "partner user", "partner users", "contacts", "Contact", (
            PrmField("email", "Email"),
            PrmField("full_name", "Full name"),
            PrmField("partner", "Partner"),
            PrmField("title", "Job title", writable=True),
            PrmField("phone", "Phone", writable=True),
        )),
        CrmObject("deal", "deal", "deals", "deals", "Opportunity", (
            PrmField("customer_name", "Customer"),
            PrmField("partner", "Partner"),
            PrmField("status", "Status"),
            PrmField("estimated_value", "Amount", Kind.MONEY, writable=True),
            PrmField("currency", "Currency"),
            PrmField("expected_close", "Expected close", Kind.DATE, writable=True),
            PrmField("stage", "Stage", writable=True, choices=DEAL_STAGE_CHOICES),
        )),
        CrmObject("lead", "lead", "leads", "contacts", "Lead", (
            PrmField("company", "Company"),
            PrmField("contact_name", "Contact name", writable=True),
            PrmField("contact_email", "Contact email"),
            PrmField("country", "Country"),
            PrmField("city", "City", writable=True),
            PrmField("status", "Status"),
        )),
    )
}  # fmt: skip
ORDER = ("partner", "contact", "deal", "lead")  # a sync's order: partners exist in the CRM before their deals
KEY_PROPERTY = {Provider.HUBSPOT: "prm_key", Provider.SALESFORCE: "PRM_Key__c"}


@dataclass(frozen=True)
class FieldRule:
    """One field map, as the rules read it."""

    crm_field: str
    prm_field: str = ""  # "" for a fixed value
    fixed_value: str = ""
    on_create: Direction = Direction.TO_CRM
    on_update: Direction = Direction.TO_CRM
    first_sync_only: bool = False


def prm_key(object_name: str, entity_id: int) -> str:
    return f"{object_name}-{entity_id}"


def as_text(value: object) -> str:
    """The one text form of a PRM value, as sent and compared: money with its decimals kept, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def same_value(kind: Kind, left: str, right: str) -> bool:
    """Whether two texts say the same value of `kind` ("1000" and "1000.00" are one amount; a CRM's date-time is
    its date)."""
    if kind == Kind.MONEY:
        try:
            return Decimal(left or "0") == Decimal(right or "0")
        except InvalidOperation:
            return left == right
    if kind == Kind.DATE:
        return left[:10] == right[:10]
    return left.strip() == right.strip()


def outgoing(values: Mapping[str, str], rules: Iterable[FieldRule], *, creating: bool) -> dict[str, str]:
    """The CRM properties a sync sends for one record: on creation the fields whose create direction is to_crm,
    later those whose update direction is to_crm and that are not first-sync-only; fixed values likewise."""
    sent: dict[str, str] = {}
    for rule in rules:
        direction = rule.on_create if creating else rule.on_update
        if direction != Direction.TO_CRM or (rule.first_sync_only and not creating):
            continue
        sent[rule.crm_field] = rule.fixed_value if not rule.prm_field else values.get(rule.prm_field, "")
    return sent


def value_hash(properties: Mapping[str, str]) -> str:
    """A stable hash of what was sent or taken (key order does not matter): equal hashes, nothing to send."""
    canonical = json.dumps(dict(sorted(properties.items())), separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def compared(rules: Iterable[FieldRule]) -> list[FieldRule]:
    """The maps reconciliation compares: a PRM field synced in some direction after creation (first-sync-only
    fields belong to the CRM afterwards, fixed values to nobody)."""
    return [
        r
        for r in rules
        if r.prm_field and not r.first_sync_only and (r.on_update != Direction.NONE or r.on_create != Direction.NONE)
    ]


@dataclass(frozen=True)
class Drift:
    crm_field: str
    prm_field: str
    prm_value: str
    crm_value: str


def drifts(
    obj: CrmObject, prm_values: Mapping[str, str], crm_values: Mapping[str, str], rules: Iterable[FieldRule]
) -> list[Drift]:
    """The compared fields whose PRM and CRM values differ (by the field's kind)."""
    found = []
    for rule in compared(rules):
        kind = f.kind if (f := obj.field(rule.prm_field)) else Kind.TEXT
        mine, theirs = prm_values.get(rule.prm_field, ""), crm_values.get(rule.crm_field) or ""
        if not same_value(kind, mine, theirs):
            found.append(Drift(rule.crm_field, rule.prm_field, mine, theirs))
    return found


def taken_value(field: PrmField, text: str) -> str:
    """The CRM's `text` as a value of the PRM `field`, checked; ValidationError when the field takes no CRM value
    or the value does not fit it."""
    if not field.writable:
        raise ValidationError(f"{field.label} is the PRM's own: it takes no value from the CRM.", field.name)
    text = text.strip()
    if field.kind == Kind.MONEY:
        try:
            amount = Decimal(text)
        except InvalidOperation as exc:
            raise ValidationError(f"{field.label}: {text!r} is not an amount.", field.name) from exc
        if not amount.is_finite() or amount < 0 or amount >= Decimal(10) ** 12:
            raise ValidationError(f"{field.label}: {text!r} is not an amount.", field.name)
        return format(amount, "f")
    if field.kind == Kind.DATE:
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError as exc:
            raise ValidationError(f"{field.label}: {text!r} is not a date.", field.name) from exc
    if field.choices and text not in field.choices:
        raise ValidationError(f"{field.label}: {text!r} is not one of {', '.join(field.choices)}.", field.name)
    return text[:200]


def is_newer(occurred_at: datetime, last_applied: datetime | None) -> bool:
    """An inbound change is applied only when it happened after the last change applied to that field (events
    arrive in delivery order, not in the order they happened)."""
    return last_applied is None or occurred_at > last_applied


# -- inbound signatures -------------------------------------------------------------------------------------------
def hubspot_v3_signature(secret: str, method: str, uri: str, body: bytes, timestamp: str) -> str:
    """HubSpot's v3 signature: base64 of HMAC-SHA256(app secret, method + URI + body + timestamp in ms)."""
    message = method.upper().encode() + uri.encode() + body + timestamp.encode()
    return b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def signed_json_signature(secret: str, body: bytes, timestamp: str) -> str:
    """The signed-JSON scheme for Salesforce (a Flow or Apex callout): hex HMAC-SHA256 of "<timestamp>.<body>"."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def fresh(timestamp_seconds: float, now_seconds: float) -> bool:
    return abs(now_seconds - timestamp_seconds) <= SIGNATURE_WINDOW_SECONDS


def signature_matches(expected: str, given: str) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), given.encode())


# -- connection settings -------------------------------------------------------------------------------------------
_TOKEN, _SECRET = "token", "inbound_secret"  # form field names


@dataclass(frozen=True)
class ConnectionInput:
    provider: str
    base_url: str
    token: str = ""  # "" keeps the stored one
    inbound_secret: str = ""  # "" keeps the stored one


def check_connection(given: ConnectionInput, *, has_token: bool, has_secret: bool, allow_http: bool) -> str:
    """The base URL without a trailing slash, or FormInvalid naming each field at fault."""
    errors: dict[str, str] = {}
    url = given.base_url.strip().rstrip("/")
    parts = urlsplit(url)
    if given.provider not in PROVIDER_LABELS:
        errors["provider"] = "Choose HubSpot or Salesforce."
    if parts.scheme not in ({"https", "http"} if allow_http else {"https"}) or not parts.hostname:
        errors["base_url"] = "Give the API's address, starting with https:// (e.g. https://api.hubapi.com)."
    elif parts.query or parts.fragment or parts.username:
        errors["base_url"] = "Give the API's address alone, without a query, fragment or credentials."
    if not given.token.strip() and not has_token:
        errors[_TOKEN] = "Paste the access token the CRM gave you."
    elif len(given.token) > 400:
        errors[_TOKEN] = "That token is longer than 400 characters; check what was pasted."
    if not given.inbound_secret.strip() and not has_secret:
        errors[_SECRET] = "Paste the secret the CRM signs its events with."
    elif len(given.inbound_secret) > 200:
        errors[_SECRET] = "That secret is longer than 200 characters; check what was pasted."
    if errors:
        raise FormInvalid(errors)
    return url


@dataclass(frozen=True)
class MapInput:
    object_name: str
    crm_field: str
    prm_field: str = ""
    fixed_value: str = ""
    on_create: str = Direction.TO_CRM
    on_update: str = Direction.TO_CRM
    first_sync_only: bool = False


def check_map(given: MapInput) -> FieldRule:
    """The field map as a rule, or FormInvalid naming each field at fault."""
    errors: dict[str, str] = {}
    obj = OBJECTS.get(given.object_name)
    crm_field = given.crm_field.strip()
    if obj is None:
        errors["object_name"] = "Choose what to map."
    if not crm_field or len(crm_field) > 100 or not all(c.isalnum() or c in "_." for c in crm_field):
        errors["crm_field"] = "Give the CRM field's API name (letters, digits and _ only), e.g. dealname."
    directions = {d.value for d in Direction}
    if given.on_create not in directions:
        errors["on_create"] = "Choose a direction."
    if given.on_update not in directions:
        errors["on_update"] = "Choose a direction."
    prm = obj.field(given.prm_field) if obj and given.prm_field else None
    fixed = given.fixed_value.strip()
    if given.prm_field and obj and prm is None:
        errors["prm_field"] = "Choose one of the listed PRM fields."
    elif not given.prm_field and not fixed:
        errors["prm_field"] = "Choose a PRM field, or give a fixed value below."
    elif given.prm_field and fixed:
        errors["fixed_value"] = "A fixed value replaces the PRM field: leave one of them empty."
    elif len(fixed) > 200:
        errors["fixed_value"] = "Keep a fixed value under 200 characters."
    elif fixed and Direction.TO_PRM in (given.on_create, given.on_update):
        errors["on_update"] = "A fixed value is only sent to the CRM."
    elif prm and not prm.writable and Direction.TO_PRM in (given.on_create, given.on_update):
        errors["on_update"] = f"{prm.label} is the PRM's own: it can only be sent to the CRM."
    if errors:
        raise FormInvalid(errors)
    return FieldRule(
        crm_field, given.prm_field, fixed, Direction(given.on_create), Direction(given.on_update),
        given.first_sync_only,
    )  # fmt: skip


def default_maps(provider: str) -> list[tuple[str, FieldRule]]:
    """The maps a new connection starts with (the admin edits them): each object's main fields, sent to the CRM on
    create and on update; the admin turns a field CRM → PRM where the CRM's people own it."""
    if provider == Provider.HUBSPOT:
        return [
            ("partner", FieldRule("name", "name")),
            ("partner", FieldRule("website", "website")),
            ("contact", FieldRule("email", "email")),
            ("contact", FieldRule("lastname", "full_name")),
            ("deal", FieldRule("dealname", "customer_name")),
            ("deal", FieldRule("amount", "estimated_value")),
            ("deal", FieldRule("closedate", "expected_close")),
            ("deal", FieldRule("prm_partner", "partner")),
            ("lead", FieldRule("email", "contact_email")),
            ("lead", FieldRule("company", "company")),
        ]
    return [
        ("partner", FieldRule("Name", "name")),
        ("partner", FieldRule("Website", "website")),
        ("contact", FieldRule("Email", "email")),
        ("contact", FieldRule("LastName", "full_name")),
        ("deal", FieldRule("Name", "customer_name")),
        ("deal", FieldRule("Amount", "estimated_value")),
        ("deal", FieldRule("CloseDate", "expected_close")),
        ("deal", FieldRule("StageName", "", "Prospecting", Direction.TO_CRM, Direction.NONE, True)),
        ("deal", FieldRule("PRM_Partner__c", "partner")),
        ("lead", FieldRule("Email", "contact_email")),
        ("lead", FieldRule("Company", "company")),
        ("lead", FieldRule("LastName", "contact_name")),
    ]
