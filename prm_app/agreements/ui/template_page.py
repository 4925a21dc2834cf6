"""One agreement for the channel team: edit its draft, publish it as a new version (optionally requiring every
partner to accept it again), see its versions and who signed which one, with their signed copies."""

from __future__ import annotations

import reflex as rx

from prm_app.agreements.ui.pdf_link import pdf_link
from prm_app.agreements.ui.template_state import LANGUAGE_OPTIONS, MERGE_HINT, TYPES, TemplateState
from prm_app.partners import REGIONS
from prm_app.web.components.forms import field_error
from prm_app.web.components.tables import data_table, pager
from prm_app.web.layout import record_heading, record_page
from prm_app.web.registry import Audience, page


def _check(label: str, name: str, checked: rx.Var) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, default_checked=checked),
        " " + label,
        display="inline-flex",
        gap="0.35rem",
        align_items="center",
        margin_right="1rem",
    )


def _draft_form() -> rx.Component:
    e = TemplateState.errors
    return rx.form(
        rx.vstack(
            rx.heading("Draft", size="4", as_="h2"),
            rx.box(
                rx.el.label("Name", html_for="field-name", class_name="field-label"),
                rx.input(
                    id="field-name",
                    name="name",
                    default_value=TemplateState.name,
                    size="3",
                    width="100%",
                    custom_attrs={"aria-describedby": "field-name-error"},
                ),
                field_error(e, "name"),
                width="100%",
            ),
            rx.el.fieldset(
                rx.el.legend("Partner types (none ticked: every type)", class_name="field-label"),
                *[_check(label, f"type:{code}", TemplateState.types.contains(code)) for code, label in TYPES],
                field_error(e, "partner_types"),
                id="field-partner_types",
            ),
            rx.el.fieldset(
                rx.el.legend("Regions (none ticked: every region)", class_name="field-label"),
                *[_check(r, f"region:{r}", TemplateState.regions.contains(r)) for r in REGIONS],
                field_error(e, "regions"),
                id="field-regions",
            ),
            _agreement_text("Text", "body", TemplateState.body, "16"),
            rx.button("Save draft", type="submit"),
            spacing="3",
            width="100%",
        ),
        key=TemplateState.form_key,
        on_submit=TemplateState.save,
        reset_on_submit=False,
        no_validate=True,
        aria_label="Edit the draft",
    )


def _publish_form() -> rx.Component:
    e = TemplateState.errors
    return rx.form(
        rx.vstack(
            rx.heading("Publish the draft as a new version", size="4", as_="h2"),
            rx.text("A published version never changes. Version 1 is signed by every partner it applies to.", size="2"),
            field_error(e, "publish"),
            rx.el.label(
                rx.el.input(type="checkbox", name="requires_acceptance", id="field-requires_acceptance"),
                " Requires re-acceptance: partners who signed an earlier version must sign this one",
                html_for="field-requires_acceptance",
                display="flex",
                gap="0.5rem",
                align_items="center",
            ),
            rx.box(
                rx.el.label("Grace period in days (0: at once)", html_for="field-grace_days", class_name="field-label"),
                rx.input(
                    id="field-grace_days",
                    name="grace_days",
                    type="number",
                    default_value="0",
                    min="0",
                    max="365",
                    width="8rem",
                    custom_attrs={"aria-describedby": "field-grace_days-error"},
                ),
                field_error(e, "grace_days"),
            ),
            rx.button("Publish new version", type="submit", color_scheme="amber"),
            spacing="3",
            width="100%",
        ),
        on_submit=TemplateState.publish,
        reset_on_submit=False,
        no_validate=True,
        aria_label="Publish a new version",
    )


def _languages_form() -> rx.Component:
    """The latest published version's text in other languages: choose one, write or correct it, save."""
    e = TemplateState.errors
    return rx.vstack(
        rx.heading("Language versions of ", TemplateState.latest, size="4", as_="h2"),
        rx.text(
            "Partners sign the text in their language when this version has it, English otherwise. A language version "
            "can be corrected until a partner signs it.",
            size="2",
        ),
        rx.cond(
            TemplateState.language_rows.length() > 0,
            data_table(
                ["Language", "Saved", "Signed"],
                TemplateState.language_rows,
                lambda r: rx.table.row(rx.table.row_header_cell(r[0]), rx.table.cell(r[1]), rx.table.cell(r[2])),
                label="Language versions",
            ),
        ),
        rx.form(
            rx.vstack(
                rx.box(
                    rx.el.label("Language", html_for="field-language", class_name="field-label"),
                    rx.el.select(
                        *[rx.el.option(name, value=code) for code, name in LANGUAGE_OPTIONS],
                        id="field-language",
                        name="language",
                        value=TemplateState.translation_language,
                        on_change=TemplateState.choose_translation,
                        class_name="native-select",
                        custom_attrs={"aria-describedby": "field-language-error"},
                    ),
                    field_error(e, "language"),
                ),
                _agreement_text("Text in this language", "translation", TemplateState.translation_body, "12"),
                rx.button("Save language version", type="submit"),
                spacing="3",
                width="100%",
            ),
            key=TemplateState.translation_key,
            on_submit=TemplateState.save_translation,
            reset_on_submit=False,
            no_validate=True,
            aria_label="Language version",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def _versions() -> rx.Component:
    return data_table(
        ["Version", "Published", "By", "Acceptance", "SHA-256 of the text"],
        TemplateState.versions,
        lambda v: rx.table.row(
            rx.table.row_header_cell(v.number),
            rx.table.cell(v.published),
            rx.table.cell(v.by),
            rx.table.cell(v.reacceptance),
            rx.table.cell(rx.code(v.sha, size="1", word_break="break-all")),
        ),
        label="Versions",
    )


def _signatures() -> rx.Component:
    return rx.vstack(
        rx.heading("Who signed", size="4", as_="h2"),
        rx.text(TemplateState.coverage, size="2", weight="medium", id="coverage"),
        rx.text(
            TemplateState.signature_count,
            rx.cond(TemplateState.signature_count == 1, " signature", " signatures"),
            size="2",
        ),
        data_table(
            ["Partner", "Version", "Language", "Signed by", "Typed name", "Signed", "IP address", "Copy"],
            TemplateState.signatures,
            lambda s: rx.table.row(
                rx.table.row_header_cell(s.organization),
                rx.table.cell(s.version),
                rx.table.cell(s.language),
                rx.table.cell(s.signer),
                rx.table.cell(s.typed_name),
                rx.table.cell(s.signed),
                rx.table.cell(s.ip),
                rx.table.cell(pdf_link("PDF", s.pdf, f"PDF signed by {s.organization}, {s.version}")),
            ),
            label="Who signed",
        ),
        pager(TemplateState.page, TemplateState.pages, TemplateState.go_to),
        width="100%",
    )


@page("/agreements/[template_id]", title="Agreement", audience=Audience.INTERNAL, on_load=TemplateState.load)
@record_page
def agreement_template_page() -> rx.Component:
    return rx.vstack(
        record_heading(TemplateState.name, [("Agreements", "/agreements")], "Agreement"),
        rx.cond(
            TemplateState.found,
            rx.vstack(
                rx.cond(TemplateState.can_manage, rx.card(_draft_form(), width="100%")),
                rx.cond(TemplateState.can_manage, rx.card(_publish_form(), width="100%")),
                rx.cond(
                    TemplateState.can_manage & (TemplateState.latest != ""),
                    rx.card(_languages_form(), width="100%"),
                ),
                rx.heading("Versions", size="4", as_="h2"),
                _versions(),
                _signatures(),
                spacing="4",
                width="100%",
            ),
            rx.callout("There is no such agreement.", icon="circle_alert", color_scheme="gray", role="alert"),
        ),
        spacing="4",
        width="100%",
    )


def _agreement_text(label: str, name: str, value: rx.Var, rows: str) -> rx.Component:
    """An agreement's text field, with the merge fields it may use named under its label."""
    return rx.box(
        rx.el.label(label, html_for=f"field-{name}", class_name="field-label"),
        rx.text(MERGE_HINT, size="1", color_scheme="gray", id=f"{name}-hint"),
        rx.text_area(
            id=f"field-{name}",
            name=name,
            default_value=value,
            rows=rows,
            width="100%",
            custom_attrs={"aria-describedby": f"{name}-hint field-{name}-error"},
        ),
        field_error(TemplateState.errors, name),
        width="100%",
    )
