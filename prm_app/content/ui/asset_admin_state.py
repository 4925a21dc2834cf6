"""What the channel team's asset page holds and does: details and audience, versions with usage (new version,
roll back), preview as a partner with the rule's reasons, delete and restore, and the co-brand template's zones,
partners' readiness and bulk generation. Every handler goes through the front door."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from prm_app.audience import AudienceForm, AudienceOptions, AudienceRule, audience_options, form_of
from prm_app.content.cobrand import add_zone, remove_zone, template_partners, zones_of_asset
from prm_app.content.manage_queries import asset_detail, partner_options, why_not
from prm_app.content.rules import PROFILE_FIELDS, ZONE_LABELS, ZoneInput
from prm_app.content.service import add_version, delete_asset, read_audience, restore_asset, roll_back, update_asset
from prm_app.content.storage import CONTENT_MAX_BYTES
from prm_app.content.ui.asset_form import local_input, parse_details
from prm_app.content.ui.display import UsageLine, VersionLine, month_usage, partner_usage, version_line
from prm_app.content.ui.file_http import file_url
from prm_app.content.ui.uploader import UploadingState
from prm_app.identity import with_zone
from prm_app.platform.access import Permission
from prm_app.platform.errors import DomainError, FormInvalid, NotFound
from prm_app.platform.variants import languages_text
from prm_app.platform.zones import zone_label, zone_named
from prm_app.web.format import day
from prm_app.web.record import RecordActions
from prm_app.web.uploads_http import allow_upload


@dataclass(frozen=True)
class ZoneLine:
    id: int
    text: str  # "Page 1 · x 40, y 40 · 200 × 40 pt · Logo"


@dataclass(frozen=True)
class ReadyLine:
    name: str
    logo: str  # "Has a logo" | "No logo: company name as text"
    rendered: str


def _number(raw: Any, default: float = 0.0) -> float:
    try:
        return float(str(raw).replace(",", "."))
    except ValueError:
        return default


class AssetAdminState(RecordActions, UploadingState):
    found: bool = True
    title: str = ""
    slug: str = ""
    audience_text: str = ""
    is_cobrand: bool = False
    is_link: bool = False
    deleted_note: str = ""  # "Deleted; an admin can restore it until 6 Jan 2027."
    can_restore: bool = False
    values: dict[str, str] = {}
    times_zone: str = ""  # the zone the form's publish and expiry times are in: "Europe / Berlin"
    audience_form: AudienceForm = AudienceForm()
    audience_options: AudienceOptions = AudienceOptions()
    versions: list[VersionLine] = []
    partners: list[UsageLine] = []
    months: list[UsageLine] = []
    partner_choices: list[list[str]] = []  # [id, name]
    preview_answer: str = ""
    preview_reasons: list[str] = []
    zones: list[ZoneLine] = []
    ready: list[ReadyLine] = []
    missing_logos: int = 0
    template_src: str = ""
    errors: dict[str, str] = {}
    form_key: int = 0
    languages: str = ""  # "EN · DE · JA"
    languages_href: str = ""
    _record_id: int = 0

    def _reload(self) -> None:
        try:
            detail, zone = self._run(with_zone, asset_detail, self._record_id)
        except NotFound:
            self.found, self.title = False, ""
            return
        row = detail.row
        entered_in = zone_named(row.time_zone)
        self.found, self.title, self.slug, self.audience_text = True, row.title, row.slug, row.audience
        self.is_cobrand, self.is_link = row.is_cobrand, row.kind == "link"
        self.languages = languages_text(row.languages)
        self.languages_href = f"/content/{self._record_id}/languages"
        self.can_restore = self._actor().can(Permission.RESTORE_CONTENT)
        self.deleted_note = (
            f"Deleted. An admin can restore it until {day(detail.restore_until, zone)}." if detail.restore_until else ""
        )
        self.values = {
            "title": row.title, "description": detail.description, "category": row.category, "tags": detail.tags,
            "product": detail.product, "language": detail.language, "folder": detail.folder,
            "link_url": detail.link_url, "publish_at": local_input(row.publish_at, entered_in),
            "expire_at": local_input(row.expire_at, entered_in),
        }  # fmt: skip
        self.times_zone = zone_label(row.time_zone)
        self.audience_form = form_of(AudienceRule.from_json(detail.audience_json))
        self.versions = [version_line(u, row.current_n, row.slug, zone) for u in detail.versions]
        self.partners = [partner_usage(p) for p in detail.partners]
        self.months = [month_usage(m) for m in detail.months]
        self.form_key += 1
        self.zones, self.ready, self.template_src = [], [], ""
        if row.is_cobrand and not row.deleted_at:
            self._reload_template()

    def _reload_template(self) -> None:
        self.zones = [
            ZoneLine(
                id=z.id,
                text=f"Page {z.page} · x {z.x:g}, y {z.y:g} · {z.w:g} × {z.h:g} pt · {ZONE_LABELS.get(z.kind, z.kind)}"
                + (f": {PROFILE_FIELDS.get(z.binding, z.binding)}" if z.binding else "")
                + (f" “{z.text}”" if z.text else "")
                + (" (locked)" if z.locked else ""),
            )
            for z in self._run(zones_of_asset, self._record_id)
        ]
        readiness = self._run(template_partners, self._record_id)
        self.ready = [
            ReadyLine(
                name=p.name,
                logo="Has a logo" if p.has_logo else "No logo: company name as text",
                rendered="Generated" if p.rendered else "Not yet",
            )
            for p in readiness
        ]
        self.missing_logos = sum(not p.has_logo for p in readiness)
        self.template_src = file_url(self.slug, inline=True)

    @rx.event
    def load(self):
        self._forget_file()
        self.preview_answer, self.preview_reasons = "", []
        self.audience_options = self._run(audience_options)
        self.partner_choices = [[str(p.id), p.name] for p in self._run(partner_options)]
        self._open_record()

    @rx.event
    def save(self, form: dict[str, Any]):
        try:
            data, rule = parse_details(form, lambda f: self._run(read_audience, f))
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        return self._act(update_asset, self._record_id, data, rule, success="Details saved.")

    @rx.event
    def publish_version(self, form: dict[str, Any]):
        waiting = self._waiting()
        if waiting is None:
            self.errors = {"file": "Upload the new file first."}
            return None
        stored, digest = waiting
        material = form.get("material_change") in ("on", True)
        changelog = str(form.get("changelog", ""))[:500]
        done = self._act(
            add_version, self._record_id, stored, sha256=digest, changelog=changelog, material_change=material,
            success="New version published.",
        )  # fmt: skip
        if not self.errors:
            self._forget_file(delete=False)
        return done

    @rx.event
    def roll_back_to(self, n: int):
        return self._act(roll_back, self._record_id, int(n) if str(n).isdigit() else 0, success="Rolled back.")

    @rx.event
    def delete(self):
        self._run(delete_asset, self._record_id)
        return [rx.redirect("/content"), rx.toast.success("Asset deleted. An admin can restore it for 30 days.")]

    @rx.event
    def restore(self):
        return self._act(restore_asset, self._record_id, success="Asset restored.")

    @rx.event
    def preview_as(self, form: dict[str, Any]):
        raw = str(form.get("partner", ""))
        try:
            answer = self._run(why_not, self._record_id, int(raw) if raw.isdigit() else 0)
        except DomainError as exc:
            self.preview_answer, self.preview_reasons = exc.message, []
            return
        if answer.sees:
            self.preview_answer = f"{answer.organization} sees this asset and can open it."
        elif answer.locked_from_tier:
            self.preview_answer = f"{answer.organization} sees it locked: available from {answer.locked_from_tier}."
        else:
            self.preview_answer = f"{answer.organization} does not see this asset."
        self.preview_reasons = list(answer.reasons)

    @rx.event
    def add_zone(self, form: dict[str, Any]):
        zone = ZoneInput(
            page=int(_number(form.get("page"), 0)),
            x=_number(form.get("x"), -1),
            y=_number(form.get("y"), -1),
            w=_number(form.get("w")),
            h=_number(form.get("h")),
            kind=str(form.get("kind", "")),
            binding=str(form.get("binding", "")),
            text=str(form.get("text", ""))[:500],
            locked=form.get("locked") in ("on", True),
        )
        return self._act(add_zone, self._record_id, zone, success="Zone added.")

    @rx.event
    def remove_zone(self, zone_id: int):
        return self._act(
            remove_zone, self._record_id, int(zone_id) if str(zone_id).isdigit() else 0, success="Zone removed."
        )

    @rx.event
    def refresh_partners(self):
        """The partners' table read again (a bulk generation has ended)."""
        if self.is_cobrand and not self.deleted_note and self._record_id:
            self._reload_template()


allow_upload(AssetAdminState.upload_file, Permission.MANAGE_CONTENT, CONTENT_MAX_BYTES)
