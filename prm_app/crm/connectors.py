"""The connectors: one interface, and HubSpot's and Salesforce's documented REST APIs behind it (httpx).

- HubSpot (CRM v3, a private app's token as Bearer): `POST /crm/v3/objects/{type}/batch/upsert` with `idProperty`
  (our unique `prm_key` property; up to 100 inputs; each result says `new`), and `POST .../batch/read`.
- Salesforce (REST v60.0, an OAuth access token as Bearer): sObject Collections upsert on the external id field,
  `PATCH /services/data/v60.0/composite/sobjects/{sObject}/PRM_Key__c` (up to 200 records, `allOrNone: false`:
  each record's own result), and the collection retrieve `POST /services/data/v60.0/composite/sobjects/{sObject}`.

A connector never follows redirects nor takes a proxy from the environment; every failure of the call itself is a
CrmError with a message a person can act on (the run logs it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from prm_app.crm.rules import BATCH, KEY_PROPERTY, Provider, as_text
from prm_app.integrations import Refused, local_receivers_allowed, pinned_target

TIMEOUT_SECONDS = 20.0
SALESFORCE_API = "/services/data/v60.0"


class CrmError(Exception):
    """The CRM could not be reached or refused the request: `message` says which, for the sync log."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Upserted:
    key: str  # the PRM key sent (rules.prm_key)
    external_id: str  # "" when the record failed
    created: bool = False
    error: str = ""


class Connector(Protocol):
    provider: str
    batch_size: int

    def upsert(self, crm_type: str, records: Sequence[tuple[str, Mapping[str, str]]]) -> list[Upserted]:
        """Create or update each (PRM key, properties) by its key; one result per record, in order."""
        ...

    def read(self, crm_type: str, external_ids: Sequence[str], fields: Sequence[str]) -> dict[str, dict[str, str]]:
        """The `fields` of the records with these ids, as text (missing records are left out)."""
        ...


def _client(base_url: str, token: str) -> httpx.Client:
    """A client for the CRM's API; refused (CrmError) when its host resolves to an address outgoing calls may not
    reach (this machine's or the private network's, outside the demo): the same rule as webhooks."""
    try:
        pinned_target(base_url.rstrip("/") + "/", allow_local=local_receivers_allowed())
    except Refused as exc:
        raise CrmError(f"The CRM's address is not allowed: {exc}.") from exc
    return httpx.Client(
        base_url=base_url,
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json", "User-Agent": "OpenPRM-CRM/1"},
        timeout=TIMEOUT_SECONDS,
        follow_redirects=False,
        trust_env=False,
    )


def _call(client: httpx.Client, method: str, path: str, body: object) -> Any:
    try:
        response = client.request(method, path, json=body)
    except httpx.TimeoutException as exc:
        raise CrmError(f"The CRM did not answer within {TIMEOUT_SECONDS:g} s.") from exc
    except httpx.HTTPError as exc:
        raise CrmError(f"The CRM could not be reached: {type(exc).__name__}: {exc}") from exc
    if response.status_code in (401, 403):
        raise CrmError(f"The CRM refused the access token (HTTP {response.status_code}). Check the connection.")
    if response.status_code >= 400:
        raise CrmError(f"The CRM answered HTTP {response.status_code}: {response.text[:300]}")
    try:
        return response.json()
    except ValueError as exc:
        raise CrmError("The CRM's answer was not JSON.") from exc


class HubSpot:
    provider: str = Provider.HUBSPOT
    batch_size: int = BATCH[Provider.HUBSPOT]
    key = KEY_PROPERTY[Provider.HUBSPOT]

    def __init__(self, base_url: str, token: str):
        self.base_url, self.token = base_url, token

    def upsert(self, crm_type: str, records: Sequence[tuple[str, Mapping[str, str]]]) -> list[Upserted]:
        inputs = [{"idProperty": self.key, "id": key, "properties": dict(props)} for key, props in records]
        with _client(self.base_url, self.token) as client:
            answer = _call(client, "POST", f"/crm/v3/objects/{crm_type}/batch/upsert", {"inputs": inputs})
        results = [r for r in answer.get("results", []) if isinstance(r, dict)]
        done = {str((r.get("properties") or {}).get(self.key, "")): r for r in results}
        failed: dict[str, str] = {}
        for error in answer.get("errors", []) or []:
            for key in (error.get("context") or {}).get("ids", []) or []:
                failed[str(key)] = str(error.get("message", "refused"))
        upserted = []
        for key, _props in records:
            if (found := done.get(key)) is not None and found.get("id"):
                upserted.append(Upserted(key, str(found["id"]), bool(found.get("new"))))
            else:
                upserted.append(Upserted(key, "", error=failed.get(key, "HubSpot returned no result for it")))
        return upserted

    def read(self, crm_type: str, external_ids: Sequence[str], fields: Sequence[str]) -> dict[str, dict[str, str]]:
        body = {"properties": list(fields), "inputs": [{"id": i} for i in external_ids]}
        with _client(self.base_url, self.token) as client:
            answer = _call(client, "POST", f"/crm/v3/objects/{crm_type}/batch/read", body)
        return {
            str(r["id"]): {k: as_text(v) for k, v in (r.get("properties") or {}).items()}
            for r in answer.get("results", [])
            if isinstance(r, dict) and r.get("id")
        }


class Salesforce:
    provider: str = Provider.SALESFORCE
    batch_size: int = BATCH[Provider.SALESFORCE]
    key = KEY_PROPERTY[Provider.SALESFORCE]

    def __init__(self, base_url: str, token: str):
        self.base_url, self.token = base_url, token

    def upsert(self, crm_type: str, records: Sequence[tuple[str, Mapping[str, str]]]) -> list[Upserted]:
        body = {
            "allOrNone": False,
            "records": [{"attributes": {"type": crm_type}, self.key: key, **props} for key, props in records],
        }
        with _client(self.base_url, self.token) as client:
            answer = _call(client, "PATCH", f"{SALESFORCE_API}/composite/sobjects/{crm_type}/{self.key}", body)
        if not isinstance(answer, list) or len(answer) != len(records):
            raise CrmError("Salesforce answered with a different number of results than records sent.")
        results = []
        for (key, _props), result in zip(records, answer, strict=True):
            if result.get("success") and result.get("id"):
                results.append(Upserted(key, str(result["id"]), bool(result.get("created"))))
            else:
                messages = "; ".join(str(e.get("message", "")) for e in result.get("errors", []) or [])
                results.append(Upserted(key, "", error=messages or "refused"))
        return results

    def read(self, crm_type: str, external_ids: Sequence[str], fields: Sequence[str]) -> dict[str, dict[str, str]]:
        body = {"ids": list(external_ids), "fields": list(fields)}
        with _client(self.base_url, self.token) as client:
            answer = _call(client, "POST", f"{SALESFORCE_API}/composite/sobjects/{crm_type}", body)
        return {
            str(r["Id"]): {k: as_text(v) for k, v in r.items() if k not in ("attributes", "Id")}
            for r in answer
            if isinstance(r, dict) and r.get("Id")
        }


def connector_for(provider: str, base_url: str, token: str) -> Connector:
    return HubSpot(base_url, token) if provider == Provider.HUBSPOT else Salesforce(base_url, token)
