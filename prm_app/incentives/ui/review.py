"""A fund request for its channel manager: approve it (possibly lower, with a reimbursement share), return it for
changes, decline it, or ask a question; then review its claim line by line (accept as is / with changes / deny /
return, each with a note the partner sees) and close the review, which posts the approved amount to the ledger."""

from __future__ import annotations

import reflex as rx

from prm_app.incentives import (
    claim_invoice,
    decide_claim_line,
    decide_fund_request,
    finish_claim_review,
    request_for_review,
)
from prm_app.incentives.mdf_proofs import proof_download, review_checklist
from prm_app.incentives.mdf_roi import review_roi
from prm_app.incentives.rules import LINE_DECISIONS
from prm_app.incentives.ui.display import LineRow, RequestRow, request_row
from prm_app.incentives.ui.parts import attachment, claim_lines, request_card
from prm_app.incentives.ui.proof_parts import ProofRow, proof_checklist, proof_rows
from prm_app.incentives.ui.roi_parts import RoiCard, roi_card, roi_facts
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, ValidationError
from prm_app.web.components.forms import field, field_error, select_field
from prm_app.web.layout import record_heading, record_page
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState


class FundReviewState(AuthState):
    found: bool = True
    request: RequestRow = RequestRow()
    errors: dict[str, str] = {}
    line_errors: dict[str, str] = {}
    proofs: list[ProofRow] = []
    roi: RoiCard = RoiCard()
    _request_id: int = 0
    _claim_id: int = 0

    def _reload(self) -> None:
        try:
            view = self._run(request_for_review, self._request_id)
        except NotFound:
            self.found, self.request = False, RequestRow()
            return
        self.found, self.request, self._claim_id = True, request_row(view, utcnow().date()), view.claim_id or 0
        self.proofs = proof_rows(self._run(review_checklist, self._request_id))
        self.roi = roi_card(self._run(review_roi, self._request_id))

    @rx.event
    def download_invoice(self, line_id: int):
        """A claim line's invoice, as an attachment (claims.claim_file checks who asks)."""
        return attachment(self, claim_invoice, line_id)

    @rx.event
    def download_proof(self, proof_id: int):
        """A checklist item's file, as an attachment (mdf_proofs.proof_download checks who asks)."""
        return attachment(self, proof_download, proof_id)

    @rx.event
    def load(self):
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.errors, self.line_errors, self.found = {}, {}, raw.isdigit()
        if self.found:
            self._request_id = int(raw)
            self._reload()

    @rx.event
    def decide(self, form: dict):
        decision = str(form.get("decision", ""))[:20]
        try:
            self._run(
                decide_fund_request,
                self._request_id,
                decision,
                amount=str(form.get("approved_amount", ""))[:20],
                reimbursement_pct=str(form.get("reimbursement_pct", ""))[:5],
                note=str(form.get("note", ""))[:1000],
            )
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        except ValidationError as exc:
            self.errors = {exc.field or "note": exc.message}
            return None
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            self.errors = {"decision": exc.message}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success("Decision saved; the partner has been notified.")

    @rx.event
    def decide_line(self, form: dict):
        # The line's id comes in the form (a hidden field): a form's submit handler inside rx.foreach cannot see
        # the item (Reflex 0.10 hoists it out of the loop); decide_claim_line looks it up through the actor's scope.
        raw = str(form.get("line_id", "")) if isinstance(form, dict) else ""
        if not raw.isdigit() or len(raw) > 11:
            return None
        line_id = int(raw)
        try:
            self._run(
                decide_claim_line,
                line_id,
                str(form.get("decision", ""))[:30],
                str(form.get("final_amount", ""))[:20],
                str(form.get("note", ""))[:1000],
            )
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            self.line_errors = {str(line_id): exc.message}
            return None
        self.line_errors = {}
        self._reload()
        return None

    @rx.event
    def finish(self):
        try:
            status = self._run(finish_claim_review, self._claim_id)
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            self.errors = {"finish": exc.message}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success(
            "Claim approved: it joins the partner's next payout."
            if status == "approved"
            else "Claim returned to the partner."
        )


def _line_actions(line: rx.Var[LineRow]) -> rx.Component:
    s = FundReviewState
    key = line.id.to_string()
    return rx.cond(
        line.pending,
        rx.form(
            rx.vstack(
                rx.el.label("Decision", html_for="decision-" + key, class_name="field-label"),
                rx.el.select(
                    *[rx.el.option(v, value=k) for k, v in LINE_DECISIONS.items()],
                    id="decision-" + key,
                    name="decision",
                    class_name="native-select",
                ),
                rx.el.label("Accepted amount (if changed)", html_for="final-" + key, class_name="field-label"),
                rx.input(id="final-" + key, name="final_amount", size="2", width="100%"),
                rx.el.label("Note for the partner", html_for="note-" + key, class_name="field-label"),
                rx.input(id="note-" + key, name="note", size="2", width="100%"),
                rx.text(s.line_errors.get(key, ""), color=rx.color("red", 11), size="2", role="alert"),
                rx.el.input(type="hidden", name="line_id", value=line.id),
                rx.button("Save decision", type="submit", size="2"),
                spacing="1",
                min_width="12rem",
            ),
            on_submit=FundReviewState.decide_line,
            reset_on_submit=False,
            no_validate=True,
            aria_label="Decide: " + line.description,
        ),
        rx.text("Decided", size="2"),
    )


def _decision_form() -> rx.Component:
    s = FundReviewState
    e = s.errors
    choices = [
        ("approve", "Approve"),
        ("reject", "Return for changes"),
        ("ask", "Ask for information"),
        ("decline", "Decline (final)"),
    ]
    return rx.card(
        rx.heading("Decision", size="4", as_="h2", margin_bottom="0.5rem"),
        rx.form(
            rx.vstack(
                select_field("Decision", "decision", choices, "approve", e.get("decision", "")),
                rx.flex(
                    field(
                        "Approved amount",
                        "approved_amount",
                        e.get("approved_amount", ""),
                        required=False,
                        hint="Leave empty to approve what was asked",
                    ),
                    field(
                        "Reimbursement %",
                        "reimbursement_pct",
                        e.get("reimbursement_pct", ""),
                        required=False,
                        default_value="100",
                    ),
                    spacing="3",
                    width="100%",
                    direction={"initial": "column", "sm": "row"},
                ),
                field("Note for the partner", "note", e.get("note", ""), required=False),
                rx.button("Save decision", type="submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=s.decide,
            reset_on_submit=False,
            no_validate=True,
            aria_label="Decide the request",
        ),
        width="100%",
    )


@page(
    "/incentives/requests/[request_id]", title="Fund request", audience=Audience.INTERNAL, on_load=FundReviewState.load
)
@record_page
def fund_review_page() -> rx.Component:
    s = FundReviewState
    return rx.vstack(
        record_heading(s.request.title, [("Incentives", "/incentives")], "Fund request"),
        rx.cond(
            s.found,
            rx.vstack(
                request_card(s.request, "/incentives/requests/"),
                rx.text(
                    "Expected leads: ",
                    s.request.expected_leads,
                    " · Partner contribution: ",
                    s.request.contribution,
                    size="2",
                ),
                rx.cond(s.request.status_code == "submitted", _decision_form()),
                rx.cond(
                    (s.request.status_code == "approved") | (s.request.status_code == "claimed"),
                    rx.card(
                        rx.heading("Results and return", size="4", as_="h2", margin_bottom="0.5rem"),
                        roi_facts(s.roi),
                        width="100%",
                    ),
                ),
                rx.cond(
                    s.request.lines.length() > 0,
                    rx.vstack(
                        rx.heading("Claim", size="4", as_="h2"),
                        proof_checklist(s.proofs, s.errors, s.download_proof),
                        claim_lines(s.request.lines, s.download_invoice, _line_actions),
                        rx.cond(
                            s.request.claim_code == "submitted",
                            rx.button("Finish review", on_click=s.finish, color_scheme="green"),
                        ),
                        field_error(s.errors, "finish"),
                        spacing="3",
                        width="100%",
                    ),
                ),
                spacing="4",
                width="100%",
            ),
            rx.callout("Request not found.", icon="circle_alert", color_scheme="gray", role="alert"),
        ),
        spacing="4",
        width="100%",
    )
