"""The demo library: 25 assets over every category (PDFs, banners, a price workbook, a video link), two versions of
some, Gold- and Platinum-only ones, and one co-brand datasheet with logo, phone and editable zones. Found by slug:
seeding again adds nothing. Files are drawn by seed_files.py and stored like uploads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from prm_app.audience import AudienceRule
from prm_app.content.models import Asset, AssetVersion, CampaignKit, CobrandZone, KitAsset
from prm_app.content.rules import slugify
from prm_app.content.seed_files import demo_pdf, demo_png, demo_xlsx
from prm_app.content.storage import CONTENT_FILES
from prm_app.identity import User
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id


@dataclass(frozen=True)
class Demo:
    title: str
    category: str
    description: str
    tags: str
    product: str = ""
    min_tier: str = ""
    kind: str = "pdf"  # pdf | png | xlsx | link
    versions: int = 1
    days_ago: int = 30
    language: str = "en"
    regions: tuple[str, ...] = ()


DEMOS = [
    Demo(
        "NovaStor X2 Datasheet",
        "sales",
        "Capacity, performance and warranty of the NovaStor X2 all-flash array, on one page.",
        "datasheet, storage, all-flash",
        "NovaStor X2",
        versions=2,
        days_ago=90,
    ),
    Demo(
        "NovaStor X2 Partner Price List",
        "sales",
        "Partner buy prices and suggested street prices for every NovaStor X2 configuration, in USD.",
        "pricing, price list",
        "NovaStor X2",
        min_tier="Gold",
        kind="xlsx",
        versions=2,
        days_ago=60,
    ),
    Demo(
        "CloudVault Backup Solution Brief",
        "sales",
        "How CloudVault protects Microsoft 365, VMware and Kubernetes workloads with immutable backups.",
        "backup, solution brief, ransomware",
        "CloudVault",
        days_ago=75,
    ),
    Demo(
        "CloudVault Customer Pitch Deck",
        "sales",
        "Twelve slides for a first meeting: the ransomware problem, CloudVault's answer, three customer stories.",
        "pitch, first meeting",
        "CloudVault",
        days_ago=20,
    ),
    Demo(
        "Platinum Deal Desk Playbook",
        "sales",
        "Discount bands, approval paths and multi-year terms available to Platinum partners only.",
        "discounts, deal desk",
        min_tier="Platinum",
        days_ago=15,
    ),
    Demo(
        "Q1 Ransomware Readiness Campaign Guide",
        "campaign",
        "A four-week campaign to book ransomware readiness workshops: emails, call script, landing page copy.",
        "campaign, ransomware, workshops",
        "CloudVault",
        days_ago=12,
    ),
    Demo(
        "Ransomware Readiness Social Banner",
        "campaign",
        "1200 × 628 banner for LinkedIn and X posts promoting the readiness workshop.",
        "social, banner",
        "CloudVault",
        kind="png",
        days_ago=12,
    ),
    Demo(
        "Spring Storage Refresh Email Kit",
        "campaign",
        "Three nurture emails with subject lines for customers whose arrays leave support this year.",
        "email, refresh, nurture",
        "NovaStor X2",
        days_ago=40,
    ),
    Demo(
        "Webinar: What Is New in NovaStor 5",
        "campaign",
        "Recording of the launch webinar with the product team (48 minutes).",
        "webinar, video, launch",
        "NovaStor X2",
        kind="link",
        days_ago=8,
    ),
    Demo(
        "Trade Show Booth Graphics",
        "campaign",
        "Print-ready back wall and counter graphics for 3 × 3 m booths.",
        "events, print",
        kind="png",
        days_ago=120,
    ),
    Demo(
        "NovaStor X2 Installation Guide",
        "technical",
        "Racking, cabling, first boot and initial configuration of a NovaStor X2 system.",
        "installation, hardware",
        "NovaStor X2",
        versions=2,
        days_ago=100,
    ),
    Demo(
        "CloudVault Sizing Worksheet",
        "technical",
        "Estimate backup storage from protected data, change rate and retention.",
        "sizing, backup",
        "CloudVault",
        min_tier="Silver",
        days_ago=50,
    ),
    Demo(
        "Reference Architecture: VMware on NovaStor",
        "technical",
        "Validated design for vSphere 8 clusters on NovaStor X2 with replication to a second site.",
        "vmware, architecture, replication",
        "NovaStor X2",
        min_tier="Gold",
        days_ago=35,
    ),
    Demo(
        "API Integration Guide",
        "technical",
        "REST endpoints, authentication and webhooks for integrating CloudVault with RMM tools.",
        "api, integration, msp",
        "CloudVault",
        days_ago=25,
    ),
    Demo(
        "Competitive Battlecard: NovaStor vs. Legacy SAN",
        "competitive",
        "Where NovaStor wins against legacy dual-controller SANs, and the objections you will hear.",
        "battlecard, competition, san",
        "NovaStor X2",
        min_tier="Gold",
        days_ago=30,
    ),
    Demo(
        "Competitive Battlecard: CloudVault vs. Tape",
        "competitive",
        "Total cost and recovery time of CloudVault against tape rotation, with a worked example.",
        "battlecard, tape, tco",
        "CloudVault",
        days_ago=45,
    ),
    Demo(
        "Win Story: Regional Hospital Group",
        "competitive",
        "How a Gold partner replaced a competitor's array in 14 days, in the customer's own words.",
        "win story, healthcare",
        min_tier="Silver",
        days_ago=5,
    ),
    Demo(
        "Sales Certification Study Guide",
        "training",
        "Everything the sales certification exam covers, with practice questions.",
        "certification, exam, sales",
        days_ago=70,
    ),
    Demo(
        "Technical Certification Lab Manual",
        "training",
        "Hands-on labs for the technical certification: install, replicate, restore.",
        "certification, labs, technical",
        min_tier="Silver",
        days_ago=65,
    ),
    Demo(
        "Partner Onboarding Handbook",
        "training",
        "Your first 90 days in the program: portal, deal registration, training and support.",
        "onboarding, handbook",
        days_ago=150,
    ),
    Demo(
        "Partner Program Guide 2026",
        "legal",
        "Tiers, requirements, benefits and how tier reviews work.",
        "program, tiers, benefits",
        versions=2,
        days_ago=200,
    ),
    Demo(
        "Brand and Trademark Guidelines",
        "legal",
        "How to use the vendor's logos, product names and trademarks in your own marketing.",
        "brand, trademark, logo",
        days_ago=180,
    ),
    Demo(
        "Deal Registration Terms",
        "legal",
        "The rules of deal registration: eligibility, protection periods and conflicts.",
        "deal registration, terms",
        days_ago=160,
    ),
    Demo(
        "Leitfaden für Partner 2026",
        "legal",
        "Das Partnerprogramm auf Deutsch: Stufen, Anforderungen und Vorteile.",
        "programm, stufen",
        language="de",
        regions=("EMEA",),
        days_ago=190,
    ),
    Demo(
        "Co-branded NovaStor X2 Datasheet",
        "sales",
        "The NovaStor X2 datasheet with your logo, phone and a line of your own. Download it stamped for your company.",
        "datasheet, co-brand",
        "NovaStor X2",
        days_ago=3,
    ),
]
COBRAND = "Co-branded NovaStor X2 Datasheet"


def _lines(d: Demo, version: int) -> list[str]:
    lines = [d.description, f"Product: {d.product or 'All products'}. Category: {d.category}."]
    if version > 1:
        lines.append(f"Updated in version {version}: figures and screenshots refreshed for this quarter.")
    return lines


def _file(d: Demo, version: int) -> tuple[bytes, str, str]:
    if d.kind == "png":
        return demo_png(d.title), slugify(d.title) + ".png", "image/png"
    if d.kind == "xlsx":
        rows = [
            ("Configuration", "Partner price (USD)"),
            ("X2 20 TB", f"{18_400 + 600 * version}"),
            ("X2 60 TB", f"{41_900 + 900 * version}"),
        ]
        return (
            demo_xlsx(rows),
            slugify(d.title) + ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    data = demo_pdf(
        d.title, _lines(d, version), version=version, pages=2 if d.title == COBRAND else 1, cobrand=d.title == COBRAND
    )
    return data, slugify(d.title) + ".pdf", "application/pdf"


def seed(session: Session) -> dict[str, int]:
    author = session.exec(select(User.id).where(User.email == "admin@vendor.example")).first()
    now, made = utcnow(), 0
    for d in DEMOS:
        slug = slugify(d.title)
        if session.exec(select(Asset.id).where(Asset.slug == slug)).first() is not None:
            continue
        published = now - timedelta(days=d.days_ago)
        asset = Asset(
            slug=slug, title=d.title, description=d.description, category=d.category, tags=d.tags,
            product=d.product, language=d.language, kind="link" if d.kind == "link" else "file",
            link_url="https://www.youtube.com/watch?v=novastor5" if d.kind == "link" else "",
            audience=AudienceRule(min_tier=d.min_tier, regions=d.regions).to_json(), publish_at=published,
            current_n=1 if d.kind == "link" else d.versions, is_cobrand=d.title == COBRAND, created_by=author,
            created_at=published,
        )  # fmt: skip
        session.add(asset)
        session.flush()
        if d.kind != "link":
            for n in range(1, d.versions + 1):
                data, name, ctype = _file(d, n)
                stored = CONTENT_FILES.put(data, name, ctype)
                session.add(
                    AssetVersion(
                        asset_id=saved_id(asset), n=n, file_key=stored.key, file_name=name, content_type=ctype,
                        size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                        changelog="First version" if n == 1 else "Figures refreshed for this quarter",
                        created_at=published + timedelta(days=(n - 1) * 20), created_by=author,
                    )
                )  # fmt: skip
        if asset.is_cobrand:
            boxes = [  # (page, x, y, w, h, kind, binding, text, locked): under the template's "Your local partner:"
                (1, 40, 62, 200, 80, "logo", "", "", False),
                (1, 260, 112, 295, 16, "field", "name", "", False),
                (1, 260, 94, 295, 14, "field", "phone", "", False),
                (1, 260, 76, 295, 14, "field", "website", "", False),
                (1, 260, 58, 295, 14, "free_text", "", "Ask us for a free capacity assessment.", False),
                (2, 40, 40, 515, 14, "free_text", "", "Prices valid for 30 days.", True),
            ]
            for page, x, y, w, h, kind, binding, text, locked in boxes:
                session.add(
                    CobrandZone(
                        asset_id=saved_id(asset), page=page, x=x, y=y, w=w, h=h, kind=kind, binding=binding,
                        text=text, locked=locked,
                    )
                )  # fmt: skip
        made += 1
    session.flush()
    return {"content assets": made, "content kits": _kit(session, now.date())}


KIT = "Ransomware Readiness Quarter"
KIT_ASSETS = (
    "Q1 Ransomware Readiness Campaign Guide",
    "Ransomware Readiness Social Banner",
    "CloudVault Backup Solution Brief",
    "Competitive Battlecard: CloudVault vs. Tape",
)


def _kit(session: Session, today: date) -> int:
    if session.exec(select(CampaignKit.id).where(CampaignKit.name == KIT)).first() is not None:
        return 0
    kit = CampaignKit(
        name=KIT,
        description="Book ransomware readiness workshops with CloudVault: guide, banner, brief and battlecard.",
        starts_on=today - timedelta(days=14),
        ends_on=today + timedelta(days=76),
    )
    session.add(kit)
    session.flush()
    for title in KIT_ASSETS:
        asset = session.exec(select(Asset).where(Asset.slug == slugify(title))).one()
        session.add(KitAsset(kit_id=saved_id(kit), asset_id=saved_id(asset)))
    session.flush()
    return 1
