"""The deals area's pages; importing this package registers them."""

from prm_app.deals.ui import (  # noqa: F401
    deal_detail,
    deal_new,
    my_deals,
    registration_review,
    registrations,
    reseller_deals,
)
