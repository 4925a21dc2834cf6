"""Multinational customers: one group registers under its country sites (brand.com, brand.de, brand.co.jp) and
under its group and local legal entities ("Brand Group Corporation", "Brand Deutschland GmbH"). Conflict review
must see one customer there, without joining different companies that merely share a word. Pure functions on
plain data (the bundled Public Suffix List and pycountry's name catalogues; no database, no network), used by
`rules.assess` and by the blocking keys the database files each record under.

- `brand_label("brand.co.jp")` is "brand": the registrable domain without its public suffix, when that label can
  name one company on its own. Not a short one ("hp": fewer than BRAND_LABEL_MIN_LENGTH characters), not a generic
  word (shop.de, app.com: GENERIC_WORDS), not a free-mail provider's (yahoo.com.ar), not one under a private
  suffix (acme.github.io: that site is GitHub's).
- `same_brand(a, b)`: two different domains with the same brand label, one on a country suffix (.de, .co.jp,
  .com.br) and the other on a country suffix or a global one (.com, .net, .org). acme.com and acme.io are not:
  .io is a country code sold as a vanity suffix, and a start-up there is seldom the .com's owner.
- `company_core("brand deutschland")` is "brand": a normalized name without the country, region and group words
  that end it ("marca do brasil" -> "marca", "brand group" -> "brand", "toyota motor europe" -> "toyota motor") and
  a group word that starts it ("grupo bimbo" -> "bimbo"). A country word that starts a name stays: it usually is the
  name (Deutsche Bank, Japan Airlines). The first word is never dropped.
- `shared_core(a, b)`: the core two names share once such words are dropped from at least one of them, or "" when
  they do not, or when what is left says too little to be one company ("air" of Air France and Air India, "bank" of
  Bank of America and Bank of China): shorter than CORE_MIN_LENGTH or made only of generic and sector words.
"""

from __future__ import annotations

import gettext
from functools import cache, lru_cache

import pycountry
from publicsuffixlist import PublicSuffixList

from prm_app.deals.matching.vocabulary import (
    COUNTRY_WORDS,
    FREE_MAIL_DOMAINS,
    GENERIC_WORDS,
    GLOBAL_SUFFIXES,
    GROUP_WORDS,
    JAPANESE_COUNTRY_WORDS,
    NOT_COUNTRY_WORDS,
    SECTOR_WORDS,
    VANITY_COUNTRY_CODES,
)
from prm_app.platform.places import fold

BRAND_LABEL_MIN_LENGTH = 3  # two-letter labels (hp, ge, bt) are shared by too many companies
CORE_MIN_LENGTH = 3  # space-less characters of a shared core
# The languages whose country names pycountry's catalogues give, besides English: the names local entities use.
COUNTRY_NAME_LANGUAGES = ("de", "fr", "es", "it", "pt", "nl")
_CONNECTORS = frozenset("of do da de du des del della di der die das den von van the and und et y e".split())
_FREE_MAIL_LABELS = frozenset(domain.split(".", 1)[0] for domain in FREE_MAIL_DOMAINS)


@cache
def _icann_suffixes() -> PublicSuffixList:
    # Only the ICANN section: under a private suffix (github.io, myshopify.com) the label is the platform's.
    return PublicSuffixList(accept_unknown=False, only_icann=True)


@lru_cache(maxsize=4096)
def brand_label(domain: str) -> str:
    """The label of registrable `domain` without its public suffix ("brand" for "brand.co.jp"), or "" when that
    label is too short, a generic word, a free-mail provider's, under a private suffix, or `domain` is ""."""
    if not domain or _icann_suffixes().privatesuffix(domain) != domain:
        return ""
    label = domain.split(".", 1)[0]
    if len(label) < BRAND_LABEL_MIN_LENGTH or label in GENERIC_WORDS or label in _FREE_MAIL_LABELS:
        return ""
    return label


def _suffix_kind(domain: str) -> str:
    """ "country" (.de, .co.jp, .com.br, .com.co), "global" (.com, .net, .org) or "" (.io, .app, ...)."""
    suffix = domain.split(".", 1)[1] if "." in domain else ""
    if suffix in GLOBAL_SUFFIXES:
        return "global"
    top = suffix.rsplit(".", 1)[-1]
    if len(top) == 2 and top.isalpha() and ("." in suffix or top not in VANITY_COUNTRY_CODES):
        return "country"
    return ""


def same_brand(a_domain: str, b_domain: str) -> bool:
    """Whether two different registrable domains are one brand's sites in different countries (see the module
    docstring). Symmetric; False when either is ""."""
    if not a_domain or not b_domain or a_domain == b_domain:
        return False
    if a_domain.split(".", 1)[0] != b_domain.split(".", 1)[0]:  # most candidates: no list lookups for them
        return False
    label = brand_label(a_domain)
    if not label or label != brand_label(b_domain):
        return False
    kinds = {_suffix_kind(a_domain), _suffix_kind(b_domain)}
    return "country" in kinds and "" not in kinds


def brand_key(domain: str) -> str:
    """The blocking key "b:<label>" of a domain that has a brand label on a country or global suffix, else "".
    Two records with `same_brand` domains share it; the database files records under it beside the name keys."""
    label = brand_label(domain)
    return f"b:{label}"[:26] if label and _suffix_kind(domain) else ""


@cache
def _country_phrases() -> frozenset[tuple[str, ...]]:
    """Country names as name words: pycountry's English names and their translations in COUNTRY_NAME_LANGUAGES
    ("Deutschland", "España", "Suisse", "Países Bajos"), the part before a comma ("Korea, Republic of" ->
    "korea"), plus COUNTRY_WORDS (endonyms and short forms: "nippon", "uk", "usa", "emea") and
    JAPANESE_COUNTRY_WORDS (as written: folding would take their kana apart), less
    NOT_COUNTRY_WORDS (names that are also given names or common words: Jordan, Chad, Maurice)."""
    catalogues = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]) for lang in
                  COUNTRY_NAME_LANGUAGES]  # fmt: skip
    names: set[str] = set(COUNTRY_WORDS)
    for country in pycountry.countries:
        english = [country.name, getattr(country, "common_name", None) or country.name]
        for name in [*english, *(catalogue.gettext(country.name) for catalogue in catalogues)]:
            names.update({name, name.split(",")[0], name.split("(")[0]})
    phrases = {tuple(fold(name).split()) for name in names} | {(word,) for word in JAPANESE_COUNTRY_WORDS}
    return frozenset(p for p in phrases if p and " ".join(p) not in NOT_COUNTRY_WORDS)


@cache
def _phrases_by_size() -> tuple[tuple[int, frozenset[tuple[str, ...]]], ...]:
    phrases = _country_phrases() | {(word,) for word in GROUP_WORDS}
    sizes = sorted({len(p) for p in phrases}, reverse=True)  # longest first: "united kingdom" before "kingdom"
    return tuple((size, frozenset(p for p in phrases if len(p) == size)) for size in sizes)


def _without_leading_group_word(tokens: list[str]) -> list[str]:
    if len(tokens) > 1 and tokens[0] in GROUP_WORDS:  # "grupo bimbo", "groupe renault"
        del tokens[0]
        while len(tokens) > 1 and tokens[0] in _CONNECTORS:
            del tokens[0]
    return tokens


@lru_cache(maxsize=4096)  # a check compares its subject's name with every candidate's
def company_core(name_norm: str) -> str:
    """`name_norm` (from rules.normalize_company_name) without the country, region and group words (and the
    connectors left hanging: "do", "of") that end it, nor a group word that starts it. Never empty when `name_norm`
    is not: the first word stays. "brand group deutschland" -> "brand"; "deutsche bank" -> "deutsche bank"."""
    tokens = _without_leading_group_word(name_norm.split())
    stripped = True
    while stripped and len(tokens) > 1:
        stripped = False
        for size, phrases in _phrases_by_size():
            if size < len(tokens) and tuple(tokens[-size:]) in phrases:
                del tokens[-size:]
                while len(tokens) > 1 and tokens[-1] in _CONNECTORS:
                    del tokens[-1]
                stripped = True
                break
    return " ".join(tokens)


def shared_core(a_norm: str, b_norm: str) -> str:
    """The core two normalized names have in common once country/region/group words are dropped from at least
    one of them, or "" (see the module docstring): "brand deutschland" and "brand group" share "brand";
    "acme deutschland" and "siemens deutschland" share nothing; identical names share nothing new."""
    a_words, b_words = _without_leading_group_word(a_norm.split()), _without_leading_group_word(b_norm.split())
    if not a_words or not b_words or a_words[0] != b_words[0]:  # a core keeps its first word: most pairs end here
        return ""
    a_core, b_core = company_core(a_norm), company_core(b_norm)
    if a_core != b_core or (a_core == a_norm and b_core == b_norm):
        return ""
    words = a_core.split()
    if len(a_core.replace(" ", "")) < CORE_MIN_LENGTH:
        return ""
    if all(w in GENERIC_WORDS or w in SECTOR_WORDS or w in _CONNECTORS or len(w) == 1 for w in words):
        return ""
    return a_core
