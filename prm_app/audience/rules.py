"""Who an item is for: one small rule every area uses for its courses, assets, checklists and programs.

A rule is a few optional conditions on a partner's facts: partner type, a minimum tier, region, country,
language, named groups, and certifications someone at the partner holds. `match="all"` asks every condition that is
set to hold; `match="any"` asks at least one. A rule with no condition is for every partner.

`verdict(rule, facts)` answers "can this partner see it?" with the reasons in plain sentences, so "why can't
partner X see this?" is answered from the rule itself, and says when only the tier stands in the way
("available from Gold"), which pages show as a locked item: a reason to climb rather than a hidden one.

Everything here is pure: facts and names come in as plain values (facts.py loads them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from babel import Locale, UnknownLocaleError

from prm_app.partners import REGIONS, PartnerType, country_name, type_label

MATCHES = ("all", "any")


@dataclass(frozen=True)
class AudienceRule:
    match: str = "all"
    partner_types: tuple[str, ...] = ()
    min_tier: str = ""  # a tier's name: that tier or higher
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # ISO 3166 alpha-2
    languages: tuple[str, ...] = ()  # ISO 639-1
    groups: tuple[str, ...] = ()  # partner groups' keys
    certifications: tuple[str, ...] = ()  # certifications' codes

    @property
    def is_everyone(self) -> bool:
        return not any(getattr(self, name) for name in _LISTS) and not self.min_tier

    def to_json(self) -> str:
        """The rule as compact JSON text, for a column of the area that keeps it (conditions not set are left out)."""
        data: dict[str, object] = {"match": self.match} if self.match != "all" else {}
        data |= {name: list(getattr(self, name)) for name in _LISTS if getattr(self, name)}
        if self.min_tier:
            data["min_tier"] = self.min_tier
        return json.dumps(data, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> AudienceRule:
        """The rule stored by `to_json` ("" or None: every partner). Unknown keys are ignored."""
        data = json.loads(text) if text else {}
        return cls(
            match=str(data["match"]) if data.get("match") in MATCHES else "all",
            min_tier=str(data.get("min_tier", "")),
            **{name: tuple(str(v) for v in data.get(name, ())) for name in _LISTS},
        )


_LISTS = ("partner_types", "regions", "countries", "languages", "groups", "certifications")


@dataclass(frozen=True)
class Names:
    """Display names for the keys a rule stores, with the tiers in rank order (lowest first)."""

    tiers: tuple[str, ...] = ()
    groups: Mapping[str, str] = field(default_factory=dict)
    certifications: Mapping[str, str] = field(default_factory=dict)

    def rank(self, tier: str) -> int:
        """A tier's position (0 = lowest); an unknown tier ranks above every known one (it never lets anyone in)."""
        return self.tiers.index(tier) if tier in self.tiers else len(self.tiers)


@dataclass(frozen=True)
class PartnerFacts:
    organization_id: int
    name: str
    partner_type: str
    tier: str
    region: str
    country: str
    languages: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    certifications: frozenset[str] = frozenset()
    names: Names = Names()


@dataclass(frozen=True)
class Verdict:
    visible: bool
    reasons: tuple[str, ...]  # why it is visible, or why not
    locked_from_tier: str = ""  # the tier that alone would make it visible ("" when the tier is not the only bar)


def language_name(code: str) -> str:
    """ "de" -> "German"; an unknown code is shown as it is."""
    try:
        return Locale.parse(code).get_display_name("en") or code
    except (ValueError, UnknownLocaleError):
        return code


def _either(words: Iterable[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _condition_checks(rule: AudienceRule, facts: PartnerFacts) -> list[tuple[bool, str, str]]:
    """Each condition the rule sets: (holds, what it asks, what this partner has)."""
    n = facts.names
    checks: list[tuple[bool, str, str]] = []
    if rule.partner_types:
        asks = _either(type_label(t) for t in rule.partner_types) + " partners"
        checks.append(
            (facts.partner_type in rule.partner_types, asks, f"this partner is {type_label(facts.partner_type)}")
        )
    if rule.min_tier:
        holds = n.rank(facts.tier) >= n.rank(rule.min_tier) and rule.min_tier in n.tiers
        checks.append((holds, f"{rule.min_tier} partners and above", f"this partner is {facts.tier}"))
    if rule.regions:
        checks.append(
            (facts.region in rule.regions, f"partners in {_either(rule.regions)}", f"this partner is in {facts.region}")
        )
    if rule.countries:
        asks = "partners in " + _either(country_name(c) for c in rule.countries)
        checks.append((facts.country in rule.countries, asks, f"this partner is in {country_name(facts.country)}"))
    if rule.languages:
        spoken = sorted(language_name(code) for code in facts.languages) or ["none known"]
        checks.append(
            (
                bool(facts.languages & set(rule.languages)),
                "partners working in " + _either(language_name(c) for c in rule.languages),
                "this partner's languages: " + ", ".join(spoken),
            )
        )
    if rule.groups:
        asks = "partners in the group " + _either(n.groups.get(g, g) for g in rule.groups)
        theirs = sorted(n.groups.get(g, g) for g in facts.groups & set(rule.groups))
        checks.append((bool(theirs), asks, "this partner is in " + (", ".join(theirs) if theirs else "none of them")))
    if rule.certifications:
        asks = "partners with someone certified " + _either(n.certifications.get(c, c) for c in rule.certifications)
        held = sorted(n.certifications.get(c, c) for c in facts.certifications & set(rule.certifications))
        checks.append((bool(held), asks, "held here: " + (", ".join(held) if held else "none")))
    return checks


def _passes(rule: AudienceRule, checks: list[tuple[bool, str, str]]) -> bool:
    holding = sum(1 for c in checks if c[0])
    return holding == len(checks) if rule.match == "all" else holding > 0


def verdict(rule: AudienceRule, facts: PartnerFacts) -> Verdict:
    """Whether the partner of `facts` is in the rule's audience, and why (one sentence per condition that decides)."""
    checks = _condition_checks(rule, facts)
    if not checks:
        return Verdict(True, ("For every partner.",))
    held = [c for c in checks if c[0]]
    if _passes(rule, checks):
        shown = held if rule.match == "all" else held[:1]
        return Verdict(True, tuple(f"For {asks}: {has}." for _, asks, has in shown))
    failed = [c for c in checks if not c[0]]
    reasons = tuple(f"Only for {asks}; {has}." for _, asks, has in failed)
    if rule.match == "any" and len(checks) > 1:
        reasons = ("It asks for any one of these, and none holds.", *reasons)
    locked = ""
    if rule.min_tier and rule.min_tier in facts.names.tiers:
        climbed = _condition_checks(rule, replace(facts, tier=rule.min_tier))
        locked = rule.min_tier if _passes(rule, climbed) else ""
    return Verdict(False, reasons, locked)


def describe(rule: AudienceRule, names: Names = Names()) -> str:
    """The rule in a few words: "Gold partners and above, in EMEA" / "Every partner"."""
    probe = PartnerFacts(0, "", "", "", "", "", names=names)
    parts = [asks for _, asks, _ in _condition_checks(rule, probe)]
    if not parts:
        return "Every partner"
    text = (" and " if rule.match == "all" else " or ").join(parts)
    return text[0].upper() + text[1:]


def check_rule(rule: AudienceRule, names: Names, *, field_prefix: str = "audience") -> dict[str, str]:
    """What is wrong with a rule a person put together (unknown tier, region, country, language, group or
    certification), by field name (`<prefix>_<condition>`); empty when it is well formed."""
    errors: dict[str, str] = {}
    if rule.match not in MATCHES:
        errors[f"{field_prefix}_match"] = "Choose whether every condition or any one must hold."
    if bad := [t for t in rule.partner_types if t not in set(PartnerType)]:
        errors[f"{field_prefix}_partner_types"] = f"Unknown partner type: {', '.join(bad)}."
    if rule.min_tier and rule.min_tier not in names.tiers:
        errors[f"{field_prefix}_min_tier"] = f"There is no tier called {rule.min_tier}."
    if bad := [r for r in rule.regions if r not in REGIONS]:
        errors[f"{field_prefix}_regions"] = f"Unknown region: {', '.join(bad)}."
    if bad := [c for c in rule.countries if country_name(c) == c]:
        errors[f"{field_prefix}_countries"] = f"Not a country code: {', '.join(bad)}. Use two letters, like DE or FR."
    if bad := [c for c in rule.languages if language_name(c) == c]:
        errors[f"{field_prefix}_languages"] = f"Not a language code: {', '.join(bad)}. Use two letters, like de or fr."
    if bad := [g for g in rule.groups if g not in names.groups]:
        errors[f"{field_prefix}_groups"] = f"No such partner group: {', '.join(bad)}."
    if bad := [c for c in rule.certifications if c not in names.certifications]:
        errors[f"{field_prefix}_certifications"] = f"No such certification: {', '.join(bad)}."
    return errors
