"""One asset at its stable link, for anyone signed in who may see it: /a/<slug> shows the current version and
/a/<slug>/v/<n> a pinned one, with a banner when a newer version supersedes it. Images, PDFs and videos preview in
the page; everything visible downloads. A co-brand template downloads stamped with the partner's own details, with
the texts the manager left editable. Locked assets say from which tier they open; anything else is not found."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import reflex as rx

from prm_app.content.cobrand import template_zones
from prm_app.content.queries import asset_view
from prm_app.content.rules import FREE_TEXT_MAX, ZoneKind
from prm_app.content.service import note_view
from prm_app.content.ui.display import AssetShown, asset_shown
from prm_app.content.ui.file_http import cobrand_url
from prm_app.identity import with_zone
from prm_app.platform.errors import NotFound
from prm_app.platform.i18n import LANGUAGES
from prm_app.web.components.language_switch import LanguageChoice, language_choices, language_switch
from prm_app.web.language_state import t
from prm_app.web.layout import page_title, record_page
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState


@dataclass(frozen=True)
class EditableZone:
    name: str  # the query parameter: zone-<id>
    label: str
    text: str


def _address(path: str) -> tuple[str, int | None] | None:
    """(slug, pinned version) from /a/<slug> or /a/<slug>/v/<n>; None for anything else."""
    parts = path.strip("/").split("/")
    if len(parts) == 2 and parts[0] == "a":
        return parts[1], None
    if len(parts) == 4 and parts[0] == "a" and parts[2] == "v" and parts[3].isdigit() and int(parts[3]) > 0:
        return parts[1], int(parts[3])
    return None


class AssetPageState(AuthState):
    found: bool = True
    asset: AssetShown | None = None
    zones: list[EditableZone] = []
    cobrand_href: str = ""
    is_partner: bool = False
    languages: list[LanguageChoice] = []
    shown_language: str = "en"  # the <article lang> of the asset's own words

    @rx.event
    def load(self):
        asked = str(self.router.url.query_parameters.get("lang", ""))
        self._open(asked if asked in LANGUAGES else self.language, count=True)

    @rx.event
    def read_in(self, code: str):
        """Show the asset in another of its languages (the page's words stay in the person's)."""
        self._open(code if code in LANGUAGES else self.language, count=False)

    def _open(self, wanted: str, *, count: bool) -> None:
        self.asset, self.zones, self.found, self.languages = None, [], False, []
        where = _address(self.router.url.path)
        if where is None:
            return
        slug, n = where
        try:
            view, zone = self._run(with_zone, asset_view, slug, n, wanted)
        except NotFound:
            return
        self.found, self.asset = True, asset_shown(view, n is not None, zone, self.language)
        self.languages, self.shown_language = language_choices(view.language, view.languages), view.language
        self.is_partner = self._actor().is_partner
        if view.version is not None and count:
            self._run(note_view, slug, n)
        if view.is_cobrand and view.version is not None:
            zones = self._run(template_zones, slug)
            words = self._words()
            self.zones = [
                EditableZone(name=f"zone-{z.id}", label=words.text("content.text_on_page", page=z.page), text=z.text)
                for z in zones
                if z.kind == ZoneKind.FREE_TEXT and not z.locked
            ]
            self.cobrand_href = cobrand_url(slug)

    @rx.event
    def download_cobrand(self, form: dict):
        """Start the download of the partner's stamped copy with the texts typed (the file endpoint checks the
        session, the audience and the locked zones again)."""
        where = _address(self.router.url.path)
        if where is None or not self.cobrand_href:
            return None
        self._run(template_zones, where[0])  # still open to this person
        texts = {k: str(v)[:FREE_TEXT_MAX] for k, v in form.items() if k.startswith("zone-") and k[5:].isdigit()}
        query = ("?" + urlencode(texts)) if texts else ""
        return rx.download(url=self.cobrand_href + query, filename=f"{where[0]}-co-branded.pdf")


def _preview(a: rx.Var[AssetShown]) -> rx.Component:
    return rx.match(
        a.preview,
        (
            "image",
            rx.image(src=a.inline_src, alt=t("content.preview_of") + a.title, max_width="100%", max_height="70vh"),
        ),
        (
            "pdf",
            rx.el.iframe(
                src=a.inline_src,
                title=t("content.preview_of") + a.title,
                width="100%",
                height="640px",
                border="1px solid var(--gray-6)",
            ),
        ),
        (
            "video",
            rx.el.video(
                src=a.inline_src,
                controls=True,
                preload="metadata",
                width="100%",
                aria_label=t("content.video") + a.title,
            ),
        ),
        rx.fragment(),
    )


def _cobrand_form() -> rx.Component:
    s = AssetPageState
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(t("content.cobrand_copy"), size="4", as_="h2"),
                rx.text(t("content.cobrand_stamp")),
                rx.foreach(
                    s.zones,
                    lambda z: rx.box(
                        rx.el.label(z.label, html_for="field-" + z.name, class_name="field-label"),
                        rx.input(
                            id="field-" + z.name,
                            name=z.name,
                            default_value=z.text,
                            max_length=FREE_TEXT_MAX,
                            width="100%",
                        ),
                        width="100%",
                    ),
                ),
                rx.button(rx.icon("download", aria_hidden="true"), t("content.download_cobrand"), type="submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=s.download_cobrand,
            reset_on_submit=False,
            aria_label=t("content.cobrand_copy"),
        ),
        width="100%",
    )


def _body() -> rx.Component:
    s = AssetPageState
    a = s.asset.to(AssetShown)
    return rx.vstack(
        rx.cond(
            a.superseded,
            rx.callout(
                rx.text(t("content.superseded"), " ", rx.link(t("content.open_current"), href=a.current_href), "."),
                icon="history",
                color_scheme="amber",
                role="status",
                class_name="superseded-banner",
                width="100%",
            ),
        ),
        rx.box(page_title(a.title), lang=s.shown_language),
        language_switch(s.languages, AssetPageState.read_in, t("content.read_in")),
        rx.text(a.facts, size="2", color_scheme="gray"),
        rx.text(a.window, size="2", color_scheme="gray"),
        rx.cond(a.tags != "", rx.text(t("content.tags"), " ", a.tags, size="2", color_scheme="gray")),
        rx.text(a.description, white_space="pre-wrap", lang=s.shown_language),
        rx.cond(
            a.locked != "",
            rx.callout(
                a.locked,
                icon="lock",
                color_scheme="amber",
                width="100%",
            ),
            rx.cond(
                a.kind == "link",
                rx.link(
                    t("content.open_link"),
                    rx.icon("external-link", size=14, aria_hidden="true"),
                    href=a.link_url,
                    is_external=True,
                    rel="noopener noreferrer",
                ),
                rx.vstack(
                    rx.text(a.version_text, size="2"),
                    rx.cond(a.changelog != "", rx.text(t("content.what_changed"), " ", a.changelog, size="2")),
                    rx.cond(
                        s.is_partner & a.is_cobrand,
                        rx.fragment(_preview(a), _cobrand_form()),
                        # The button above the preview: in reach without scrolling past a 640 px PDF on any screen
                        # (and a click never lands on the PDF viewer's frame). A plain document load (react-router
                        # would route the file client-side), drawn as a button.
                        rx.fragment(
                            rx.button(
                                rx.el.a(
                                    rx.icon("download", aria_hidden="true"),
                                    t("content.download"),
                                    href=a.download_href,
                                    download="",
                                    reload_document=True,
                                ),
                                as_child=True,
                            ),
                            _preview(a),
                        ),
                    ),
                    spacing="3",
                    width="100%",
                ),
            ),
        ),
        spacing="3",
        width="100%",
    )


def _page() -> rx.Component:
    return rx.cond(
        AssetPageState.found,
        rx.cond(AssetPageState.asset, _body(), rx.text(t("content.opening"))),
        rx.vstack(
            page_title(t("content.not_found")),
            rx.text(t("content.not_found_text")),
            spacing="3",
        ),
    )


@page("/a/[slug]", title="Asset", audience=Audience.ANY, on_load=AssetPageState.load)
@record_page
def asset_page() -> rx.Component:
    return _page()


@page("/a/[slug]/v/[n]", title="Asset version", audience=Audience.ANY, on_load=AssetPageState.load)
@record_page
def asset_version_page() -> rx.Component:
    return _page()
