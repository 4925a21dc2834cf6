"""What training plugs into other areas: the audience engine's "certifications" fact (which certifications a
partner's people hold live), and the SCORM area's launch check and completion listener for SCORM lessons
(scorm_lessons.py). Imported by prm_app.areas."""

from __future__ import annotations

from prm_app.audience import register_fact_source
from prm_app.scorm import register_completion_listener, register_launch_check
from prm_app.training.certificates import certification_holders, certification_names
from prm_app.training.scorm_lessons import may_launch_lesson, scorm_lesson_reported

register_fact_source("certifications", holders=certification_holders, names=certification_names)
register_launch_check(may_launch_lesson)
register_completion_listener(scorm_lesson_reported)
import prm_app.training.dashboard_panel  # noqa: E402, F401  (registers the training panel of the dashboards)
