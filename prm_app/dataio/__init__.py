"""CSV import and export of the core records (partners, ...): each area describes its records as a TableSpec
(platform/table_io.py, the one engine); this area lists them, runs imports as dry and real job runs and gives
the page to do it.

What other areas may use: the import job (the runtime runs it) and its upload store."""

from prm_app.dataio.runs import TABLE_IMPORT, UPLOADS, run_import
from prm_app.dataio.tables import TABLES

__all__ = ["TABLES", "TABLE_IMPORT", "UPLOADS", "run_import"]
