"""Partner groups for the channel team: every group with its size and a new group (/partner-groups), and one group
with its partners, adding one by name and taking one out (/partner-groups/<key>). Audience rules address groups,
so a course or asset can be for "Security Elite" partners only. Reached from the partner directory."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from prm_app.audience import add_partner, create_group, group_detail, list_groups, remove_partner, rename_group
from prm_app.platform.access import Permission
from prm_app.platform.errors import DomainError, FormInvalid, NotAuthenticated, NotFound, PermissionDenied
from prm_app.web.components.confirm import confirm_button
from prm_app.web.components.forms import field, field_error
from prm_app.web.components.tables import data_table
from prm_app.web.layout import record_heading, record_page
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState


@dataclass(frozen=True)
class GroupRow:
    key: str
    name: str
    description: str
    members: str


@dataclass(frozen=True)
class MemberRow:
    organization_id: int
    name: str
    region: str


def _members(n: int) -> str:
    return "1 partner" if n == 1 else f"{n} partners"


class GroupsState(AuthState):
    groups: list[GroupRow] = []
    can_manage: bool = False
    errors: dict[str, str] = {}

    @rx.event
    def load(self):
        self.errors = {}
        self.groups = [GroupRow(g.key, g.name, g.description, _members(g.members)) for g in self._run(list_groups)]
        self.can_manage = self._actor().can(Permission.MANAGE_PARTNER_GROUPS)

    @rx.event
    def create(self, form: dict):
        try:
            key = self._run(create_group, str(form.get("name", ""))[:200], str(form.get("description", ""))[:1000])
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        self.errors = {}
        return rx.redirect(f"/partner-groups/{key}")


class GroupState(AuthState):
    found: bool = True
    key: str = ""
    name: str = ""
    description: str = ""
    members: list[MemberRow] = []
    count: str = ""
    can_manage: bool = False
    errors: dict[str, str] = {}
    form_key: int = 0

    def _reload(self) -> None:
        try:
            detail = self._run(group_detail, self.key)
        except NotFound:
            self.found, self.name, self.members = False, "", []
            return
        self.found, self.name, self.description = True, detail.name, detail.description
        self.members = [MemberRow(m.organization_id, m.name, m.region) for m in detail.members]
        self.count, self.can_manage = _members(len(detail.members)), detail.can_manage

    def _act(self, fn, *args, success: str):
        try:
            self._run(fn, self.key, *args)
        except (NotAuthenticated, PermissionDenied):
            raise
        except DomainError as exc:
            self.errors = exc.errors if isinstance(exc, FormInvalid) else {exc.field or "action": exc.message}
            return None
        self.errors = {}
        self._reload()
        self.form_key += 1
        return rx.toast.success(success)

    @rx.event
    def load(self):
        self.errors = {}
        self.key = self.router.url.path.rstrip("/").rsplit("/", 1)[-1][:80]
        self._reload()

    @rx.event
    def add(self, form: dict):
        name = str(form.get("partner", ""))[:200]
        return self._act(add_partner, name, success=f"Added {' '.join(name.split())} to the group.")

    @rx.event
    def remove(self, organization_id: int):
        return self._act(remove_partner, organization_id, success="Taken out of the group.")

    @rx.event
    def rename(self, form: dict):
        name, description = str(form.get("name", ""))[:200], str(form.get("description", ""))[:1000]
        return self._act(rename_group, name, description, success="Group saved.")


def _group_row(g: rx.Var[GroupRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(g.name, href="/partner-groups/" + g.key)),
        rx.table.cell(g.members),
        rx.table.cell(g.description),
    )


def _new_group() -> rx.Component:
    e = GroupsState.errors
    return rx.card(
        rx.heading("New group", size="4", as_="h2", margin_bottom="0.5rem"),
        rx.form(
            rx.vstack(
                field("Name", "name", e.get("name", "")),
                field("Description (optional)", "description", e.get("description", ""), required=False),
                rx.button("Create group", type="submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=GroupsState.create,
            reset_on_submit=False,
            no_validate=True,
            aria_label="New group",
        ),
        width="100%",
        max_width="32rem",
    )


@page("/partner-groups", title="Partner groups", audience=Audience.INTERNAL, on_load=GroupsState.load)
def partner_groups_page() -> rx.Component:
    return rx.vstack(
        rx.text(
            "Name a set of partners once, then make courses, assets and programs available to the group.", size="2"
        ),
        rx.cond(
            GroupsState.groups.length() > 0,
            data_table(["Group", "Partners", "Description"], GroupsState.groups, _group_row, label="Partner groups"),
            rx.text("No groups yet.", color_scheme="gray"),
        ),
        rx.cond(GroupsState.can_manage, _new_group()),
        spacing="4",
        width="100%",
    )


def _member_row(m: rx.Var[MemberRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(m.name, href="/partners/" + m.organization_id.to_string())),
        rx.table.cell(m.region),
        rx.table.cell(
            rx.cond(
                GroupState.can_manage,
                confirm_button(
                    "Remove",
                    title="Take this partner out of the group?",
                    consequence="It stops seeing what is shared with this group only.",
                    on_confirm=GroupState.remove(m.organization_id),
                    size="1",
                    variant="soft",
                    aria_label="Remove " + m.name,
                ),
            )
        ),
    )


def _manage_forms() -> rx.Component:
    e = GroupState.errors
    return rx.flex(
        rx.card(
            rx.heading("Add a partner", size="4", as_="h2", margin_bottom="0.5rem"),
            rx.form(
                rx.vstack(
                    field("Partner name", "partner", e.get("partner", ""), hint="Its exact name, as in the directory."),
                    rx.button("Add to group", type="submit"),
                    spacing="3",
                    width="100%",
                ),
                key=GroupState.form_key,  # drawn afresh after an add; a refusal keeps what was typed
                on_submit=GroupState.add,
                reset_on_submit=False,
                no_validate=True,
                aria_label="Add a partner",
            ),
            flex="1 1 18rem",
        ),
        rx.card(
            rx.heading("Name and description", size="4", as_="h2", margin_bottom="0.5rem"),
            rx.form(
                rx.vstack(
                    field("Name", "name", e.get("name", ""), default_value=GroupState.name),
                    field("Description", "description", "", default_value=GroupState.description, required=False),
                    rx.button("Save", type="submit"),
                    spacing="3",
                    width="100%",
                ),
                key=GroupState.form_key,
                on_submit=GroupState.rename,
                reset_on_submit=False,
                no_validate=True,
                aria_label="Name and description",
            ),
            flex="1 1 18rem",
        ),
        wrap="wrap",
        gap="1rem",
        width="100%",
    )


@page("/partner-groups/[group_key]", title="Partner group", audience=Audience.INTERNAL, on_load=GroupState.load)
@record_page
def partner_group_page() -> rx.Component:
    return rx.vstack(
        record_heading(GroupState.name, [("Partner groups", "/partner-groups")], "Partner group"),
        rx.cond(
            GroupState.found,
            rx.vstack(
                rx.cond(GroupState.description != "", rx.text(GroupState.description)),
                field_error(GroupState.errors, "action"),
                rx.heading(GroupState.count, size="4", as_="h2"),
                rx.cond(
                    GroupState.members.length() > 0,
                    data_table(
                        ["Partner", "Region", "Action"], GroupState.members, _member_row, label="Partners in the group"
                    ),
                    rx.text("No partners in this group yet.", color_scheme="gray"),
                ),
                rx.cond(GroupState.can_manage, _manage_forms()),
                spacing="4",
                width="100%",
            ),
            rx.callout(
                rx.text("There is no such group. ", rx.link("All partner groups", href="/partner-groups"), "."),
                icon="circle_alert",
                color_scheme="gray",
                role="alert",
            ),
        ),
        spacing="4",
        width="100%",
    )
