"""What the channel team's agreement page holds and does: the template's draft, versions and signatures (one page),
saving the draft and publishing it as a new version, each through the front door."""

from __future__ import annotations

import reflex as rx

from prm_app.agreements import (
    MERGE_FIELDS,
    OTHER_LANGUAGES,
    publish_version,
    save_language_version,
    save_template,
    template_detail,
)
from prm_app.agreements.ui.display import SignatureRow, VersionRow, signature_row, version_row
from prm_app.identity import with_zone
from prm_app.partners import PARTNER_TYPE_LABELS
from prm_app.platform.errors import FormInvalid, NotFound
from prm_app.platform.i18n import LANGUAGES
from prm_app.web.format import moment
from prm_app.web.record import RecordActions
from prm_app.web.state import AuthState

TYPES = [(t.value, label) for t, label in PARTNER_TYPE_LABELS.items()]
LANGUAGE_OPTIONS = [(code, LANGUAGES[code]) for code in OTHER_LANGUAGES]
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
    latest: str = ""  # "Version 3": the published version language versions are added to ("" before any)
    language_rows: list[list[str]] = []  # [language, updated, "2 signatures" / "Not signed yet"]
    translation_language: str = OTHER_LANGUAGES[0]
    translation_body: str = ""  # that language version's text, for editing ("" when it has none yet)
    translation_key: int = 0  # bumped when another language is chosen, so the text area shows its text
    _translations: dict[str, str] = {}
    _latest_id: int = 0
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
        latest = detail.versions[0] if detail.versions else None
        self._latest_id, self.latest = (latest.id, f"Version {latest.number}") if latest else (0, "")
        self._translations = {v.language: v.body for v in detail.languages}
        self.language_rows = [
            [LANGUAGES[v.language], moment(v.updated_at, zone),
             f"{v.signatures} signature{'s' if v.signatures != 1 else ''}: it can no longer change"
             if v.signatures else "Not signed yet: it can still be corrected"]
            for v in detail.languages
        ]  # fmt: skip
        self.translation_body = self._translations.get(self.translation_language, "")
        self.translation_key += 1
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

    @rx.event
    def choose_translation(self, code: str):
        """Edit the latest version's text in another language (its stored text, or an empty one to write). The
        language already being edited changes nothing: the text area keeps what the person typed (the new key would
        remount it, empty, and a text typed while the choice travelled to the server was lost)."""
        code = code if code in OTHER_LANGUAGES else OTHER_LANGUAGES[0]
        if code == self.translation_language:
            return
        self.translation_language = code
        self.translation_body = self._translations.get(self.translation_language, "")
        self.translation_key += 1
        self.errors = {}

    @rx.event
    def save_translation(self, form: dict):
        language = str(form.get("language", ""))[:8]
        try:
            self._run(
                save_language_version,
                self._latest_id,
                language=language,
                body=str(form.get("translation", ""))[:60_000],
            )
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        except NotFound:
            self.errors = {"translation": "Publish a version first, then add its text in other languages."}
            return None
        self.errors, self.translation_language = {}, language
        self._reload()
        return rx.toast.success(f"Saved. Partners who read {LANGUAGES[language]} now sign this text.")
