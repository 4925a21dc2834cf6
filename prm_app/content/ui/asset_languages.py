"""An asset's languages for the channel team (/content/<id>/languages): the language it was written in, and each
variant (its title, description and, optionally, a file of its own) to add, edit or remove. A language is used
once per asset: saving one the asset has changes that variant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from prm_app.content.storage import CONTENT_FILES, CONTENT_MAX_BYTES
from prm_app.content.ui.display import size_text
from prm_app.content.ui.uploader import UploadingState, upload_box
from prm_app.content.variants import asset_variants, remove_asset_variant, save_asset_variant
from prm_app.platform.access import Permission
from prm_app.platform.errors import FormInvalid, NotFound
from prm_app.platform.i18n import LANGUAGES
from prm_app.platform.variants import VariantText, languages_text
from prm_app.web.components.forms import field_error
from prm_app.web.components.language_versions import version_actions, version_fields
from prm_app.web.components.tables import data_table
from prm_app.web.layout import record_heading, record_page
from prm_app.web.registry import Audience, page
from prm_app.web.uploads_http import allow_upload


@dataclass(frozen=True)
class VariantRow:
    language: str
    name: str  # "German"
    title: str
    file: str  # "preisliste.pdf · 120 KB" or "The asset's own file"


class AssetLanguagesState(UploadingState):
    found: bool = True
    asset_id: int = 0
    title: str = ""
    own: str = ""  # "English (the asset's own)"
    codes: str = ""  # "EN · DE · JA"
    rows: list[VariantRow] = []
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    form_key: int = 0

    def _asset_id(self) -> int:
        parts = self.router.url.path.strip("/").split("/")
        return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else 0

    def _reload(self) -> None:
        try:
            view = self._run(asset_variants, self._asset_id())
        except NotFound:
            self.found, self.title = False, ""
            return
        self.found, self.asset_id, self.title = True, view.asset_id, view.title
        self.own = f"{LANGUAGES.get(view.own_language, view.own_language.upper())} (the asset's own language)"
        self.codes = languages_text(view.languages)
        self.rows = [
            VariantRow(
                v.language,
                LANGUAGES.get(v.language, v.language),
                v.title,
                f"{v.file_name} · {size_text(v.size)}" if v.file_name else "The asset's own file",
            )
            for v in view.variants
        ]
        self._variants = {v.language: (v.title, v.description) for v in view.variants}

    _variants: dict[str, tuple[str, str]] = {}

    @rx.event
    def load(self):
        self._forget_file()
        self.values, self.errors = {}, {}
        self._reload()
        self.form_key += 1

    @rx.event
    def edit(self, code: str):
        """Fill the form with the variant in `code`, to change it."""
        title, description = self._variants.get(code, ("", ""))
        self.values, self.errors = {"language": code, "title": title, "description": description}, {}
        self.form_key += 1

    @rx.event
    def save(self, form: dict[str, Any]):
        data = VariantText(
            str(form.get("language", ""))[:8], str(form.get("title", ""))[:300], str(form.get("description", ""))[:5000]
        )
        self.values = {"language": data.language, "title": data.title, "description": data.description}
        waiting = self._waiting()
        stored, digest = waiting if waiting else (None, "")
        try:
            replaced = self._run(save_asset_variant, self._asset_id(), data, stored, digest)
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        if replaced:
            CONTENT_FILES.delete(replaced)
        self._forget_file(delete=False)
        self.values, self.errors = {}, {}
        self._reload()
        self.form_key += 1
        return rx.toast.success(f"{LANGUAGES.get(data.language, data.language)} version saved.")

    @rx.event
    def remove(self, code: str):
        try:
            gone = self._run(remove_asset_variant, self._asset_id(), str(code)[:8])
        except NotFound:
            self._reload()
            return None
        if gone:
            CONTENT_FILES.delete(gone)
        self._reload()
        return rx.toast.success(f"{LANGUAGES.get(code, code)} version removed.")


allow_upload(AssetLanguagesState.upload_file, Permission.MANAGE_CONTENT, CONTENT_MAX_BYTES)
S = AssetLanguagesState


def _row(v: rx.Var[VariantRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(v.name),
        rx.table.cell(v.title),
        rx.table.cell(v.file),
        rx.table.cell(version_actions(S, v.language, v.name)),
    )


def _form() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Add or change a language", size="4", as_="h2"),
            rx.text(
                "A language the asset has already is changed, not added twice. Without a file of its own, readers "
                "of that language get the asset's own file.",
                size="2",
            ),
            upload_box(S, "content_variant_file", "Its own file (optional)"),
            field_error(S.errors, "file"),
            rx.form(
                rx.vstack(
                    *version_fields(S, "Description", "description", rows="4"),
                    rx.button("Save language version", type="submit"),
                    spacing="3",
                    width="100%",
                ),
                key=S.form_key,
                on_submit=S.save,
                reset_on_submit=False,
                aria_label="Language version",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _body() -> rx.Component:
    return rx.vstack(
        rx.text("Languages: ", rx.el.strong(S.codes), size="2"),
        rx.text(S.own, size="2", color_scheme="gray"),
        data_table(["Language", "Title", "File", ""], S.rows, _row, label="Language versions"),
        _form(),
        spacing="4",
        width="100%",
    )


@page("/content/[asset_id]/languages", title="Languages", audience=Audience.INTERNAL, on_load=S.load)
@record_page
def asset_languages_page() -> rx.Component:
    return rx.vstack(
        record_heading(S.title, [("Content", "/content")], "Languages"),
        rx.cond(S.found, _body(), rx.text("There is no such asset.")),
        width="100%",
    )
