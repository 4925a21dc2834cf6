"""A form's draft, kept as the person types (assets/form_draft.jsx): put `form_draft_keeper(State.handler)` inside
an `rx.form`; when typing pauses the handler gets every field's value by name (a dict of text), and whatever it
does with them (prm_app/identity/drafts.py keeps them per person) is the page's affair. Nothing is sent while the
person types, only once they pause; a submit cancels a pending save."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import passthrough_event_spec


class FormDraftKeeper(rx.NoSSRComponent):
    """The React component in assets/form_draft.jsx (copied to .web/public by Reflex)."""

    library = "$/public/form_draft.jsx"
    tag = "FormDraftKeeper"

    delay_ms: rx.Var[int]  # the pause in typing after which the fields are sent
    on_save: rx.EventHandler[passthrough_event_spec(dict[str, str])]


def form_draft_keeper(on_save: Any, delay_ms: int = 1000) -> rx.Component:
    return FormDraftKeeper.create(on_save=on_save, delay_ms=delay_ms)
