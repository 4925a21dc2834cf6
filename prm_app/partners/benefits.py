"""Tier benefits that other areas apply by themselves: commission rate, MDF allocation share, lead-routing weight,
deal-protection days, discount. One read, `benefits_of`, answers what a partner's tier gives on a day.

The tiering area owns the values (its benefits with effective dates) and supplies them by registering a reader from
its reactions module, so that areas below it (deals, leads, incentives) read them without importing it. With no
reader registered (tiering not loaded), no partner has a benefit and every area keeps its own default.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlmodel import Session

BenefitReader = Callable[[Session, int, date], Mapping[str, str]]

_readers: list[BenefitReader] = []


def register_benefit_reader(reader: BenefitReader) -> None:
    """Let an area supply benefits: `reader(session, organization_id, day)` gives kind -> value in effect on that
    day. Registered once at import; registering again replaces it."""
    _readers[:] = [reader]


def benefits_of(session: Session, organization_id: int, day: date) -> dict[str, str]:
    """The benefits of the partner's tier in effect on `day`, by kind (empty when none)."""
    return {k: v for reader in _readers for k, v in reader(session, organization_id, day).items()}


def benefit_number(session: Session, organization_id: int, kind: str, day: date) -> Decimal | None:
    """A numeric benefit (a rate, a share, a weight, a number of days) in effect on `day`; None when the tier gives
    none of that kind or its value is not a number ("20", "20 %" and "20%" read as 20)."""
    return parse_benefit_number(benefits_of(session, organization_id, day).get(kind))


def parse_benefit_number(value: str | None) -> Decimal | None:
    if value is None:
        return None
    text = value.strip().removesuffix("%").strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
