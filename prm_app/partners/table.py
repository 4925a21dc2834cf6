"""Partners as a CSV table (platform/table_io.py's engine): keyed by `external_id`, created through
`provision_organizations` (the program's lowest tier, a channel manager checked like an approval's) and changed with
`apply_and_audit` (only the cells that differ, each audited). Admins reach every partner; a channel manager the
partners of their own book, and gives new ones to themselves only (provisioning's rule).

Canonical cells: the name with its spaces collapsed, the partner type's value, the region as REGIONS spells it, the
ISO country code, the website as a full address, the channel manager's e-mail address in lower case.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence

from sqlmodel import Session, col, select

from prm_app.identity import User
from prm_app.partners.models import REGIONS, Organization, PartnerType
from prm_app.partners.provisioning import NewPartner, check_channel_manager, provision_organizations
from prm_app.partners.queries import DirectoryQuery, directory_where
from prm_app.partners.rules import normalize_website
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import apply_and_audit
from prm_app.platform.errors import NotFound, ValidationError
from prm_app.platform.places import country_code, fold
from prm_app.platform.table_io import KEY, Cells, Column

_TYPES = {fold(t.value): t.value for t in PartnerType} | {fold(t.value.replace("_", " ")): t.value for t in PartnerType}
_REGIONS = {fold(r): r for r in REGIONS}
_EDITED = ("name", "partner_type", "region", "country", "city", "website")


def _one_line(text: str) -> str:
    return " ".join(text.split())


class PartnerTable:
    kind = "partners"
    title = "Partners"
    permission = Permission.RECRUIT_PARTNERS
    columns: tuple[Column, ...] = (
        Column(KEY, True, ("id", "partner_id", "crm_id", "account_id"), "your id for the partner, unique"),
        Column("name", True, ("company", "organization", "partner", "partner_name"), "the partner's name, unique"),
        Column("partner_type", True, ("type",), "one of: " + ", ".join(t.value for t in PartnerType)),
        Column("region", True, (), "one of: " + ", ".join(REGIONS)),
        Column("country", True, ("country_code",), "a country name or its two-letter code"),
        Column("city", False, (), ""),
        Column("website", False, ("url", "web_site", "domain"), "like acme.com"),
        Column("channel_manager_email", True, ("channel_manager", "manager_email"), "an active channel manager"),
    )
    unique: tuple[str, ...] = ("name",)

    def derived_key(self, cells: Cells) -> str:
        return ""  # a partner row names its external_id

    def canonical(self, session: Session, cells: Cells) -> dict[str, str]:
        name = _one_line(cells.get("name", ""))
        if len(name) > 200:
            raise ValidationError("name is longer than 200 characters", "name")
        partner_type = _TYPES.get(fold(cells.get("partner_type", "")))
        if partner_type is None:
            raise ValidationError(
                f"partner_type '{cells.get('partner_type', '')[:40]}' is not a partner type", "partner_type"
            )
        region = _REGIONS.get(fold(cells.get("region", "")))
        if region is None:
            raise ValidationError(
                f"region '{cells.get('region', '')[:40]}' is not one of: {', '.join(REGIONS)}", "region"
            )
        country = country_code(cells.get("country", ""))
        if not country:
            raise ValidationError(f"country '{cells.get('country', '')[:40]}' is not a country", "country")
        city = _one_line(cells.get("city", ""))
        if len(city) > 100:
            raise ValidationError("city is longer than 100 characters", "city")
        try:
            website = normalize_website(cells.get("website", ""))
        except ValueError:
            raise ValidationError(
                f"website '{cells.get('website', '')[:60]}' is not a web address", "website"
            ) from None
        if len(website) > 200:
            raise ValidationError("website is longer than 200 characters", "website")
        return {
            KEY: cells[KEY].strip(),
            "name": name,
            "partner_type": partner_type,
            "region": region,
            "country": country,
            "city": city,
            "website": website,
            "channel_manager_email": cells.get("channel_manager_email", "").strip().lower(),
        }

    def current(self, session: Session, actor: Actor, keys: Collection[str]) -> dict[str, dict[str, str]]:
        actor.require(self.permission)
        found: dict[str, dict[str, str]] = {}
        wanted = list(keys)
        for start in range(0, len(wanted), 500):  # bound the IN list
            rows = session.exec(
                select(Organization, User.email)
                .join(User, col(User.id) == Organization.channel_manager_id, isouter=True)
                .where(col(Organization.external_id).in_(wanted[start : start + 500]))
            ).all()
            for org, email in rows:
                if org.external_id and actor.reaches_book_of(org.channel_manager_id):
                    found[org.external_id] = _cells(org, email)
        return found

    def insert_many(self, session: Session, actor: Actor, rows: Sequence[Cells]) -> list[str]:
        news = [
            NewPartner(
                name=cells["name"],
                partner_type=cells["partner_type"],
                country=cells["country"],
                region=cells["region"],
                website=cells["website"],
                channel_manager_id=_manager_id(session, cells["channel_manager_email"]),
                city=cells["city"],
                external_id=cells[KEY],
            )
            for cells in rows
        ]
        results = provision_organizations(session, actor, news)
        return [result.message if isinstance(result, ValidationError) else "" for result in results]

    def update(self, session: Session, actor: Actor, cells: Cells) -> None:
        actor.require(self.permission)
        org = session.exec(select(Organization).where(Organization.external_id == cells[KEY])).first()
        if org is None or not actor.reaches_book_of(org.channel_manager_id):
            raise NotFound("partner")
        if cells["name"].lower() != org.name_lower:
            taken = session.exec(
                select(Organization.id).where(Organization.name_lower == cells["name"].lower())
            ).first()
            if taken is not None:
                raise ValidationError(f"A partner named {cells['name']} already exists.", "name")
        manager_id = _manager_id(session, cells["channel_manager_email"])
        if manager_id != org.channel_manager_id:  # a new manager is checked as when provisioning
            manager_id = check_channel_manager(session, actor, manager_id)
        before = {name: getattr(org, name) for name in (*_EDITED, "name_lower", "channel_manager_id")}
        after = {name: cells[name] for name in _EDITED} | {
            "name_lower": cells["name"].lower(),
            "channel_manager_id": manager_id,
        }
        apply_and_audit(session, actor, org, before, after, "import_organization", "organization")

    def export(self, session: Session, actor: Actor, filters: Mapping[str, str]) -> Iterator[dict[str, str]]:
        actor.require(Permission.VIEW_PARTNERS)
        query = DirectoryQuery(
            search=filters.get("search", ""),
            partner_type=filters.get("partner_type", ""),
            tier_id=int(filters["tier_id"]) if filters.get("tier_id", "").isdigit() else None,
            region=filters.get("region", ""),
            manager_id=int(filters["manager_id"]) if filters.get("manager_id", "").isdigit() else None,
        )
        rows = session.exec(
            select(Organization, User.email)
            .join(User, col(User.id) == Organization.channel_manager_id, isouter=True)
            .where(*directory_where(query))
            .order_by(col(Organization.name_lower), col(Organization.id))
        )
        for org, email in rows:
            if actor.reaches_book_of(org.channel_manager_id):
                yield _cells(org, email)


def partner_by_reference(session: Session, reference: str) -> Organization | None:
    """The partner an import row names (people and deal imports): by its external_id, else by its exact name (any
    case). Who may act on it is the caller's to check. Looked up once per unit of work: an import names the same
    few partners on thousands of rows, each read when checked and again when applied."""
    known: dict[str, Organization | None] = session.info.setdefault("partner_table.references", {})
    if reference not in known:
        by_key = session.exec(select(Organization).where(Organization.external_id == reference)).first()
        known[reference] = (
            by_key or session.exec(select(Organization).where(Organization.name_lower == reference.lower())).first()
        )
    return known[reference]


def partner_reference(org: Organization) -> str:
    """How an export names a partner, so it imports back to the same one: its external_id, else its name."""
    return org.external_id or org.name


def _manager_id(session: Session, email: str) -> int | None:
    """The user with this e-mail address (provisioning's check says whether they may manage partners); looked up
    once per unit of work (an import names the same few managers on thousands of rows)."""
    known: dict[str, int | None] = session.info.setdefault("partner_table.managers", {})
    if email not in known:
        known[email] = session.exec(select(User.id).where(User.email == email.lower())).first()
    return known[email]


def _cells(org: Organization, manager_email: str | None) -> dict[str, str]:
    return {
        KEY: org.external_id or "",
        "name": org.name,
        "partner_type": org.partner_type,
        "region": org.region,
        "country": org.country,
        "city": org.city,
        "website": org.website,
        "channel_manager_email": (manager_email or "").lower(),
    }


PARTNER_TABLE = PartnerTable()
