"""Onboarding test helpers: a template in stages, built through the same use cases managers use."""

from __future__ import annotations

from sqlmodel import Session

from prm_app.onboarding import templates as tpl
from prm_app.platform.access import Actor


def make_template(
    session: Session,
    manager: Actor,
    stages: dict[str, list[tuple[str, str, bool]]],
    *,
    partner_type: str = "reseller",
    region: str = "",
    name: str = "",
) -> int:
    """A template with `stages` {name: [(title, kind, requires_approval), ...]} in order. Returns its id."""
    template_id = tpl.create_template(
        session, manager, name=name or f"{partner_type or 'Any'} {region or 'anywhere'}",
        partner_type=partner_type, region=region,
    )  # fmt: skip
    for stage_name, tasks in stages.items():
        stage_id = tpl.add_stage(session, manager, template_id, stage_name)
        for title, kind, approval in tasks:
            tpl.add_task(session, manager, template_id, stage_id, title=title, kind=kind, requires_approval=approval)
    session.flush()
    return template_id


STANDARD = {
    "Welcome": [
        ("Sign the partner agreement", "sign_agreement", False),
        ("Complete your company profile", "complete_profile", False),
    ],
    "Enable": [
        ("Invite a colleague", "invite_colleague", False),
        ("Send us your business plan", "custom", True),
        ("Upload your certificate of incorporation", "upload_document", True),
    ],
    "Sell": [("Register your first deal", "register_first_deal", False)],
}
