"""The registration form's pieces: each field with its visible label and its message beneath (the one field-error
style of web/components/forms.py: announced, pointed at by the field, which is marked invalid meanwhile), the
product checkboxes, the close date that starts at today, and the draft's status. They take the page's vars as
arguments, so the page (deal_new.py) holds the state and the layout."""

from __future__ import annotations

import reflex as rx

from prm_app.deals.ui.deal_form import PRODUCT_FIELD
from prm_app.web.components.forms import field_error, labelled


def native_select(
    errors: rx.Var, label: str, name: str, options: list[tuple[str, str]], default: str | rx.Var = ""
) -> rx.Component:
    """A native <select> with its label and its message."""
    return labelled(
        errors,
        label,
        name,
        rx.el.select(
            *[rx.el.option(t, value=v) for v, t in options],
            id=f"field-{name}",
            name=name,
            default_value=default,
            class_name="native-select",
        ),
    )


def checked_field(
    errors: rx.Var, label: str, name: str, value: rx.Var[str], on_change: rx.EventHandler, placeholder: str = ""
) -> rx.Component:
    """A field the live conflict check follows. Debounced and controlled: the check runs when typing pauses; a
    lead's prefill lands in the same var. load() never blanks it (a late blank would overwrite typing), and a
    successful submit clears it for the next registration."""
    return labelled(
        errors,
        label,
        name,
        rx.debounce_input(
            rx.input(
                id=f"field-{name}",
                name=name,
                value=value,
                on_change=on_change,
                size="3",
                **({"placeholder": placeholder} if placeholder else {}),
            ),
            debounce_timeout=400,
        ),
    )


def products_fieldset(errors: rx.Var, products: rx.Var, ticked: rx.Var) -> rx.Component:
    """One checkbox per product (named product_<id>); `ticked` holds the ids ticked at the start."""
    return rx.el.fieldset(
        rx.el.legend("Products", class_name="field-label"),
        rx.grid(
            rx.foreach(
                products,
                lambda p: rx.el.label(
                    rx.el.input(
                        type="checkbox",
                        name=PRODUCT_FIELD + p.id,
                        id="product-" + p.id,
                        default_checked=ticked.contains(p.id),
                    ),
                    rx.text.span(" ", p.name, " ", rx.text.span("(", p.price, ")", color="var(--gray-11)")),
                    class_name="check-row",
                ),
            ),
            columns={"initial": "1", "sm": "2"},
            spacing="2",
        ),
        field_error(errors, "products"),
        class_name="fieldset",
        aria_describedby="field-products-error",
        id="field-products",
        tab_index=-1,
    )


def close_date(errors: rx.Var, today: rx.Var, default: rx.Var) -> rx.Component:
    """The expected close date: the browser's date picker starts at today (`min`), the rules say the same."""
    return labelled(
        errors,
        "Expected close date",
        "expected_close",
        rx.input(
            id="field-expected_close",
            name="expected_close",
            type="date",
            min=today,
            default_value=default,
            width="100%",
            size="3",
        ),
    )


def draft_status(has_draft: rx.Var, on_discard: rx.EventHandler) -> rx.Component:
    """Whether what is typed here is kept, and the way to throw it away."""
    return rx.hstack(
        rx.text(
            rx.cond(
                has_draft,
                "Draft saved. It stays here for you until you submit or discard it.",
                "Your entries are kept as a draft as you type.",
            ),
            size="2",
            color_scheme="gray",
            role="status",
        ),
        rx.cond(
            has_draft,
            rx.button(
                "Discard draft",
                type="button",
                variant="ghost",
                color_scheme="red",
                on_click=on_discard,
            ),
        ),
        align="center",
        wrap="wrap",
        spacing="3",
    )
