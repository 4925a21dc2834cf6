"""Audience rules on plain facts: who sees an item, the reasons given, the tier lock, the JSON round trip and the
form's parse."""

from __future__ import annotations

import pytest

from prm_app.audience import AudienceRule, Names, PartnerFacts, check_rule, describe, rule_from_form, verdict
from prm_app.platform.errors import FormInvalid

NAMES = Names(
    tiers=("Registered", "Silver", "Gold", "Platinum"),
    groups={"security-elite": "Security Elite"},
    certifications={"sec-pro": "Security Suite Professional"},
)


def facts(**kw) -> PartnerFacts:
    base = dict(
        organization_id=1,
        name="Fjord Managed IT",
        partner_type="msp",
        tier="Silver",
        region="EMEA",
        country="NO",
        languages=frozenset({"nb", "nn"}),
        groups=frozenset(),
        certifications=frozenset(),
        names=NAMES,
    )
    return PartnerFacts(**(base | kw))


def test_an_empty_rule_is_for_every_partner():
    v = verdict(AudienceRule(), facts())
    assert v.visible and v.reasons == ("For every partner.",)
    assert AudienceRule().is_everyone and describe(AudienceRule()) == "Every partner"


def test_tier_is_a_floor_and_a_lower_tier_is_locked_from_it():
    gold = AudienceRule(min_tier="Gold")
    assert verdict(gold, facts(tier="Gold")).visible
    assert verdict(gold, facts(tier="Platinum")).visible
    v = verdict(gold, facts(tier="Silver"))
    assert not v.visible
    assert v.locked_from_tier == "Gold"
    assert v.reasons == ("Only for Gold partners and above; this partner is Silver.",)


def test_the_lock_is_only_offered_when_the_tier_alone_stands_in_the_way():
    rule = AudienceRule(min_tier="Gold", regions=("APAC",))
    v = verdict(rule, facts(tier="Silver"))  # EMEA: climbing to Gold would not help
    assert not v.visible and v.locked_from_tier == ""
    assert len(v.reasons) == 2
    assert verdict(rule, facts(tier="Silver", region="APAC")).locked_from_tier == "Gold"


def test_all_needs_every_condition_any_needs_one():
    both = AudienceRule(partner_types=("msp",), groups=("security-elite",))
    either = AudienceRule(match="any", partner_types=("msp",), groups=("security-elite",))
    assert not verdict(both, facts()).visible
    assert verdict(either, facts()).visible
    assert verdict(both, facts(groups=frozenset({"security-elite"}))).visible
    v = verdict(either, facts(partner_type="isv"))
    assert not v.visible and v.reasons[0] == "It asks for any one of these, and none holds."


def test_reasons_name_things_in_words():
    rule = AudienceRule(
        partner_types=("var", "system_integrator"),
        countries=("DE", "FR"),
        languages=("de",),
        groups=("security-elite",),
        certifications=("sec-pro",),
    )
    v = verdict(rule, facts())
    assert v.reasons == (
        "Only for VAR or System integrator partners; this partner is MSP.",
        "Only for partners in Germany or France; this partner is in Norway.",
        "Only for partners working in German; this partner's languages: Norwegian Bokmål, Norwegian Nynorsk.",
        "Only for partners in the group Security Elite; this partner is in none of them.",
        "Only for partners with someone certified Security Suite Professional; held here: none.",
    )
    ok = verdict(AudienceRule(certifications=("sec-pro",)), facts(certifications=frozenset({"sec-pro"})))
    assert ok.visible and ok.reasons == (
        "For partners with someone certified Security Suite Professional: held here: Security Suite Professional.",
    )


def test_an_unknown_tier_lets_nobody_in():
    assert not verdict(AudienceRule(min_tier="Diamond"), facts(tier="Platinum")).visible


def test_json_round_trip_and_tolerance():
    rule = AudienceRule(match="any", partner_types=("msp",), min_tier="Gold", countries=("NO",))
    assert AudienceRule.from_json(rule.to_json()) == rule
    assert AudienceRule.from_json("") == AudienceRule()
    assert AudienceRule.from_json('{"match":"weird","future":1}') == AudienceRule()
    assert AudienceRule().to_json() == "{}"


def test_describe():
    rule = AudienceRule(min_tier="Gold", regions=("EMEA",))
    assert describe(rule, NAMES) == "Gold partners and above and partners in EMEA"


def test_check_rule_names_each_bad_field():
    bad = AudienceRule(
        match="most",
        partner_types=("pirate",),
        min_tier="Diamond",
        regions=("Mars",),
        countries=("ZZ",),
        languages=("qq",),
        groups=("nope",),
        certifications=("nope",),
    )
    errors = check_rule(bad, NAMES)
    assert set(errors) == {
        "audience_match",
        "audience_partner_types",
        "audience_min_tier",
        "audience_regions",
        "audience_countries",
        "audience_languages",
        "audience_groups",
        "audience_certifications",
    }
    assert errors["audience_countries"].startswith("Not a country code: ZZ.")


def test_the_form_parse():
    form = {
        "audience_match": "any",
        "audience_type:msp": "on",
        "audience_type:var": True,
        "audience_type:isv": False,
        "audience_min_tier": "Gold",
        "audience_region:EMEA": "on",
        "audience_countries": "de, fr;  de",
        "audience_languages": "DE",
        "audience_group:security-elite": "on",
        "audience_cert:sec-pro": "on",
        "other": "x",
    }
    assert rule_from_form(form, NAMES) == AudienceRule(
        match="any",
        partner_types=("msp", "var"),
        min_tier="Gold",
        regions=("EMEA",),
        countries=("DE", "FR"),
        languages=("de",),
        groups=("security-elite",),
        certifications=("sec-pro",),
    )
    assert rule_from_form({}, NAMES) == AudienceRule()
    with pytest.raises(FormInvalid) as exc:
        rule_from_form({"audience_countries": "Germany"}, NAMES)
    assert "audience_countries" in exc.value.errors
