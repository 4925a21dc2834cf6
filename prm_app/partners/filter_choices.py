"""The directory's filter choices as value/label dicts: the shape the analytics dashboard reads today.

New code reads `directory_filter_options` (raw, typed) and labels it itself, as the partner directory page does
(prm_app/partners/ui/display.py). This wrapper goes once analytics has switched.
"""

from __future__ import annotations

from sqlmodel import Session

from prm_app.partners.labels import PARTNER_TYPE_LABELS
from prm_app.partners.queries import directory_filter_options
from prm_app.platform.access import Actor


def directory_options(session: Session, actor: Actor) -> dict[str, list[dict]]:
    """The choices for the directory's filters as {"types"|"tiers"|"regions"|"managers": [{"value", "label"}]},
    values as text (ids too), in the order of `directory_filter_options`. Internal users only."""
    options = directory_filter_options(session, actor)
    return {
        "types": [{"value": t.value, "label": PARTNER_TYPE_LABELS[t]} for t in options.types],
        "tiers": [{"value": str(t.id), "label": t.name} for t in options.tiers],
        "regions": [{"value": r, "label": r} for r in options.regions],
        "managers": [{"value": str(m.id), "label": m.name} for m in options.managers],
    }
