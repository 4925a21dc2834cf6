"""The app's words in the person's language: a message catalogue per language, with CLDR plural rules.

Reflex has no i18n (reflex-dev/reflex#2339, #5908) and compiles literal strings into the static frontend, so the
words a page shows come from state: the web layer sends a language's *plain* messages to the browser once (see
`Catalogue.plain`) and pages read them by key; sentences with a count or a value in them are made on the server
(`Catalogue.text`, `Catalogue.plural`) by the handler that prepares the page's rows.

The catalogues are JSON files, one flat object of key -> message per language: the shared words beside this module
(`platform/locales/<code>.json`: the shell, sign-in, mail) and each business area's own beside its package
(`prm_app/<area>/locales/<code>.json`, keys under the area's prefix), read together as one catalogue; a key defined
in two files is an error, not a silent override. A
message is a string with `{named}` placeholders (str.format), or, when it depends on a count, an object of CLDR
plural categories (`one`, `few`, `many`, `other`...) -> string; which category a count takes is Babel's CLDR rule
for the language (`Locale.plural_form`), so Polish "1 plik / 2 pliki / 5 plików" needs no code, only its forms.
English is complete by definition; a key missing from another language reads in English (`missing` lists them,
and a test fails on any for the shipped languages).

Babel rather than Fluent: Babel is already installed for money and dates, its CLDR data gives the plural rules, and
flat JSON keeps the catalogues easy to diff and to check for missing keys and placeholders.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal

from prm_app.platform.places import country_name

DEFAULT_LANGUAGE = "en"
# The shipped languages, each under its own name (what the language select lists).
LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español", "ja": "日本語"}
# The regional formats each language is shown with (dates, numbers, money): the language's home region.
FORMAT_LOCALES: dict[str, str] = {"en": "en_GB", "de": "de_DE", "fr": "fr_FR", "es": "es_ES", "ja": "ja_JP"}

Message = str | Mapping[str, str]
_LOCALES = Path(__file__).with_name("locales")
_PACKAGE = Path(__file__).parent.parent
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def plural_category(language: str, count: int | Decimal) -> str:
    """The CLDR plural category of `count` in `language`: ("en", 1) -> "one", ("pl", 3) -> "few", ("pl", 5) ->
    "many", ("ja", 1) -> "other"."""
    return str(Locale.parse(language).plural_form(count))


def plural_categories(language: str) -> set[str]:
    """Every category a count can take in `language` ("other" always among them)."""
    return {*Locale.parse(language).plural_form.tags, "other"}


def show_count(count: int | Decimal, language: str) -> str:
    """A count as the language writes it: 1234 -> "1,234" (en), "1.234" (de), "1 234" (fr)."""
    return format_decimal(count, locale=FORMAT_LOCALES.get(language, language))


@dataclass(frozen=True)
class Catalogue:
    """One language's messages, falling back to `fallback` (English) for a key it lacks."""

    language: str
    messages: Mapping[str, Message]
    fallback: Catalogue | None = None

    def _find(self, key: str) -> tuple[Catalogue, Message]:
        if key in self.messages:
            return self, self.messages[key]
        if self.fallback is not None:
            return self.fallback._find(key)
        raise KeyError(key)

    def text(self, key: str, **params: object) -> str:
        """The message `key` with its placeholders filled: text("home.survey_open_until", day="31.03.2028")."""
        _, found = self._find(key)
        if not isinstance(found, str):
            raise TypeError(f"{key} depends on a count: use plural()")
        return found.format(**params) if params else found

    def plural(self, key: str, count: int | Decimal, **params: object) -> str:
        """The form of message `key` that fits `count` in this language ({count} shown as the language writes
        numbers): plural("home.team_size", 3) -> "3 active people in your team." Falls back to the "other" form,
        then to the fallback catalogue."""
        owner, found = self._find(key)
        if isinstance(found, str):
            raise TypeError(f"{key} has no plural forms: use text()")
        form = found.get(plural_category(owner.language, count)) or found["other"]
        return form.format(count=show_count(count, owner.language), **params)

    def plain(self) -> dict[str, str]:
        """Every message without a count (the fallback's filling the gaps): what the browser is sent."""
        below = self.fallback.plain() if self.fallback is not None else {}
        return {**below, **{k: v for k, v in self.messages.items() if isinstance(v, str)}}

    def missing(self, reference: Catalogue) -> list[str]:
        """What this catalogue lacks against `reference` (English), one line each: a key it does not have, a
        plural category of its language a counted message does not give, a message of the wrong kind, or one
        whose placeholders differ from the reference's. [] when complete."""
        found: list[str] = []
        for key, ref in reference.messages.items():
            mine = self.messages.get(key)
            if mine is None:
                found.append(f"{key}: missing")
            elif isinstance(ref, str) != isinstance(mine, str):
                found.append(f"{key}: {'a plain message' if isinstance(ref, str) else 'plural forms'} expected")
            elif isinstance(mine, str):
                if set(_PLACEHOLDER.findall(mine)) != set(_PLACEHOLDER.findall(str(ref))):
                    found.append(f"{key}: placeholders differ from {reference.language}")
            else:
                lacking = sorted(plural_categories(self.language) - set(mine))
                if lacking:
                    found.append(f"{key}: no {', '.join(lacking)} form")
        return found


@dataclass(frozen=True)
class Amount:
    """An amount of money in a sentence (Words' values), written as its reader's region writes money."""

    value: Decimal
    currency: str


@dataclass(frozen=True)
class Words:
    """A sentence not yet in any language: a catalogue key and its values, said in the reader's language when the
    reader is known (an error shown on a public page, an email to a person). `count` picks the plural form; a value
    that is itself Words is said in the same language ("Try again in {wait}" with wait = "5 minutes")."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)
    count: int | None = None

    def say(self, language: str, show: Callable[[object], str] = str) -> str:
        """The sentence in `language` (English filling gaps); `show` turns each value into text (a date in the
        reader's format), after Words values are said."""
        words = catalogue(language)
        filled = {k: v.say(language, show) if isinstance(v, Words) else show(v) for k, v in self.values.items()}
        if self.count is None:
            return words.text(self.key, **filled)
        return words.plural(self.key, self.count, **filled)

    @property
    def english(self) -> str:
        return self.say(DEFAULT_LANGUAGE)


def catalogue_files(language: str) -> list[Path]:
    """Every file holding `language`'s messages: the shared one first, then each area's, by area name."""
    areas = sorted(p for p in _PACKAGE.glob(f"*/locales/{language}.json") if p.parent != _LOCALES)
    return [_LOCALES / f"{language}.json", *areas]


def _read(language: str) -> dict[str, Message]:
    merged: dict[str, Message] = {}
    for path in catalogue_files(language):
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError(f"{path} is not an object of messages")
        twice = sorted(merged.keys() & data.keys())
        if twice:
            raise ValueError(f"{path} defines {', '.join(twice[:5])} again")
        merged.update(data)
    return merged


@functools.cache
def catalogue(language: str) -> Catalogue:
    """The catalogue of a shipped language (English for any other code), English filling its gaps."""
    language = supported(language)
    english = Catalogue(DEFAULT_LANGUAGE, _read(DEFAULT_LANGUAGE))
    return english if language == DEFAULT_LANGUAGE else Catalogue(language, _read(language), english)


@functools.cache
def plain_messages(language: str) -> dict[str, str]:
    """`catalogue(language).plain()`, made once per process."""
    return catalogue(language).plain()


def supported(code: str | None) -> str:
    """`code` if it is a shipped language ("de", or "de-AT" / "de_AT" by its language), else English."""
    base = re.split(r"[-_]", (code or "").strip().lower(), maxsplit=1)[0]
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def from_accept_language(header: str) -> str | None:
    """The shipped language a browser prefers most, from its Accept-Language header ("de-CH,de;q=0.9,en;q=0.8"
    -> "de"); None when it names none we ship (or says nothing)."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(header[:500].split(",")):
        tag, _, rest = part.strip().partition(";")
        quality = 1.0
        if rest.strip().startswith("q="):
            try:
                quality = float(rest.strip()[2:])
            except ValueError:
                continue
        try:
            language = Locale.parse(tag.strip(), sep="-").language if tag.strip() not in ("", "*") else ""
        except (ValueError, UnknownLocaleError):
            continue
        if language in LANGUAGES and quality > 0:
            ranked.append((-quality, i, language))
    return min(ranked)[2] if ranked else None


def reader_language(accept_language: str | None) -> str:
    """The language to show a reader nobody has signed in as (a public page): their browser's most preferred
    shipped language (its Accept-Language header), else English."""
    return from_accept_language(accept_language or "") or DEFAULT_LANGUAGE


def country_in(code: str, language: str) -> str | None:
    """A country's name in `language` from CLDR ("DE", "de" -> "Deutschland", "ja" -> "ドイツ"); None for English
    (platform/places.py's names are the house's) and for a code CLDR does not know."""
    if language == DEFAULT_LANGUAGE or language not in FORMAT_LOCALES:
        return None
    name = Locale.parse(FORMAT_LOCALES[language]).territories.get((code or "").strip().upper())
    return str(name) if name else None


def country_shown(code: str, language: str) -> str:
    """A country's name as a page or document in `language` writes it: CLDR's ("Deutschland"), else the house's
    English name (platform/places.py); "" for no country."""
    return country_in(code, language) or country_name(code)


def long_day(value: date, language: str) -> str:
    """A day written out in full, as a document in `language` dates itself: "15 March 2028", German "15. März 2028",
    Japanese "2028年3月15日" (a datetime gives its day)."""
    if language == DEFAULT_LANGUAGE:
        return f"{value.day} {value:%B %Y}"
    day_only = value.date() if isinstance(value, datetime) else value
    return format_date(day_only, "long", locale=FORMAT_LOCALES.get(language, language))
