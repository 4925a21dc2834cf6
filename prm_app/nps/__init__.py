"""NPS surveys: launch, answer once, NPS by tier/type/region and detractors."""

from prm_app.nps.reports import nps_report
from prm_app.nps.service import open_surveys_for

__all__ = [
    "nps_report",
    "open_surveys_for",
    "service",
]
