"""The partner's team: who has access, invitations, deactivation (partner admins)."""

from __future__ import annotations

import reflex as rx

from prm_app.identity import with_zone
from prm_app.partners import team
from prm_app.partners.people_table import PEOPLE_TABLE
from prm_app.partners.team_queries import my_team
from prm_app.partners.ui.display import InviteLine, MemberLine, invite_line, member_line
from prm_app.partners.ui.team_requests import JoinRequestsState, join_requests_card
from prm_app.platform.errors import DomainError
from prm_app.platform.table_io import export_csv
from prm_app.web.components.confirm import confirm_button
from prm_app.web.components.forms import field, form_error, select_field
from prm_app.web.language_state import t
from prm_app.web.registry import Audience, Nav, page
from prm_app.web.state import AuthState


class TeamState(AuthState):
    members: list[MemberLine] = []
    invites: list[InviteLine] = []
    name_error: str = ""
    email_error: str = ""
    form_message: str = ""
    invite_link: str = ""
    invite_for: str = ""
    invite_sentence: str = ""  # "We emailed this link to …", in the person's language

    def _reload(self) -> None:
        current, zone = self._run(with_zone, my_team)
        self.members = [member_line(m, self.language) for m in current.members]
        self.invites = [invite_line(i, zone, language=self.language) for i in current.invites]

    @rx.event
    def load(self):
        self.invite_link = self.invite_for = self.form_message = ""
        self.name_error = self.email_error = ""
        self._reload()

    @rx.event
    def invite(self, form: dict):
        self.name_error = self.email_error = self.form_message = ""
        try:
            created = self._run(
                team.invite_colleague,
                email=str(form.get("email", "")),
                full_name=str(form.get("full_name", "")),
                role=str(form.get("role", "")),
            )
        except DomainError as exc:
            said = exc.in_language(self.language)
            if exc.field == "full_name":
                self.name_error = said
            elif exc.field == "email":
                self.email_error = said
            else:
                self.form_message = said
            return None
        self.invite_link, self.invite_for = team.invite_link(created.token), created.email
        self.invite_sentence = self._words().text("partners.team.link_sent", email=created.email)
        self._reload()
        return rx.toast.success(self._words().text("partners.team.invited", email=created.email))

    @rx.event
    def resend(self, invite_id: int):
        created = self._run(team.resend_invite, int(invite_id))
        self.invite_link, self.invite_for = team.invite_link(created.token), created.email
        self.invite_sentence = self._words().text("partners.team.link_sent", email=created.email)
        self._reload()
        return rx.toast.success(self._words().text("partners.team.resent", email=created.email))

    @rx.event
    def set_active(self, user_id: int, active: bool):
        self._run(team.set_user_active, int(user_id), bool(active))
        self._reload()
        done = "partners.team.reactivated" if active else "partners.team.deactivated_done"
        return rx.toast.success(self._words().text(done))

    @rx.event
    def export(self, bom: bool = False):
        """The team and its pending invitations as CSV (the people import's columns); with `bom` for Excel."""
        text = self._run(export_csv, PEOPLE_TABLE, {}, bom=bom is True)
        return rx.download(data=text, filename="team.csv")

    @rx.event
    def revoke(self, invite_id: int):
        self._run(team.revoke_invite, int(invite_id))
        self._reload()
        return rx.toast.success(self._words().text("partners.team.revoked"))


def _member_row(m: rx.Var[MemberLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.text(m.name, weight="medium"),
            rx.text(m.title, size="1", color_scheme="gray"),
            # In the first column, so a phone shows it without scrolling the table; a tap dials it.
            rx.cond(m.phone != "", rx.link(m.phone, href=m.phone_href, size="1", underline="always")),
        ),
        rx.table.cell(m.email),
        rx.table.cell(m.role),
        rx.table.cell(
            rx.cond(
                m.active,
                rx.badge(m.status, color_scheme="green", high_contrast=True),
                rx.badge(m.status, color_scheme="gray", high_contrast=True),
            )
        ),
        rx.cond(
            AuthState.is_partner_admin,
            rx.table.cell(
                rx.cond(
                    m.is_me,
                    rx.text(t("partners.team.you"), size="2", color_scheme="gray"),
                    rx.cond(
                        m.active,
                        confirm_button(
                            t("partners.team.deactivate"),
                            title=m.deactivate_title,
                            consequence=t("partners.team.deactivate_consequence"),
                            on_confirm=TeamState.set_active(m.id, False),
                            cancel_label=t("shell.cancel"),
                            size="1",
                            variant="soft",
                            aria_label=t("partners.team.deactivate") + " " + m.name.to(str),
                        ),
                        rx.button(
                            t("partners.team.reactivate"),
                            size="1",
                            variant="soft",
                            aria_label=t("partners.team.reactivate") + " " + m.name.to(str),
                            on_click=TeamState.set_active(m.id, True),
                        ),
                    ),
                )
            ),
        ),
    )


def _invite_form() -> rx.Component:
    return rx.card(
        rx.heading(t("partners.team.invite_heading"), size="4", as_="h2", margin_bottom="0.75rem"),
        rx.form(
            rx.vstack(
                form_error(TeamState.form_message),
                rx.flex(
                    field(t("partners.team.full_name"), "full_name", TeamState.name_error, autocomplete="name"),
                    field(
                        t("partners.team.work_email"),
                        "email",
                        TeamState.email_error,
                        type="email",
                        autocomplete="email",
                    ),
                    select_field(
                        t("partners.team.role"),
                        "role",
                        [("partner_user", t("role.partner_user")), ("partner_admin", t("role.partner_admin"))],
                        default="partner_user",
                    ),
                    direction={"initial": "column", "sm": "row"},
                    spacing="3",
                    width="100%",
                ),
                rx.button(t("partners.team.create_invitation"), type="submit"),
                spacing="3",
            ),
            on_submit=TeamState.invite,
            no_validate=True,  # our messages sit next to the field; the browser bubble does not
            reset_on_submit=False,
            aria_label=t("partners.team.invite_heading"),
        ),
        rx.cond(
            TeamState.invite_link != "",
            rx.box(
                rx.text(TeamState.invite_sentence),
                rx.el.label(
                    t("partners.team.invite_link"),
                    html_for="invite-link",
                    class_name="field-label",
                    margin_top="0.5rem",
                ),
                rx.hstack(
                    rx.input(id="invite-link", value=TeamState.invite_link, read_only=True, width="100%"),
                    rx.button(
                        t("partners.team.copy"), on_click=rx.set_clipboard(TeamState.invite_link), variant="soft"
                    ),
                    width="100%",
                ),
                class_name="invite-result",
                margin_top="1rem",
            ),
        ),
        width="100%",
    )


def _pending() -> rx.Component:
    return rx.cond(
        TeamState.invites.length() > 0,
        rx.box(
            rx.heading(t("partners.team.pending"), size="4", as_="h2", margin_y="0.75rem"),
            rx.vstack(
                rx.foreach(
                    TeamState.invites,
                    lambda i: rx.hstack(
                        rx.text(i.name, " · ", i.email, " · ", i.role),
                        rx.cond(
                            i.expired,
                            rx.badge(t("partners.team.expired"), color_scheme="orange", high_contrast=True),
                            rx.text(t("partners.team.expires"), i.expires, size="1", color_scheme="gray"),
                        ),
                        rx.cond(
                            AuthState.is_partner_admin,
                            rx.button(
                                t("partners.team.resend"),
                                size="1",
                                variant="soft",
                                aria_label=t("partners.team.resend_to") + i.email.to(str),
                                on_click=TeamState.resend(i.id),
                            ),
                        ),
                        rx.cond(
                            AuthState.is_partner_admin,
                            confirm_button(
                                t("partners.team.revoke"),
                                title=i.revoke_title,
                                consequence=t("partners.team.revoke_consequence"),
                                on_confirm=TeamState.revoke(i.id),
                                confirm_label=t("partners.team.revoke_invitation"),
                                cancel_label=t("shell.cancel"),
                                size="1",
                                variant="soft",
                                aria_label=t("partners.team.revoke_for") + i.email.to(str),
                            ),
                        ),
                        wrap="wrap",
                        align="center",
                    ),
                ),
            ),
        ),
    )


@page(
    "/portal/team",
    title="Team",
    audience=Audience.PARTNER,
    on_load=[TeamState.load, JoinRequestsState.load],
    nav=Nav("Team", "users", 50),
)
def team_page() -> rx.Component:
    return rx.vstack(
        rx.cond(
            AuthState.is_partner_admin,
            rx.flex(
                rx.button("Export CSV", variant="soft", size="2", on_click=TeamState.export(False)),
                rx.button("Export CSV for Excel", variant="soft", size="2", on_click=TeamState.export(True)),
                rx.link("Import people from CSV", href="/data/import?kind=users", size="2"),
                gap="0.75rem",
                align="center",
                wrap="wrap",
            ),
        ),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(t("partners.team.name")),
                        rx.table.column_header_cell(t("partners.team.email")),
                        rx.table.column_header_cell(t("partners.team.role")),
                        rx.table.column_header_cell(t("partners.team.status")),
                        rx.cond(AuthState.is_partner_admin, rx.table.column_header_cell(t("partners.team.actions"))),
                    )
                ),
                rx.table.body(rx.foreach(TeamState.members, _member_row)),
                width="100%",
            ),
            class_name="table-scroll",
            tab_index=0,  # it may scroll sideways on a phone: keyboard users must reach it
            role="region",
            aria_label=t("partners.team.people"),
        ),
        _pending(),
        join_requests_card(),  # colleagues who asked to join (partner admins only)
        rx.cond(AuthState.is_partner_admin, _invite_form()),
        spacing="5",
        width="100%",
    )
