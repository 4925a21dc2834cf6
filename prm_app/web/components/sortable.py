"""An accessible drag-and-drop sortable list (dnd-kit), for the lead queue and any other ordered list.

The rows are rendered by ``assets/sortable_list.jsx`` from plain fields of each item (label, optional
sublabel, badge and link), so the Python side passes data, not components. Reordering works with the
mouse, touch and the keyboard (focus a row's "Move …" handle, Space, arrow keys, Space; Escape cancels)
and is announced to screen readers. The new order shows at once (optimistic) and ``on_reorder`` gets the
full list of item ids in their new order; when ``items`` changes on the server the list follows it.

Optional drop targets (e.g. partners) are shown as cards beside the list (below it in a narrow container,
the card list capped in height with its own scroll). Dropping a row on a card calls
``on_drop_target(item_id, target_id)`` instead of reordering. With the keyboard: pick a row up (Space),
ArrowRight moves it onto the first card, ArrowUp/ArrowDown choose a card, ArrowLeft goes back to the list,
Space drops, Escape cancels; screen readers hear "Dropped <item> on <target>.".

Usage::

    sortable_list(
        LeadQueueState.rows,                     # list[dict] with string "id" and "label"
        on_reorder=LeadQueueState.set_priority,  # def set_priority(self, ids: list[str])
        sublabel_key="company",
        badge_key="stage",
        aria_label="Lead queue, highest priority first",
        drop_targets=LeadQueueState.partners,    # list[dict]: "value" (id) and "label"
        target_id_key="value",
        on_drop_target=LeadQueueState.assign,    # def assign(self, lead_id: str, partner_id: str)
        drop_targets_label="Drop a lead on a partner to assign it",
    )
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import passthrough_event_spec

# Pinned together: @dnd-kit/sortable 10 needs @dnd-kit/core ^6.3 (and utilities ^3.2).
DND_KIT_PACKAGES = [
    "@dnd-kit/core@6.3.1",
    "@dnd-kit/sortable@10.0.0",
    "@dnd-kit/utilities@3.2.2",
]


class SortableList(rx.NoSSRComponent):
    """The React component in assets/sortable_list.jsx (copied to .web/public by Reflex).

    It imports its parts from assets/sortable/ with relative imports, which the frontend build resolves
    inside .web/public; its styles are in assets/app.css (the app's stylesheet), so pages need nothing else.
    """

    library = "$/public/sortable_list.jsx"
    tag = "SortableList"
    lib_dependencies: list[str] = DND_KIT_PACKAGES

    # The rows: dicts with a unique string id under `id_key` and text fields named by the *_key props.
    items: rx.Var[list[dict[str, Any]]]
    id_key: rx.Var[str]
    label_key: rx.Var[str]
    sublabel_key: rx.Var[str]
    badge_key: rx.Var[str]
    # A field holding a URL: the label becomes a link (in-app paths "/..." navigate client-side).
    href_key: rx.Var[str]
    # The accessible name of the <ol> (not `aria_label`: Reflex would render that as an HTML attribute).
    list_label: rx.Var[str]
    # The handle's accessible name is "<handle_prefix> <label>".
    handle_prefix: rx.Var[str]
    empty_text: rx.Var[str]
    # Show "1.", "2.", ... before each row (hidden from screen readers: the <ol> already numbers them).
    show_rank: rx.Var[bool]
    disabled: rx.Var[bool]
    # Pixels the pointer must move before a drag starts, so clicks stay clicks.
    activation_distance: rx.Var[int]

    # Any value; when it changes the list drops its local (optimistic) order and shows `items` again.
    # Bump it in an on_reorder handler that refuses the new order: Reflex sends no update for a var
    # whose value did not change, so without it the refused order would stay on screen.
    revision: rx.Var[int | str]

    # Optional drop targets: dicts with a string id under `target_id_key`, text under `target_label_key`
    # and, optionally, a second line under `target_sublabel_key`. Shown only while the list has rows
    # and is not disabled.
    drop_targets: rx.Var[list[dict[str, Any]]]
    target_id_key: rx.Var[str]
    target_label_key: rx.Var[str]
    target_sublabel_key: rx.Var[str]
    # The visible title of the targets (also the accessible name of their region).
    drop_targets_label: rx.Var[str]

    # Called after a drop that changed the order, with every item id in the new order.
    on_reorder: rx.EventHandler[passthrough_event_spec(list[str])]

    # Called when a row is dropped on a target, with (item id, target id); the order does not change.
    on_drop_target: rx.EventHandler[passthrough_event_spec(str, str)]


def sortable_list(
    items: rx.Var[list[dict[str, Any]]] | list[dict[str, Any]],
    on_reorder: Any = None,
    id_key: str = "id",
    label_key: str = "label",
    sublabel_key: str | None = None,
    aria_label: str = "Sortable list",
    *,
    badge_key: str | None = None,
    href_key: str | None = None,
    show_rank: bool | rx.Var[bool] = False,
    disabled: bool | rx.Var[bool] = False,
    handle_prefix: str = "Move",
    empty_text: str = "Nothing to sort.",
    revision: rx.Var[int] | rx.Var[str] | int | str | None = None,
    drop_targets: rx.Var[list[dict[str, Any]]] | list[dict[str, Any]] | None = None,
    on_drop_target: Any = None,
    drop_targets_label: str | rx.Var[str] = "Drop on a target",
    target_id_key: str = "id",
    target_label_key: str = "label",
    target_sublabel_key: str = "sublabel",
    **props: Any,
) -> rx.Component:
    """A list whose rows can be dragged (or moved with the keyboard) into a new order.

    Args:
        items: The rows, in their current order: dicts with a unique string id and a label.
        on_reorder: An event handler taking ``list[str]``: the full new order of ids.
        id_key: The field holding each row's id.
        label_key: The field holding the row's main text (also used in "Move <label>" and announcements).
        sublabel_key: A field with a second, smaller line of text, if any.
        aria_label: The accessible name of the list.
        badge_key: A field with short badge text shown at the row's end, if any.
        href_key: A field with a URL; the label becomes a link to it.
        show_rank: Show the position number before each row.
        disabled: Render the rows without letting them move.
        handle_prefix: The verb in the handle's accessible name.
        empty_text: Shown instead of the list when there are no items.
        revision: A state var to bump when on_reorder refuses an order, so the list snaps back.
        drop_targets: Cards to drop rows on (e.g. partners): dicts with an id and a label, shown beside
            the list (below it when narrow) while it has rows and is not disabled.
        on_drop_target: An event handler taking ``(item_id: str, target_id: str)``, called on a drop on a
            card (the order is left as it was).
        drop_targets_label: The visible title of the cards, also their region's accessible name.
        target_id_key: The field holding each target's id.
        target_label_key: The field holding each target's main text.
        target_sublabel_key: A field with a second, smaller line of text (used when present).
        **props: Passed to the component (e.g. id, class_name).

    Returns:
        The component.
    """
    kwargs: dict[str, Any] = {
        "items": items,
        "id_key": id_key,
        "label_key": label_key,
        "list_label": aria_label,
        "handle_prefix": handle_prefix,
        "empty_text": empty_text,
        "show_rank": show_rank,
        "disabled": disabled,
    }
    if sublabel_key:
        kwargs["sublabel_key"] = sublabel_key
    if badge_key:
        kwargs["badge_key"] = badge_key
    if href_key:
        kwargs["href_key"] = href_key
    if revision is not None:
        kwargs["revision"] = revision
    if on_reorder is not None:
        kwargs["on_reorder"] = on_reorder
    if drop_targets is not None:
        kwargs["drop_targets"] = drop_targets
        kwargs["drop_targets_label"] = drop_targets_label
        kwargs["target_id_key"] = target_id_key
        kwargs["target_label_key"] = target_label_key
        kwargs["target_sublabel_key"] = target_sublabel_key
    if on_drop_target is not None:
        kwargs["on_drop_target"] = on_drop_target
    return SortableList.create(**kwargs, **props)
