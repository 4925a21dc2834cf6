"""A new asset: upload its file first (with a progress bar; refused files say why and keep nothing), then its
details and audience; publishing makes it version 1. `?kind=link` makes an outside link instead (no file). A PDF
may become a co-brand template, whose zones are placed on the asset's page."""

from __future__ import annotations

from typing import Any

import reflex as rx

from prm_app.audience import AudienceForm, AudienceOptions, audience_options
from prm_app.content.service import create_asset, entry_zone, read_audience
from prm_app.content.storage import CONTENT_MAX_BYTES
from prm_app.content.ui.asset_form import asset_fields, parse_details
from prm_app.content.ui.uploader import UploadingState, upload_box
from prm_app.platform.access import Permission
from prm_app.platform.errors import FormInvalid, ValidationError
from prm_app.platform.zones import zone_label
from prm_app.web.components.forms import form_error
from prm_app.web.registry import Audience, page
from prm_app.web.uploads_http import allow_upload

UPLOAD_ID = "content_new_file"


class NewAssetState(UploadingState):
    is_link: bool = False
    audience_form: AudienceForm = AudienceForm()
    audience_options: AudienceOptions = AudienceOptions()
    values: dict[str, str] = {}
    times_zone: str = ""  # the manager's zone, the one the publish and expiry times are read in
    errors: dict[str, str] = {}
    form_key: int = 0

    @rx.event
    def load(self):
        self.audience_options = self._run(audience_options)
        self.times_zone = zone_label(self._run(entry_zone))
        self._forget_file()
        self.is_link = self.router.url.query_parameters.get("kind") == "link"
        self.values, self.audience_form, self.errors = {"language": "en"}, AudienceForm(), {}
        self.form_key += 1

    @rx.event
    def create(self, form: dict[str, Any]):
        self.values = {k: str(v)[:5000] for k, v in form.items() if isinstance(v, str)}
        waiting = None if self.is_link else self._waiting()
        if not self.is_link and waiting is None:
            self.errors = {"file": "Upload the file first."}
            return rx.set_focus("field-file")
        try:
            data, rule = parse_details(form, lambda f: self._run(read_audience, f))
            stored, digest = waiting if waiting else (None, "")
            created = self._run(
                create_asset, data, rule, stored, sha256=digest, cobrand=form.get("cobrand") in ("on", True)
            )
        except FormInvalid as exc:
            self.errors = exc.errors
            return rx.set_focus(f"field-{next(iter(exc.errors))}")
        except ValidationError as exc:
            self.errors = {exc.field or "form": exc.message}
            return None
        self._forget_file(delete=False)  # it is version 1 now
        self.errors = {}
        return [rx.redirect(f"/content/{created.id}"), rx.toast.success("Asset published.")]


allow_upload(NewAssetState.upload_file, Permission.MANAGE_CONTENT, CONTENT_MAX_BYTES)


@page("/content/new", title="New asset", audience=Audience.INTERNAL, on_load=NewAssetState.load)
def new_asset_page() -> rx.Component:
    s = NewAssetState
    return rx.vstack(
        rx.cond(
            s.is_link,
            rx.text("An outside web address partners open from the library (https, not inside a private network)."),
            rx.vstack(
                rx.heading("1. The file", size="4", as_="h2"),
                upload_box(NewAssetState, UPLOAD_ID, "File"),
                rx.text(s.errors.get("file", ""), color_scheme="red", size="2", role="alert"),
                width="100%",
            ),
        ),
        rx.form(
            rx.vstack(
                rx.heading(rx.cond(s.is_link, "The link", "2. Details and audience"), size="4", as_="h2"),
                form_error(s.errors.get("form", "")),
                asset_fields(s.errors, s.values, s.audience_form, s.audience_options, s.times_zone, link=s.is_link),
                rx.cond(
                    ~s.is_link,
                    rx.el.label(
                        rx.el.input(type="checkbox", name="cobrand", id="field-cobrand"),
                        " Co-brand template (a PDF partners download stamped with their own details)",
                        display="inline-flex",
                        gap="0.35rem",
                        align_items="center",
                    ),
                ),
                rx.button("Publish asset", type="submit"),
                spacing="3",
                width="100%",
            ),
            key=s.form_key,
            on_submit=s.create,
            reset_on_submit=False,
            no_validate=True,
            aria_label="Asset details",
            width="100%",
        ),
        spacing="4",
        width="100%",
        max_width="52rem",
    )
