"""One of the partner's fund requests: fix and submit it again when it was returned or questioned; once approved,
claim it before the deadline, cost by cost, each with its invoice (uploaded to private storage, checked by
content), then hand the claim in. The reviewer's decisions and notes show per line."""

from __future__ import annotations

import reflex as rx

from prm_app.incentives import (
    PROOF_MAX_BYTES,
    PROOFS,
    add_claim_line,
    check_claimable,
    claim_invoice,
    my_funds,
    submit_claim,
)
from prm_app.incentives import submit_fund_request as resubmit
from prm_app.incentives.mdf_proofs import add_proof, my_checklist, proof_download
from prm_app.incentives.rules import ACTIVITY_TYPES
from prm_app.incentives.ui.display import RequestRow, request_row
from prm_app.incentives.ui.parts import attachment, claim_lines, money_form_fields, private_upload, request_card
from prm_app.incentives.ui.proof_parts import ProofRow, proof_checklist, proof_rows, proof_uploader
from prm_app.incentives.ui.roi_parts import RequestRoiState, partner_roi_section
from prm_app.platform.access import Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, ValidationError
from prm_app.web.components.forms import field, field_error
from prm_app.web.layout import record_heading, record_page
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState
from prm_app.web.uploads_http import allow_upload

INVOICE_INPUT = "mdf-invoice"


class PortalRequestState(AuthState):
    found: bool = True
    request: RequestRow = RequestRow()
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    uploaded_name: str = ""
    uploading: bool = False
    line_key: int = 0
    proofs: list[ProofRow] = []
    proof_item: str = ""
    uploading_proof: bool = False
    _request_id: int = 0
    _allocation_id: int = 0
    _file: tuple[str, str, str] = ("", "", "")

    def _reload(self) -> None:
        funds = self._run(my_funds)
        view = next((r for r in funds.requests if r.id == self._request_id), None)
        if view is None:
            self.found, self.request = False, RequestRow()
            return
        self.found, self.request, self._allocation_id = True, request_row(view, utcnow().date()), view.allocation_id
        self.proofs = proof_rows(self._run(my_checklist, self._request_id))
        self.values = {
            "activity_type": view.activity_type,
            "title": view.title,
            "starts_on": view.starts_on.isoformat(),
            "ends_on": view.ends_on.isoformat(),
            "expected_leads": str(view.expected_leads),
            "requested_amount": f"{view.requested_amount:.2f}",
            "partner_contribution": f"{view.partner_contribution:.2f}",
        }

    @rx.event
    def download_invoice(self, line_id: int):
        """A claim line's invoice, as an attachment (claims.claim_file checks who asks)."""
        return attachment(self, claim_invoice, line_id)

    @rx.event
    def download_proof(self, proof_id: int):
        """A checklist item's file, as an attachment (mdf_proofs.proof_download checks who asks)."""
        return attachment(self, proof_download, proof_id)

    @rx.event
    def choose_proof(self, item: str):
        self.proof_item = str(item)[:30]

    @rx.event(background=True)
    async def upload_proof(self, chunks: rx.UploadChunkIterator):
        """The file streams into private storage (capped, checked by content) and proves the chosen item."""
        async with self:
            request_id, item, self.uploading_proof = self._request_id, self.proof_item, True
            self.errors = {k: v for k, v in self.errors.items() if k != "proof_item"}
        try:
            if not item:
                raise ValidationError("Choose which proof this file is.", "proof_item")
            await self._run_in_thread(check_claimable, request_id)
            stored = await PROOFS.receive(chunks)
            try:
                _id, replaced = await self._run_in_thread(
                    add_proof, request_id, item, stored.key, stored.content_type, stored.name
                )
            except DomainError:
                PROOFS.delete(stored.key)
                raise
        except DomainError as exc:
            async with self:
                self.uploading_proof, self.errors = False, {**self.errors, "proof_item": exc.message}
            return None
        if replaced:
            PROOFS.delete(replaced)
        rows = proof_rows(await self._run_in_thread(my_checklist, request_id))
        async with self:
            self.uploading_proof, self.proofs = False, rows
            self.errors = {k: v for k, v in self.errors.items() if k != f"proof_{item}"}
        return rx.toast.success("Proof uploaded.")

    @rx.event
    def load(self):
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.errors, self.uploaded_name, self.uploading, self._file = {}, "", False, ("", "", "")
        self.proof_item, self.uploading_proof = "", False
        self.found = raw.isdigit()
        if self.found:
            self._request_id = int(raw)
            self._reload()

    @rx.event
    def submit_again(self, form: dict):
        fields = {k: str(form.get(k, ""))[:200] for k in self.values}
        try:
            self._run(resubmit, self._allocation_id, fields, request_id=self._request_id)
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success("Request sent again.")

    @rx.event(background=True)
    async def upload_invoice(self, chunks: rx.UploadChunkIterator):
        """The invoice streams into private storage (capped, checked by content); the next line added uses it."""
        async with self:
            request_id, self.uploading = self._request_id, True
            self.errors = {k: v for k, v in self.errors.items() if k != "invoice"}
        try:
            await self._run_in_thread(check_claimable, request_id)
            stored = await PROOFS.receive(chunks)
        except (ValidationError, DomainError) as exc:
            async with self:
                self.uploading, self.errors = False, {**self.errors, "invoice": exc.message}
            return None
        async with self:
            previous = self._file[0]
            self._file, self.uploaded_name, self.uploading = (
                (stored.key, stored.content_type, stored.name),
                stored.name,
                False,
            )
        if previous:
            PROOFS.delete(previous)
        return None

    @rx.event
    def add_line(self, form: dict):
        fields = {k: str(form.get(k, ""))[:200] for k in ("description", "invoice_number", "amount")}
        try:
            self._run(add_claim_line, self._request_id, fields, *self._file)
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            self.errors = {"description": exc.message}
            return None
        self.errors, self._file, self.uploaded_name, self.line_key = {}, ("", "", ""), "", self.line_key + 1
        self._reload()
        return rx.toast.success("Cost added to the claim.")

    @rx.event
    def hand_in(self, form: dict):
        try:
            self._run(submit_claim, self._request_id, str(form.get("leads_generated", ""))[:12])
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        except ValidationError as exc:
            self.errors = {exc.field or "leads_generated": exc.message}
            return None
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            self.errors = {"leads_generated": exc.message}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success("Claim sent for review.")


allow_upload(PortalRequestState.upload_invoice, Permission.CLAIM_FUNDS, PROOF_MAX_BYTES)
allow_upload(PortalRequestState.upload_proof, Permission.CLAIM_FUNDS, PROOF_MAX_BYTES)


def _claim_form() -> rx.Component:
    s = PortalRequestState
    return rx.card(
        rx.heading("Claim", size="4", as_="h2", margin_bottom="0.25rem"),
        rx.text("Proof needed: ", s.request.checklist, ". Add each cost with its invoice.", size="2"),
        rx.vstack(
            rx.heading("Proof checklist", size="3", as_="h3"),
            proof_checklist(s.proofs, s.errors, s.download_proof),
            proof_uploader(
                s.proofs,
                s.proof_item,
                s.choose_proof,
                s.upload_proof,
                s.uploading_proof,
                s.errors.get("proof_item", ""),
            ),
            rx.heading("Costs", size="3", as_="h3"),
            *private_upload(INVOICE_INPUT, "Invoice", "Upload invoice", s.upload_invoice, s.uploading),
            rx.cond(s.uploaded_name != "", rx.text("Uploaded: ", s.uploaded_name, size="2", role="status")),
            field_error(s.errors, "invoice"),
            rx.form(
                rx.vstack(
                    field("What the cost was", "description", s.errors.get("description", "")),
                    rx.flex(
                        field("Invoice number", "invoice_number", s.errors.get("invoice_number", "")),
                        field("Amount", "amount", s.errors.get("amount", "")),
                        spacing="3",
                        width="100%",
                        direction={"initial": "column", "sm": "row"},
                    ),
                    rx.button("Add cost", type="submit"),
                    spacing="3",
                    width="100%",
                ),
                key=s.line_key,
                on_submit=s.add_line,
                reset_on_submit=False,
                no_validate=True,
                aria_label="Add a cost",
            ),
            rx.form(
                rx.flex(
                    field(
                        "Leads the activity brought",
                        "leads_generated",
                        s.errors.get("leads_generated", ""),
                        type="number",
                    ),
                    rx.button("Submit claim", type="submit", color_scheme="green"),
                    spacing="3",
                    align="end",
                    wrap="wrap",
                    width="100%",
                ),
                on_submit=s.hand_in,
                reset_on_submit=False,
                no_validate=True,
                aria_label="Submit the claim",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


@page(
    "/portal/incentives/requests/[request_id]",
    title="Fund request",
    audience=Audience.PARTNER,
    on_load=[PortalRequestState.load, RequestRoiState.load],
)
@record_page
def portal_fund_request_page() -> rx.Component:
    s = PortalRequestState
    return rx.vstack(
        record_heading(s.request.title, [("Incentives", "/portal/incentives")], "Fund request"),
        rx.cond(
            s.found,
            rx.vstack(
                request_card(s.request, "/portal/incentives/requests/"),
                rx.cond(s.request.lines.length() > 0, claim_lines(s.request.lines, s.download_invoice)),
                rx.cond(s.request.can_claim, _claim_form()),
                rx.cond(
                    (s.request.status_code == "approved") | (s.request.status_code == "claimed"),
                    partner_roi_section(),
                ),
                rx.cond(
                    s.request.can_resubmit,
                    rx.card(
                        rx.heading("Fix and send again", size="4", as_="h2", margin_bottom="0.5rem"),
                        rx.form(
                            rx.vstack(
                                money_form_fields(s.errors, list(ACTIVITY_TYPES.items()), s.values),
                                rx.button("Send again", type="submit"),
                                spacing="3",
                                width="100%",
                            ),
                            on_submit=s.submit_again,
                            reset_on_submit=False,
                            no_validate=True,
                            aria_label="Fix and send again",
                        ),
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
        max_width="48rem",
    )
