"""The integrations area's pages (API keys, webhooks) and its HTTP entrypoint (the REST API, api_http.py)."""

from prm_app.integrations.ui import keys_page, webhooks_page  # noqa: F401
