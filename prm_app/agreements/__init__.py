"""Partner agreements: templates with merge fields, immutable versions, signatures with evidence, and the gate
that keeps a partner's people on the agreement page until an authorised signer has signed.

The area's public API: other areas import from here only. `pending_agreements(session, organization_id)` says
what an organization still has to sign (with due dates); signing records the engagement event "agreement_signed"
(subject "agreement_version", the version's id) for the organization, which other areas may react to.
"""

from prm_app.agreements.languages import OTHER_LANGUAGES, LanguageVersion, save_language_version
from prm_app.agreements.manage import (
    SignatureLine,
    SignedCopy,
    TemplateDetail,
    TemplateSummary,
    VersionLine,
    list_templates,
    signed_copy,
    template_detail,
)
from prm_app.agreements.queries import (
    AgreementGate,
    MyAgreements,
    PendingAgreement,
    SignedAgreement,
    ToSign,
    agreement_gate,
    my_agreements,
    pending_agreements,
    signed_everything,
)
from prm_app.agreements.rules import MERGE_FIELDS, Segment
from prm_app.agreements.service import publish_version, save_template, sign_agreement

__all__ = [
    "MERGE_FIELDS",
    "OTHER_LANGUAGES",
    "AgreementGate",
    "LanguageVersion",
    "MyAgreements",
    "PendingAgreement",
    "Segment",
    "SignatureLine",
    "SignedAgreement",
    "SignedCopy",
    "TemplateDetail",
    "TemplateSummary",
    "ToSign",
    "VersionLine",
    "agreement_gate",
    "list_templates",
    "my_agreements",
    "pending_agreements",
    "publish_version",
    "save_language_version",
    "save_template",
    "sign_agreement",
    "signed_copy",
    "signed_everything",
    "template_detail",
]
