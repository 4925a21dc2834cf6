"""The rep's SPIFF claims: choose a SPIFF that is paid on claims, one of the deals they registered that qualifies,
upload the evidence (checked by content, stored privately), claim; their claims with the manager's decision."""

from __future__ import annotations

import reflex as rx

from prm_app.identity import with_zone
from prm_app.incentives.claims import PROOF_MAX_BYTES
from prm_app.incentives.spiff_claims import EVIDENCE, claim_spiff, claimable_spiffs, my_spiff_claims, spiff_evidence
from prm_app.incentives.ui.parts import attachment, private_upload
from prm_app.incentives.ui.spiff_parts import SpiffClaimRow, spiff_claim_row, spiff_claims_table
from prm_app.platform.access import Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import DomainError, FormInvalid, ValidationError
from prm_app.web.components.forms import field_error, labelled
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState
from prm_app.web.uploads_http import allow_upload

EVIDENCE_INPUT = "spiff-evidence"


class SpiffClaimState(AuthState):
    programs: list[tuple[str, str]] = []
    program: str = ""
    deals: list[tuple[str, str]] = []
    claims: list[SpiffClaimRow] = []
    errors: dict[str, str] = {}
    uploaded_name: str = ""
    uploading: bool = False
    form_key: int = 0
    _options: dict[str, list[tuple[str, str]]] = {}
    _file: tuple[str, str, str] = ("", "", "")

    def _reload(self) -> None:
        offered = self._run(claimable_spiffs, today=utcnow().date())
        self.programs = [(str(pid), label) for pid, label, _deals in offered]
        self._options = {str(pid): [(str(d), name) for d, name in deals] for pid, _label, deals in offered}
        if self.program not in self._options:
            self.program = self.programs[0][0] if self.programs else ""
        self.deals = self._options.get(self.program, [])
        claims, zone = self._run(with_zone, my_spiff_claims)
        self.claims = [spiff_claim_row(c, zone) for c in claims]

    @rx.event
    def load(self):
        self.errors, self.uploaded_name, self.uploading, self._file = {}, "", False, ("", "", "")
        self._reload()

    @rx.event
    def choose(self, value: str):
        self.program = str(value)[:12]
        self.deals = self._options.get(self.program, [])

    @rx.event
    def download(self, claim_id: int):
        return attachment(self, spiff_evidence, claim_id)

    @rx.event(background=True)
    async def upload_evidence(self, chunks: rx.UploadChunkIterator):
        """The evidence streams into private storage (capped, checked by content); the next claim uses it."""
        async with self:
            self.uploading, self.errors = True, {k: v for k, v in self.errors.items() if k != "evidence"}
        try:
            stored = await EVIDENCE.receive(chunks)
        except ValidationError as exc:
            async with self:
                self.uploading, self.errors = False, {**self.errors, "evidence": exc.message}
            return None
        async with self:
            previous = self._file[0]
            self._file = (stored.key, stored.content_type, stored.name)
            self.uploaded_name, self.uploading = stored.name, False
        if previous:
            EVIDENCE.delete(previous)
        return None

    @rx.event
    def submit(self, form: dict):
        raw = str(form.get("deal_id", "")) if isinstance(form, dict) else ""
        if not self.program.isdigit() or not raw.isdigit() or len(raw) > 11:
            self.errors = {"deal_id": "Choose one of your deals."}
            return None
        try:
            self._run(claim_spiff, int(self.program), int(raw), *self._file)
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        except DomainError as exc:
            self.errors = {exc.field or "deal_id": exc.message}
            return None
        self.errors, self._file, self.uploaded_name, self.form_key = {}, ("", "", ""), "", self.form_key + 1
        self._reload()
        return rx.toast.success("SPIFF claimed: your channel manager will review it.")


allow_upload(SpiffClaimState.upload_evidence, Permission.CLAIM_FUNDS, PROOF_MAX_BYTES)


def _claim_form() -> rx.Component:
    s = SpiffClaimState
    return rx.card(
        rx.vstack(
            rx.heading("Claim a SPIFF", size="4", as_="h2"),
            labelled(
                s.errors,
                "SPIFF",
                "program_id",
                rx.el.select(
                    rx.foreach(s.programs, lambda o: rx.el.option(o[1], value=o[0])),
                    id="field-program_id",
                    value=s.program,
                    on_change=s.choose,
                    class_name="native-select",
                ),
            ),
            *private_upload(EVIDENCE_INPUT, "Evidence", "Upload evidence", s.upload_evidence, s.uploading),
            rx.cond(s.uploaded_name != "", rx.text("Uploaded: ", s.uploaded_name, size="2", role="status")),
            field_error(s.errors, "evidence"),
            rx.form(
                rx.vstack(
                    labelled(
                        s.errors,
                        "Deal you registered",
                        "deal_id",
                        rx.el.select(
                            rx.el.option("Choose a deal…", value=""),
                            rx.foreach(s.deals, lambda o: rx.el.option(o[1], value=o[0])),
                            id="field-deal_id",
                            name="deal_id",
                            class_name="native-select",
                        ),
                    ),
                    rx.button("Claim SPIFF", type="submit"),
                    spacing="3",
                    width="100%",
                ),
                key=s.form_key,
                on_submit=s.submit,
                reset_on_submit=False,
                no_validate=True,
                aria_label="Claim a SPIFF",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


@page("/portal/incentives/spiffs", title="SPIFF claims", audience=Audience.PARTNER, on_load=SpiffClaimState.load)
def spiff_claims_page() -> rx.Component:
    s = SpiffClaimState
    return rx.vstack(
        rx.cond(
            s.programs.length() > 0,
            _claim_form(),
            rx.text("No SPIFF is open for claims right now.", size="2"),
        ),
        rx.heading("Your claims", size="4", as_="h2"),
        rx.cond(
            s.claims.length() > 0,
            spiff_claims_table(s.claims, s.download),
            rx.text("You have not claimed a SPIFF yet.", size="2"),
        ),
        spacing="4",
        width="100%",
        max_width="48rem",
    )
