"""Demo partner groups: "Security Elite" (the partners that lead with Security Suite) and "EMEA launch 2027" (the
partners of next year's EMEA launch), so the demo's courses and assets can be shared with a group.

Idempotent: groups are found by key, members by (group, partner)."""

from __future__ import annotations

from sqlmodel import Session, select

from prm_app.audience.models import PartnerGroup, PartnerGroupMember
from prm_app.partners import Organization
from prm_app.platform.db import saved_id

GROUPS = (
    (
        "security-elite",
        "Security Elite",
        "Partners that lead with Security Suite and get its advanced material first.",
        ("Cobalt Systems VAR", "Meridian Integration Group", "Fjord Managed IT", "Sakura Solutions KK"),
    ),
    (
        "emea-launch-2027",
        "EMEA launch 2027",
        "Partners taking part in next year's EMEA product launch.",
        ("Meridian Integration Group", "Atlas Value Partners", "Fjord Managed IT"),
    ),
)


def seed(session: Session) -> dict[str, int]:
    created = {"partner groups": 0, "partner group members": 0}
    for key, name, description, partners in GROUPS:
        group = session.exec(select(PartnerGroup).where(PartnerGroup.key == key)).first()
        if group is None:
            group = PartnerGroup(key=key, name=name, name_lower=name.lower(), description=description)
            session.add(group)
            session.flush()
            created["partner groups"] += 1
        for partner in partners:
            org = session.exec(select(Organization).where(Organization.name == partner)).first()
            if org is None or session.get(PartnerGroupMember, (saved_id(group), saved_id(org))) is not None:
                continue
            session.add(PartnerGroupMember(group_id=saved_id(group), organization_id=saved_id(org)))
            created["partner group members"] += 1
    return created
