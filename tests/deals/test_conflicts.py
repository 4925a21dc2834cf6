"""Channel-conflict rules: company-name normalization, registrable domains, blocking keys, name similarity and the
explainable, deterministic conflict score. Pure functions: no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from publicsuffixlist import PublicSuffixList

from prm_app.deals.matching.rules import (
    CONFLICT_THRESHOLD,
    DIRECT_ACCOUNT,
    FREE_MAIL_DOMAINS,
    GENERIC_WORDS,
    REGISTRATION,
    Conflict,
    Existing,
    Subject,
    assess,
    blocking_keys,
    name_similarity,
    normalize_company_name,
    registrable_domain,
)

NOW = datetime(2025, 3, 15, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
SPEC_GENERIC_WORDS = (
    "the global solutions tech group systems services international software consulting digital data cloud networks"
).split()


def subject(name: str = "Acme", site: str = "", products: tuple[int, ...] = (), registered_at=NOW) -> Subject:
    return Subject(
        name=name,
        name_norm=normalize_company_name(name),
        domain=registrable_domain(site),
        product_ids=frozenset(products),
        registered_at=registered_at,
    )


def existing(
    name: str = "Acme",
    site: str = "",
    products: tuple[int, ...] = (),
    *,
    kind: str = REGISTRATION,
    registered_at: datetime | None = NOW - 12 * DAY,
    protected_until: datetime | None = None,
    same_partner: bool = False,
    id: int = 7,
) -> Existing:
    return Existing(
        kind=kind,
        id=id,
        name=name,
        name_norm=normalize_company_name(name),
        domain=registrable_domain(site),
        product_ids=frozenset(products),
        registered_at=registered_at,
        protected_until=protected_until,
        same_partner=same_partner,
    )


# --- normalize_company_name -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["ACME, Inc.", "Acme Incorporated", "ACME Corp.", "acme corporation", "The Acme Company", "Acme Pty Ltd",
     "Acme LLC", "Acme Limited", "  ACME   corp  ", "Acme Co., Ltd.", "Acme GmbH & Co. KG", "ACME PLC"],
)  # fmt: skip
def test_legal_suffixes_punctuation_case_and_a_leading_the_go(name):
    assert normalize_company_name(name) == "acme"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Siemens AG", "siemens"), ("Robert Bosch GmbH", "robert bosch"), ("Müller GmbH & Co. KG", "muller"),
     ("Telefónica, S.A.", "telefonica"), ("Telefonica SA", "telefonica"), ("Inditex S.L.", "inditex"),
     ("Sony KK", "sony"), ("Toshiba Kabushiki Kaisha", "toshiba"), ("Kabushiki Kaisha Toshiba", "toshiba"),
     ("Nintendo Co., Ltd.", "nintendo"), ("トヨタ自動車株式会社", "トヨタ自動車"), ("トヨタ自動車(株)", "トヨタ自動車"),
     ("腾讯控股股份有限公司", "腾讯控股"), ("ООО Ромашка", "ромашка"), ("Dudała Sp. z o.o. Sp.k.", "dudala"),
     ("Maersk A/S", "maersk"), ("Nokia Oyj", "nokia"), ("Volvo AB", "volvo"), ("Carrefour SARL", "carrefour"),
     ("Philips N.V.", "philips")],
)  # fmt: skip
def test_foreign_legal_forms_go(name, expected):
    assert normalize_company_name(name) == expected


def test_accents_are_stripped_so_both_spellings_meet():
    assert normalize_company_name("Société Générale") == normalize_company_name("Societe Generale SA")
    assert normalize_company_name("Société Générale") == "societe generale"
    assert normalize_company_name("Straße Øresund") == "strasse oresund"


def test_scripts_without_accents_keep_their_letters():
    # Stripping every combining mark would turn グーグル into クークル (the voicing mark is one).
    assert normalize_company_name("グーグル") == "グーグル"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("AT&T Inc.", "att"), ("Smith & Co", "smith"), ("Johnson & Johnson", "johnson and johnson"),
     ("McDonald's Corporation", "mcdonalds"), ("J.P. Morgan Chase & Co.", "jp morgan chase"),
     ("Amazon.com, Inc.", "amazon"), ("Acme-Foods (Europe)", "acme foods europe")],
)  # fmt: skip
def test_punctuation(name, expected):
    assert normalize_company_name(name) == expected


@pytest.mark.parametrize("name", ["", "   ", "\t\n", ".,;"])
def test_empty_names_normalize_to_empty(name):
    assert normalize_company_name(name) == ""


@pytest.mark.parametrize(("name", "expected"), [("The", "the"), ("Limited", "limited"), ("Inc.", "inc")])
def test_the_last_word_is_never_removed(name, expected):
    assert normalize_company_name(name) == expected


@pytest.mark.parametrize("name", ["ACME, Inc.", "Société Générale", "Müller GmbH & Co. KG", "トヨタ(株)", "The Co"])
def test_normalizing_twice_changes_nothing(name):
    once = normalize_company_name(name)
    assert normalize_company_name(once) == once


# --- registrable_domain -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("https://shop.acme.co.uk/path", "acme.co.uk"), ("acme.co.uk", "acme.co.uk"), ("www.acme.com", "acme.com"),
     ("WWW.ACME.COM.", "acme.com"), ("acme.com/contact?x=1", "acme.com"), ("https://u:pw@Acme.COM:8443/x", "acme.com"),
     ("jo@sales.acme.com", "acme.com"), ("Jo Smith <jo@acme.com>", "acme.com"), ("mailto:jo@acme.com?s=hi", "acme.com"),
     ("acme.github.io", "acme.github.io"),  # a private suffix: one customer's site, not all of GitHub
     ("bücher.de", "xn--bcher-kva.de"), ("https://xn--bcher-kva.de/", "xn--bcher-kva.de")],
)  # fmt: skip
def test_urls_hosts_and_emails_give_the_registrable_domain(value, expected):
    assert registrable_domain(value) == expected


@pytest.mark.parametrize(
    "value",
    ["jo@gmail.com", "JO@GoogleMail.com", "https://mail.yahoo.co.uk", "x@proton.me", "x@icloud.com", "x@qq.com",
     "127.0.0.1", "http://10.0.0.1:8080/", "http://[::1]:8000/", "localhost", "http://localhost:3000",
     "co.uk", "com", "acme.local", "acme.cmo", "acme", "acme..com", "-acme.com", "a_b.acme.com", "http://[bad",
     "", "   ", "not a domain", "@", "1.2.3.4.5"],
)  # fmt: skip
def test_free_mail_ips_localhost_suffixes_and_junk_give_nothing(value):
    assert registrable_domain(value) == ""


def test_every_free_mail_domain_is_itself_a_registrable_domain():
    psl = PublicSuffixList()
    assert {"gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "yahoo.co.uk", "gmx.de", "web.de"} <= set(
        FREE_MAIL_DOMAINS
    )
    assert [d for d in sorted(FREE_MAIL_DOMAINS) if psl.privatesuffix(d) != d] == []


# --- blocking_keys ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [("Acme", "Acme Corp"), ("ACME, Inc.", "Acme Incorporated"), ("Acme Software", "ACME Software Labs"),
     ("Northwind Traders", "North Wind Traders"), ("Global Acme Group", "Acme"), ("Contoso", "Contosso"),
     ("Société Générale", "Societe Generale SA"), ("The Acme Company", "acme.com, Inc."),
     ("Global Solutions", "Global Solutions Ltd")],
)  # fmt: skip
def test_spellings_of_the_same_customer_share_a_key(a, b):
    keys_a = set(blocking_keys(normalize_company_name(a)))
    keys_b = set(blocking_keys(normalize_company_name(b)))
    assert keys_a & keys_b


@pytest.mark.parametrize(
    "name",
    ["acme", "acme software labs", "north wind traders", "global tech solutions", "x",
     "supercalifragilisticexpialidocious holdings international", "トヨタ自動車", "a b c d e f g h"],
)  # fmt: skip
def test_at_most_three_short_sorted_distinct_kind_prefixed_keys(name):
    keys = blocking_keys(name)

    assert 1 <= len(keys) <= 3
    assert keys == sorted(set(keys))
    assert all(key[:2] in ("t:", "p:", "n:") and 2 < len(key) <= 26 for key in keys)


def test_no_name_no_keys():
    assert blocking_keys("") == []


def test_the_generic_words_are_all_listed():
    assert set(SPEC_GENERIC_WORDS) <= GENERIC_WORDS


@pytest.mark.parametrize("word", SPEC_GENERIC_WORDS)
def test_generic_words_never_make_a_key(word):
    assert blocking_keys(f"{word} acme") == blocking_keys("acme") == ["p:acme", "t:acme"]
    assert f"t:{word}" not in blocking_keys(f"acme {word}")
    assert f"t:{word}" not in blocking_keys(f"{word} {word} acme")


def test_a_name_made_only_of_generic_words_gets_one_exact_name_key():
    # Selective anyway: it matches only companies with exactly this name, never every "Global ..." company.
    assert blocking_keys("global tech solutions") == ["n:globaltechsolutions"]
    assert blocking_keys("the") == ["n:the"]


def test_keys_are_the_first_significant_token_and_a_six_character_prefix():
    assert blocking_keys("acme software labs") == ["p:acmeso", "t:acme"]
    assert blocking_keys("international north wind traders") == ["p:northw", "t:north"]


# --- name_similarity --------------------------------------------------------------------------------------------


def test_similarity_bounds_and_rounding():
    assert name_similarity("acme", "acme") == 1.0
    assert name_similarity("", "acme") == name_similarity("acme", "") == name_similarity("", "") == 0.0
    assert name_similarity("northwind traders", "north wind traders") == 1.0  # spacing ignored
    assert name_similarity("generale societe", "societe generale") == 1.0  # word order ignored
    assert name_similarity("contoso", "contosso") == 0.93
    assert name_similarity("acme foods", "acme software") < 0.80
    value = name_similarity("acme software", "acme software labs")
    assert 0 <= value <= 1 and value == round(value, 2)


def test_similarity_is_symmetric():
    pairs = [("acme", "acne"), ("acme software", "acme software labs"), ("contoso", "contosso")]
    assert all(name_similarity(a, b) == name_similarity(b, a) for a, b in pairs)


# --- assess -----------------------------------------------------------------------------------------------------


def test_the_same_company_written_differently_is_a_conflict_by_name_alone():
    conflict = assess(subject("ACME, Inc."), existing("Acme Incorporated"), NOW)

    assert conflict == Conflict(
        kind=REGISTRATION,
        id=7,
        score=55,
        reasons=("name similarity 1.00 to 'Acme Incorporated'", "registered 12 days earlier by another partner"),
        protected=False,
    )


def test_a_subdomain_and_the_bare_domain_are_the_same_customer():
    conflict = assess(subject("Acme UK Trading", "https://shop.acme.co.uk"), existing("Zenith plc", "acme.co.uk"), NOW)

    assert conflict is not None
    assert conflict.score == 60
    assert conflict.reasons == ("same normalized domain acme.co.uk", "registered 12 days earlier by another partner")


def test_a_contact_email_meets_a_website():
    conflict = assess(subject("Initech", "pat@sales.initech.com"), existing("Initrode", "https://www.initech.com"), NOW)

    assert conflict is not None
    assert conflict.reasons[0] == "same normalized domain initech.com"


def test_free_mail_addresses_are_no_evidence():
    assert assess(subject("Initech", "pat@gmail.com", (1,)), existing("Globex", "lee@gmail.com", (1,)), NOW) is None


def test_unrelated_companies_sharing_a_word_with_different_domains_are_no_conflict():
    protected = NOW + 30 * DAY
    foods = subject("Acme Foods", "acme-foods.com", (1, 2, 3))
    software = existing("Acme Software", "acmesoftware.io", (1, 2, 3), protected_until=protected)

    assert assess(foods, software, NOW) is None
    assert assess(replace(foods, domain=""), replace(software, domain=""), NOW) is None


def test_exact_reasons_in_their_fixed_order():
    conflict = assess(
        subject("Contosso", "www.contoso.com", (1, 2, 3)),
        existing("Contoso Ltd.", "contoso.com", (2, 3, 9), protected_until=NOW + 30 * DAY),
        NOW,
    )

    assert conflict == Conflict(
        kind=REGISTRATION,
        id=7,
        score=100,
        reasons=(
            "same normalized domain contoso.com",
            "name similarity 0.93 to 'Contoso Ltd.'",
            "2 of 3 products overlap",
            "registered 12 days earlier by another partner, still protected",
        ),
        protected=True,
    )


def test_different_domains_come_last_and_subtract():
    conflict = assess(
        subject("Acme", "acme.com", (1, 2)),
        existing("ACME Corp.", "acme.io", (1, 2), protected_until=NOW + DAY),
        NOW,
    )

    assert conflict is not None
    assert conflict.score == 55 - 20 + 10 + 5 == CONFLICT_THRESHOLD
    assert conflict.reasons == (
        "name similarity 1.00 to 'ACME Corp.'",
        "2 of 2 products overlap",
        "registered 12 days earlier by another partner, still protected",
        "different domains acme.com and acme.io",
    )


@pytest.mark.parametrize(
    ("subject_kw", "existing_kw", "score"),
    [
        ({"site": "acme.com"}, {"name": "Zenith", "site": "acme.com"}, 60),  # domain alone
        ({"site": "acme.com"}, {"site": "acme.com"}, 100),  # 60 + 55, capped
        ({}, {}, 55),  # identical name alone
        ({"name": "Acme Rockets"}, {"name": "Acme Rocket"}, 50),  # 0.96: 30 + 16 * 1.25
        ({"name": "Proseware"}, {"name": "Prosewares"}, None),  # 0.95: 48
        ({"name": "Contosso"}, {"name": "Contoso"}, None),  # 0.93: 46
        ({"name": "Contosso", "products": (1, 2, 3)}, {"name": "Contoso", "products": (1,)}, None),  # 46 + 3
        ({"name": "Contosso", "products": (1, 2, 3)}, {"name": "Contoso", "products": (1, 2)}, 53),  # 46 + 7
        ({"name": "Acme Software"}, {"name": "ACME Software Labs", "products": ()}, None),  # 0.86: 37
        ({"name": "Acme Software", "products": (1,)}, {"name": "ACME Software Labs", "products": (1,)}, None),  # 47
        (
            {"name": "Acme Software", "products": (1,)},
            {"name": "ACME Software Labs", "products": (1,), "protected_until": NOW + DAY},
            52,
        ),
        ({"site": "acme.com"}, {"site": "acme.io"}, None),  # 55 - 20
        ({"name": "Initech", "products": (1,)}, {"name": "Globex", "products": (1,), "protected_until": NOW + DAY},
         None),  # products and protection without evidence count for nothing
    ],
)  # fmt: skip
def test_score_table(subject_kw, existing_kw, score):
    conflict = assess(subject(**subject_kw), existing(**existing_kw), NOW)

    assert (conflict.score if conflict else None) == score


def test_the_threshold_is_inclusive():
    at = assess(subject("Acme", "acme.com", (1,)), existing("Acme", "acme.io", (1,), protected_until=NOW + DAY), NOW)
    below = assess(subject("Acme", "acme.com", (1,)), existing("Acme", "acme.io", (1,)), NOW)

    assert at is not None and at.score == CONFLICT_THRESHOLD
    assert below is None  # 45


def test_a_registration_of_the_same_partner_is_reported_as_a_duplicate():
    conflict = assess(subject(), existing(same_partner=True, protected_until=NOW + DAY), NOW)

    assert conflict is not None
    assert conflict.reasons == ("name similarity 1.00 to 'Acme'", "registered by the same partner")
    assert conflict.score == 55  # its own protection does not hold against the same partner
    assert conflict.protected is True


@pytest.mark.parametrize(
    ("protected_until", "reason", "protected", "score"),
    [(NOW + DAY, "direct-sales account, protected", True, 60), (None, "direct-sales account", False, 55),
     (NOW, "direct-sales account", False, 55), (NOW - DAY, "direct-sales account", False, 55)],
)  # fmt: skip
def test_direct_accounts(protected_until, reason, protected, score):
    account = existing(kind=DIRECT_ACCOUNT, registered_at=None, protected_until=protected_until, id=3)

    conflict = assess(subject(), account, NOW)

    assert conflict == Conflict(
        kind=DIRECT_ACCOUNT,
        id=3,
        score=score,
        reasons=("name similarity 1.00 to 'Acme'", reason),
        protected=protected,
    )


@pytest.mark.parametrize(
    ("subject_at", "existing_at", "protected_until", "reason"),
    [(NOW, NOW - 3 * DAY - timedelta(hours=23), None, "registered 3 days earlier by another partner"),
     (NOW, NOW - DAY, None, "registered 1 day earlier by another partner"),
     (NOW, NOW - timedelta(hours=5), None, "registered less than a day earlier by another partner"),
     (NOW, NOW, None, "registered less than a day earlier by another partner"),
     (NOW - 3 * DAY, NOW, None, "registered 3 days later by another partner"),
     (None, NOW - 12 * DAY, None, "registered 12 days earlier by another partner"),  # a draft counts from now
     (NOW - 20 * DAY, NOW - 32 * DAY, None, "registered 12 days earlier by another partner"),
     (NOW, None, None, "registered by another partner"),
     (NOW, NOW - 12 * DAY, NOW + DAY, "registered 12 days earlier by another partner, still protected"),
     (NOW, NOW - 12 * DAY, NOW, "registered 12 days earlier by another partner")],  # protection ended exactly now
)  # fmt: skip
def test_timing_reasons(subject_at, existing_at, protected_until, reason):
    conflict = assess(
        subject(registered_at=subject_at),
        existing(registered_at=existing_at, protected_until=protected_until),
        NOW,
    )

    assert conflict is not None
    assert conflict.reasons[-1] == reason


def test_naive_datetimes_are_read_as_utc():
    naive = NOW.replace(tzinfo=None)
    aware = assess(subject(), existing(protected_until=NOW + DAY), NOW)

    mixed = assess(
        subject(registered_at=naive),
        existing(registered_at=naive - 12 * DAY, protected_until=naive + DAY),
        NOW,
    )

    assert mixed == aware


def test_same_inputs_give_equal_conflicts():
    def build():
        return (
            subject("Contosso", "contoso.com", (3, 1, 2)),
            existing("Contoso Ltd.", "www.contoso.com", (9, 3, 2), protected_until=NOW + DAY),
        )

    first, second = assess(*build(), NOW), assess(*build(), NOW)

    assert first is not None
    assert first == second
    assert first.reasons == second.reasons


def test_more_evidence_never_lowers_the_score():
    def score(**kw) -> int:
        conflict = assess(
            subject("Acme Software", kw.get("site", ""), (1, 2, 3)),
            existing(
                kw.get("name", "Acme Software"),
                kw.get("other_site", ""),
                kw.get("products", ()),
                protected_until=kw.get("protected_until"),
            ),
            NOW,
        )
        return conflict.score if conflict else 0

    by_overlap = [score(products=tuple(range(1, n + 1))) for n in range(4)]
    assert by_overlap == sorted(by_overlap)
    by_name = [score(name=n) for n in ("Globex", "ACME Software Labs", "Acme Softwares", "Acme Software")]
    assert by_name == sorted(by_name)
    assert score(protected_until=NOW + DAY) >= score()
    assert score(site="acme.com", other_site="acme.com") >= score()


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kind"):
        assess(subject(), existing(kind="lead"), NOW)
