"""The proof-of-performance checklist of a fund request's claim: one file per item its activity type requires
(mdf_rules.PROOF_ITEMS), uploaded by the partner while the claim may be changed, stored privately like the invoices
(claims.PROOFS: checked by content). `submit_claim` refuses a claim while an item has no file; the reviewer sees
each item ticked with its file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from prm_app.incentives.claims import PROOFS, _own_request, check_claimable, file_sha256
from prm_app.incentives.mdf import _reviewable
from prm_app.incentives.mdf_models import ClaimProof
from prm_app.incentives.mdf_rules import proof_items
from prm_app.incentives.models import FundRequest
from prm_app.platform.access import Actor
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound, ValidationError


@dataclass(frozen=True)
class ProofView:
    item: str
    label: str
    proof_id: int | None  # None: no file yet
    file_name: str
    uploaded_at: datetime | None


def add_proof(
    session: Session, actor: Actor, request_id: int, item: str, file_key: str, file_type: str, file_name: str
) -> tuple[int, str]:
    """Attach the uploaded file to one checklist item of the partner's own request (replacing an earlier file).
    Returns (the proof's id, the replaced file's key or "": the caller deletes it once this is saved)."""
    check_claimable(session, actor, request_id)
    request = _own_request(session, actor, request_id)
    if item not in dict(proof_items(request.activity_type)):
        raise ValidationError("Choose which proof this file is.", "proof_item")
    if not file_key or PROOFS.path(file_key) is None:
        raise ValidationError("Upload the file first.", f"proof_{item}")
    proof = session.exec(select(ClaimProof).where(ClaimProof.request_id == request_id, ClaimProof.item == item)).first()
    replaced = proof.file_key if proof is not None else ""
    if proof is None:
        proof = ClaimProof(request_id=request_id, organization_id=request.organization_id, item=item, file_key="",
                           file_type="", file_name="", file_sha256="")  # fmt: skip
    proof.file_key, proof.file_type, proof.file_name = file_key, file_type, file_name[:200]
    proof.file_sha256, proof.uploaded_by_id, proof.uploaded_at = file_sha256(file_key), actor.user_id, utcnow()
    session.add(proof)
    session.flush()
    audit(session, actor, "mdf_proof_added", "claim_proof", proof.id, item=item)
    return saved_id(proof), replaced


def checklist(session: Session, request: FundRequest) -> list[ProofView]:
    """Every item the request's activity type requires, with its file if there is one, in the checklist's order."""
    have = {
        p.item: p
        for p in session.exec(
            select(ClaimProof).where(ClaimProof.request_id == request.id).order_by(col(ClaimProof.id))
        ).all()
    }
    out = []
    for item, label in proof_items(request.activity_type):
        p = have.get(item)
        out.append(ProofView(item, label, p.id if p else None, p.file_name if p else "", p.uploaded_at if p else None))
    return out


def my_checklist(session: Session, actor: Actor, request_id: int) -> list[ProofView]:
    """The checklist of the partner's own request."""
    return checklist(session, _own_request(session, actor, request_id))


def review_checklist(session: Session, actor: Actor, request_id: int) -> list[ProofView]:
    """The checklist of a request the reviewer reaches (its partner is in the reviewer's book)."""
    request, _org = _reviewable(session, actor, request_id)
    return checklist(session, request)


def proof_download(session: Session, actor: Actor, proof_id: int) -> tuple[bytes, str]:
    """(content, file name) of a proof, for its partner's people and the managers reaching the partner."""
    proof = session.get(ClaimProof, proof_id)
    if proof is None:
        raise NotFound("proof")
    if actor.is_partner:
        _own_request(session, actor, proof.request_id)
    else:
        _reviewable(session, actor, proof.request_id)
    path = PROOFS.path(proof.file_key)
    if path is None or not path.is_file():
        raise NotFound("proof")
    return path.read_bytes(), proof.file_name
