"""CRM sync's page (crm_page.py) and its HTTP entrypoint for inbound CRM events (inbound_http.py)."""

from prm_app.crm.ui import crm_page  # noqa: F401
