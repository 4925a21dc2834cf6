"""Demo recruitment: two programs' forms ("Resellers & VARs", "MSP program", each with extra fields, one hidden for
reviewers), the qualification criteria, twelve applications in every status (scored, two adjusted, one waiting for
more detail, one approved whose organization is the demo's Andes Cloud Services), and funnel steps over the last
four months. Idempotent: programs by slug, criteria by key, applications by reference, funnel steps by
(visit, stage). Deterministic (random.Random(12)).

Rows are written directly: the public use case would email every demo applicant and count against the rate limit,
and an approval would provision a partner that the other areas' demo data does not know.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta

from sqlmodel import Session, select

from prm_app.identity import User
from prm_app.partners import Organization
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.recruitment.models import Application, Criterion, FunnelEvent, Program, ScoreAdjustment
from prm_app.recruitment.rules import DEFAULT_WEIGHTS, ExtraField, dump_fields
from prm_app.recruitment.scoring import rescore

PROGRAMS = [
    (
        "resellers",
        "Resellers & VARs",
        "var",
        "## Sell Open PRM to your customers\n\nResellers and value-added resellers get **deal registration**, "
        "margin from the first deal and a channel manager who knows your market.\n\n- Lead sharing by region\n"
        "- Certification for your engineers\n- Co-marketing funds from Silver tier",
        [
            ExtraField(
                "x_distributor",
                "Preferred distributor",
                "select",
                ("Broadline distributor", "Specialist distributor", "We buy direct"),
                required=True,
            ),
            ExtraField("x_demo_center", "We run a demo center", "checkbox"),
            ExtraField("x_credit_check", "Credit check result", "text", hidden=True),
        ],
    ),
    (
        "msp",
        "MSP program",
        "msp",
        "## Run Open PRM for your clients\n\nManaged service providers bill monthly and keep the margin. "
        "Tell us about the services you run today.",
        [
            ExtraField("x_services", "Services you manage today", "textarea", required=True),
            ExtraField("x_soc", "Home country of your operations center", "country"),
            ExtraField("x_reference_call", "Reference call notes", "textarea", hidden=True),
        ],
    ),
]

CRITERIA_LISTS = {"vertical_fit": "healthcare\nfinance\nmanufacturing", "competitors": "Globex\nInitech\nHooli"}

# (reference, program, status, reason, company, domain, country, band, verticals, vendors, certified, days ago)
APPLICATIONS = [
    ("APP-DEMO2SUB", "resellers", "submitted", "", "Brightline IT Ltd", "brightline-it.example", "GB", "5m_20m",
     "finance,retail", "Contoso", 3, 2),
    ("APP-DEMO3SUB", "msp", "submitted", "", "Kestrel Managed Services", "kestrel-ms.example", "NL", "1m_5m",
     "healthcare", "Globex", 1, 5),
    ("APP-DEMO4SUB", "resellers", "submitted", "", "Pampas Digital SA", "pampas-digital.example", "AR", "under_1m",
     "retail", "", 0, 9),
    ("APP-DEMO5REV", "resellers", "in_review", "", "Tatra Systems s.r.o.", "tatra-sys.example", "SK", "20m_100m",
     "manufacturing,finance", "Initech\nContoso", 6, 12),
    ("APP-DEMO6REV", "msp", "in_review", "", "Baobab Cloud", "baobab-cloud.example", "KE", "1m_5m",
     "healthcare,public", "", 2, 16),
    ("APP-DEMO7APR", "msp", "approved", "", "Andes Cloud Services", "andescloud.example", "CL", "5m_20m",
     "finance", "Contoso", 4, 70),
    ("APP-DEMO8DET", "resellers", "rejected", "needs_more_detail", "Yarra Data Pty", "yarra-data.example", "AU",
     "1m_5m", "education", "Fabrikam", 1, 20),
    ("APP-DEMO9FIT", "resellers", "rejected", "does_not_fit", "Quokka Gadgets", "quokka-gadgets.example", "AU",
     "under_1m", "retail", "Globex\nHooli", 0, 40),
    ("APP-DEMOAOTH", "msp", "rejected", "other", "Nordlys Drift AS", "nordlys-drift.example", "NO", "1m_5m",
     "energy", "", 1, 33),
    ("APP-DEMOBDEC", "resellers", "declined", "", "Cheapest Licences 4U", "cheapest-licences.example", "US",
     "under_1m", "technology", "Globex\nInitech\nHooli", 0, 55),
    ("APP-DEMOCWDR", "msp", "withdrawn", "", "Fennec Networks", "fennec-net.example", "TN", "1m_5m",
     "public", "", 2, 48),
    ("APP-DEMODSUB", "msp", "submitted", "", "Kiwi Ops Ltd", "kiwi-ops.example", "NZ", "5m_20m",
     "healthcare,manufacturing", "", 5, 1),
]  # fmt: skip
NOTES = {
    "APP-DEMO8DET": "Which regions of Australia do you cover, and how many of your staff are certified?",
    "APP-DEMO9FIT": "Consumer gadgets: not a market we serve.",
    "APP-DEMOAOTH": "Timing: we recruit in Norway again next year.",
    "APP-DEMOBDEC": "Grey-market licence reselling.",
}
EXTRA = {"resellers": {"x_distributor": "We buy direct"}, "msp": {"x_services": "Backup, M365"}}
ADJUSTMENTS = [  # (reference, criterion, points, note)
    ("APP-DEMO5REV", "coverage_gap", 25, "Our only Slovak partner leaves at year end."),
    ("APP-DEMO2SUB", "competitors", 10, "Contoso is complementary, but they push it hard."),
]


def _programs(session: Session) -> tuple[dict[str, Program], int]:
    found, created = {}, 0
    for slug, name, partner_type, intro, fields in PROGRAMS:
        program = session.exec(select(Program).where(Program.slug == slug)).first()
        if program is None:
            program = Program(slug=slug, name=name, partner_type=partner_type, intro=intro, fields=dump_fields(fields))
            session.add(program)
            session.flush()
            created += 1
        found[slug] = program
    return found, created


def _criteria(session: Session) -> int:
    created = 0
    for key, weight in DEFAULT_WEIGHTS.items():
        if session.exec(select(Criterion).where(Criterion.key == key)).first() is None:
            session.add(Criterion(key=key, weight=weight, settings=CRITERIA_LISTS.get(key, "")))
            created += 1
    session.flush()
    return created


def seed(session: Session) -> dict[str, int]:
    programs, made_programs = _programs(session)
    made_criteria = _criteria(session)
    reviewer = session.exec(select(User).where(User.email == "lars.cm@vendor.example")).first()
    now = utcnow()
    rng = random.Random(12)
    made_apps = 0
    for ref, slug, status, reason, company, domain, country, band, verticals, vendors, certified, days in APPLICATIONS:
        if session.exec(select(Application.id).where(Application.reference == ref)).first() is not None:
            continue
        handle = company.split()[0].lower()
        submitted = now - timedelta(days=days, hours=rng.randint(0, 20))
        org = session.exec(select(Organization.id).where(Organization.name == company)).first()
        app = Application(
            reference=ref, program_id=saved_id(programs[slug]), status=status, company=company,
            website=f"https://www.{domain}", domain=domain, country=country,
            partner_type=programs[slug].partner_type, verticals=verticals, team_size=rng.randint(5, 400),
            revenue_band=band, vendors=vendors, customer_count=rng.randint(10, 2000), certified_staff=certified,
            contact_name=f"{handle.title()} Contact", contact_email=f"partners@{domain}",
            contact_phone="+1 555 0100", contact_title="Managing director",
            motivation=f"{company} wants to add Open PRM to what it sells.", submitted_at=submitted,
            extra=json.dumps(EXTRA[slug]),
            reviewer_id=reviewer.id if reviewer and status not in ("submitted", "withdrawn") else None,
            decided_at=submitted + timedelta(days=3) if status not in ("submitted", "in_review") else None,
            decided_by_id=reviewer.id if reviewer and status in ("approved", "rejected", "declined") else None,
            reject_reason=reason, decision_note=NOTES.get(ref, ""),
            organization_id=org if status == "approved" else None, ip="192.0.2.10",
        )  # fmt: skip
        session.add(app)
        session.flush()
        made_apps += 1
        if reviewer is not None:
            for a_ref, criterion, points, note in ADJUSTMENTS:
                if a_ref == ref:
                    at = submitted + timedelta(days=1)
                    adjustment = ScoreAdjustment(
                        application_id=saved_id(app), criterion=criterion, points=points, note=note,
                        by_id=saved_id(reviewer), at=at,
                    )  # fmt: skip
                    session.add(adjustment)
        session.flush()
        rescore(session, app)
        _steps(session, app, rng)
    return {
        "recruitment programs": made_programs,
        "qualification criteria": made_criteria,
        "applications": made_apps,
        "funnel visits": _visits(session, programs, rng) if made_apps else 0,
    }


def _steps(session: Session, app: Application, rng: random.Random) -> None:
    """An application's own steps: its visit (visited, started, submitted), then approved and its first deals."""
    visit, app_id = f"seed-{app.reference}", saved_id(app)
    for stage, before in (("visited", 25), ("started", 20)):
        at = app.submitted_at - timedelta(minutes=before)
        session.add(FunnelEvent(visit=visit, stage=stage, program_id=app.program_id, at=at))
    session.add(FunnelEvent(visit=visit, stage="submitted", program_id=app.program_id, application_id=app_id,
                            at=app.submitted_at))  # fmt: skip
    if app.status == "approved" and app.decided_at is not None:
        later = [("approved", 0), ("first_deal", 18), ("first_win", 41)]
        for stage, days in later:
            session.add(FunnelEvent(visit=f"a{app_id}", stage=stage, program_id=app.program_id,
                                    application_id=app_id, organization_id=app.organization_id,
                                    at=app.decided_at + timedelta(days=days)))  # fmt: skip


def _visits(session: Session, programs: dict[str, Program], rng: random.Random) -> int:
    """Visits that did not apply, over the last four months: most only look, some start the form."""
    now, made = utcnow(), 0
    for n in range(160):
        program = programs["resellers" if n % 3 else "msp"]
        at = now - timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 1440))
        visit = f"seed-visit-{n:03d}"
        if session.exec(select(FunnelEvent.id).where(FunnelEvent.visit == visit)).first() is not None:
            continue
        session.add(FunnelEvent(visit=visit, stage="visited", program_id=saved_id(program), at=at))
        if rng.random() < 0.35:
            session.add(FunnelEvent(visit=visit, stage="started", program_id=saved_id(program),
                                    at=at + timedelta(minutes=2)))  # fmt: skip
        made += 1
    session.flush()
    return made
