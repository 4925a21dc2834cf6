"""Items in several languages (an asset, a course): which variant a reader gets, and what a variant's words must be.

A variant is one language's version of an item: its own title and description (and its own file or lesson texts,
which the item's area keeps). The item's own row is its variant in its own language; the others are rows of the
area's variant table, one per language. Pure rules, shared by every area with variants."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from prm_app.platform.errors import FormInvalid
from prm_app.platform.i18n import DEFAULT_LANGUAGE, LANGUAGES


def variant_language(wanted: str, available: Collection[str], own: str) -> str:
    """Which language variant of an item a reader gets: `wanted` (the person's language, or the one they switched
    to) when the item has it, else the program's default (English), else the item's own language `own` (an item
    first written in German and never translated)."""
    if wanted in available:
        return wanted
    return DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in available else own


def languages_text(codes: Collection[str]) -> str:
    """The languages an item has, for a list: {"ja", "en", "de"} -> "EN · DE · JA" (in the shipped order)."""
    order = list(LANGUAGES)
    ranked = sorted(set(codes), key=lambda c: (order.index(c) if c in order else len(order), c))
    return " · ".join(c.upper() for c in ranked)


@dataclass(frozen=True)
class VariantText:
    language: str
    title: str
    description: str = ""


def check_variant(data: VariantText, own: str, *, max_description: int = 4000) -> VariantText:
    """The variant's words cleaned, or FormInvalid by field: a shipped language other than the item's own (that one
    is edited with the item), a title of 3 to 160 characters, a description within `max_description`."""
    errors: dict[str, str] = {}
    title, description = data.title.strip(), data.description.strip()
    if data.language not in LANGUAGES:
        errors["language"] = "Choose a language."
    elif data.language == own:
        errors["language"] = f"{LANGUAGES[own]} is this item's own language: edit it with the item's details."
    if not 3 <= len(title) <= 160:
        errors["title"] = "Enter a title of 3 to 160 characters."
    if len(description) > max_description:
        errors["description"] = f"Keep the description under {max_description:,} characters."
    if errors:
        raise FormInvalid(errors)
    return VariantText(data.language, title, description)
