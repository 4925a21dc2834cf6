"""The nps area's pages; importing this package registers them."""

from prm_app.nps.ui import survey, surveys  # noqa: F401
