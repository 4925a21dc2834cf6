"""Who is acting: resolved on the server from the session token, never taken from the browser."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from prm_app.platform.errors import PermissionDenied


class Role(StrEnum):
    PARTNER_USER = "partner_user"
    PARTNER_ADMIN = "partner_admin"
    CHANNEL_MANAGER = "channel_manager"
    EXEC = "exec"
    ADMIN = "admin"


PARTNER_ROLES = frozenset({Role.PARTNER_USER, Role.PARTNER_ADMIN})
INTERNAL_ROLES = frozenset({Role.CHANNEL_MANAGER, Role.EXEC, Role.ADMIN})

ROLE_LABELS = {
    Role.PARTNER_USER: "Partner user",
    Role.PARTNER_ADMIN: "Partner admin",
    Role.CHANNEL_MANAGER: "Channel manager",
    Role.EXEC: "Executive",
    Role.ADMIN: "Administrator",
}


@dataclass(frozen=True)
class Actor:
    user_id: int
    role: Role
    organization_id: int | None
    name: str = ""
    email: str = ""
    ip: str = ""

    @property
    def is_partner(self) -> bool:
        return self.role in PARTNER_ROLES

    @property
    def is_internal(self) -> bool:
        return self.role in INTERNAL_ROLES

    def require(self, *roles: Role) -> None:
        """Raise PermissionDenied unless the actor has one of `roles`."""
        if self.role not in roles:
            raise PermissionDenied()

    def require_internal(self) -> None:
        if not self.is_internal:
            raise PermissionDenied()

    def can_manage_team_of(self, organization_id: int) -> bool:
        """Partner admins manage their own organization's team; admins and channel managers any team."""
        if self.role == Role.PARTNER_ADMIN:
            return self.organization_id == organization_id
        return self.role in (Role.ADMIN, Role.CHANNEL_MANAGER)
