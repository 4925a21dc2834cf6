"""The header's search: each area finds its own records under its own scope rules; this only asks the areas the
person may use and puts the answers together. Nothing here widens what a list page would show them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from prm_app.deals import DealHit, find_deals
from prm_app.leads import LeadHit, find_leads
from prm_app.partners import DirectoryEntry, DirectoryQuery, PersonHit, find_people, search_partners
from prm_app.platform.access import Actor, Permission
from prm_app.platform.errors import ValidationError

MIN_LENGTH = 2  # one letter would match most of everything
MAX_LENGTH = 100
PER_KIND = 8  # hits shown of each kind; the list pages have the rest


@dataclass(frozen=True)
class SearchResults:
    text: str  # what was searched for, trimmed
    deals: tuple[DealHit, ...]
    leads: tuple[LeadHit, ...]
    partners: tuple[DirectoryEntry, ...]  # the vendor's people only
    people: tuple[PersonHit, ...]  # the vendor's people only

    @property
    def empty(self) -> bool:
        return not (self.deals or self.leads or self.partners or self.people)


def search_everything(session: Session, actor: Actor, text: str) -> SearchResults:
    """Everything matching `text` that `actor` may see, PER_KIND of each kind at most. ValidationError (on the
    field "q") below MIN_LENGTH characters."""
    text = " ".join((text or "").split())[:MAX_LENGTH]
    if len(text) < MIN_LENGTH:
        raise ValidationError(f"Type at least {MIN_LENGTH} characters to search.", "q")
    internal = actor.can(Permission.VIEW_PARTNERS)
    return SearchResults(
        text=text,
        deals=find_deals(session, actor, text, PER_KIND) if internal or actor.can(Permission.REGISTER_DEALS) else (),
        leads=find_leads(session, actor, text, PER_KIND) if internal or actor.can(Permission.WORK_LEADS) else (),
        partners=search_partners(session, actor, DirectoryQuery(search=text)).rows[:PER_KIND] if internal else (),
        people=find_people(session, actor, text, PER_KIND) if internal else (),
    )
