"""What tiering supplies to the areas below it: the benefits a partner's tier gives (partners.benefits), the
certifications a tier asks for (training's "required for my tier", requirements.py) and the dashboards' tier panel
(dashboard_panel.py); the last two register themselves when imported."""

from prm_app.partners import register_benefit_reader
from prm_app.tiering import dashboard_panel, requirements  # noqa: F401  (each registers itself on import)
from prm_app.tiering.benefits import partner_benefits

register_benefit_reader(partner_benefits)
