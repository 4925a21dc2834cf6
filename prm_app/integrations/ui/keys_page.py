"""API keys, for administrators (program-wide keys, in the console) and partner admins (their organization's keys,
in the portal): create one with a name, scopes and an optional expiry, copy it while it is shown (once), see when
each was last used, revoke it. One state and body for both pages; the use cases decide who reaches which keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, tzinfo

import reflex as rx

from prm_app.identity import with_zone
from prm_app.integrations.keys import KEYS_PER_PAGE, KeyRow, create_api_key, list_api_keys, revoke_api_key
from prm_app.integrations.rules import SCOPES, KeyInput, allowed_scopes
from prm_app.integrations.ui.shown_once import code_choices, secret_callout, show_secret
from prm_app.platform.access import Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import DomainError, FormInvalid
from prm_app.web.components.confirm import confirm_button
from prm_app.web.components.forms import field, form_error
from prm_app.web.components.tables import data_table
from prm_app.web.format import moment
from prm_app.web.registry import Audience, Nav, page
from prm_app.web.state import AuthState

SCOPE_FIELD = "scope__"  # a checkbox per scope: scope__deals:read


@dataclass(frozen=True)
class KeyLine:
    id: int
    name: str
    prefix: str
    scopes: str
    organization: str
    created_by: str
    created: str
    expires: str
    last_used: str
    status: str  # "Active", "Expired" or "Revoked"
    active: bool


@dataclass(frozen=True)
class ScopeOption:
    value: str
    label: str


def key_line(row: KeyRow, zone: tzinfo = UTC) -> KeyLine:
    now = utcnow()
    status = "Revoked" if row.revoked_at else "Active" if row.active_at(now) else "Expired"
    return KeyLine(
        id=row.id, name=row.name, prefix=row.prefix + "…", scopes=", ".join(row.scopes),
        organization=row.organization or "Whole program", created_by=row.created_by,
        created=moment(row.created_at, zone), expires=moment(row.expires_at, zone) if row.expires_at else "Never",
        last_used=moment(row.last_used_at, zone) if row.last_used_at else "Not yet", status=status,
        active=status == "Active",
    )  # fmt: skip


class ApiKeysState(AuthState):
    allowed: bool = False
    checked: bool = False
    keys: list[KeyLine] = []
    scope_options: list[ScopeOption] = []
    errors: dict[str, str] = {}
    form_message: str = ""
    # The new key's name while its secret is shown. The secret itself is never a state var (states are pickled into
    # Redis when scaled out): one script puts it into the field once (`show_secret`), and it is gone with the field
    # on "Done" or the next load. The database keeps only its hash.
    new_key_name: str = ""
    search: str = ""  # the list's filter: name, key prefix, partner or creator
    shown: int = KEYS_PER_PAGE  # how many of the matching keys the list shows ("Show more keys" adds a page)
    more: bool = False

    def _reload(self) -> None:
        found, zone = self._run(with_zone, list_api_keys, self.search, self.shown)
        self.keys, self.more = [key_line(r, zone) for r in found.rows], found.more

    @rx.event
    def find(self, form: dict):
        self.search, self.shown = " ".join(str(form.get("search", "")).split())[:100], KEYS_PER_PAGE
        self._reload()

    @rx.event
    def show_more(self):
        self.shown += KEYS_PER_PAGE
        self._reload()

    @rx.event
    def load(self):
        actor = self._actor()
        self.new_key_name = self.form_message = self.search = ""
        self.errors, self.shown = {}, KEYS_PER_PAGE
        self.allowed, self.checked = actor.can(Permission.MANAGE_API_KEYS), True
        self.scope_options = [ScopeOption(s, SCOPES[s]) for s in allowed_scopes(partner=actor.is_partner)]
        if self.allowed:
            self._reload()

    @rx.event
    def create(self, form: dict):
        self.errors, self.form_message, self.new_key_name = {}, "", ""
        data = KeyInput(
            name=str(form.get("name", "")),
            scopes=tuple(k.removeprefix(SCOPE_FIELD) for k, v in form.items() if k.startswith(SCOPE_FIELD) and v),
            expires_in_days=str(form.get("expires_in_days", "")),
        )
        try:
            created = self._run(create_api_key, data)
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        except DomainError as exc:
            self.form_message = exc.message
            return None
        self.new_key_name = created.name
        self._reload()
        return [
            show_secret(created.secret, KEY_FIELD_ID),
            rx.toast.success(f"Key “{created.name}” created. Copy it now: it is shown only once."),
        ]

    @rx.event
    def dismiss(self):
        self.new_key_name = ""

    @rx.event
    def revoke(self, key_id: int):
        try:
            self._run(revoke_api_key, int(key_id))
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self._reload()
        return rx.toast.success("The key is revoked: requests with it are refused from now on.")


def _row(k: rx.Var[KeyLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(k.name),
        rx.table.cell(rx.code(k.prefix)),
        rx.table.cell(rx.text(k.scopes, size="1")),
        rx.table.cell(k.organization),
        rx.table.cell(k.created_by),
        rx.table.cell(k.created),
        rx.table.cell(k.expires),
        rx.table.cell(k.last_used),
        rx.table.cell(
            rx.badge(k.status, color_scheme=rx.cond(k.active, "green", "gray"), high_contrast=True),
        ),
        rx.table.cell(
            rx.cond(
                k.active,
                confirm_button(
                    "Revoke",
                    title="Revoke the key " + k.name.to(str) + "?",
                    consequence="Every request made with it is refused from now on. This cannot be undone: "
                    "whatever uses it needs a new key.",
                    on_confirm=ApiKeysState.revoke(k.id),
                    confirm_label="Revoke key",
                    size="1",
                    variant="soft",
                    aria_label="Revoke key " + k.name.to(str),
                ),
            )
        ),
    )


KEY_FIELD_ID = "new-api-key"


def _new_key() -> rx.Component:
    return secret_callout(
        ApiKeysState.new_key_name,
        rx.callout.text(
            "Your new key “",
            ApiKeysState.new_key_name,
            "”. Copy it now and keep it somewhere safe: it is shown "
            "only this once and cannot be read again. Send it as Authorization: Bearer <key>.",
        ),
        "New API key",
        KEY_FIELD_ID,
        ApiKeysState.dismiss,
    )


def _create_form() -> rx.Component:
    return rx.card(
        rx.heading("Create a key", size="4", as_="h2", margin_bottom="0.75rem"),
        rx.form(
            rx.vstack(
                form_error(ApiKeysState.form_message),
                field("Key name", "name", ApiKeysState.errors.get("name", ""), hint="What will use it, e.g. CRM sync"),
                code_choices("Permissions", ApiKeysState.scope_options, SCOPE_FIELD, ApiKeysState.errors, "scopes"),
                field(
                    "Expires after (days)",
                    "expires_in_days",
                    ApiKeysState.errors.get("expires_in_days", ""),
                    type="number",
                    required=False,
                    hint="Leave empty for a key that does not expire.",
                ),
                rx.button("Create key", type="submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=ApiKeysState.create,
            no_validate=True,
            reset_on_submit=False,
            aria_label="Create a key",
        ),
        width="100%",
    )


def _find_form() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.box(
                field("Find a key", "search", required=False, hint="By name, key prefix, partner or creator."),
                flex_grow="1",
            ),
            rx.button("Find", type="submit", variant="outline"),
            spacing="2",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        on_submit=ApiKeysState.find,
        reset_on_submit=False,
        role="search",
        aria_label="Key search",
        width="100%",
    )


def _body() -> rx.Component:
    return rx.cond(
        ApiKeysState.checked,
        rx.cond(
            ApiKeysState.allowed,
            rx.vstack(
                rx.text(
                    "Keys let your own tools use the REST API as you, within the permissions you give them. ",
                    rx.link("Read the API documentation", href="/api/v1/docs", is_external=True, underline="always"),
                    ".",
                ),
                _new_key(),
                _create_form(),
                rx.heading("Keys", size="4", as_="h2"),
                _find_form(),
                rx.cond(
                    ApiKeysState.keys.length() > 0,
                    data_table(
                        ["Name", "Key", "Scopes", "For", "Created by", "Created", "Expires", "Last used", "Status", ""],
                        ApiKeysState.keys,
                        _row,
                        label="API keys",
                    ),
                    rx.text(rx.cond(ApiKeysState.search != "", "No key matches.", "No keys yet.")),
                ),
                rx.cond(
                    ApiKeysState.more, rx.button("Show more keys", variant="soft", on_click=ApiKeysState.show_more)
                ),
                spacing="4",
                width="100%",
            ),
            rx.callout("Only administrators and partner admins manage API keys.", icon="info", width="100%"),
        ),
    )


_NAV = Nav("API keys", "key_round", 95, permission=Permission.MANAGE_API_KEYS)


@page("/api-keys", title="API keys", audience=Audience.INTERNAL, on_load=ApiKeysState.load, nav=_NAV)
def api_keys_page() -> rx.Component:
    return _body()


@page("/portal/api-keys", title="API keys", audience=Audience.PARTNER, on_load=ApiKeysState.load, nav=_NAV)
def portal_api_keys_page() -> rx.Component:
    return _body()
