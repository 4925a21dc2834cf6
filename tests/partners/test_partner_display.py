"""How the partner pages show the read models (prm_app/partners/ui/display.py): pure functions, no database and
no browser. The strings are the ones the pages showed before the reads became raw."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from prm_app.notifications import Notice
from prm_app.partners import PARTNER_TYPE_LABELS, Choice, PartnerType, country_name, filter_choices, type_label
from prm_app.partners.queries import (
    Contact,
    DirectoryEntry,
    DirectoryFilterOptions,
    ManagerOption,
    OrganizationProfile,
    OrganizationRef,
    TierOption,
)
from prm_app.partners.team_queries import PendingInvite, TeamMember
from prm_app.partners.ui.display import (
    DirectoryLine,
    InviteLine,
    MemberLine,
    NoticeLine,
    ProfileCard,
    SubPartnerLine,
    SurveyInviteLine,
    directory_line,
    invite_line,
    member_line,
    notice_line,
    profile_card,
    sub_partner_line,
    survey_invite_line,
    tel_href,
)
from prm_app.platform.access import Role

JOINED = datetime(2030, 1, 5, 23, 30, tzinfo=UTC)
EXPIRES = datetime(2030, 1, 22, 9, 5, tzinfo=UTC)


def _profile(**changes) -> OrganizationProfile:
    values = {
        "id": 12,
        "name": "Bluepeak Resellers",
        "partner_type": "system_integrator",
        "tier": "Silver",
        "tier_benefits": ("10% discount", "MDF on request"),
        "region": "North America",
        "country": "DE",
        "city": "Berlin",
        "website": "https://bluepeak.example",
        "joined_at": JOINED,
        "manager": Contact(name="Maya Okafor", email="maya@vendor.example"),
        "parent": OrganizationRef(id=3, name="Echo Distribution", partner_type="distributor"),
        "sub_partners": (),
    }
    return OrganizationProfile(**{**values, **changes})


def test_the_profile_card_labels_codes_and_formats_the_join_day():
    assert profile_card(_profile()) == ProfileCard(
        id="12",
        name="Bluepeak Resellers",
        type_label="System integrator",
        tier="Silver",
        region="North America",
        country="Germany",
        city="Berlin",
        website="https://bluepeak.example",
        joined="5 Jan 2030",
        manager_name="Maya Okafor",
        manager_email="maya@vendor.example",
        parent_name="Echo Distribution",
    )


def test_the_profile_card_in_the_readers_language():
    """Codes in the reader's language (the country's CLDR name), the join day in its region's pattern; what the
    program wrote (names, tier, region) stays as written."""
    german = profile_card(_profile(), ZoneInfo("Europe/Berlin"), "de")
    assert (german.type_label, german.country, german.joined) == ("Systemintegrator", "Deutschland", "06.01.2030")
    assert (german.name, german.tier, german.region) == ("Bluepeak Resellers", "Silver", "North America")
    japanese = profile_card(_profile(partner_type="var"), language="ja")
    assert (japanese.type_label, japanese.country, japanese.joined) == ("VAR", "ドイツ", "2030/01/05")


def test_missing_manager_and_distributor_are_empty_text_so_the_card_hides_them():
    card = profile_card(_profile(manager=None, parent=None))

    assert (card.manager_name, card.manager_email, card.parent_name) == ("", "", "")


def test_a_sub_partner_shows_its_type_label():
    assert sub_partner_line(OrganizationRef(id=4, name="Atlas", partner_type="var")) == SubPartnerLine(
        id=4, name="Atlas", type="VAR"
    )


def test_a_directory_line_labels_type_and_country_and_dashes_a_missing_manager():
    entry = DirectoryEntry(
        id=9, name="Atlas Value Partners", partner_type="var", tier="Gold", region="EMEA", country="DE", manager=None
    )

    assert directory_line(entry) == DirectoryLine(
        id=9, name="Atlas Value Partners", type="VAR", tier="Gold", region="EMEA", country="Germany", manager="—"
    )
    assert directory_line(DirectoryEntry(**{**entry.__dict__, "manager": "Lars Jensen"})).manager == "Lars Jensen"


def test_filter_choices_carry_text_values_and_labels_in_the_reads_order():
    options = DirectoryFilterOptions(
        types=tuple(PartnerType),
        tiers=(TierOption(id=1, name="Registered"), TierOption(id=5, name="Gold")),
        regions=("EMEA", "APAC"),
        managers=(ManagerOption(id=7, name="Lars Jensen"),),
    )

    choices = filter_choices(options)

    assert choices["types"][:2] == [Choice(value="reseller", label="Reseller"), Choice(value="var", label="VAR")]
    assert len(choices["types"]) == 8
    assert choices["tiers"] == [Choice(value="1", label="Registered"), Choice(value="5", label="Gold")]
    assert choices["regions"] == [Choice(value="EMEA", label="EMEA"), Choice(value="APAC", label="APAC")]
    assert choices["managers"] == [Choice(value="7", label="Lars Jensen")]


def test_a_member_line_shows_the_role_label_the_status_word_and_a_phone_to_dial():
    member = TeamMember(
        id=3,
        full_name="Dana Price",
        email="dana@x.example",
        title="CEO",
        phone="+1 (415) 555-0100",
        role=Role.PARTNER_ADMIN,
        active=True,
        is_me=True,
    )

    assert member_line(member) == MemberLine(
        id=3,
        name="Dana Price",
        email="dana@x.example",
        title="CEO",
        phone="+1 (415) 555-0100",  # as the person wrote it
        phone_href="tel:+14155550100",
        role="Partner admin",
        status="Active",
        active=True,
        is_me=True,
        deactivate_title="Deactivate Dana Price?",
    )
    gone = member_line(TeamMember(**{**member.__dict__, "active": False, "is_me": False, "phone": ""}))
    assert (gone.status, gone.active, gone.is_me, gone.phone, gone.phone_href) == ("Deactivated", False, False, "", "")
    german = member_line(member, "de")
    assert (german.role, german.status, german.deactivate_title) == (
        "Partner-Administrator",
        "Aktiv",
        "Dana Price deaktivieren?",
    )


def test_a_phone_link_dials_the_digits_with_the_plus_kept():
    assert tel_href("+44 20 7946 0958") == "tel:+442079460958"
    assert tel_href("(030) 1234.567") == "tel:0301234567"  # a national number stays national
    assert tel_href(" +1-415-555-0100 ") == "tel:+14155550100"
    assert tel_href("") == tel_href("  ") == ""


def test_an_invite_line_shows_when_it_expires_and_how_long_is_left():
    invite = PendingInvite(
        id=8, full_name="New Hire", email="new@x.example", role=Role.PARTNER_USER, expires_at=EXPIRES, expired=False
    )

    assert invite_line(invite, now=EXPIRES - timedelta(days=6, hours=2)) == InviteLine(
        id=8,
        name="New Hire",
        email="new@x.example",
        role="Partner user",
        expires="22 Jan 2030, 09:05 UTC (in 6 days)",
        expired=False,
        revoke_title="Revoke the invitation for new@x.example?",
    )
    assert invite_line(invite, ZoneInfo("Europe/Berlin"), EXPIRES).expires == "22 Jan 2030, 10:05 CET (now)"
    german = invite_line(invite, ZoneInfo("Europe/Berlin"), EXPIRES - timedelta(days=6, hours=2), language="de")
    assert (german.role, german.expires) == ("Partner-Benutzer", "22.01.2030, 10:05 CET (in 6 Tagen)")


def test_the_join_day_is_the_day_it_was_where_the_viewer_is():
    assert profile_card(_profile(), ZoneInfo("Asia/Tokyo")).joined == "6 Jan 2030"  # 23:30 UTC is the next morning


def test_a_notice_line_keeps_the_stored_link_and_shows_the_day():
    notice = Notice(id=1, kind="deal_approved", message="Deal approved", link="/deals/4", created_at=EXPIRES)

    assert notice_line(notice) == NoticeLine(message="Deal approved", link="/deals/4", at="22 Jan 2030", id=1)
    assert notice_line(notice, ZoneInfo("Pacific/Honolulu")).at == "21 Jan 2030"  # 09:05 UTC is 23:05 the day before


def test_labels_for_codes_fall_back_to_the_code():
    assert type_label("msp") == "MSP" == PARTNER_TYPE_LABELS[PartnerType.MSP]
    assert type_label("martian") == "martian"
    assert country_name("DE") == "Germany"
    assert country_name("XX") == "XX"
    assert country_name("KR") == "South Korea"  # the name people use, the same as every other page's


def test_an_invitation_link_is_the_invite_page_with_the_token():
    import prm_app.app  # noqa: F401  (importing the app registers every page)
    from prm_app.web.registry import url_for

    assert url_for("invite_page", token="tok-123") == "/invite/tok-123"


def test_a_survey_on_the_portal_home_links_to_its_page_and_says_until_when():
    import prm_app.app  # noqa: F401  (registers the survey page, whose route url_for reads)
    from prm_app.nps import SurveyToAnswer

    survey = SurveyToAnswer(7, "Q4 pulse", "How likely…?", EXPIRES, answered=False, score=None, comment="")

    assert survey_invite_line(survey) == SurveyInviteLine(
        title="Q4 pulse", link="/portal/survey/7", closes="22 Jan 2030 (UTC)"
    )


def test_a_survey_on_the_portal_home_names_the_managers_day_and_when_that_ends_for_the_reader():
    """Launched in Los Angeles to close on 14 Dec: a reader in Tokyo (where it is 15 Dec by then) reads 14 Dec, the
    zone named, and when it ends for them; a reader in the survey's own zone needs no second time."""
    import prm_app.app  # noqa: F401  (registers the survey page, whose route url_for reads)
    from prm_app.nps import SurveyToAnswer

    closes = datetime(2030, 12, 14, 23, 59, 59, tzinfo=ZoneInfo("America/Los_Angeles"))
    survey = SurveyToAnswer(7, "Q4 pulse", "?", closes, False, None, "", time_zone="America/Los_Angeles")

    assert survey_invite_line(survey, ZoneInfo("Asia/Tokyo")).closes == (
        "14 Dec 2030 (America / Los Angeles); ends 15 Dec 2030, 16:59 JST"
    )
    assert survey_invite_line(survey, ZoneInfo("America/Los_Angeles")).closes == "14 Dec 2030 (America / Los Angeles)"
    assert survey_invite_line(survey).closes == "14 Dec 2030 (America / Los Angeles); ends 15 Dec 2030, 07:59 UTC"
