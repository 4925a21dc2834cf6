"""NPS surveys: launch, answer once, NPS by tier/type/region and detractors.

The area's public API: other areas import from here only. Reads return frozen dataclasses with raw values
(queries.py, reports.py); use cases take the session and the actor (service.py).
"""

from prm_app.nps.answers_by_partner import PartnerAnswer, partner_answers
from prm_app.nps.queries import (
    SurveySummary,
    SurveysView,
    SurveyToAnswer,
    get_survey_for_partner,
    list_surveys,
    surveys_to_answer,
    surveys_view,
)
from prm_app.nps.reports import Detractor, NpsGroup, NpsReport, NpsTrendPoint, detractors_for, nps_report
from prm_app.nps.rules import Tally, nps_score
from prm_app.nps.service import answer_survey, launch_survey

__all__ = [
    "Detractor",
    "NpsGroup",
    "NpsReport",
    "NpsTrendPoint",
    "PartnerAnswer",
    "SurveySummary",
    "SurveyToAnswer",
    "SurveysView",
    "Tally",
    "answer_survey",
    "detractors_for",
    "get_survey_for_partner",
    "launch_survey",
    "list_surveys",
    "nps_report",
    "nps_score",
    "partner_answers",
    "service",
    "surveys_to_answer",
    "surveys_view",
]
