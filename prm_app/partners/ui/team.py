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

    def _reload(self) -> None:
        current, zone = self._run(with_zone, my_team)
        self.members = [member_line(m) for m in current.members]
        self.invites = [invite_line(i, zone) for i in current.invites]

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
            if exc.field == "full_name":
                self.name_error = exc.message
            elif exc.field == "email":
                self.email_error = exc.message
            else:
                self.form_message = exc.message
            return None
        self.invite_link, self.invite_for = team.invite_link(created.token), created.email
        self._reload()
        return rx.toast.success(f"Invitation emailed to {created.email}.")

    @rx.event
    def resend(self, invite_id: int):
        created = self._run(team.resend_invite, int(invite_id))
        self.invite_link, self.invite_for = team.invite_link(created.token), created.email
        self._reload()
        return rx.toast.success(f"Invitation emailed again to {created.email}; the earlier link no longer works.")

    @rx.event
    def set_active(self, user_id: int, active: bool):
        self._run(team.set_user_active, int(user_id), bool(active))
        self._reload()
        return rx.toast.success("Colleague reactivated." if active else "Colleague deactivated; signed out everywhere.")

    @rx.event
    def export(self, bom: bool = False):
        """The team and its pending invitations as CSV (the people import's columns); with `bom` for Excel."""
        text = self._run(export_csv, PEOPLE_TABLE, {}, bom=bom is True)
        return rx.download(data=text, filename="team.csv")

    @rx.event
    def revoke(self, invite_id: int):
        self._run(team.revoke_invite, int(invite_id))
        self._reload()
        return rx.toast.success("Invitation revoked.")


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
                rx.badge("Active", color_scheme="green", high_contrast=True),
                rx.badge("Deactivated", color_scheme="gray", high_contrast=True),
            )
        ),
        rx.cond(
            AuthState.is_partner_admin,
            rx.table.cell(
                rx.cond(
                    m.is_me,
                    rx.text("You", size="2", color_scheme="gray"),
                    rx.cond(
                        m.active,
                        confirm_button(
                            "Deactivate",
                            title="Deactivate " + m.name.to(str) + "?",
                            consequence="They are signed out everywhere at once and can no longer sign in. Their "
                            "deals and leads stay with your organization; you can reactivate them later.",
                            on_confirm=TeamState.set_active(m.id, False),
                            size="1",
                            variant="soft",
                            aria_label="Deactivate " + m.name.to(str),
                        ),
                        rx.button(
                            "Reactivate",
                            size="1",
                            variant="soft",
                            aria_label="Reactivate " + m.name.to(str),
                            on_click=TeamState.set_active(m.id, True),
                        ),
                    ),
                )
            ),
        ),
    )


def _invite_form() -> rx.Component:
    return rx.card(
        rx.heading("Invite a colleague", size="4", as_="h2", margin_bottom="0.75rem"),
        rx.form(
            rx.vstack(
                form_error(TeamState.form_message),
                rx.flex(
                    field("Full name", "full_name", TeamState.name_error, autocomplete="name"),
                    field("Work email", "email", TeamState.email_error, type="email", autocomplete="email"),
                    select_field(
                        "Role",
                        "role",
                        [("partner_user", "Partner user"), ("partner_admin", "Partner admin")],
                        default="partner_user",
                    ),
                    direction={"initial": "column", "sm": "row"},
                    spacing="3",
                    width="100%",
                ),
                rx.button("Create invitation", type="submit"),
                spacing="3",
            ),
            on_submit=TeamState.invite,
            no_validate=True,  # our messages sit next to the field; the browser bubble does not
            reset_on_submit=False,
            aria_label="Invite a colleague",
        ),
        rx.cond(
            TeamState.invite_link != "",
            rx.box(
                rx.text(
                    "We emailed this link to ",
                    rx.text.strong(TeamState.invite_for),
                    "; you may also send it yourself. It works once and expires in 7 days.",
                ),
                rx.el.label("Invitation link", html_for="invite-link", class_name="field-label", margin_top="0.5rem"),
                rx.hstack(
                    rx.input(id="invite-link", value=TeamState.invite_link, read_only=True, width="100%"),
                    rx.button("Copy", on_click=rx.set_clipboard(TeamState.invite_link), variant="soft"),
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
            rx.heading("Pending invitations", size="4", as_="h2", margin_y="0.75rem"),
            rx.vstack(
                rx.foreach(
                    TeamState.invites,
                    lambda i: rx.hstack(
                        rx.text(i.name, " · ", i.email, " · ", i.role),
                        rx.cond(
                            i.expired,
                            rx.badge("Expired", color_scheme="orange", high_contrast=True),
                            rx.text("expires ", i.expires, size="1", color_scheme="gray"),
                        ),
                        rx.cond(
                            AuthState.is_partner_admin,
                            rx.button(
                                "Resend",
                                size="1",
                                variant="soft",
                                aria_label="Resend invitation to " + i.email.to(str),
                                on_click=TeamState.resend(i.id),
                            ),
                        ),
                        rx.cond(
                            AuthState.is_partner_admin,
                            confirm_button(
                                "Revoke",
                                title="Revoke the invitation for " + i.email.to(str) + "?",
                                consequence="The link they were sent stops working. To invite them again you would "
                                "send a new invitation.",
                                on_confirm=TeamState.revoke(i.id),
                                confirm_label="Revoke invitation",
                                size="1",
                                variant="soft",
                                aria_label="Revoke invitation for " + i.email.to(str),
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
                        rx.table.column_header_cell("Name"),
                        rx.table.column_header_cell("Email"),
                        rx.table.column_header_cell("Role"),
                        rx.table.column_header_cell("Status"),
                        rx.cond(AuthState.is_partner_admin, rx.table.column_header_cell("Actions")),
                    )
                ),
                rx.table.body(rx.foreach(TeamState.members, _member_row)),
                width="100%",
            ),
            class_name="table-scroll",
            tab_index=0,  # it may scroll sideways on a phone: keyboard users must reach it
            role="region",
            aria_label="Table",
        ),
        _pending(),
        join_requests_card(),  # colleagues who asked to join (partner admins only)
        rx.cond(AuthState.is_partner_admin, _invite_form()),
        spacing="5",
        width="100%",
    )
