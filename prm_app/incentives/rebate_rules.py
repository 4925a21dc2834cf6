"""Rebate bands on plain data: contiguous, non-overlapping bands over a period's volume, paid in one of two modes
stated explicitly (slab: the band reached applies to everything; marginal: each band's rate only inside it), what
is left to the next band and what it would be worth. Pure, like rules.py, whose rounding it uses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from prm_app.incentives.rules import HUNDRED, ZERO, to_minor
from prm_app.platform.errors import ValidationError
from prm_app.platform.money import parse_money_in


class RebateMode(StrEnum):
    SLAB = "slab"  # the rate of the band reached applies to the whole volume (retroactive)
    MARGINAL = "marginal"  # each band's rate applies only to the volume inside it


@dataclass(frozen=True)
class Band:
    lower: Decimal
    upper: Decimal | None  # None: no upper bound (the last band)
    rate: Decimal  # percent


def check_bands(bands: Sequence[Band]) -> None:
    """Bands start at 0, follow each other without gap or overlap (each starts where the last ended), only the
    last is open-ended, and rates are 0-100. Raises ValidationError("bands") otherwise: no volume falls outside."""
    if not bands:
        raise ValidationError("Add at least one band.", "bands")
    if bands[0].lower != 0:
        raise ValidationError("The first band must start at 0.", "bands")
    for i, band in enumerate(bands):
        if not ZERO <= band.rate <= HUNDRED:
            raise ValidationError(f"Band {i + 1}: the rate must be between 0 and 100 %.", "bands")
        last = i == len(bands) - 1
        if band.upper is None and not last:
            raise ValidationError(f"Band {i + 1}: only the last band may be open-ended.", "bands")
        if band.upper is not None and band.upper <= band.lower:
            raise ValidationError(f"Band {i + 1}: its upper bound must be above its lower bound.", "bands")
        if not last and bands[i + 1].lower != band.upper:
            kind = "gap" if bands[i + 1].lower > band.upper else "overlap"  # type: ignore[operator]
            raise ValidationError(
                f"Bands {i + 1} and {i + 2} leave a {kind}: each must start where the last ends.", "bands"
            )
    if bands[-1].upper is not None:
        raise ValidationError("The last band must be open-ended (no upper bound).", "bands")


def rebate(volume: Decimal, bands: Sequence[Band], mode: RebateMode, currency: str) -> Decimal:
    """The rebate earned on `volume` (bands checked). Slab: the reached band's rate on everything; marginal: each
    band's rate on its slice. Bands 0-100k 0 %, 100k-250k 2 %, 250k+ 3 % on 260k: slab 7,800, marginal 3,300."""
    check_bands(bands)
    if mode == RebateMode.SLAB:
        reached = [b for b in bands if volume >= b.lower][-1]
        return to_minor(volume * reached.rate / HUNDRED, currency)
    total = ZERO
    for band in bands:
        top = volume if band.upper is None else min(volume, band.upper)
        if top > band.lower:
            total += (top - band.lower) * band.rate / HUNDRED
    return to_minor(total, currency)


def next_band(
    volume: Decimal, bands: Sequence[Band], mode: RebateMode, currency: str
) -> tuple[Decimal, Decimal, Decimal] | None:
    """(volume still needed, the next band's rate, what reaching it adds to the rebate), or None at the top band."""
    above = [b for b in bands if b.lower > volume]
    if not above:
        return None
    target = above[0]
    gain = rebate(target.lower, bands, mode, currency) - rebate(volume, bands, mode, currency)
    return target.lower - volume, target.rate, gain


REBATE_MODES = {
    RebateMode.SLAB: "Slab: the rate of the band reached applies to all volume",
    RebateMode.MARGINAL: "Marginal: each band's rate applies only to the volume inside it",
}


def parse_bands(text: str, currency: str) -> list[Band]:
    """Bands as an admin types them, one per line or separated by ";": "0-100000: 0", "100000-250000: 2",
    "250000-: 3" (lower-upper: rate %), the bounds amounts of `currency` rounded half-even to its minor unit.
    Checked by `check_bands`; ValidationError("bands") on anything else."""
    bands = []
    for part in (p.strip() for p in (text or "").replace(";", "\n").splitlines()):
        if not part:
            continue
        try:
            span, rate = part.split(":")
            lower, upper = span.split("-")
            bands.append(
                Band(
                    parse_money_in(lower, currency),
                    parse_money_in(upper, currency) if upper.strip() else None,
                    Decimal(rate.strip().rstrip("%").strip()),
                )
            )
        except (ValueError, ArithmeticError):
            raise ValidationError(f"“{part[:40]}” is not a band: write it like 100000-250000: 2", "bands") from None
    check_bands(bands)
    return bands


def bands_text(bands: Sequence[Band]) -> str:
    """ "0–100,000: 0 %; 100,000–250,000: 2 %; 250,000 and up: 3 %"."""
    return "; ".join(
        f"{b.lower:,.0f}–{b.upper:,.0f}: {b.rate.normalize():f} %"
        if b.upper is not None
        else f"{b.lower:,.0f} and up: {b.rate.normalize():f} %"
        for b in bands
    )
