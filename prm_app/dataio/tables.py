"""The records people can import and export as CSV: each area's TableSpec (platform/table_io.py), by kind."""

from __future__ import annotations

from prm_app.deals import DEAL_TABLE
from prm_app.leads import LEAD_TABLE
from prm_app.partners import PARTNER_TABLE, PEOPLE_TABLE
from prm_app.platform.table_io import TableSpec

TABLES: dict[str, TableSpec] = {spec.kind: spec for spec in (PARTNER_TABLE, PEOPLE_TABLE, DEAL_TABLE, LEAD_TABLE)}
