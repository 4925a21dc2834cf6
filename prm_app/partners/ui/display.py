"""What the partner pages show: the area's read models in, small frozen rows of display text out.

All formatting for the partner pages happens here (with prm_app/web/format.py and the area's labels), so the
queries stay raw and the page modules only lay things out. Pure functions: tested in
tests/partners/test_partner_display.py without a browser or a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from prm_app.notifications import Notice
from prm_app.nps import SurveyToAnswer
from prm_app.partners.labels import country_name, type_label
from prm_app.partners.queries import DirectoryEntry, OrganizationProfile, OrganizationRef
from prm_app.partners.team_queries import PendingInvite, TeamMember
from prm_app.platform.access import Role
from prm_app.platform.clock import utcnow
from prm_app.platform.i18n import DEFAULT_LANGUAGE, catalogue, country_shown, plain_messages
from prm_app.platform.zones import DEFAULT_ZONE, zone_label
from prm_app.web.format import day, deadline, moment, or_dash
from prm_app.web.registry import url_for

# ------------------------------------------------------------------------------------------------ profile


@dataclass(frozen=True)
class ProfileCard:
    """An organization's facts as web/components/profile.py's `profile_card` reads them. "" hides an optional
    fact (no channel manager, no distributor)."""

    id: str = ""  # text: the page joins it into a link
    name: str = ""
    type_label: str = ""
    tier: str = ""
    region: str = ""
    country: str = ""  # the country's name
    city: str = ""
    website: str = ""
    joined: str = ""
    manager_name: str = ""
    manager_email: str = ""
    parent_name: str = ""


def _type_in(partner_type: str, language: str) -> str:
    """A partner type's label in `language` (the catalogue's `type.<code>`), an unknown code as it is."""
    return plain_messages(language).get(f"type.{partner_type}") or type_label(partner_type)


def profile_card(profile: OrganizationProfile, zone: tzinfo = UTC, language: str = DEFAULT_LANGUAGE) -> ProfileCard:
    """Every fact as text in `language` (the join day as seen in `zone`); a missing manager or distributor is ""
    (the card then hides it)."""
    return ProfileCard(
        id=str(profile.id),
        name=profile.name,
        type_label=_type_in(profile.partner_type, language),
        tier=profile.tier,
        region=profile.region,
        country=country_shown(profile.country, language),
        city=profile.city,
        website=profile.website,
        joined=day(profile.joined_at, zone, language=language),
        manager_name=profile.manager.name if profile.manager else "",
        manager_email=profile.manager.email if profile.manager else "",
        parent_name=profile.parent.name if profile.parent else "",
    )


@dataclass(frozen=True)
class SubPartnerLine:
    """A sub-partner in the profile's list: "Bluepeak Resellers (Reseller)"."""

    id: int
    name: str
    type: str


def sub_partner_line(ref: OrganizationRef) -> SubPartnerLine:
    """The sub-partner with its type's label."""
    return SubPartnerLine(id=ref.id, name=ref.name, type=type_label(ref.partner_type))


# ------------------------------------------------------------------------------------------------ directory


@dataclass(frozen=True)
class DirectoryLine:
    """One row of the internal partner directory."""

    id: int
    name: str
    type: str
    tier: str
    region: str
    country: str  # the country's name
    manager: str  # "—" when none is assigned


def directory_line(entry: DirectoryEntry) -> DirectoryLine:
    """Type and country as words; "—" when no channel manager is assigned."""
    return DirectoryLine(
        id=entry.id,
        name=entry.name,
        type=type_label(entry.partner_type),
        tier=entry.tier,
        region=entry.region,
        country=country_name(entry.country),
        manager=or_dash(entry.manager),
    )


# ------------------------------------------------------------------------------------------------ team


@dataclass(frozen=True)
class MemberLine:
    """One person in a team table."""

    id: int
    name: str
    email: str
    title: str
    phone: str  # as stored: "+1 (415) 555-0100"; "" when none
    phone_href: str  # what a phone dials: "tel:+14155550100"; "" when none
    role: str
    status: str  # "Active" or "Deactivated"
    active: bool  # for the badge's colour and the button it offers
    is_me: bool
    deactivate_title: str = ""  # the confirmation's question: "Deactivate Casey Jones?"


def tel_href(phone: str) -> str:
    """A phone as a `tel:` link: its digits and a leading "+" ("+1 (415) 555-0100" -> "tel:+14155550100"); the
    spaces, dots, dashes and brackets people write (identity's profile rules allow those) are not dialled. "" for no
    digits."""
    digits = "".join(c for c in phone if c.isdigit())
    if not digits:
        return ""
    return f"tel:{'+' if phone.strip().startswith('+') else ''}{digits}"


def member_line(member: TeamMember, language: str = DEFAULT_LANGUAGE) -> MemberLine:
    """The role's label and "Active"/"Deactivated" (in `language`) beside the flags the buttons need; the phone as
    stored, and as a link a phone can dial."""
    words = catalogue(language)
    return MemberLine(
        id=member.id,
        name=member.full_name,
        email=member.email,
        title=member.title,
        phone=member.phone,
        phone_href=tel_href(member.phone),
        role=_role(member.role, language),
        status=words.text("partners.team.active" if member.active else "partners.team.deactivated"),
        deactivate_title=words.text("partners.team.deactivate_title", name=member.full_name),
        active=member.active,
        is_me=member.is_me,
    )


@dataclass(frozen=True)
class InviteLine:
    """One pending invitation on the Team page."""

    id: int
    name: str
    email: str
    role: str
    expires: str
    expired: bool
    revoke_title: str = ""  # the confirmation's question: "Revoke the invitation for …?"


def _role(role: Role, language: str) -> str:
    """A role's label in `language` (the catalogue's `role.<code>`; English: platform.access.ROLE_LABELS's)."""
    return catalogue(language).text(f"role.{role.value}")


def invite_line(
    invite: PendingInvite, zone: tzinfo = UTC, now: datetime | None = None, language: str = DEFAULT_LANGUAGE
) -> InviteLine:
    """The role's label and the expiry in `zone` with the time left, in `language`: "22 Jan 2030, 09:05 UTC (in
    47 h)"."""
    return InviteLine(
        id=invite.id,
        name=invite.full_name,
        email=invite.email,
        role=_role(invite.role, language),
        expires=deadline(invite.expires_at, zone, now=now or utcnow(), language=language),
        revoke_title=catalogue(language).text("partners.team.revoke_title", email=invite.email),
        expired=invite.expired,
    )


# ------------------------------------------------------------------------------------------------ notices


@dataclass(frozen=True)
class NoticeLine:
    """A notice on the portal home: its message links to the record it is about (opening it marks it read)."""

    message: str
    link: str
    at: str
    id: int = 0


def notice_line(notice: Notice, zone: tzinfo = UTC, language: str = DEFAULT_LANGUAGE) -> NoticeLine:
    """The message in `language`, its stored link, and the day it was written, in `zone` ("22 Jan 2030", German
    "22.01.2030")."""
    at = day(notice.created_at, zone, language=language)
    return NoticeLine(message=notice.text(language, zone), link=notice.link, at=at, id=notice.id)


@dataclass(frozen=True)
class SurveyInviteLine:
    """An open survey on the portal home: its title linking to the survey page, and until when it is open."""

    title: str
    link: str
    closes: str


def survey_invite_line(
    survey: SurveyToAnswer, zone: tzinfo = UTC, language: str = DEFAULT_LANGUAGE
) -> SurveyInviteLine:
    """The survey's title, its page, and the last day it takes answers: the day the manager chose, in the survey's
    zone and naming it, the same day for every reader (nps/rules.py): "14 Dec 2026 (America / Los Angeles)". A
    reader in another `zone` also gets the moment it closes there: "…; ends 15 Dec 2026, 16:59 JST"."""
    closes = f"{day(survey.last_day, language=language)} ({zone_label(survey.time_zone)})"
    if getattr(zone, "key", DEFAULT_ZONE) != survey.time_zone:
        ends = moment(survey.closes_at, zone, language=language)
        closes = catalogue(language).text("home.survey_ends", closes=closes, moment=ends)
    return SurveyInviteLine(title=survey.title, link=url_for("survey_page", survey_id=survey.id), closes=closes)
