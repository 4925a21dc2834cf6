"""One agreement for the channel team: edit its draft, publish it as a new version (optionally requiring every
partner to accept it again), see its versions and who signed which one, with their signed copies."""

from __future__ import annotations

import reflex as rx

from prm_app.agreements import MERGE_FIELDS, publish_version, save_template, template_detail
from prm_app.agreements.ui.display import SignatureRow, VersionRow, signature_row, version_row
from prm_app.identity import with_zone
from prm_app.partners import PARTNER_TYPE_LABELS, REGIONS
from prm_app.platform.errors import FormInvalid, NotFound
from prm_app.web.components.forms import field_error
from prm_app.web.components.tables import data_table, pager
from prm_app.web.layout import record_heading, record_page
from prm_app.web.record import RecordActions
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState

TYPES = [(t.value, label) for t, label in PARTNER_TYPE_LABELS.items()]
MERGE_HINT = "Merge fields: " + ", ".join("{{" + f + "}}" for f in MERGE_FIELDS) + ". Markdown is allowed."


def _chosen(form: dict, prefix: str) -> list[str]:
    return [key[len(prefix) :] for key, value in form.items() if key.startswith(prefix) and value in ("on", True)]


class TemplateState(RecordActions, AuthState):
    found: bool = True
    name: str = ""
    body: str = ""
    types: list[str] = []
    regions: list[str] = []
    versions: list[VersionRow] = []
    signatures: list[SignatureRow] = []
    signature_count: int = 0
    coverage: str = ""  # "12 of 14 partners it applies to have signed the version they must"
    page: int = 1
    pages: int = 1
    can_manage: bool = False
    errors: dict[str, str] = {}
    form_key: int = 0  # bumped after a save, so the draft form shows what was stored
    _record_id: int = 0

    def _reload(self) -> None:
        try:
            detail, zone = self._run(with_zone, template_detail, self._record_id, self.page)
        except NotFound:
            self.found, self.name = False, ""
            return
        self.found, self.name, self.body = True, detail.name, detail.body
        self.types, self.regions = list(detail.partner_types), list(detail.regions)
        self.versions = [version_row(v, zone) for v in detail.versions]
        self.signatures = [signature_row(s, zone) for s in detail.signatures]
        self.signature_count, self.page, self.pages = detail.signature_count, detail.page, detail.pages
        self.can_manage = detail.can_manage
        self.coverage = (
            f"{detail.up_to_date} of {detail.partners} partners it applies to have signed the version they must."
            if detail.versions
            else f"Not published yet: it applies to {detail.partners} partners."
        )

    @rx.event
    def load(self):
        self.page = 1
        self._open_record()

    @rx.event
    def go_to(self, page: int):
        self.page = max(1, int(page)) if str(page).lstrip("-").isdigit() else 1
        self._reload()

    @rx.event
    def save(self, form: dict):
        try:
            self._run(
                save_template,
                self._record_id,
                name=str(form.get("name", ""))[:200],
                body=str(form.get("body", ""))[:60_000],
                partner_types=_chosen(form, "type:"),
                regions=_chosen(form, "region:"),
            )
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        self.errors = {}
        self._reload()
        self.form_key += 1
        return rx.toast.success("Draft saved. Partners see it once you publish it.")

    @rx.event
    def publish(self, form: dict):
        grace = str(form.get("grace_days", "0")).strip() or "0"
        if not grace.isdigit():
            self.errors = {"grace_days": "Give the grace period in whole days (0 for none)."}
            return None
        try:
            self._run(
                publish_version,
                self._record_id,
                requires_acceptance=form.get("requires_acceptance") in ("on", True),
                grace_days=int(grace),
            )
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success("Published. Partners it applies to now see the new version.")


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
            rx.box(
                rx.el.label("Text", html_for="field-body", class_name="field-label"),
                rx.text(MERGE_HINT, size="1", color_scheme="gray", id="body-hint"),
                rx.text_area(
                    id="field-body",
                    name="body",
                    default_value=TemplateState.body,
                    rows="16",
                    width="100%",
                    custom_attrs={"aria-describedby": "body-hint field-body-error"},
                ),
                field_error(e, "body"),
                width="100%",
            ),
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
            ["Partner", "Version", "Signed by", "Typed name", "Signed", "IP address", "Copy"],
            TemplateState.signatures,
            lambda s: rx.table.row(
                rx.table.row_header_cell(s.organization),
                rx.table.cell(s.version),
                rx.table.cell(s.signer),
                rx.table.cell(s.typed_name),
                rx.table.cell(s.signed),
                rx.table.cell(s.ip),
                rx.table.cell(
                    rx.el.a(
                        "PDF",
                        href=s.pdf,
                        download="signed-agreement.pdf",
                        reload_document=True,
                        aria_label=f"PDF signed by {s.organization}, {s.version}",
                    )
                ),
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
