"""Company names in Japanese script in conflict detection (issue #18): ブランド株式会社, 株式会社ブランド and
ブランドジャパン合同会社 are one customer to review (legal forms, glued group/country words, half-width kana); a
katakana name against a Latin one that sounds the same (ブランド / Brand) is a weaker, explained sign that needs other
evidence; different companies that merely share a word or a short reading are not flagged. Pure rules first, then
the database side: a check finds the other script's registration through its sound key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import Session

from prm_app.deals.conflicts import evidence
from prm_app.deals.matching.kana import consonants, kana_skeleton, latin_skeleton, romaji, split_japanese_suffixes
from prm_app.deals.matching.multinational import company_core
from prm_app.deals.matching.rules import (
    CONFLICT_THRESHOLD,
    REGISTRATION,
    Existing,
    Subject,
    assess,
    normalize_company_name,
)
from prm_app.deals.matching.store import candidates, conflict_keys, search_keys, subject_of
from prm_app.deals.models import Deal
from tests.deals.factories import make_world, register

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def subject(name: str, domain: str = "", products: tuple[int, ...] = ()) -> Subject:
    return Subject(name, normalize_company_name(name), domain, frozenset(products), NOW)


def existing(name: str, domain: str = "", products: tuple[int, ...] = (), protected_until=None) -> Existing:
    return Existing(REGISTRATION, 7, name, normalize_company_name(name), domain, frozenset(products), NOW - 3 * DAY,
                    protected_until, False)  # fmt: skip


@pytest.mark.parametrize(
    "name",
    ["ブランド株式会社", "株式会社ブランド", "ブランドジャパン合同会社", "ﾌﾞﾗﾝﾄﾞ株式会社", "ブランド・ジャパン株式会社",
     "ブランドホールディングス株式会社", "ブランドグループ", "(株)ブランド", "ブランド日本有限会社"],
)  # fmt: skip
def test_japanese_legal_forms_and_glued_group_or_country_words_leave_the_core(name):
    assert company_core(normalize_company_name(name)) == "ブランド"


def test_glued_words_are_set_apart_only_at_the_end_and_latin_names_are_untouched():
    assert split_japanese_suffixes("ブランドジャパン") == "ブランド ジャパン"
    assert split_japanese_suffixes("ブランドホールディングスジャパン") == "ブランド ホールディングス ジャパン"
    assert split_japanese_suffixes("日本航空") == "日本航空"  # Japan Airlines: a leading country word is the name
    assert split_japanese_suffixes("ジャパン") == "ジャパン"  # never empty
    assert split_japanese_suffixes("brand japan") == "brand japan"


@pytest.mark.parametrize(
    "a, b",
    [("ブランド株式会社", "株式会社ブランド"), ("ブランドジャパン合同会社", "ブランド株式会社"),
     ("ブランドジャパン合同会社", "株式会社ブランド"), ("ﾌﾞﾗﾝﾄﾞ ｸﾞﾙｰﾌﾟ", "ブランド株式会社")],
)  # fmt: skip
def test_one_companys_japanese_names_alone_are_a_conflict_with_a_plain_reason(a, b):
    found = assess(subject(a), existing(b), NOW)
    assert found is not None and found.score >= CONFLICT_THRESHOLD
    assert found.reasons[0] in (
        "same company name 'ブランド' without country/group words",
        f"name similarity 1.00 to '{b}'",
    )


def test_the_reason_says_which_words_were_dropped():
    found = assess(subject("ブランドジャパン合同会社"), existing("ブランド株式会社"), NOW)
    assert found is not None
    assert found.reasons[0] == "same company name 'ブランド' without country/group words"


@pytest.mark.parametrize(
    "a, b",
    [("ソニーグループ株式会社", "ソニック株式会社"),  # different companies
     ("日本ブランド株式会社", "ブランド株式会社"),  # a leading country word is part of the name
     ("ブランド株式会社", "ブランデー株式会社"),
     ("トヨタ自動車株式会社", "トヨタ紡織株式会社")],
)  # fmt: skip
def test_different_japanese_companies_are_no_conflict(a, b):
    assert assess(subject(a), existing(b), NOW) is None


@pytest.mark.parametrize(
    "kana, reading, skeleton",
    [("ブランド", "burando", "brnd"), ("マイクロソフト", "maikurosofuto", "mkrsft"), ("ぶらんど", "burando", "brnd"),
     ("ウィンドウズ", "windouzu", "nds"), ("ソニー", "soni", ""), ("ブランド株", "", "")],
)  # fmt: skip
def test_kana_reads_as_romaji_and_its_consonants(kana, reading, skeleton):
    assert romaji(kana) == reading
    assert kana_skeleton(kana) == skeleton


def test_latin_consonants_fold_the_sounds_japanese_merges():
    assert latin_skeleton("brand") == latin_skeleton("bland") == "brnd"
    assert latin_skeleton("microsoft") == consonants("maikurosofuto") == "mkrsft"
    assert latin_skeleton("sony") == "" and latin_skeleton("ブランド") == "" and latin_skeleton("brand 2") == ""


def test_a_katakana_name_and_a_latin_one_that_sound_alike_are_a_weak_explained_sign():
    alone = assess(subject("ブランド株式会社"), existing("Brand Inc."), NOW)
    assert alone is None  # 35 points: below the threshold on its own

    protected = existing("Brand Inc.", products=(1,), protected_until=NOW + 30 * DAY)
    found = assess(subject("ブランド株式会社", products=(1,)), protected, NOW)
    assert found is not None and found.score == CONFLICT_THRESHOLD
    assert found.reasons[0] == "katakana name 'ブランド' reads 'burando': the consonants of 'brand' (b-r-n-d)"

    same_site = assess(subject("ブランドジャパン合同会社", "brand.co.jp"), existing("Brand Group", "brand.co.jp"), NOW)
    assert same_site is not None and same_site.score == 95
    assert "katakana name 'ブランド' reads 'burando': the consonants of 'brand' (b-r-n-d)" in same_site.reasons


def test_names_that_merely_share_a_sound_or_a_word_are_not_flagged():
    # A different Latin name with another skeleton, and a short reading that says nothing (ソニー / Sony: "sn").
    for kana, latin in (("ブランド株式会社", "Bernard Ltd"), ("ソニー株式会社", "Sony Corporation")):
        protected = existing(latin, products=(1,), protected_until=NOW + 30 * DAY)
        found = assess(subject(kana, products=(1,)), protected, NOW)
        assert found is None or not any("katakana" in r for r in found.reasons)


def test_a_kana_name_searches_the_latin_sound_key_and_is_filed_under_its_own():
    kana, latin = normalize_company_name("ブランド株式会社"), normalize_company_name("Brand Inc.")
    assert "k:brnd" in conflict_keys(kana, "") and "s:brnd" in search_keys(kana, "")
    assert "s:brnd" in conflict_keys(latin, "") and "k:brnd" in search_keys(latin, "")
    assert "s:brnd" not in search_keys(latin, "")  # a Latin name never reads the Latin names that sound alike


@pytest.fixture
def w(session: Session) -> SimpleNamespace:
    return make_world(session)


def test_a_registration_in_katakana_finds_the_latin_and_the_japanese_registrations(session, w):
    latin = register(session, w.a, w.products, customer_name="Brand Inc.", customer_site="brand.com",
                     contact_email="jo@brand.com")  # fmt: skip
    japanese = register(session, w.a, w.products, customer_name="ブランド株式会社", customer_site="brand.co.jp",
                        contact_email="jo@brand.co.jp")  # fmt: skip
    second = register(session, w.b, w.products, customer_name="ブランドジャパン合同会社",
                      customer_site="taro@brand.co.jp", contact_email="taro@brand.co.jp")  # fmt: skip
    session.commit()

    found = {e.id: e for e in evidence(session, session.get_one(Deal, second), NOW)}

    assert found[japanese].reasons[:2] == (
        "same normalized domain brand.co.jp",
        "same company name 'ブランド' without country/group words",
    )
    assert found[latin].reasons[:2] == (
        "same brand label on brand.co.jp and brand.com",
        "katakana name 'ブランド' reads 'burando': the consonants of 'brand' (b-r-n-d)",
    )


def test_a_latin_registration_reads_a_katakana_one_by_its_sound_key_alone(session, w):
    japanese = register(session, w.a, w.products, customer_name="ブランド株式会社", customer_site="burando.jp",
                        contact_email="jo@burando.jp")  # fmt: skip
    second = register(session, w.b, w.products, customer_name="Brand Inc.", customer_site="brand.com",
                      contact_email="jo@brand.com")  # fmt: skip
    session.commit()
    read = [existing.id for existing, _ in candidates(session, subject_of(session.get_one(Deal, second), frozenset()),
                                                      organization_id=None)]  # fmt: skip
    assert japanese in read  # found by "k:brnd" alone; scored, it is 35 - 20 (different sites): no conflict
    assert evidence(session, session.get_one(Deal, second), NOW) == []
