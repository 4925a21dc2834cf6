"""What tiering supplies to the areas below it: the benefits a partner's tier gives (partners.benefits)."""

from prm_app.partners import register_benefit_reader
from prm_app.tiering.benefits import partner_benefits

register_benefit_reader(partner_benefits)
from prm_app.tiering import requirements  # noqa: E402, F401  (registers training's "required for my tier" reader)
