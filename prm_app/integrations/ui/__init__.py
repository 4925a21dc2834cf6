"""The integrations area's pages (API keys) and its HTTP entrypoint (the REST API, api_http.py)."""

from prm_app.integrations.ui import keys_page  # noqa: F401
