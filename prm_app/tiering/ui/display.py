"""What the tier pages show, as plain rows of text made from the area's frozen reads (web/format.py formats)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from prm_app.platform.i18n import DEFAULT_LANGUAGE, catalogue
from prm_app.tiering.history import HistoryEntry
from prm_app.tiering.queries import EvaluatedValue, Lapse, MyTier
from prm_app.tiering.rules import STATES, Gap, failing
from prm_app.web.format import day, money, plural

MORE = {"won_deals": ("more won deal", "more won deals"),
        "approved_registrations": ("more approved registration", "more approved registrations")}  # fmt: skip


MONEY = {"revenue": "revenue", "revenue_paid": "revenue paid"}  # money metrics: what "N USD more ..." names


def metric_of(key: str) -> str:
    return key.split(":", 1)[0]


def show_value(key: str, value: Decimal, currency: str) -> str:
    metric = metric_of(key)
    if metric in MONEY:
        return money(value, currency)
    if metric == "lead_acceptance":
        return f"{value:.0f}%"
    if metric == "onboarding":
        return "Complete" if value >= 1 else "Not complete"
    return f"{value.normalize():,f}" if value == value.to_integral() else f"{value:,.2f}"


def missing_sentence(gap: Gap, currency: str, language: str = DEFAULT_LANGUAGE) -> str:
    """ "120,000.00 USD more revenue", "2 more won deals", "Met"; in `language` ("120.000,00 $ mehr Umsatz")."""
    words = catalogue(language)
    if gap.met:
        return words.text("tier.met")
    metric = metric_of(gap.key)
    if metric == "nps" and not gap.measured:
        return words.text("tier.nps_unmeasured")
    if metric == "nps":
        return words.text("tier.more_nps", points=show_value(gap.key, gap.missing, currency))
    if metric == "onboarding":
        return words.text("tier.complete_onboarding")
    if metric in MONEY:
        return words.text(f"tier.more_{metric}", amount=money(gap.missing, currency, language=language))
    if metric in MORE:
        return words.plural(f"tier.more_{metric}", int(gap.missing))
    if metric == "lead_acceptance":
        return words.text("tier.more_lead_acceptance", points=f"{gap.missing:.0f}")
    return words.text("tier.more_other", amount=show_value(gap.key, gap.missing, currency), label=gap.label)


@dataclass
class GapLine:
    label: str = ""
    value: str = ""
    threshold: str = ""
    percent: int = 0
    missing: str = ""
    met: bool = False
    alternatives: str = ""  # "Or: Partner scorecard points" when another criterion of its group would do
    shown: str = ""  # "22,000.00 USD of 250,000.00 USD"; "Not complete"; "No answers yet"


@dataclass
class ValueLine:
    label: str = ""
    value: str = ""
    records: str = ""


@dataclass
class TextPair:
    first: str = ""
    second: str = ""


def gap_lines(found: Sequence[Gap], currency: str) -> list[GapLine]:
    """One line per criterion with its progress (0..100) and what is missing; each names its alternatives."""
    out = []
    for gap in found:
        share = 100 if gap.threshold <= 0 else int(min(Decimal(100), gap.value * 100 / gap.threshold))
        others = [o.label for o in found if o.group == gap.group and o.criterion_id != gap.criterion_id]
        out.append(
            GapLine(
                gap.label,
                show_value(gap.key, gap.value, currency),
                show_value(gap.key, gap.threshold, currency),
                share,
                missing_sentence(gap, currency),
                gap.met,
                "Or instead: " + ", ".join(others) if others else "",
                _measure(gap, currency),
            )
        )
    return out  # fmt: skip


def _measure(gap: Gap, currency: str) -> str:
    if not gap.measured:
        return "No answers yet"
    if metric_of(gap.key) == "onboarding":
        return show_value(gap.key, gap.value, currency)
    return f"{show_value(gap.key, gap.value, currency)} of {show_value(gap.key, gap.threshold, currency)}"


def threshold_text(metric: str, threshold: Decimal, currency: str) -> str:
    """ "at least 250,000.00 USD"; "required" for a criterion that is met or not (onboarding)."""
    return "required" if metric == "onboarding" else "at least " + show_value(metric, threshold, currency)


def value_line(v: EvaluatedValue, currency: str) -> ValueLine:
    shown = ", ".join(f"#{i}" for i in v.sources[:12]) + (" …" if len(v.sources) > 12 else "")
    counted = plural(v.answers, "answer") if v.answers is not None else plural(len(v.sources), "record")
    return ValueLine(v.label, show_value(v.key, v.value, currency),
                     f"{counted}: {shown}" if v.sources else "No records")  # fmt: skip


def _in_words(found: Sequence[Gap], currency: str, language: str = DEFAULT_LANGUAGE) -> str:
    """What is missing, alternatives joined by "or", groups by "; and " (in `language`)."""
    words = catalogue(language)
    groups: dict[int, list[str]] = {}
    for g in found:
        groups.setdefault(g.group, []).append(missing_sentence(g, currency, language))
    return words.text("tier.and").join(words.text("tier.or").join(alternatives) for alternatives in groups.values())


def progress_sentence(t: MyTier, language: str = DEFAULT_LANGUAGE) -> str:
    """ "228,000.00 USD more revenue; and 2 more won deals to reach Platinum", or "" at the top tier."""
    if not t.next_tier:
        return ""
    missing = failing(t.progress)
    if not missing:
        return catalogue(language).text("tier.meets_next", tier=t.next_tier)
    return catalogue(language).text("tier.to_reach", missing=_in_words(missing, t.currency, language), tier=t.next_tier)


def risk_sentence(t: MyTier, language: str = DEFAULT_LANGUAGE) -> str:
    """What is at risk and by when, or "" when nothing is."""
    if not t.at_risk:
        return ""
    words, what = catalogue(language), _in_words(t.at_risk, t.currency, language)
    if t.state == "downgrade":
        return words.text("tier.below_second", tier=t.tier, what=what)
    if t.grace_until:
        return words.text("tier.at_risk_by", tier=t.tier, what=what, day=day(t.grace_until, language=language))
    return words.text("tier.at_risk", tier=t.tier, what=what)


def state_label(state: str, language: str = DEFAULT_LANGUAGE) -> str:
    return catalogue(language).text(f"tier.state.{state}" if state in STATES else "tier.state.none")


def lapse_sentence(lapse: Lapse, language: str = DEFAULT_LANGUAGE) -> str:
    """ "At risk: Platinum needs 1 Certified people (CSS); 1 of your 1 certificates lapses by 14 Jan 2027." """
    return catalogue(language).plural(
        "tier.lapse",
        lapse.lapsing,
        tier=lapse.tier,
        threshold=int(lapse.threshold),
        label=lapse.label,
        held=lapse.held,
        day=day(lapse.by, language=language),
    )


def who_text(h: HistoryEntry) -> str:
    """Who made a tier change: "Asked by Lars Nilsen, approved by Ada Admin" for an override a second manager
    approved, "By Lars Nilsen" for one made alone (or a decided proposal), "The evaluation" when no one did."""
    if h.asked_by:
        return f"Asked by {h.asked_by}, approved by {h.by or 'an admin'}"
    return f"By {h.by}" if h.by else "The evaluation"
