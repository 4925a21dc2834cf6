"""One application for a reviewer: what the company sent (every value shown as text), the qualification score with
each criterion's points and reason, adjustments with their note, who and when, the reviewers' own fields, and the
decision: approve (provisions the partner), reject with a reason, or decline for good."""

from __future__ import annotations

import reflex as rx

from prm_app.recruitment.rules import CRITERIA, REJECT_REASONS
from prm_app.recruitment.ui.application_state import ApplicationState
from prm_app.web.components.confirm import confirm_button
from prm_app.web.components.forms import field_error, labelled
from prm_app.web.layout import record_heading, record_page
from prm_app.web.registry import Audience, page


def _facts(items: rx.Var) -> rx.Component:
    return rx.el.dl(
        rx.foreach(
            items,
            lambda f: rx.el.div(rx.el.dt(f.label, font_weight="600"), rx.el.dd(f.value, margin="0"), class_name="fact"),
        ),
        class_name="facts",
        display="grid",
        grid_template_columns="repeat(auto-fill, minmax(15rem, 1fr))",
        gap="0.75rem 1.5rem",
        width="100%",
        margin="0",
    )


def _score() -> rx.Component:
    s = ApplicationState
    return rx.card(
        rx.heading("Qualification score: ", s.total, size="4", as_="h2", id="score-total"),
        rx.el.ul(
            rx.foreach(
                s.scores,
                lambda c: rx.el.li(
                    rx.text(rx.text.strong(c.label), ": ", c.points, ". ", c.reason),
                    rx.cond(c.adjusted != "", rx.text(c.adjusted, size="2", color_scheme="gray")),
                    id="criterion-" + c.key,
                ),
            ),
            class_name="score-list",
        ),
        rx.cond(
            s.can_decide,
            rx.form(
                rx.heading("Adjust a criterion", size="3", as_="h3"),
                rx.flex(
                    labelled(
                        s.errors,
                        "Criterion",
                        "criterion",
                        rx.el.select(
                            *[rx.el.option(label, value=key) for key, label in CRITERIA.items()],
                            id="field-criterion",
                            name="criterion",
                            class_name="native-select",
                        ),
                    ),
                    labelled(
                        s.errors,
                        "Points",
                        "points",
                        rx.input(id="field-points", name="points", type="number", size="3"),
                    ),
                    direction={"initial": "column", "sm": "row"},
                    spacing="3",
                    width="100%",
                ),
                labelled(s.errors, "Note (why)", "note", rx.text_area(id="field-note", name="note", rows="2")),
                rx.button("Save adjustment", type="submit"),
                on_submit=ApplicationState.adjust,
                reset_on_submit=False,
                aria_label="Adjust a criterion",
            ),
        ),
        width="100%",
    )


def _decide() -> rx.Component:
    s = ApplicationState
    return rx.card(
        rx.vstack(
            rx.heading("Decision", size="4", as_="h2"),
            field_error(s.errors, "action"),
            rx.cond(
                s.status == "Submitted", rx.button("Take into review", on_click=ApplicationState.take, variant="soft")
            ),
            rx.heading("Approve", size="3", as_="h3"),
            rx.text(
                "Creates the partner (the program's type, the lowest tier, the region of its country) and emails "
                "the contact an invitation as its partner admin.",
                size="2",
            ),
            rx.form(
                labelled(
                    s.errors,
                    "Channel manager of the new partner",
                    "channel_manager_id",
                    rx.el.select(
                        rx.el.option("Choose…", value=""),
                        rx.foreach(s.managers, lambda m: rx.el.option(m.label, value=m.value)),
                        id="field-channel_manager_id",
                        name="channel_manager_id",
                        class_name="native-select",
                    ),
                ),
                field_error(s.errors, "company"),
                rx.button("Approve and invite", type="submit", color_scheme="green", margin_top="0.5rem"),
                on_submit=ApplicationState.approve,
                reset_on_submit=False,
                aria_label="Approve",
            ),
            rx.divider(),
            rx.heading("Reject", size="3", as_="h3"),
            rx.text(
                "“Needs more detail” emails the applicant your note and a private link to edit and send it again.",
                size="2",
            ),
            rx.form(
                labelled(
                    s.errors,
                    "Reason",
                    "reason",
                    rx.el.select(
                        *[rx.el.option(t, value=v) for v, t in REJECT_REASONS.items()],
                        id="field-reason",
                        name="reason",
                        class_name="native-select",
                    ),
                ),
                labelled(
                    s.errors,
                    "Note to the applicant",
                    "reject-note",
                    rx.text_area(id="field-reject-note", name="note", rows="2"),
                ),
                rx.button("Reject", type="submit", color_scheme="red", margin_top="0.5rem"),
                on_submit=ApplicationState.reject,
                reset_on_submit=False,
                aria_label="Reject",
            ),
            rx.divider(),
            confirm_button(
                "Decline for good",
                title="Decline this application for good?",
                consequence="The company's domain can never apply again. The applicant is told by email.",
                on_confirm=ApplicationState.decline,
                variant="outline",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _reviewer_fields() -> rx.Component:
    s = ApplicationState
    return rx.card(
        rx.heading("Reviewers' fields", size="4", as_="h2"),
        rx.form(
            rx.foreach(
                s.reviewer_fields,
                lambda f, i: rx.box(
                    rx.el.label(f.label, html_for="rf-" + i.to(str), class_name="field-label"),
                    rx.input(id="rf-" + i.to(str), name=s.reviewer_keys[i], default_value=f.value, size="3"),
                ),
            ),
            field_error(s.errors, "fields"),
            rx.button("Save", type="submit", margin_top="0.5rem"),
            on_submit=ApplicationState.save_fields,
            reset_on_submit=False,
            aria_label="Reviewers' fields",
        ),
        width="100%",
    )


@page("/recruitment/application/[application_id]", title="Application", audience=Audience.INTERNAL,
      on_load=ApplicationState.load)  # fmt: skip
@record_page
def application_page() -> rx.Component:
    s = ApplicationState
    return rx.fragment(
        record_heading(s.title, [("Applications", "/recruitment")], "Application"),
        rx.cond(
            s.found,
            rx.vstack(
                _facts(s.facts),
                rx.cond(
                    s.answers.length() > 0,
                    rx.box(rx.heading("Program questions", size="4", as_="h2"), _facts(s.answers)),
                ),
                _score(),
                rx.cond(s.can_decide & (s.reviewer_fields.length() > 0), _reviewer_fields()),
                rx.cond(s.can_decide & s.is_open, _decide()),
                spacing="4",
                width="100%",
            ),
            rx.callout("Application not found.", icon="circle_alert", role="alert"),
        ),
    )
