"""The registration form's distribution fields: for a distributor, the reseller it registers for; for a reseller,
the distributor that will fulfil the deal and "do not share with this distributor". Shown only to partners that
have a reseller or a distributor; the use case checks every choice again (deals.distribution.check_fulfilment)."""

from __future__ import annotations

import reflex as rx

from prm_app.web.components.forms import field_error, labelled


def choice_select(errors: rx.Var, label: str, name: str, options: rx.Var, default: rx.Var | str) -> rx.Component:
    """A labelled native select of [[value, text], …] with its error beneath."""
    return labelled(
        errors,
        label,
        name,
        rx.el.select(
            rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0])),
            id=f"field-{name}",
            name=name,
            default_value=default,
            class_name="native-select",
        ),
    )


def distribution_fields(
    errors: rx.Var,
    resellers: rx.Var,  # [[id, name], …] with the "own company" choice first; [] when it distributes to nobody
    distributors: rx.Var,  # [[id, name], …] with the blank choice first; [] when it has no distributor
    required: rx.Var[bool],
    prefill: rx.Var,  # the form's DealPrefill
) -> rx.Component:
    return rx.cond(
        (resellers.length() > 0) | (distributors.length() > 0),
        rx.vstack(
            rx.heading("Distribution", size="4", as_="h2", margin_top="0.5rem"),
            rx.cond(
                resellers.length() > 0,
                rx.box(
                    choice_select(
                        errors, "Register this deal for", "for_organization_id", resellers, prefill.for_organization_id
                    ),
                    rx.text(
                        "A deal you register for a reseller is theirs and names you as its distributor; they are told.",
                        size="1",
                        color_scheme="gray",
                    ),
                    width="100%",
                ),
            ),
            rx.cond(
                distributors.length() > 0,
                rx.vstack(
                    choice_select(
                        errors,
                        "Distributor that will fulfil this deal",
                        "distributor_id",
                        distributors,
                        prefill.distributor_id,
                    ),
                    rx.text(rx.cond(required, "Required by the program.", "Optional."), size="1", color_scheme="gray"),
                    rx.el.label(
                        rx.el.input(
                            type="checkbox",
                            name="hide_from_distributor",
                            id="field-hide_from_distributor",
                            default_checked=prefill.hide_from_distributor == "on",
                            custom_attrs={"aria-describedby": "field-hide_from_distributor-error"},
                        ),
                        rx.text.span(" Do not share this deal with this distributor"),
                        class_name="check-row",
                    ),
                    rx.text(
                        "When ticked, the distributor's people cannot find this registration anywhere in the app.",
                        size="1",
                        color_scheme="gray",
                    ),
                    field_error(errors, "hide_from_distributor"),
                    spacing="1",
                    width="100%",
                ),
            ),
            spacing="3",
            width="100%",
        ),
    )
