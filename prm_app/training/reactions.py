"""What training plugs into other areas: the audience engine's "certifications" fact (which certifications a
partner's people hold live). Imported by prm_app.areas."""

from __future__ import annotations

from prm_app.audience import register_fact_source
from prm_app.training.certificates import certification_holders, certification_names

register_fact_source("certifications", holders=certification_holders, names=certification_names)
