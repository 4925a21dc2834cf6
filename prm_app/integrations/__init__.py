"""Integrations: the versioned REST API (keys, idempotent POSTs, cursor-paged reads) on the app's own backend.

The area's public API: other areas import from here only. The HTTP entrypoint is `ui.api_http.api_routes` (mounted
in app.py); the key and webhook pages are in ui/. Signed webhooks: webhooks.py (endpoints, the outbox written by
reactions.py), webhook_delivery.py (what the job runner does). CSV import/export and CRM sync will join this area.
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
from prm_app.integrations.webhook_delivery import DeliveryRun, deliver_due_webhooks
from prm_app.integrations.webhook_http import Refused, pinned_target, post_webhook
from prm_app.integrations.webhooks import local_receivers_allowed, register_deliverer

__all__ = [
    "SCOPES",
    "ApiKey",
    "DeliveryRun",
    "IdempotencyRecord",
    "KeyCreated",
    "KeyHolder",
    "KeyInput",
    "KeyRow",
    "Refused",
    "allowed_scopes",
    "create_api_key",
    "deliver_due_webhooks",
    "forget_idempotency_records",
    "list_api_keys",
    "local_receivers_allowed",
    "pinned_target",
    "post_webhook",
    "register_deliverer",
    "resolve_api_key",
    "revoke_api_key",
]
