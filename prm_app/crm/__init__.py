"""CRM sync: a connector interface with HubSpot and Salesforce over their REST APIs, per-field maps with a direction
for create and for update, a link per synced record, batched and resumable sync runs with a log, reconciliation of
drifted fields with one-click resolve either way, and a receiver for the CRMs' signed events.

The area's public API: other areas import from here only. Rules (rules.py) are pure; the runs (sync.py) are worked
by the job runner; the pages and the inbound route are in ui/.
"""

from prm_app.crm.connectors import Connector, CrmError, HubSpot, Salesforce, Upserted, connector_for
from prm_app.crm.inbound import Malformed, parse_hubspot, parse_signed_json, receive_events, secret_of
from prm_app.crm.models import CrmConnection, CrmDrift, CrmFieldMap, CrmInboundEvent, CrmLink, CrmSyncLog
from prm_app.crm.resolve import resolve_drift
from prm_app.crm.rules import ConnectionInput, Direction, MapInput, Provider
from prm_app.crm.service import save_connection, save_map
from prm_app.crm.sync import RECONCILE, SYNC, run_crm_job, start_crm_run

__all__ = [
    "RECONCILE",
    "SYNC",
    "ConnectionInput",
    "Connector",
    "CrmConnection",
    "CrmDrift",
    "CrmError",
    "CrmFieldMap",
    "CrmInboundEvent",
    "CrmLink",
    "CrmSyncLog",
    "Direction",
    "HubSpot",
    "Malformed",
    "MapInput",
    "Provider",
    "Salesforce",
    "Upserted",
    "connector_for",
    "parse_hubspot",
    "parse_signed_json",
    "receive_events",
    "resolve_drift",
    "run_crm_job",
    "save_connection",
    "save_map",
    "secret_of",
    "start_crm_run",
]
