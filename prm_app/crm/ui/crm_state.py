"""The CRM sync page's state: the chosen CRM's connection (never its token or secret: only whether each is stored),
its field maps, the run under way with its progress, the sync log, the drift groups with their resolve buttons and
the inbound events received. Handlers are one domain call each; the use cases check who may."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

import reflex as rx

from prm_app.crm.resolve import resolve_drift
from prm_app.crm.rules import DIRECTION_LABELS, OBJECTS, PROVIDER_LABELS, ConnectionInput, MapInput
from prm_app.crm.service import (
    DriftGroup,
    InboundRow,
    LogRow,
    MapRow,
    delete_map,
    drift_groups,
    inbound_events,
    list_maps,
    prm_field_label,
    save_connection,
    save_map,
    sync_log,
    view_connection,
)
from prm_app.crm.sync import RECONCILE, SYNC, crm_run_progress, start_crm_run
from prm_app.identity import with_zone
from prm_app.platform.access import Permission
from prm_app.platform.errors import DomainError, FormInvalid
from prm_app.platform.jobs_progress import RunProgress
from prm_app.platform.settings import settings
from prm_app.web.format import moment, plural
from prm_app.web.run_watch import follow_run
from prm_app.web.state import AuthState


@dataclass(frozen=True)
class MapLine:
    id: int
    object_label: str
    prm: str  # "Amount" or "Fixed: Partner"
    crm_field: str
    on_create: str
    on_update: str
    first_sync_only: str  # "Yes" / ""


@dataclass(frozen=True)
class LogLine:
    id: int
    at: str
    what: str
    counts: str
    message: str


@dataclass(frozen=True)
class DriftLine:
    key: str  # "deal|amount", for the buttons' labels
    object_name: str
    crm_field: str
    title: str  # "2 deals differ on Amount"
    example: str
    writable: bool


@dataclass(frozen=True)
class InboundLine:
    event_id: str
    occurred: str
    record: str
    change: str
    result: str


@dataclass(frozen=True)
class Option:
    value: str
    label: str


def _map_line(row: MapRow) -> MapLine:
    return MapLine(
        row.id, OBJECTS[row.object_name].label.capitalize() if row.object_name in OBJECTS else row.object_name,
        prm_field_label(row.object_name, row.prm_field) if row.prm_field else f"Fixed: {row.fixed_value}",
        row.crm_field, DIRECTION_LABELS.get(row.on_create, row.on_create),
        DIRECTION_LABELS.get(row.on_update, row.on_update), "Yes" if row.first_sync_only else "",
    )  # fmt: skip


def _log_line(row: LogRow, zone: tzinfo) -> LogLine:
    what = OBJECTS[row.object_name].plural.capitalize() if row.object_name in OBJECTS else "Run"
    counts = "" if not (row.created or row.updated or row.unchanged or row.failed) else (
        f"{row.created} created, {row.updated} updated, {row.unchanged} unchanged, {row.failed} failed"
    )  # fmt: skip
    return LogLine(row.id, moment(row.at, zone), what, counts, row.message)


def _drift_line(group: DriftGroup) -> DriftLine:
    obj = OBJECTS[group.object_name]
    label = prm_field_label(group.object_name, group.prm_field)
    field = obj.field(group.prm_field)
    return DriftLine(
        f"{group.object_name}|{group.crm_field}", group.object_name, group.crm_field,
        f"{plural(group.count, obj.label, obj.plural)} differ on {label} ({group.crm_field})"
        if group.count != 1 else f"1 {obj.label} differs on {label} ({group.crm_field})",
        f"For example: PRM “{group.example_prm}”, CRM “{group.example_crm}”", bool(field and field.writable),
    )  # fmt: skip


def _inbound_line(row: InboundRow, zone: tzinfo) -> InboundLine:
    return InboundLine(row.event_id, moment(row.occurred_at, zone), row.external_id,
                       f"{row.crm_field} → {row.value}" if row.crm_field else "", row.result)  # fmt: skip


class CrmState(AuthState):
    allowed: bool = False
    checked: bool = False
    provider: str = "hubspot"
    connected: bool = False
    base_url: str = ""
    secrets_note: str = ""
    linked: int = 0
    errors: dict[str, str] = {}
    map_errors: dict[str, str] = {}
    map_object: str = "deal"
    maps: list[MapLine] = []
    log: list[LogLine] = []
    drift: list[DriftLine] = []
    inbound: list[InboundLine] = []
    running: bool = False
    progress: str = ""
    outcome: str = ""
    failed: bool = False
    _run_id: int = 0
    _watching: int = 0

    @rx.var
    def provider_label(self) -> str:
        return PROVIDER_LABELS.get(self.provider, self.provider)  # type: ignore[call-overload]

    @rx.var
    def inbound_url(self) -> str:
        return f"{settings.app_origin.rstrip('/')}/crm/inbound/{self.provider}"

    @rx.var
    def field_options(self) -> list[Option]:
        obj = OBJECTS.get(self.map_object)
        return [Option(f.name, f.label) for f in obj.fields] if obj else []

    def _reload(self) -> None:
        view = self._run(view_connection, self.provider)
        self.connected = view is not None
        self.base_url = view.base_url if view else ""
        self.linked = view.linked if view else 0
        self.secrets_note = (
            "The access token and the inbound secret are stored; they are never shown again. Leave those fields "
            "empty to keep them, or paste new ones to replace them." if view else ""
        )  # fmt: skip
        if view is None:
            self.maps, self.log, self.drift, self.inbound = [], [], [], []
            return
        self.maps = [_map_line(m) for m in self._run(list_maps, self.provider)]
        rows, zone = self._run(with_zone, sync_log, self.provider)
        self.log = [_log_line(r, zone) for r in rows]
        self.drift = [_drift_line(g) for g in self._run(drift_groups, self.provider)]
        events, zone = self._run(with_zone, inbound_events, self.provider)
        self.inbound = [_inbound_line(e, zone) for e in events]

    def _show(self, run: RunProgress) -> None:
        self.running = not run.finished
        what = "Sync" if run.kind == SYNC else "Reconciliation"
        self.progress = f"{what}: {plural(run.done, 'record')} done so far." if self.running else ""
        self.failed = run.status == "failed"
        self.outcome = run.error if self.failed else (f"{what} finished." if run.finished else "")

    @rx.event
    def load(self):
        actor = self._actor()
        self.errors, self.map_errors, self.outcome, self.progress, self.running = {}, {}, "", "", False
        self.allowed, self.checked = actor.can(Permission.MANAGE_CRM), True
        self._run_id = 0
        if self.provider not in PROVIDER_LABELS:
            self.provider = "hubspot"
        if self.allowed:
            self._reload()

    @rx.event
    def choose(self, provider: str):
        if str(provider) not in PROVIDER_LABELS:
            return rx.toast.error("Choose HubSpot or Salesforce.")
        self.provider, self.errors, self.map_errors, self.outcome = str(provider), {}, {}, ""
        self._reload()
        return None

    @rx.event
    def pick_object(self, object_name: str):
        self.map_object = str(object_name) if str(object_name) in OBJECTS else "deal"

    @rx.event
    def save_connection(self, form: dict):
        self.errors = {}
        given = ConnectionInput(
            self.provider, str(form.get("base_url", "")), str(form.get("token", "")),
            str(form.get("inbound_secret", "")),
        )  # fmt: skip
        try:
            self._run(save_connection, given)
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self._reload()
        return [
            rx.set_value("field-token", ""),
            rx.set_value("field-inbound_secret", ""),
            rx.toast.success(f"{self.provider_label} connection saved."),
        ]

    @rx.event
    def save_map(self, form: dict):
        self.map_errors = {}
        given = MapInput(
            self.map_object, str(form.get("crm_field", "")), str(form.get("prm_field", "")),
            str(form.get("fixed_value", "")), str(form.get("on_create", "")), str(form.get("on_update", "")),
            bool(form.get("first_sync_only")),
        )  # fmt: skip
        try:
            self._run(save_map, self.provider, given)
        except FormInvalid as exc:
            self.map_errors = exc.errors
            return None
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self._reload()
        return rx.toast.success(f"Field map for {given.crm_field.strip()} saved.")

    @rx.event
    def remove_map(self, map_id: int):
        try:
            self._run(delete_map, self.provider, int(map_id))
        except (DomainError, ValueError, TypeError) as exc:
            return rx.toast.error(getattr(exc, "message", "Field map not found."))
        self._reload()
        return rx.toast.success("Field map deleted.")

    @rx.event
    def refresh(self):
        self._reload()

    @rx.event
    def start_sync(self):
        return self._start(SYNC)

    @rx.event
    def check_drift(self):
        return self._start(RECONCILE)

    def _start(self, kind: str):
        try:
            self._run_id = self._run(start_crm_run, self.provider, kind)
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self.running, self.outcome, self.failed = True, "", False
        self.progress = "Queued: the job runner takes it in a moment."
        self._reload()
        return CrmState.watch

    @rx.event(background=True)
    async def watch(self):
        """Follow this tab's run until it ends, then show the log and drift it left."""
        if await follow_run(self, lambda run_id: self._run_in_thread(crm_run_progress, run_id)):
            async with self:
                await self._in_thread(self._reload)

    @rx.event
    def resolve(self, key: str, toward: str):
        object_name, _, crm_field = str(key).partition("|")
        try:
            count = self._run(resolve_drift, self.provider, object_name, crm_field, str(toward))
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self._reload()
        side = "the CRM now has the PRM's values" if toward == "to_crm" else "the PRM now has the CRM's values"
        return rx.toast.success(f"Resolved {plural(count, 'record')}: {side}.")
