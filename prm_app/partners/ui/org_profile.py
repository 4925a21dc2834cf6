"""The organization's profile in the portal: its partner admin edits the address, website, phone and logo; its other
people read them. What routing knows about the partner (countries, verticals, capacity) is one link away, on the
Leads page, where the same admin sets it."""

from __future__ import annotations

from typing import Any

import reflex as rx

from prm_app.partners.labels import country_name
from prm_app.partners.logos import LOGOS
from prm_app.partners.org_profile import (
    OrgProfileView,
    check_org_editor,
    my_org_profile,
    remove_org_logo,
    set_org_logo,
    update_org_profile,
)
from prm_app.partners.rules import LOGO_MAX_BYTES, OrgProfileInput
from prm_app.partners.ui.logo_http import logo_url
from prm_app.platform.access import Permission
from prm_app.platform.errors import FormInvalid, ValidationError
from prm_app.web.components.drop_zone import drop_zone
from prm_app.web.components.forms import COUNTRY_OPTIONS, field, labelled
from prm_app.web.registry import Audience, Nav, page, url_for
from prm_app.web.state import AuthState
from prm_app.web.uploads_http import allow_upload

FIELDS = ("street", "city", "postal_code", "country", "website", "phone")
LOGO_INPUT = "org_logo"


class OrgProfileState(AuthState):
    org_name: str = ""
    can_edit: bool = False
    values: dict[str, str] = {}  # the stored values, as the form starts with them (the country as its code)
    country_label: str = ""  # the country's name, for reading
    city_line: str = ""  # "10115 Berlin", for reading
    logo_src: str = ""  # "" when there is no logo
    errors: dict[str, str] = {}
    logo_problem: str = ""
    revision: int = 0  # the form is redrawn with the stored values after loading and after each save
    uploading: bool = False

    def _show(self, view: OrgProfileView) -> None:
        self.org_name, self.can_edit = view.name, view.can_edit
        self.values = {name: getattr(view, name) for name in FIELDS}
        self.country_label = country_name(view.country) if view.country else ""
        self.city_line = " ".join(part for part in (view.postal_code, view.city) if part)
        self.logo_src = logo_url(view.id, view.logo_key)
        self.revision += 1

    @rx.event
    def load(self) -> None:
        self.errors, self.logo_problem, self.uploading = {}, "", False
        self._show(self._run(my_org_profile))

    @rx.event
    def save(self, form: dict[str, Any]):
        data = OrgProfileInput(**{name: str(form.get(name, ""))[:500] for name in FIELDS})
        try:
            view = self._run(update_org_profile, data)
        except FormInvalid as exc:
            self.errors = exc.errors
            return rx.set_focus(f"field-{next(iter(exc.errors))}")
        self.errors = {}
        self._show(view)
        return rx.toast.success("Organization profile saved.")

    @rx.event(background=True)
    async def upload_logo(self, chunks: rx.UploadChunkIterator):
        """The image streams into the logo storage (refused past the cap, checked by content), then becomes the
        organization's logo; the previous file goes once that is saved. The upload guard has already refused
        anyone without the team permission; the use cases check the partner admin again."""
        await self._run_in_thread(check_org_editor)
        async with self:
            self.uploading, self.logo_problem = True, ""
        try:
            stored = await LOGOS.receive(chunks)
        except ValidationError as exc:
            async with self:
                self.uploading, self.logo_problem = False, exc.message
            return None
        try:
            previous = await self._run_in_thread(set_org_logo, stored)
        except BaseException:
            LOGOS.delete(stored.key)
            async with self:
                self.uploading = False
            raise
        LOGOS.delete(previous)
        view = await self._run_in_thread(my_org_profile)
        async with self:
            self.uploading = False
            self.logo_src = logo_url(view.id, view.logo_key)
        return rx.toast.success("Logo saved.")

    @rx.event
    def remove_logo(self):
        LOGOS.delete(self._run(remove_org_logo))
        self.logo_src, self.logo_problem = "", ""
        return rx.toast.success("Logo removed.")


allow_upload(OrgProfileState.upload_logo, Permission.MANAGE_TEAM, LOGO_MAX_BYTES)


def _err(name: str) -> rx.Var:
    return OrgProfileState.errors.get(name, "")


def _start(name: str) -> rx.Var:
    return OrgProfileState.values.get(name, "")


def _form() -> rx.Component:
    two = {"initial": "column", "sm": "row"}
    return rx.form(
        rx.vstack(
            field("Street and number", "street", _err("street"), default_value=_start("street")),
            rx.flex(
                field(
                    "Postal code",
                    "postal_code",
                    _err("postal_code"),
                    default_value=_start("postal_code"),
                    required=False,
                ),
                field("City", "city", _err("city"), default_value=_start("city")),
                direction=two,
                gap="1rem",
                width="100%",
            ),
            labelled(
                OrgProfileState.errors,
                "Country",
                "country",
                rx.el.select(
                    *[rx.el.option(text, value=value) for value, text in COUNTRY_OPTIONS],
                    id="field-country",
                    name="country",
                    default_value=_start("country"),
                    class_name="native-select",
                    aria_describedby="field-country-error",
                ),
            ),
            rx.flex(
                field(
                    "Website",
                    "website",
                    _err("website"),
                    default_value=_start("website"),
                    required=False,
                    hint="e.g. https://example.com",
                ),
                field(
                    "Phone",
                    "phone",
                    _err("phone"),
                    type="tel",
                    default_value=_start("phone"),
                    required=False,
                    autocomplete="tel",
                ),
                direction=two,
                gap="1rem",
                width="100%",
            ),
            rx.button("Save profile", type="submit", size="3"),
            spacing="4",
            width="100%",
        ),
        on_submit=OrgProfileState.save,
        reset_on_submit=False,
        no_validate=True,
        aria_label="Organization profile",
        key=OrgProfileState.revision.to(str),  # redrawn with the stored values after a load or save
        width="100%",
    )


def _fact(label: str, value: rx.Var) -> rx.Component:
    return rx.box(
        rx.text(label, size="1", color_scheme="gray", weight="medium"),
        rx.text(rx.cond(value != "", value, "—"), size="3"),
    )


def _read_only() -> rx.Component:
    v = OrgProfileState.values
    return rx.vstack(
        _fact("Street and number", v.get("street", "")),
        _fact("Postal code and city", OrgProfileState.city_line),
        _fact("Country", OrgProfileState.country_label),
        _fact("Website", v.get("website", "")),
        _fact("Phone", v.get("phone", "")),
        rx.text("Your partner admin keeps this profile up to date.", size="1", color_scheme="gray"),
        spacing="3",
    )


def _logo() -> rx.Component:
    s = OrgProfileState
    upload = rx.vstack(
        drop_zone(
            LOGO_INPUT,
            "Logo image (PNG, JPEG or WebP, up to 1 MB)",
            {"image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"], "image/webp": [".webp"]},
        ),
        rx.text(s.logo_problem, id="field-logo-error", color_scheme="red", size="2", role="alert"),
        rx.hstack(
            rx.button(
                "Upload logo",
                type="button",
                on_click=s.upload_logo(rx.upload_files_chunk(upload_id=LOGO_INPUT)),
                loading=s.uploading,
            ),
            rx.cond(
                s.logo_src != "",
                rx.button("Remove logo", type="button", variant="soft", color_scheme="red", on_click=s.remove_logo),
            ),
            spacing="3",
            wrap="wrap",
        ),
        spacing="3",
        width="100%",
    )
    return rx.card(
        rx.heading("Logo", size="4", as_="h2", margin_bottom="0.75rem"),
        rx.cond(
            s.logo_src != "",
            rx.image(src=s.logo_src, alt=s.org_name.to(str) + " logo", max_height="6rem", max_width="100%"),
            rx.text("No logo yet.", color_scheme="gray"),
        ),
        rx.cond(s.can_edit, rx.box(upload, margin_top="0.75rem")),
        width="100%",
    )


@page(
    "/portal/organization",
    title="Organization profile",
    audience=Audience.PARTNER,
    on_load=OrgProfileState.load,
    nav=Nav("Organization", "building", 60),
)
def org_profile_page() -> rx.Component:
    return rx.vstack(
        rx.heading(OrgProfileState.org_name, size="5", as_="h2"),
        rx.grid(
            rx.card(
                rx.heading("Address and contact", size="4", as_="h2", margin_bottom="0.75rem"),
                rx.cond(OrgProfileState.can_edit, _form(), _read_only()),
            ),
            _logo(),
            columns={"initial": "1", "md": "2"},
            gap="1rem",
            width="100%",
        ),
        rx.text(
            "The countries you serve, your verticals and how many leads a month you can take are your ",
            rx.link("lead preferences", href=url_for("my_leads_page"), underline="always"),
            " on the Leads page: routing reads them when it chooses a partner for a lead.",
        ),
        rx.text(
            "The partner agreements your organization has signed, with a PDF copy of each, are on the ",
            rx.link("Agreement page", href="/agreement", underline="always"),
            ".",
        ),
        spacing="4",
        width="100%",
        max_width="64rem",
    )
