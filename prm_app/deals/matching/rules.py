"""Channel-conflict rules: is a deal registration's customer already claimed by another registration or by a
direct-sales account?

Pure functions on plain data (stdlib + rapidfuzz + cleanco + publicsuffixlist + pycountry; no database, no
network), so the same inputs always give the same score and the same reasons, word for word. The database side
stores, for each registration and direct account, `normalize_company_name(name)`, `registrable_domain(site or
email)` and `blocking_keys(name_norm)` with the domain's `multinational.brand_key`; it reads only the candidates
sharing the domain or a key and calls `assess` on each. Multinational customers (country sites, local entities)
are matched by `multinational.same_brand` and `multinational.shared_core`.

Scoring (`assess`), clamped to 0..100; below CONFLICT_THRESHOLD (50) there is no conflict:

    evidence                                                   points
    same non-empty registrable domain                          +60
    same brand label on country sites (multinational.py)       +50 (brand.de and brand.co.jp; not acme.com/acme.io)
    name similarity s >= 0.80 (s rounded to 2 decimals)        +30 + floor(125 * (s - 0.80)): 30 at 0.80, 55 at 1
      or the same name without country/group words             +55 ("Brand Deutschland GmbH", "Brand Group Corp.")
      or a kana name that sounds like a Latin one (kana.py)      +35 (ブランド and Brand: both "brnd")
    product overlap, only with domain or name evidence         +round(10 * overlap / subject's products), 0..10
    existing claim still protected, only with evidence         +5  (not for the same partner's own registration)
    both domains present, different and not the same brand     -20

So an identical domain alone is a conflict (60), and so is one brand's pair of country sites (50); an identical
normalized name alone is one (55), and so is one group's pair of entities; a similar name (0.80-0.95) needs
overlapping products and/or a live protection; a different domain on both sides outweighs everything but a
near-identical name with overlapping, protected products (55 - 20 + 10 + 5 = 50). Every term is non-decreasing in
its evidence, so more evidence never lowers the score.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from urllib.parse import urlsplit

from cleanco import prepare_default_terms
from publicsuffixlist import PublicSuffixList
from rapidfuzz import fuzz

from prm_app.deals.matching.kana import sound_reason, split_japanese_suffixes
from prm_app.deals.matching.multinational import same_brand, shared_core
from prm_app.deals.matching.vocabulary import FREE_MAIL_DOMAINS, GENERIC_WORDS

REGISTRATION = "registration"
DIRECT_ACCOUNT = "direct_account"
CONFLICT_THRESHOLD: int = 50

SAME_DOMAIN_POINTS = 60
SAME_BRAND_POINTS = 50
SOUND_POINTS = 35  # a kana name and a Latin one that sound alike (kana.py): a weak sign, never a conflict alone
NAME_MIN_SIMILARITY = 80  # hundredths
NAME_POINTS_AT_MIN = 30
NAME_POINTS_AT_MAX = 55
PRODUCT_POINTS_MAX = 10
PROTECTED_POINTS = 5
DIFFERENT_DOMAIN_POINTS = -20


BLOCKING_PREFIX_LENGTH = 6
BLOCKING_TOKEN_MAX = 24  # keys stay short: "t:" / "p:" / "n:" + at most 24 characters

# Legal forms written in CJK scripts, glued to the name without a space (トヨタ自動車株式会社, 腾讯有限公司).
# Longest first, so 股份有限公司 goes whole rather than leaving 股份.
_CJK_LEGAL_FORMS = tuple(
    sorted(
        "股份有限公司 有限责任公司 有限公司 株式会社 有限会社 合同会社 合資会社 合名会社".split()
        + "주식회사 유한회사 유한책임회사".split(),
        key=lambda form: (-len(form), form),
    )
)
# Spelled-out forms cleanco only knows abbreviated.
_EXTRA_LEGAL_FORMS = (
    "kabushiki kaisha",
    "kabushiki gaisha",
    "godo kaisha",
    "yugen kaisha",
    "sociedad anonima",
    "sociedad limitada",
    "societe anonyme",
    "aktiengesellschaft",
    "tbk",  # Indonesian "Terbuka" (listed)
    "sp k",  # Polish "sp.k." and "sp.j." (after "Sp. z o.o." they follow it)
    "sp j",
    "株",  # what remains of (株) / ㈱ once the brackets are gone
)
# The few forms written before the name: "Kabushiki Kaisha Toshiba", "(株)グーグル", "PT Bank Central Asia",
# "ООО Ромашка".
_LEADING_LEGAL_FORMS: tuple[tuple[str, ...], ...] = (
    ("kabushiki", "kaisha"),
    ("kabushiki", "gaisha"),
    ("株",),
    ("pt",),
    ("ооо",),  # Russian forms come first: ООО «Ромашка»
    ("зао",),
    ("оао",),
    ("пао",),
    ("ао",),
    *((form,) for form in _CJK_LEGAL_FORMS),
)
_CONNECTORS = frozenset({"and", "und", "et", "y", "e"})

_APOSTROPHES = re.compile(r"['’ʼ`]")
_ACCENTS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_LETTERS_NOT_DECOMPOSED = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                                         "ı": "i", "ħ": "h", "ŧ": "t", "ŀ": "l"})  # fmt: skip
_ABBREVIATION = re.compile(r"\b\w(?:[./]\w)+\b\.?")  # s.a. / u.s.a / a/s -> sa / usa / as
_GLUED_AMPERSAND = re.compile(r"(?<=\w)&(?=\w)")  # at&t -> att, but "smith & co" -> "smith and co"
_WEB_SUFFIX = re.compile(r"(?<=\w)\.(?:com|net|org|io|ai|co)\b")  # "Amazon.com, Inc." -> "amazon"
_NOT_WORD = re.compile(r"[\W_]+")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_DAY = timedelta(days=1)


def _tokens(text: str) -> list[str]:
    """Casefolded, accent-free, punctuation-free words of `text` (scripts without accents are kept as they are)."""
    text = _APOSTROPHES.sub("", text.casefold())
    text = _ACCENTS.sub("", unicodedata.normalize("NFKD", text)).translate(_LETTERS_NOT_DECOMPOSED)
    text = unicodedata.normalize("NFC", text)  # recompose what was not an accent (Hangul, kana voicing marks)
    text = _WEB_SUFFIX.sub("", text)
    text = _ABBREVIATION.sub(lambda m: m.group(0).replace(".", "").replace("/", ""), text)
    text = _GLUED_AMPERSAND.sub("", text).replace("&", " and ")
    return _NOT_WORD.sub(" ", text).split()


def _legal_forms() -> dict[int, frozenset[tuple[str, ...]]]:
    """cleanco's legal-form terms (plus a few spelled-out ones) tokenized like names, grouped by word count."""
    forms = {tuple(_tokens(" ".join(parts))) for _, parts in prepare_default_terms()}
    forms |= {tuple(_tokens(form)) for form in (*_EXTRA_LEGAL_FORMS, *_CJK_LEGAL_FORMS)}
    by_size: dict[int, set[tuple[str, ...]]] = {}
    for form in forms:
        if form:
            by_size.setdefault(len(form), set()).add(form)
    return {size: frozenset(by_size[size]) for size in sorted(by_size, reverse=True)}


_LEGAL_FORMS = _legal_forms()


def _strip_cjk_legal_form(token: str) -> str:
    for form in _CJK_LEGAL_FORMS:
        if len(token) > len(form):
            if token.endswith(form):
                return token[: -len(form)]
            if token.startswith(form):
                return token[len(form) :]
    return token


def normalize_company_name(name: str) -> str:
    """The comparable form of a company name: casefolded, accents and punctuation removed, spaces collapsed,
    trailing legal forms (cleanco's list: Inc, Ltd, LLC, GmbH, S.A., KK, Pty Ltd, Co. Ltd, ..., and the CJK
    forms such as 株式会社), a few leading ones (Kabushiki Kaisha, (株), 株式会社, PT), a web suffix glued to the name
    ("Amazon.com") and a leading "the" removed; group and country words glued to a Japanese name set apart
    (kana.split_japanese_suffixes: "ブランドジャパン合同会社" -> "ブランド ジャパン"). Never removes the last
    remaining word: "The" stays "the", "Limited" stays "limited".

    "ACME, Inc.", "Acme Incorporated" and "ACME Corp." all give "acme"; "" and whitespace give "".
    """
    tokens = [t for t in (_strip_cjk_legal_form(t) for t in _tokens(name or "")) if t]
    for form in _LEADING_LEGAL_FORMS:
        if len(tokens) > len(form) and tuple(tokens[: len(form)]) == form:
            del tokens[: len(form)]
            break
    stripped = True
    while stripped and len(tokens) > 1:  # repeat: "Co., Ltd." and "GmbH & Co. KG" are several forms in a row
        stripped = False
        for size, forms in _LEGAL_FORMS.items():
            if size < len(tokens) and tuple(tokens[-size:]) in forms:
                del tokens[-size:]
                if len(tokens) > 1 and tokens[-1] in _CONNECTORS:  # "smith and co" -> "smith"
                    del tokens[-1]
                stripped = True
                break
    if len(tokens) > 1 and tokens[0] == "the":
        del tokens[0]
    return split_japanese_suffixes(" ".join(tokens))


@cache
def _public_suffix_list() -> PublicSuffixList:
    # The list bundled with the package (no download). Unknown TLDs are rejected, so typos like "acme.cmo" and
    # private names like "acme.local" give "". Private-section suffixes count: two shops on myshopify.com or two
    # sites on github.io are different customers.
    return PublicSuffixList(accept_unknown=False)


def _host_of(value: str) -> str:
    text = value.strip()
    if "<" in text and ">" in text:  # "Jo Smith <jo@acme.com>"
        text = text[text.rfind("<") + 1 : text.rfind(">")]
    if "://" not in text:
        text = "//" + text.rsplit("@", 1)[-1]  # a host, a host with a path, or an e-mail address
    try:
        return (urlsplit(text).hostname or "").rstrip(".")
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return ""


def free_mail_host(value: str) -> str:
    """The free-mail provider a URL, host or e-mail address points at ("gmail.com" for "jo@gmail.com" or
    "www.gmail.com"), or "" when it is not one: so a form can say "free-mail" only when that is the reason."""
    host = (_host_of(value) if isinstance(value, str) else "").lower().removeprefix("www.")
    return host if host in FREE_MAIL_DOMAINS else ""


def registrable_domain(value: str) -> str:
    """The registrable domain ("acme.co.uk") of a URL, a host or an e-mail address, by the Public Suffix List
    bundled with publicsuffixlist (no network). Internationalized names come back in punycode.

    Returns "" for free-mail providers (FREE_MAIL_DOMAINS), IP addresses, localhost, unknown top-level domains,
    a bare public suffix ("co.uk") and anything that is not a valid host name.
    """
    host = _host_of(value) if isinstance(value, str) else ""
    if not host:
        return ""
    try:
        ipaddress.ip_address(host)
        return ""
    except ValueError:
        pass
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return ""
    labels = host.split(".")
    if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels) or labels[-1].isdigit():
        return ""
    domain = _public_suffix_list().privatesuffix(host)
    if not domain or domain in FREE_MAIL_DOMAINS:
        return ""
    return domain


def blocking_keys(name_norm: str) -> list[str]:
    """At most 3 short keys (sorted, no duplicates) such that two spellings of the same customer share one.

    - "t:<first significant token>": the first word that is not generic (GENERIC_WORDS) and not a single
      character. "acme software" and "acme software labs" share "t:acme".
    - "p:<first 6 characters of the space-less name, from that token on>": catches spacing variants,
      "northwind traders" and "north wind traders" share "p:northw".
    - "n:<whole space-less name>", only when every word is generic ("global solutions"): matches exact
      duplicates only, so it stays selective.

    Trade-off: recall is traded for selectivity. Generic words never start a key, so a check never reads the
    thousands of "Global ..." or "... Solutions" rows; a 6-character prefix is more selective than 5 ("inter",
    "trans", "north" start many names) at no cost for spacing variants. Missed on purpose: a typo in the first
    significant word ("Acne Foods"), a spacing variant whose first part is generic ("data dog" / "datadog"), or
    a reordered name ("generale societe"). Those are found only through a shared domain, which the database
    searches as well. Keys are at most 26 characters. "" gives [].
    """
    tokens = name_norm.split()
    start = next((i for i, t in enumerate(tokens) if len(t) > 1 and t not in GENERIC_WORDS), None)
    if start is None:
        return [f"n:{''.join(tokens)[:BLOCKING_TOKEN_MAX]}"] if tokens else []
    rest = "".join(tokens[start:])
    keys = {f"t:{tokens[start][:BLOCKING_TOKEN_MAX]}", f"p:{rest[:BLOCKING_PREFIX_LENGTH]}"}
    return sorted(keys)


def _similarity_hundredths(a_norm: str, b_norm: str) -> int:
    if not a_norm or not b_norm:
        return 0
    if a_norm == b_norm:
        return 100
    score = max(fuzz.token_sort_ratio(a_norm, b_norm), fuzz.ratio(a_norm.replace(" ", ""), b_norm.replace(" ", "")))
    return int(score + 0.5)  # half up, not Python's half-to-even


def name_similarity(a_norm: str, b_norm: str) -> float:
    """Similarity of two normalized names in 0..1, rounded to 2 decimals: the better of rapidfuzz's
    token_sort_ratio (word order ignored) and ratio on the space-less names (spacing ignored).
    Identical names give 1.0; an empty name gives 0.0."""
    return _similarity_hundredths(a_norm, b_norm) / 100


@dataclass(frozen=True)
class Subject:
    """The registration being checked."""

    name: str  # as typed
    name_norm: str  # normalize_company_name(name)
    domain: str  # registrable_domain(...) or ""
    product_ids: frozenset[int]
    registered_at: datetime | None  # None while not yet submitted


@dataclass(frozen=True)
class Existing:
    """A candidate the database found: another registration or a direct-sales account."""

    kind: str  # REGISTRATION or DIRECT_ACCOUNT
    id: int
    name: str  # as stored (shown in the reasons)
    name_norm: str
    domain: str
    product_ids: frozenset[int]
    registered_at: datetime | None  # submission time of a registration; None for direct accounts
    protected_until: datetime | None  # end of the protection period / the account's protection; None if none
    same_partner: bool  # the existing registration belongs to the subject's partner


@dataclass(frozen=True)
class Conflict:
    kind: str
    id: int
    score: int  # 0..100
    reasons: tuple[str, ...]
    protected: bool  # protected_until is not None and > now


def _utc(moment: datetime) -> datetime:
    # Naive datetimes are taken as UTC (how the database stores them), so naive and aware never meet.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _how_long_before(later: datetime, earlier: datetime) -> str:
    delta = _utc(later) - _utc(earlier)
    days, word = (delta // _DAY, "earlier") if delta >= timedelta(0) else ((-delta) // _DAY, "later")
    if days == 0:
        return f"less than a day {word}"
    return f"{days} day{'' if days == 1 else 's'} {word}"


def _claim_reason(subject: Subject, existing: Existing, now: datetime, protected: bool) -> str:
    if existing.kind == DIRECT_ACCOUNT:
        return "direct-sales account, protected" if protected else "direct-sales account"
    if existing.same_partner:
        return "registered by the same partner"
    when = ""
    if existing.registered_at is not None:
        when = " " + _how_long_before(subject.registered_at or now, existing.registered_at)
    return f"registered{when} by another partner" + (", still protected" if protected else "")


def assess(subject: Subject, existing: Existing, now: datetime) -> Conflict | None:
    """Score how likely `existing` claims the same customer as `subject` (see the table in the module docstring).

    Returns None below CONFLICT_THRESHOLD. Deterministic: the same inputs give an equal Conflict, with reasons
    in this fixed order: same domain or same brand label, name similarity or the same name without country/group
    words, product overlap, the existing claim (who, when, protection), different domains. Days are whole days
    from the subject's submission (or `now` while it is a draft) back to the existing registration's. A
    registration of the subject's own partner is still reported (a duplicate) and says so; its protection adds
    nothing, since protection only holds against others.
    Raises ValueError for an unknown `existing.kind`.
    """
    if existing.kind not in (REGISTRATION, DIRECT_ACCOUNT):
        raise ValueError(f"unknown kind of existing claim: {existing.kind!r}")
    score = 0
    reasons: list[str] = []

    same_domain = bool(subject.domain) and subject.domain == existing.domain
    if same_domain:
        score += SAME_DOMAIN_POINTS
        reasons.append(f"same normalized domain {existing.domain}")
    one_brand = same_brand(subject.domain, existing.domain)
    if one_brand:
        score += SAME_BRAND_POINTS
        reasons.append(f"same brand label on {subject.domain} and {existing.domain}")

    similarity = _similarity_hundredths(subject.name_norm, existing.name_norm)
    core = shared_core(subject.name_norm, existing.name_norm) if similarity < 100 else ""
    similar_name = similarity >= NAME_MIN_SIMILARITY or bool(core)
    if core:  # one group's entities: as good as the same name
        score += NAME_POINTS_AT_MAX
        reasons.append(f"same company name '{core}' without country/group words")
    elif similar_name:
        span = NAME_POINTS_AT_MAX - NAME_POINTS_AT_MIN
        score += NAME_POINTS_AT_MIN + (similarity - NAME_MIN_SIMILARITY) * span // (100 - NAME_MIN_SIMILARITY)
        reasons.append(f"name similarity {similarity / 100:.2f} to '{existing.name.strip() or existing.name_norm}'")

    sound = "" if similar_name else sound_reason(subject.name_norm, existing.name_norm)
    if sound:  # one name in two scripts, perhaps: weaker than a name match, so it needs other evidence beside it
        score, reasons = score + SOUND_POINTS, [*reasons, sound]

    evidence = same_domain or one_brand or similar_name or bool(sound)
    overlap = len(subject.product_ids & existing.product_ids)
    if evidence and overlap:
        total = len(subject.product_ids)
        score += (PRODUCT_POINTS_MAX * overlap * 2 + total) // (2 * total)  # rounded half up
        reasons.append(f"{overlap} of {total} products overlap")

    protected = existing.protected_until is not None and _utc(existing.protected_until) > _utc(now)
    if evidence and protected and not (existing.kind == REGISTRATION and existing.same_partner):
        score += PROTECTED_POINTS
    reasons.append(_claim_reason(subject, existing, now, protected))

    if subject.domain and existing.domain and subject.domain != existing.domain and not one_brand:
        score += DIFFERENT_DOMAIN_POINTS
        reasons.append(f"different domains {subject.domain} and {existing.domain}")

    score = max(0, min(100, score))
    if score < CONFLICT_THRESHOLD:
        return None
    return Conflict(kind=existing.kind, id=existing.id, score=score, reasons=tuple(reasons), protected=protected)
