"""One partner's page. Internal users see any partner's profile, and its people and scorecard when the partner is in
their reach (a channel manager's own book); a partner sees only its own page (others: not found)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from prm_app.identity import viewer_zone
from prm_app.partners.labels import country_name
from prm_app.partners.people_table import PEOPLE_TABLE
from prm_app.partners.queries import OrganizationProfile, get_partner_profile
from prm_app.partners.team_queries import list_team
from prm_app.partners.ui.display import MemberLine, SubPartnerLine, member_line, profile_card, sub_partner_line
from prm_app.partners.ui.logo_http import logo_url
from prm_app.partners.ui.relations import PartnerRelationsState, relations_section
from prm_app.platform.errors import NotFound
from prm_app.platform.table_io import export_csv
from prm_app.web.components.profile import profile_card as profile_card_view
from prm_app.web.components.tables import data_table
from prm_app.web.layout import record_heading, record_page
from prm_app.web.registry import Audience, page, url_for
from prm_app.web.state import AuthState


def _profile_and_team(session, actor, partner_id: int):
    """The profile, the people when the actor's reach includes them (None otherwise), and the actor's zone."""
    profile, zone = get_partner_profile(session, actor, partner_id), viewer_zone(session, actor)
    try:
        return profile, list_team(session, actor, profile.id), zone
    except NotFound:  # a partner of another channel manager's book: its people are not this actor's to read
        return profile, None, zone


def address_lines(p: OrganizationProfile) -> list[str]:
    """The postal address as it is written on an envelope: street, postal code and city, country (by name);
    lines with nothing in them left out."""
    city = " ".join(part for part in (p.postal_code, p.city) if part)
    return [line for line in (p.street, city, country_name(p.country) if p.country else "") if line]


class PartnerDetailState(AuthState):
    found: bool = True
    # The ProfileCard as a dict: web/components/profile.py reads it by key, and {} means "nothing loaded".
    profile: dict[str, str] = {}
    benefits: list[str] = []
    subs: list[SubPartnerLine] = []
    people: list[MemberLine] = []
    in_reach: bool = True  # its people and money are shown (the partner's own manager, admins, execs)
    address: list[str] = []  # the postal address, line by line
    phone: str = ""
    logo_src: str = ""  # "" when the partner has no logo

    @rx.event
    def load(self):
        raw_id = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.profile, self.benefits, self.subs, self.people = {}, [], [], []
        self.address, self.phone, self.logo_src = [], "", ""
        try:
            if not raw_id.isdigit():
                raise NotFound("partner")
            p, team, zone = self._run(_profile_and_team, int(raw_id))
        except NotFound:
            self.found = False
            return
        self.found = True
        self.profile = dataclasses.asdict(profile_card(p, zone, self.language))
        self.address, self.phone, self.logo_src = address_lines(p), p.phone, logo_url(p.id, p.logo_key)
        self.benefits = list(p.tier_benefits)
        self.subs = [sub_partner_line(s) for s in p.sub_partners]
        self.in_reach = team is not None
        self.people = [member_line(m) for m in team or ()]

    @rx.event
    def export_people(self, bom: bool = False):
        """The partner's people and pending invitations as CSV (the people import's columns); with `bom` for Excel.
        The table checks the actor's reach again (a partner: its own team only)."""
        partner_id = str(self.profile.get("id", ""))
        text = self._run(export_csv, PEOPLE_TABLE, {"organization_id": partner_id}, bom=bom is True)
        return rx.download(data=text, filename="people.csv")


def _person(m: rx.Var[MemberLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(m.name),
        rx.table.cell(m.email),
        rx.table.cell(m.role),
        rx.table.cell(m.status),
    )


def _address() -> rx.Component:
    """The partner's logo and postal address as its partner admin keeps them (nothing when it gave neither)."""
    s = PartnerDetailState
    return rx.cond(
        (s.address.length() > 0) | (s.logo_src != "") | (s.phone != ""),
        rx.flex(
            rx.cond(
                s.logo_src != "",
                rx.image(src=s.logo_src, alt=s.profile["name"].to(str) + " logo", max_height="4rem", max_width="12rem"),
            ),
            rx.el.address(
                rx.foreach(s.address, lambda line: rx.text(line)),
                rx.cond(s.phone != "", rx.text("Phone: ", s.phone)),
                font_style="normal",
            ),
            gap="1.5rem",
            align="center",
            wrap="wrap",
        ),
    )


@page(
    "/partners/[partner_id]",
    title="Partner",
    audience=Audience.ANY,
    on_load=[PartnerDetailState.load, PartnerRelationsState.load],
)
@record_page
def partner_detail_page() -> rx.Component:
    # A partner reaches its own page from its home; internal users from the directory.
    partner = AuthState.is_partner
    above = (rx.cond(partner, "Home", "Partners"), rx.cond(partner, url_for("portal_home"), url_for("directory_page")))
    return rx.fragment(
        record_heading(
            rx.cond(PartnerDetailState.found, PartnerDetailState.profile["name"].to(str), ""),
            [above],
            "Partner",
        ),
        _partner(),
    )


def _partner() -> rx.Component:
    return rx.cond(
        PartnerDetailState.found,
        rx.vstack(
            rx.cond(
                PartnerDetailState.in_reach,
                rx.link(
                    "Scorecard", href=url_for("partner_scorecard_page", partner_id=PartnerDetailState.profile["id"])
                ),
            ),
            _address(),
            profile_card_view(PartnerDetailState.profile, PartnerDetailState.benefits, PartnerDetailState.subs),
            relations_section(),
            rx.heading("People", size="4", as_="h2"),
            rx.cond(
                PartnerDetailState.in_reach & ~AuthState.is_partner,
                rx.flex(
                    rx.button(
                        "Export people CSV", variant="soft", size="2", on_click=PartnerDetailState.export_people(False)
                    ),
                    rx.button(
                        "Export people CSV for Excel",
                        variant="soft",
                        size="2",
                        on_click=PartnerDetailState.export_people(True),
                    ),
                    rx.link("Import people", href="/data/import?kind=users", size="2"),
                    gap="0.75rem",
                    align="center",
                    wrap="wrap",
                ),
            ),
            rx.cond(
                PartnerDetailState.in_reach,
                data_table(["Name", "Email", "Role", "Status"], PartnerDetailState.people, _person, label="People"),
                rx.text(
                    "This partner is in another channel manager's book: its people and figures are shown to that "
                    "manager and to admins.",
                    color_scheme="gray",
                ),
            ),
            spacing="4",
            width="100%",
        ),
        rx.callout("Partner not found.", icon="circle_alert", color_scheme="gray", role="alert"),
    )
