"""The agreements area's pages, the gate they lift, and the signed copies' route; importing this package
registers the pages and the gate."""

from prm_app.agreements.ui import gate, sign_page, template_page, templates_page  # noqa: F401
