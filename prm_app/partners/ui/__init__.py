"""The partners area's pages; importing this package registers them."""

from prm_app.partners.ui import directory, invite, org_profile, partner_detail, portal_home, team  # noqa: F401
