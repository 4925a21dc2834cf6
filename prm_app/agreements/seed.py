"""Demo agreements: the "Partner Program Agreement" for every partner (version 2 a small wording change published
without re-acceptance) and the "MSP Services Addendum" for MSPs, each signed in the past by every demo
organization it applies to, so no demo login is held on the agreement page.

Idempotent: templates are found by name, versions by number, signatures by (version, organization).
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from prm_app.agreements.models import AgreementSignature, AgreementTemplate, AgreementVersion
from prm_app.agreements.queries import merge_values
from prm_app.agreements.rules import applies, merge, sha256_of
from prm_app.identity import User
from prm_app.partners import Organization
from prm_app.platform.access import Role
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id

PROGRAM = "Partner Program Agreement"
PROGRAM_V1 = """# Partner Program Agreement

This agreement is between Open PRM Vendor Inc. ("the Vendor") and **{{company_name}}**, {{company_address}}
("the Partner").

## 1. Appointment

The Vendor appoints the Partner as a non-exclusive partner to market and resell its products in the Partner's
territory, under the terms of the partner program in force.

## 2. Deal registration

The Partner registers each opportunity before quoting it. An approved registration protects the opportunity for
the period the program sets.

## 3. Confidentiality

Each party keeps the other's confidential information confidential during this agreement and for three years
after it ends.

## 4. Term

This agreement starts on the day it is signed and continues until either party ends it with 30 days' notice in
writing.

Signed for the Partner by {{signer_name}} on {{date}}.
"""
PROGRAM_V2 = PROGRAM_V1.replace(
    "with 30 days' notice in\nwriting.", "with 30 days' notice in\nwriting (email counts as writing)."
)
ADDENDUM = "MSP Services Addendum"
ADDENDUM_V1 = """# MSP Services Addendum

This addendum to the Partner Program Agreement applies to **{{company_name}}** as a managed service provider.

1. The Partner may host the Vendor's products for its customers and bill them monthly.
2. The Partner reports each month's active customer seats by the fifth working day of the next month.
3. The Partner keeps customer data in the region the customer chose.

Signed for the Partner by {{signer_name}} on {{date}}.
"""
PLAN: tuple[tuple[str, list[str], list[tuple[str, bool, int]]], ...] = (
    # name, partner types, [(text, requires re-acceptance, published how many days ago)]
    (PROGRAM, [], [(PROGRAM_V1, True, 420), (PROGRAM_V2, False, 60)]),
    (ADDENDUM, ["msp"], [(ADDENDUM_V1, True, 200)]),
)
DEMO_IP = "192.0.2.10"  # TEST-NET-1: an address that is nobody's
DEMO_BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def _template(session: Session, name: str, types: list[str], body: str, author: int | None) -> AgreementTemplate:
    template = session.exec(select(AgreementTemplate).where(AgreementTemplate.name == name)).first()
    if template is None:
        template = AgreementTemplate(name=name, body=body, partner_types=types, regions=[], created_by_id=author)
        session.add(template)
        session.flush()
    return template


def _version(
    session: Session, template: AgreementTemplate, number: int, spec: tuple[str, bool, int], author: int | None
) -> tuple[AgreementVersion, bool]:
    """The template's version `number`, and whether it was created now."""
    body, requires, days_ago = spec
    version = session.exec(
        select(AgreementVersion).where(AgreementVersion.template_id == template.id, AgreementVersion.number == number)
    ).first()
    if version is not None:
        return version, False
    version = AgreementVersion(
        template_id=saved_id(template), number=number, body=body, body_sha256=sha256_of(body),
        requires_acceptance=requires, grace_days=0, published_by_id=author,
        partner_types=list(template.partner_types), regions=list(template.regions),
        published_at=utcnow() - timedelta(days=days_ago),
    )  # fmt: skip
    session.add(version)
    session.flush()
    return version, True


def seed(session: Session) -> dict[str, int]:
    """The two demo agreements and the demo organizations' signatures; returns how many of each were created."""
    created = {"agreement_versions": 0, "agreement_signatures": 0}
    admin = session.exec(select(User.id).where(User.email == "admin@vendor.example")).first()
    orgs = session.exec(select(Organization).order_by(col(Organization.id))).all()
    signers = {
        u.organization_id: u
        for u in session.exec(
            select(User).where(User.role == Role.PARTNER_ADMIN.value, col(User.is_active)).order_by(col(User.id).desc())
        ).all()
    }  # the first admin of each organization (by id) wins
    for name, types, specs in PLAN:
        template = _template(session, name, types, specs[-1][0], admin)
        for number, spec in enumerate(specs, start=1):
            version, new = _version(session, template, number, spec, admin)
            created["agreement_versions"] += new
            for i, org in enumerate(orgs):
                signer = signers.get(org.id)
                if signer is None or not applies(
                    template.partner_types, template.regions, org.partner_type, org.region
                ):
                    continue
                if session.exec(
                    select(AgreementSignature.id).where(
                        AgreementSignature.version_id == version.id, AgreementSignature.organization_id == org.id
                    )
                ).first():
                    continue
                start = max(version.published_at, org.joined_at)  # nobody signs before it joined or publication
                when = start + timedelta(days=2 + i % 9, hours=3 + i % 7)
                text = merge(version.body, merge_values(org, signer.full_name, when))
                session.add(
                    AgreementSignature(
                        version_id=saved_id(version),
                        organization_id=saved_id(org),
                        user_id=saved_id(signer),
                        typed_name=signer.full_name,
                        signed_at=when,
                        ip=DEMO_IP,
                        user_agent=DEMO_BROWSER,
                        text=text,
                        text_sha256=sha256_of(text),
                    )
                )
                created["agreement_signatures"] += 1
    session.flush()
    return created
