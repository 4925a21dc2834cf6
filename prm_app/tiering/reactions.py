"""What tiering supplies to the areas below it: the benefits a partner's tier gives (partners.benefits)."""

from prm_app.partners import register_benefit_reader
from prm_app.tiering.benefits import partner_benefits

register_benefit_reader(partner_benefits)
import prm_app.tiering.dashboard_panel  # noqa: E402, F401  (registers the tiering panel of the dashboards)
