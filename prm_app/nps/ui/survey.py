"""Partner side of NPS: answer an open survey once (0–10 and an optional comment)."""

from __future__ import annotations

import reflex as rx

from prm_app.identity import with_zone
from prm_app.nps import answer_survey, get_survey_for_partner
from prm_app.nps.ui.display import SurveyCard, survey_card
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import NotFound
from prm_app.web.components.forms import field_error
from prm_app.web.language_state import t
from prm_app.web.record import RecordActions
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState


class SurveyState(RecordActions, AuthState):
    found: bool = True
    survey: SurveyCard = SurveyCard()
    errors: dict[str, str] = {}
    _record_id: int = 0

    def _reload(self) -> None:
        try:
            survey, zone = self._run(with_zone, get_survey_for_partner, self._record_id)
            self.survey = survey_card(survey, zone, utcnow(), self.language)
            self.found = True
        except NotFound:
            self.found, self.survey = False, SurveyCard()

    @rx.event
    def load(self):
        self._open_record()

    @rx.event
    def submit(self, form: dict):
        score = str(form.get("score", ""))
        if not score.isdigit():
            self.errors = {"score": self._words().text("nps.choose_score")}
            return None
        return self._act(
            answer_survey,
            self._record_id,
            int(score),
            str(form.get("comment", "")),
            success=self._words().text("nps.thanks"),
        )


def _scale() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(SurveyState.survey.question, class_name="field-label"),
        rx.hstack(
            *[
                rx.el.label(
                    rx.el.input(type="radio", name="score", value=str(n), id=f"score-{n}"),
                    rx.text.span(str(n)),
                    class_name="score-choice",
                )
                for n in range(11)
            ],
            wrap="wrap",
            spacing="2",
        ),
        rx.hstack(
            rx.text(t("nps.scale_low"), size="1"),
            rx.spacer(),
            rx.text(t("nps.scale_high"), size="1"),
            width="100%",
        ),
        field_error(SurveyState.errors, "score"),
        class_name="fieldset",
        id="field-score",
        aria_describedby="field-score-error",
    )


@page("/portal/survey/[survey_id]", title="Partner survey", audience=Audience.PARTNER, on_load=SurveyState.load)
def survey_page() -> rx.Component:
    s = SurveyState.survey
    return rx.cond(
        SurveyState.found,
        rx.vstack(
            rx.heading(s.title, size="5", as_="h2"),
            rx.text(s.open_sentence, size="2"),
            rx.cond(
                s.answered,
                rx.callout(
                    rx.text(s.answered_sentence),
                    icon="circle_check",
                    color_scheme="green",
                ),
                rx.form(
                    rx.vstack(
                        field_error(SurveyState.errors, "action"),
                        _scale(),
                        rx.box(
                            rx.el.label(t("nps.comment"), html_for="field-comment", class_name="field-label"),
                            rx.text_area(
                                id="field-comment",
                                name="comment",
                                rows="3",
                                width="100%",
                                aria_describedby="field-comment-error",
                            ),
                            field_error(SurveyState.errors, "comment"),
                            width="100%",
                        ),
                        rx.button(t("nps.send"), type="submit", size="3"),
                        spacing="4",
                        width="100%",
                        max_width="40rem",
                    ),
                    on_submit=SurveyState.submit,
                    no_validate=True,
                    aria_label=t("nps.form"),
                    reset_on_submit=False,
                ),
            ),
            spacing="4",
            width="100%",
        ),
        rx.callout(t("nps.not_open"), icon="circle_alert", color_scheme="gray", role="alert"),
    )
