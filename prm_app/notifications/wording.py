"""A notice's sentence kept so it can be said again in each reader's language: its Words (catalogue key, values,
count) as JSON on the notice, values tagged by type so a moment, a day or an amount comes back as one and is shown
in the reader's format (mail's `shown`, the same as the notice's email).

A notice without Words (written before they were kept, or by an area that gives none) reads as its English
`message`; so does any notice for an English reader, whose in-app text stays what it always was.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from prm_app.mail import shown
from prm_app.platform.i18n import DEFAULT_LANGUAGE, Amount, Words


def _value(value: object) -> object:
    if isinstance(value, Words):
        return {"words": _plain(value)}
    if isinstance(value, datetime):
        return {"at": value.isoformat()}
    if isinstance(value, date):
        return {"day": value.isoformat()}
    if isinstance(value, Amount):
        return {"amount": str(value.value), "currency": value.currency}
    return str(value)


def _plain(words: Words) -> dict[str, Any]:
    plain: dict[str, Any] = {"key": words.key, "values": {k: _value(v) for k, v in words.values.items()}}
    if words.count is not None:
        plain["count"] = words.count
    return plain


def words_json(words: Words | None) -> str | None:
    """The Words as the notice keeps them (None stays None)."""
    return None if words is None else json.dumps(_plain(words), ensure_ascii=False, sort_keys=True)


def _back(value: object) -> object:
    if isinstance(value, dict):
        if "words" in value:
            return _words(value["words"])
        if "at" in value:
            return datetime.fromisoformat(value["at"])
        if "day" in value:
            return date.fromisoformat(value["day"])
        if "amount" in value:
            return Amount(Decimal(value["amount"]), str(value["currency"]))
    return str(value)


def _words(plain: dict[str, Any]) -> Words:
    count = plain.get("count")
    values = {str(k): _back(v) for k, v in plain.get("values", {}).items()}
    return Words(str(plain["key"]), values, int(count) if count is not None else None)


def words_from_json(text: str | None) -> Words | None:
    """The Words a notice keeps; None when it keeps none, or what it keeps cannot be read (the English message
    is then shown, never an error)."""
    if not text:
        return None
    try:
        return _words(json.loads(text))
    except (ValueError, KeyError, TypeError, AttributeError, ArithmeticError):
        return None


def say_notice(message: str, words: Words | None, language: str, zone: str = "UTC") -> str:
    """The notice as a reader of `language` in `zone` reads it: its Words in that language (days and amounts in
    their format), else (English, or no Words) its message as written. A key the catalogue lost reads as the
    message too."""
    if words is None or language == DEFAULT_LANGUAGE:
        return message
    try:
        return shown(words, language, zone).strip()  # an empty last value ("… {note}") leaves no trailing space
    except (KeyError, TypeError, ValueError, IndexError):
        return message
