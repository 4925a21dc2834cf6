"""Integrations: the versioned REST API (keys, idempotent POSTs, cursor-paged reads) on the app's own backend.

The area's public API: other areas import from here only. The HTTP entrypoint is `ui.api_http.api_routes` (mounted
in app.py); the key pages are in ui/. Webhooks, CSV import/export and CRM sync will join this area.
"""

from prm_app.integrations.idempotency import forget_idempotency_records
from prm_app.integrations.keys import (
    KeyCreated,
    KeyHolder,
    KeyRow,
    create_api_key,
    list_api_keys,
    resolve_api_key,
    revoke_api_key,
)
from prm_app.integrations.models import ApiKey, IdempotencyRecord
from prm_app.integrations.rules import SCOPES, KeyInput, allowed_scopes

__all__ = [
    "SCOPES",
    "ApiKey",
    "IdempotencyRecord",
    "KeyCreated",
    "KeyHolder",
    "KeyInput",
    "KeyRow",
    "allowed_scopes",
    "create_api_key",
    "forget_idempotency_records",
    "list_api_keys",
    "resolve_api_key",
    "revoke_api_key",
]
