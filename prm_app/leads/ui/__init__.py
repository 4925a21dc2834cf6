"""The leads area's pages; importing this package registers them."""

from prm_app.leads.ui import lead_fairness, lead_intake, lead_queue, partner_leads  # noqa: F401
