"""SPIFF claims for the channel managers: the claims of the partners in their book, the evidence to download, and
for each pending claim approve (the rep's bonus enters the ledger once and joins the next payout) or reject with a
reason the rep sees."""

from __future__ import annotations

import reflex as rx

from prm_app.identity import with_zone
from prm_app.incentives.spiff_claims import decide_spiff_claim, spiff_claim_queue, spiff_evidence
from prm_app.incentives.ui.parts import attachment
from prm_app.incentives.ui.spiff_parts import SpiffClaimRow, spiff_claim_row, spiff_claims_table
from prm_app.platform.errors import DomainError, NotFound
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState


class SpiffReviewState(AuthState):
    claims: list[SpiffClaimRow] = []
    errors: dict[str, str] = {}  # by claim id

    def _reload(self) -> None:
        claims, zone = self._run(with_zone, spiff_claim_queue)
        self.claims = [spiff_claim_row(c, zone) for c in claims]

    @rx.event
    def load(self):
        self.errors = {}
        self._reload()

    @rx.event
    def download(self, claim_id: int):
        return attachment(self, spiff_evidence, claim_id)

    @rx.event
    def decide(self, form: dict):
        # The claim's id comes in the form (a hidden field): decide_spiff_claim looks it up through the actor's book.
        raw = str(form.get("claim_id", "")) if isinstance(form, dict) else ""
        if not raw.isdigit() or len(raw) > 11:
            return None
        try:
            status = self._run(
                decide_spiff_claim, int(raw), str(form.get("decision", ""))[:10], str(form.get("reason", ""))[:1000]
            )
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            self.errors = {raw: exc.message}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success("Claim approved: the bonus joins the rep's next payout." if status == "approved"
                                else "Claim rejected; the rep has been notified.")  # fmt: skip


def _actions(c: rx.Var[SpiffClaimRow]) -> rx.Component:
    key = c.id.to_string()
    return rx.cond(
        c.pending,
        rx.form(
            rx.vstack(
                rx.el.label("Decision", html_for="spiff-decision-" + key, class_name="field-label"),
                rx.el.select(
                    rx.el.option("Approve", value="approve"),
                    rx.el.option("Reject", value="reject"),
                    id="spiff-decision-" + key,
                    name="decision",
                    class_name="native-select",
                ),
                rx.el.label("Reason (for a rejection)", html_for="spiff-reason-" + key, class_name="field-label"),
                rx.input(id="spiff-reason-" + key, name="reason", size="2", width="100%"),
                rx.text(SpiffReviewState.errors.get(key, ""), color=rx.color("red", 11), size="2", role="alert"),
                rx.el.input(type="hidden", name="claim_id", value=c.id),
                rx.button("Save decision", type="submit", size="2"),
                spacing="1",
                min_width="12rem",
            ),
            on_submit=SpiffReviewState.decide,
            reset_on_submit=False,
            no_validate=True,
            aria_label="Decide: " + c.deal,
        ),
        rx.text("Decided", size="2"),
    )


@page("/incentives/spiffs", title="SPIFF claims", audience=Audience.INTERNAL, on_load=SpiffReviewState.load)
def spiff_review_page() -> rx.Component:
    s = SpiffReviewState
    return rx.vstack(
        rx.cond(
            s.claims.length() > 0,
            spiff_claims_table(s.claims, s.download, _actions),
            rx.text("No SPIFF claims from your partners.", size="2"),
        ),
        spacing="4",
        width="100%",
    )
