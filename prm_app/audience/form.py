"""An audience rule as a form edits it, and back: the same field names for every area's form (the editor in
ui/editor.py draws them), so one parse serves courses, assets and programs alike."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from prm_app.audience.rules import AudienceRule, Names, check_rule
from prm_app.platform.errors import FormInvalid

PREFIX = "audience"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class AudienceOptions:
    """What the editor offers beyond the fixed partner types and regions."""

    tiers: list[str] = field(default_factory=list)
    groups: list[Choice] = field(default_factory=list)
    certifications: list[Choice] = field(default_factory=list)


@dataclass(frozen=True)
class AudienceForm:
    """A rule's values as the editor shows them (countries and languages as typed text)."""

    match: str = "all"
    partner_types: list[str] = field(default_factory=list)
    min_tier: str = ""
    regions: list[str] = field(default_factory=list)
    countries: str = ""
    languages: str = ""
    groups: list[str] = field(default_factory=list)
    certifications: list[str] = field(default_factory=list)


def options_of(names: Names) -> AudienceOptions:
    return AudienceOptions(
        tiers=list(names.tiers),
        groups=[Choice(k, v) for k, v in sorted(names.groups.items(), key=lambda kv: kv[1].lower())],
        certifications=[Choice(k, v) for k, v in sorted(names.certifications.items(), key=lambda kv: kv[1].lower())],
    )


def form_of(rule: AudienceRule) -> AudienceForm:
    return AudienceForm(
        match=rule.match,
        partner_types=list(rule.partner_types),
        min_tier=rule.min_tier,
        regions=list(rule.regions),
        countries=", ".join(rule.countries),
        languages=", ".join(rule.languages),
        groups=list(rule.groups),
        certifications=list(rule.certifications),
    )


def _ticked(form: Mapping[str, object], kind: str, prefix: str) -> tuple[str, ...]:
    start = f"{prefix}_{kind}:"
    return tuple(sorted(k[len(start) :] for k, v in form.items() if k.startswith(start) and v in ("on", True)))


def _codes(text: object, upper: bool) -> tuple[str, ...]:
    codes = [c.strip() for c in re.split(r"[,\s;]+", str(text or "")) if c.strip()]
    return tuple(dict.fromkeys(c.upper() if upper else c.lower() for c in codes[:300]))


def rule_from_form(form: Mapping[str, object], names: Names, prefix: str = PREFIX) -> AudienceRule:
    """The rule a submitted editor describes; FormInvalid (by field, `<prefix>_<condition>`) when it names an
    unknown tier, region, country, language, group or certification."""
    rule = AudienceRule(
        match="any" if form.get(f"{prefix}_match") == "any" else "all",
        partner_types=_ticked(form, "type", prefix),
        min_tier=str(form.get(f"{prefix}_min_tier", "") or "")[:40],
        regions=_ticked(form, "region", prefix),
        countries=_codes(form.get(f"{prefix}_countries"), upper=True),
        languages=_codes(form.get(f"{prefix}_languages"), upper=False),
        groups=_ticked(form, "group", prefix),
        certifications=_ticked(form, "cert", prefix),
    )
    if errors := check_rule(rule, names, field_prefix=prefix):
        raise FormInvalid(errors)
    return rule


def rule_with_errors(
    form: Mapping[str, object], names: Names, errors: dict[str, str], prefix: str = PREFIX
) -> AudienceRule:
    """The rule a submitted editor describes, for a form that checks its other fields too: what is wrong with the
    rule is added to `errors`, so one refusal names every bad field (the rule returned is then everyone's)."""
    try:
        return rule_from_form(form, names, prefix)
    except FormInvalid as exc:
        errors |= exc.errors
        return AudienceRule()
