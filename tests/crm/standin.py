"""A local stand-in for HubSpot's and Salesforce's REST APIs: the documented subset the connectors use, over real
HTTP (http.server in a thread), strict about what it accepts. There is no live CRM here; the tests and the demo's
browser test run the connectors against this.

HubSpot (CRM v3): `POST /crm/v3/objects/{type}/batch/upsert` (1-100 inputs, `idProperty` must be a unique
property, property values are strings, a number property must hold a number, no input twice), `POST
.../batch/read`, and `PATCH /crm/v3/objects/{type}/{id}` (what a person editing the record in HubSpot does).
Salesforce (REST v60.0): `PATCH /services/data/v60.0/composite/sobjects/{sObject}/{externalIdField}` (1-200
records of that type, each with its external id; required fields on create), `POST .../composite/sobjects/{sObject}`
(retrieve by ids) and `PATCH /services/data/v60.0/sobjects/{sObject}/{id}`.
Anything else, a wrong token, a body that is not JSON of the documented shape or an unknown field is refused with
the status and error body the real API gives for it (401, 400, 404, 415).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HUBSPOT_PROPERTIES = {
    "companies": {"name", "domain", "website", "phone", "city", "country", "prm_key", "prm_partner_type"},
    "contacts": {"email", "firstname", "lastname", "jobtitle", "phone", "company", "city", "country", "prm_key",
                 "prm_partner"},
    "deals": {"dealname", "amount", "closedate", "dealstage", "pipeline", "prm_partner", "prm_key", "prm_status"},
}  # fmt: skip
HUBSPOT_UNIQUE = {"prm_key", "hs_object_id"}
HUBSPOT_NUMBERS = {"amount"}
SF_FIELDS = {
    "Account": {"Name", "Website", "Phone", "BillingCity", "BillingCountry", "PRM_Key__c", "PRM_Partner_Type__c"},
    "Contact": {"Email", "FirstName", "LastName", "Title", "Phone", "PRM_Key__c", "PRM_Partner__c"},
    "Opportunity": {"Name", "Amount", "CloseDate", "StageName", "PRM_Partner__c", "PRM_Key__c", "PRM_Status__c"},
    "Lead": {"Email", "Company", "LastName", "City", "Country", "Status", "PRM_Key__c"},
}
SF_REQUIRED = {"Account": {"Name"}, "Contact": {"LastName"}, "Opportunity": {"Name", "StageName", "CloseDate"},
               "Lead": {"LastName", "Company"}}  # fmt: skip
SF_PREFIX = {"Account": "001", "Contact": "003", "Opportunity": "006", "Lead": "00Q"}
SF_EXTERNAL_IDS = {"PRM_Key__c"}


class Refused(Exception):
    def __init__(self, status: int, body: Any):
        super().__init__(status)
        self.status, self.body = status, body


def _hs_error(message: str, category: str = "VALIDATION_ERROR") -> Refused:
    return Refused(400, {"status": "error", "message": message, "category": category})


def _sf_error(message: str, code: str = "JSON_PARSER_ERROR", status: int = 400) -> Refused:
    return Refused(status, [{"message": message, "errorCode": code}])


@dataclass
class StandIn:
    token: str
    url: str = ""
    records: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, str, int]] = field(default_factory=list)  # (method, path, status)
    _next: int = 1000
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    # -- what tests look at and change ---------------------------------------------------------------------------
    def table(self, api: str, kind: str) -> dict[str, dict[str, Any]]:
        return self.records.setdefault((api, kind), {})

    def find(self, api: str, kind: str, key: str) -> tuple[str, dict[str, Any]]:
        """(id, properties) of the record whose PRM key is `key`."""
        key_field = "prm_key" if api == "hubspot" else "PRM_Key__c"
        return next((i, p) for i, p in self.table(api, kind).items() if p.get(key_field) == key)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _new_id(self, prefix: str = "") -> str:
        self._next += 1
        return f"{prefix}{self._next:015d}" if prefix else str(self._next)

    # -- HubSpot ---------------------------------------------------------------------------------------------------
    def _hs_props(self, kind: str, props: Any) -> dict[str, str]:
        if not isinstance(props, dict):
            raise _hs_error("properties must be an object")
        for name, value in props.items():
            if name not in HUBSPOT_PROPERTIES[kind]:
                raise _hs_error(f'Property "{name}" does not exist', "VALIDATION_ERROR")
            if not isinstance(value, str):
                raise _hs_error(f'Property values must be strings: "{name}"')
            if name in HUBSPOT_NUMBERS and value != "":
                try:
                    Decimal(value)
                except InvalidOperation as exc:
                    raise _hs_error(f'"{value}" is not a valid number for "{name}"') from exc
        return props

    def hs_upsert(self, kind: str, body: Any) -> tuple[int, Any]:
        inputs = body.get("inputs") if isinstance(body, dict) else None
        if not isinstance(inputs, list) or not 1 <= len(inputs) <= 100:
            raise _hs_error("inputs must hold 1 to 100 items")
        seen, results = set(), []
        for item in inputs:
            if not isinstance(item, dict) or item.get("idProperty") not in HUBSPOT_UNIQUE:
                raise _hs_error("idProperty must name a unique property")
            key = item.get("id")
            if not isinstance(key, str) or not key or key in seen:
                raise _hs_error("each input needs its own non-empty id")
            seen.add(key)
            props = self._hs_props(kind, item.get("properties"))
            table = self.table("hubspot", kind)
            found = next((i for i, p in table.items() if p.get(item["idProperty"]) == key), None)
            new = found is None
            record_id = found or self._new_id()
            table.setdefault(record_id, {item["idProperty"]: key}).update(props)
            results.append({"id": record_id, "properties": dict(table[record_id]), "new": new, "archived": False})
        return 200, {"status": "COMPLETE", "results": results}

    def hs_read(self, kind: str, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict) or not isinstance(body.get("inputs"), list) or len(body["inputs"]) > 100:
            raise _hs_error("inputs must be a list of up to 100 items")
        wanted = body.get("properties", [])
        if not isinstance(wanted, list) or not all(isinstance(p, str) for p in wanted):
            raise _hs_error("properties must be a list of names")
        table, results, errors = self.table("hubspot", kind), [], []
        for item in body["inputs"]:
            record_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(record_id, str):
                raise _hs_error("each input needs an id")
            if record_id in table:
                props = {p: table[record_id].get(p) for p in wanted}
                results.append({"id": record_id, "properties": props, "archived": False})
            else:
                errors.append({"status": "error", "category": "OBJECT_NOT_FOUND", "context": {"ids": [record_id]}})
        return (207 if errors else 200), {"status": "COMPLETE", "results": results, "errors": errors}

    def hs_patch(self, kind: str, record_id: str, body: Any) -> tuple[int, Any]:
        table = self.table("hubspot", kind)
        if record_id not in table:
            raise Refused(404, {"status": "error", "message": "resource not found", "category": "OBJECT_NOT_FOUND"})
        table[record_id].update(self._hs_props(kind, (body or {}).get("properties") if isinstance(body, dict) else 0))
        return 200, {"id": record_id, "properties": dict(table[record_id])}

    # -- Salesforce --------------------------------------------------------------------------------------------------
    def _sf_fields(self, sobject: str, record: dict[str, Any]) -> dict[str, Any]:
        fields = {k: v for k, v in record.items() if k != "attributes"}
        for name, value in fields.items():
            if name not in SF_FIELDS[sobject]:
                raise _sf_error(f"No such column '{name}' on sobject of type {sobject}", "INVALID_FIELD")
            if name == "Amount" and value not in ("", None):
                try:
                    Decimal(str(value))
                except InvalidOperation as exc:
                    raise _sf_error(f"Cannot deserialize instance of currency from {value!r}") from exc
        return fields

    def sf_upsert(self, sobject: str, external: str, body: Any) -> tuple[int, Any]:
        if external not in SF_EXTERNAL_IDS or external not in SF_FIELDS[sobject]:
            raise _sf_error(f"Field {external} is not an external id field", "INVALID_FIELD")
        records = body.get("records") if isinstance(body, dict) else None
        if not isinstance(records, list) or not 1 <= len(records) <= 200 or not isinstance(body.get("allOrNone"), bool):
            raise _sf_error("records must hold 1 to 200 records, and allOrNone must be true or false")
        answers, table = [], self.table("salesforce", sobject)
        for record in records:
            if not isinstance(record, dict) or (record.get("attributes") or {}).get("type") != sobject:
                raise _sf_error("each record needs attributes.type " + sobject, "INVALID_TYPE")
            fields = self._sf_fields(sobject, record)
            key = fields.get(external)
            if not isinstance(key, str) or not key:
                answers.append({"success": False, "errors": [{"statusCode": "MISSING_ARGUMENT",
                                "message": f"{external} not specified"}]})  # fmt: skip
                continue
            found = next((i for i, p in table.items() if p.get(external) == key), None)
            missing = SF_REQUIRED[sobject] - {k for k, v in fields.items() if v not in ("", None)}
            if found is None and missing:
                message = f"Required fields are missing: [{', '.join(sorted(missing))}]"
                answers.append(
                    {"success": False, "errors": [{"statusCode": "REQUIRED_FIELD_MISSING", "message": message}]}
                )
                continue
            record_id = found or self._new_id(SF_PREFIX[sobject])
            table.setdefault(record_id, {}).update(fields)
            answers.append({"id": record_id, "success": True, "errors": [], "created": found is None})
        return 200, answers

    def sf_retrieve(self, sobject: str, body: Any) -> tuple[int, Any]:
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("ids"), list)
            or not isinstance(body.get("fields"), list)
        ):
            raise _sf_error("ids and fields must be lists")
        for name in body["fields"]:
            if name not in SF_FIELDS[sobject]:
                raise _sf_error(f"No such column '{name}' on sobject of type {sobject}", "INVALID_FIELD")
        table, found = self.table("salesforce", sobject), []
        for record_id in body["ids"]:
            if record_id in table:
                values = {f: table[record_id].get(f) for f in body["fields"]}
                found.append({"attributes": {"type": sobject}, "Id": record_id, **values})
            else:
                found.append(None)
        return 200, found

    def sf_patch(self, sobject: str, record_id: str, body: Any) -> tuple[int, Any]:
        table = self.table("salesforce", sobject)
        if record_id not in table:
            raise _sf_error("The requested resource does not exist", "NOT_FOUND", 404)
        table[record_id].update(self._sf_fields(sobject, body if isinstance(body, dict) else {}))
        return 204, None

    # -- routing ---------------------------------------------------------------------------------------------------
    ROUTES = (
        ("POST", re.compile(r"^/crm/v3/objects/(\w+)/batch/upsert$"), "hs_upsert"),
        ("POST", re.compile(r"^/crm/v3/objects/(\w+)/batch/read$"), "hs_read"),
        ("PATCH", re.compile(r"^/crm/v3/objects/(\w+)/(\w+)$"), "hs_patch"),
        ("PATCH", re.compile(r"^/services/data/v60\.0/composite/sobjects/(\w+)/(\w+)$"), "sf_upsert"),
        ("POST", re.compile(r"^/services/data/v60\.0/composite/sobjects/(\w+)$"), "sf_retrieve"),
        ("PATCH", re.compile(r"^/services/data/v60\.0/sobjects/(\w+)/(\w+)$"), "sf_patch"),
    )

    def handle(self, method: str, path: str, headers: Any, raw: bytes) -> tuple[int, Any]:
        for verb, pattern, name in self.ROUTES:
            if verb == method and (match := pattern.match(path)):
                hubspot = name.startswith("hs_")
                kind = match.group(1)
                if kind not in (HUBSPOT_PROPERTIES if hubspot else SF_FIELDS):
                    raise Refused(404, {"status": "error", "message": f"Unknown object type {kind}"})
                if headers.get("Authorization") != f"Bearer {self.token}":
                    if hubspot:
                        raise Refused(401, {"status": "error", "category": "INVALID_AUTHENTICATION",
                                            "message": "Authentication credentials not found."})  # fmt: skip
                    raise _sf_error("Session expired or invalid", "INVALID_SESSION_ID", 401)
                if not (headers.get("Content-Type") or "").startswith("application/json"):
                    raise Refused(415, {"status": "error", "message": "Content-Type must be application/json"})
                try:
                    body = json.loads(raw)
                except ValueError as exc:
                    raise (_hs_error("Invalid input JSON") if hubspot else _sf_error("Invalid JSON")) from exc
                with self._lock:
                    return getattr(self, name)(*match.groups(), body)
        raise Refused(404, {"status": "error", "message": f"No route {method} {path}"})


def start_standin(token: str = "standin-token") -> StandIn:  # noqa: S107 (a test server's token)
    """The stand-in on a free local port (StandIn.url); stop it with StandIn.stop()."""
    standin = StandIn(token)

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = self.path.split("?", 1)[0]
            try:
                status, body = standin.handle(self.command, path, self.headers, raw)
            except Refused as refused:
                status, body = refused.status, refused.body
            standin.requests.append((self.command, path, status))
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_POST = do_PATCH = do_GET = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    standin._server = server
    standin.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return standin
