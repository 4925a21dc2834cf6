"""Display labels for the leads area's codes, in one place so every page says the same."""

from __future__ import annotations

from prm_app.leads.models import DECLINE_REASONS, LeadStatus
from prm_app.leads.vocabulary import VERTICALS
from prm_app.platform.i18n import DEFAULT_LANGUAGE, Catalogue, catalogue

# The words are the catalogue's (leads/locales): English here, the reader's language where a page knows it.
_ENGLISH = catalogue(DEFAULT_LANGUAGE)
LEAD_STATUS_LABELS: dict[LeadStatus, str] = {
    status: _ENGLISH.text(f"leads.status.{status.value}") for status in LeadStatus
}
# In the partner's own list an offer is news: it says so rather than "Offered".
NEW_OFFER = _ENGLISH.text("leads.status.new_offer")


def lead_status_label(status: LeadStatus, words: Catalogue | None = None) -> str:
    """The status as the pages name it, in `words`' language (the English labels above by default)."""
    return (words or _ENGLISH).text(f"leads.status.{status.value}")


def new_offer_label(words: Catalogue | None = None) -> str:
    return (words or _ENGLISH).text("leads.status.new_offer")


def vertical_words(vertical: str, words: Catalogue | None = None) -> str:
    """A canonical vertical in `words`' language ("retail" -> German "Einzelhandel"); as stored in English, and
    for a value outside the vocabulary."""
    if vertical not in VERTICALS:
        return vertical
    return (words or _ENGLISH).text(f"leads.vertical.{_slug(vertical)}")


def _slug(text: str) -> str:
    return text.lower().replace(" ", "_")


def vertical_key(vertical: str) -> str:
    return f"leads.vertical.{_slug(vertical)}"


# The decline reasons' catalogue keys (the reason itself, in English, is what is stored and sent).
DECLINE_REASON_KEYS: dict[str, str] = {r: f"leads.decline_reason.{_slug(r)}" for r in DECLINE_REASONS}


def vertical_label(vertical: str) -> str:
    """A canonical vertical ("financial services") as a choice in a list: "Financial Services"."""
    return vertical.title()


def source_label(source: str) -> str:
    """A canonical lead source ("inbound call") as a choice in a list: "Inbound Call"."""
    return source.title()
