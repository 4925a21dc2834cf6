"""Custom metrics managers enter: the form (a partner of their book by name, one of the custom metrics the tier
criteria use, a value, the day it holds from), and the history of entered values. An entered value re-runs that
partner's evaluation for the current period, so its tier page shows it at once; the evaluation reads the latest
value on or before its day (metrics.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from prm_app.identity import User, viewer_zone
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import FormInvalid
from prm_app.tiering.book import NOT_IN_BOOK, book_names, partner_id_by_name
from prm_app.tiering.evaluate import evaluate_tiers
from prm_app.tiering.models import CustomMetricValue, TierCriterion
from prm_app.tiering.service import set_custom_metric, threshold_number


def custom_metric_names(session: Session) -> list[str]:
    """The custom metrics the tier criteria ask for, A to Z."""
    rows = session.exec(select(TierCriterion.param).where(col(TierCriterion.metric) == "custom").distinct()).all()
    return sorted({p for p in rows if p}, key=str.lower)


def enter_custom_metric(session: Session, actor: Actor, form: Mapping[str, object], today: date | None = None) -> int:
    """Enter a partner's custom metric from the form (`partner`, `metric`, `value`, `as_of`): every field checked
    at once, each error under its field; the day is at most the reader's today. Entering one again for the same day
    replaces it. Audited (set_custom_metric). Returns the partner's id."""
    actor.require(Permission.MANAGE_TIERS)
    value = {k: str(v or "").strip() for k, v in form.items()}
    today = today or utcnow().astimezone(viewer_zone(session, actor)).date()  # the reader's today
    errors: dict[str, str] = {}
    organization_id = partner_id_by_name(session, actor, value.get("partner", ""))
    if organization_id is None:
        errors["partner"] = NOT_IN_BOOK
    if value.get("metric", "") not in custom_metric_names(session):
        errors["metric"] = "Choose one of the custom metrics the tier criteria use."
    try:
        threshold_number(value.get("value", ""))
    except FormInvalid:
        errors["value"] = "Enter the value as a number of 0 or more with at most 2 decimals, like 72.5."
    try:
        on = date.fromisoformat(value.get("as_of", ""))
    except ValueError:
        on = today
        errors["as_of"] = "Give the day the value holds from."
    if on > today:
        errors["as_of"] = "Give today or a past day: a value counts from the day it holds."
    if errors or organization_id is None:
        raise FormInvalid(errors)
    set_custom_metric(session, actor, organization_id, value["metric"], value["value"], on)
    session.flush()
    evaluate_tiers(session, today, organization_ids=[organization_id])
    return organization_id


@dataclass(frozen=True)
class CustomMetricEntry:
    partner: str
    name: str
    value: Decimal
    as_of: date
    entered_by: str  # "" for a value no person entered (demo data)


@dataclass(frozen=True)
class CustomMetricsPage:
    partners: tuple[str, ...]  # the actor's book, to pick from
    metrics: tuple[str, ...]
    history: tuple[CustomMetricEntry, ...]


def custom_metrics_page(session: Session, actor: Actor, limit: int = 50) -> CustomMetricsPage:
    """What the entry page shows: the partners of the actor's book, the custom metrics, and the latest `limit`
    values entered for partners of the book (newest day first)."""
    actor.require(Permission.MANAGE_TIERS)
    query = (
        select(  # type: ignore[call-overload]  # sqlmodel types select() up to four columns
            Organization.name, CustomMetricValue.name, CustomMetricValue.value, CustomMetricValue.as_of, User.full_name
        )
        .join(Organization, col(Organization.id) == col(CustomMetricValue.organization_id))
        .outerjoin(User, col(User.id) == col(CustomMetricValue.by_id))
        .order_by(col(CustomMetricValue.as_of).desc(), col(CustomMetricValue.id).desc())
        .limit(limit)
    )
    owner = actor.book_owner()
    if owner is not None:
        query = query.where(col(Organization.channel_manager_id) == owner)
    history = tuple(
        CustomMetricEntry(partner, name, Decimal(amount), on, by or "")
        for partner, name, amount, on, by in session.exec(query).all()
    )
    return CustomMetricsPage(tuple(book_names(session, actor)), tuple(custom_metric_names(session)), history)
