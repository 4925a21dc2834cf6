"""Who is acting and what they may do: the one place that decides access.

An `Actor` is resolved on the server from the session token, never taken from the browser. Every use case asks
it `actor.require(Permission.X)`; `GRANTS` below is the whole policy, one row per role. Scope is part of the
policy: a partner reaches only its own organization, a channel manager the partners of their book (where a use
case limits reads or writes to a book), execs and admins every partner.
"""

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
    SYSTEM = "system"  # scheduled jobs; never a person's role (no user row has it)


class Permission(StrEnum):
    # The partner portal: always limited to the actor's own organization.
    USE_PORTAL = "use_portal"  # home, profile, notifications, own scorecard
    REGISTER_DEALS = "register_deals"  # register, answer, withdraw, extend, close own deals
    WORK_LEADS = "work_leads"  # accept, decline, progress leads offered to the organization
    ANSWER_SURVEYS = "answer_surveys"
    MANAGE_TEAM = "manage_team"  # invite, revoke, deactivate people (partner admins: own team only)
    # Register deals from a CSV file (prm_app/deals/table.py) through the registration form's use case: partner
    # admins for their own organization, the vendor's managers on behalf of the partners in their reach.
    IMPORT_DEALS = "import_deals"
    # The vendor console.
    VIEW_PARTNERS = "view_partners"  # directory, partner pages, review queues, dashboards, scorecards, NPS
    DECIDE_DEALS = "decide_deals"  # approve, reject, ask for info, decide extensions
    MANAGE_LEADS = "manage_leads"  # add and import leads, route, reorder and assign queues
    LAUNCH_SURVEYS = "launch_surveys"
    MANAGE_ONBOARDING = "manage_onboarding"  # edit checklist templates; approve, send back, skip partners' tasks
    RECRUIT_PARTNERS = "recruit_partners"  # review applications, approve (provision) partners, edit programs
    MANAGE_AGREEMENTS = "manage_agreements"  # edit agreement templates and publish versions partners must sign
    MANAGE_PARTNER_GROUPS = "manage_partner_groups"  # name groups of partners that audience rules address
    MANAGE_CONTENT = "manage_content"  # the content library: upload, version, audiences, co-brand templates, usage
    RESTORE_CONTENT = "restore_content"  # bring back a deleted asset within 30 days (admins)
    MANAGE_TIERS = "manage_tiers"  # tier criteria, re-evaluation, tier proposals and overrides
    MANAGE_TRAINING = "manage_training"  # author courses, quizzes and certifications; training insight; revoke
    READ_OUTBOX = "read_outbox"  # the outbox of sent and unsent mail, and sending a failed message again (admins)
    # Import SCORM packages, list them, preview-launch them (training's content). Admins only: a package's HTML and
    # script are served from the app's own origin (scorm-again's API discovery needs it), so whoever opens one runs
    # the uploader's script as themselves. Lesson editors (MANAGE_TRAINING) still see the package names to pick one.
    MANAGE_SCORM = "manage_scorm"
    # Incentives and MDF (prm_app/incentives): partners request and claim funds for their own organization;
    # managers review the requests and claims of their book; admins run the programs, budgets, FX and payouts.
    CLAIM_FUNDS = "claim_funds"
    REVIEW_FUNDS = "review_funds"
    MANAGE_INCENTIVES = "manage_incentives"
    # Scheduled work.
    RUN_JOBS = "run_jobs"  # expire protection, recycle overdue lead offers
    # The REST API (prm_app/integrations): keys act as their creator, so partner admins make keys for their own
    # organization and admins program-wide ones; the audit log is the admins' to read.
    MANAGE_API_KEYS = "manage_api_keys"
    READ_AUDIT = "read_audit"
    # CRM sync (prm_app/crm): the connection's token, field maps, runs and resolving drift touch every partner's
    # records in the CRM, so administrators only.
    MANAGE_CRM = "manage_crm"


class Scope(StrEnum):
    OWN_ORGANIZATION = "own_organization"
    OWN_BOOK = "own_book"
    ALL = "all"


_PARTNER = frozenset(
    {
        Permission.USE_PORTAL,
        Permission.REGISTER_DEALS,
        Permission.WORK_LEADS,
        Permission.ANSWER_SURVEYS,
        Permission.CLAIM_FUNDS,
    }
)
# Execs read everything but change nothing operational.
_EXEC = frozenset({Permission.VIEW_PARTNERS})
_MANAGER = _EXEC | {
    Permission.DECIDE_DEALS,
    Permission.MANAGE_LEADS,
    Permission.LAUNCH_SURVEYS,
    Permission.MANAGE_TEAM,
    Permission.MANAGE_ONBOARDING,
    Permission.RECRUIT_PARTNERS,
    Permission.MANAGE_AGREEMENTS,
    Permission.MANAGE_PARTNER_GROUPS,
    Permission.MANAGE_TIERS,
    Permission.MANAGE_TRAINING,
    Permission.MANAGE_CONTENT,
    Permission.REVIEW_FUNDS,
    Permission.IMPORT_DEALS,
}

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.PARTNER_USER: _PARTNER,
    Role.PARTNER_ADMIN: _PARTNER | {Permission.MANAGE_TEAM, Permission.MANAGE_API_KEYS, Permission.IMPORT_DEALS},
    Role.CHANNEL_MANAGER: _MANAGER,
    Role.EXEC: _EXEC,
    Role.ADMIN: _MANAGER
    | {Permission.READ_OUTBOX, Permission.RESTORE_CONTENT, Permission.MANAGE_INCENTIVES, Permission.MANAGE_SCORM}
    | {Permission.MANAGE_API_KEYS, Permission.READ_AUDIT, Permission.MANAGE_CRM},
    Role.SYSTEM: _MANAGER
    | {Permission.RUN_JOBS, Permission.RESTORE_CONTENT, Permission.MANAGE_INCENTIVES, Permission.MANAGE_SCORM},
}

SCOPES: dict[Role, Scope] = {
    Role.PARTNER_USER: Scope.OWN_ORGANIZATION,
    Role.PARTNER_ADMIN: Scope.OWN_ORGANIZATION,
    Role.CHANNEL_MANAGER: Scope.OWN_BOOK,
    Role.EXEC: Scope.ALL,
    Role.ADMIN: Scope.ALL,
    Role.SYSTEM: Scope.ALL,
}

PARTNER_ROLES = frozenset({Role.PARTNER_USER, Role.PARTNER_ADMIN})
INTERNAL_ROLES = frozenset({Role.CHANNEL_MANAGER, Role.EXEC, Role.ADMIN})

ROLE_LABELS = {
    Role.PARTNER_USER: "Partner user",
    Role.PARTNER_ADMIN: "Partner admin",
    Role.CHANNEL_MANAGER: "Channel manager",
    Role.EXEC: "Executive",
    Role.ADMIN: "Administrator",
    Role.SYSTEM: "System",
}


@dataclass(frozen=True)
class Actor:
    user_id: int | None  # None only for the system actor
    role: Role
    organization_id: int | None
    name: str = ""
    email: str = ""
    ip: str = ""

    @classmethod
    def system(cls, reason: str) -> Actor:
        """The actor of scheduled work; `reason` names the job in history and logs ("Routing", "Expiry")."""
        return cls(user_id=None, role=Role.SYSTEM, organization_id=None, name=reason)

    @property
    def is_partner(self) -> bool:
        return self.role in PARTNER_ROLES

    @property
    def is_internal(self) -> bool:
        return self.role in INTERNAL_ROLES

    @property
    def scope(self) -> Scope:
        return SCOPES[self.role]

    def can(self, permission: Permission) -> bool:
        return permission in GRANTS[self.role]

    def require(self, permission: Permission) -> None:
        """Raise PermissionDenied unless the policy grants `permission` to the actor's role."""
        if not self.can(permission):
            raise PermissionDenied()

    def reaches_book_of(self, channel_manager_id: int | None) -> bool:
        """Whether a partner managed by `channel_manager_id` is inside this internal actor's scope.

        The one rule for a partner's people and money, and for acting on its deals, team and surveys: a channel
        manager reaches the partners of their own book; admins, execs and jobs reach every partner (what each may
        change is still the grants table's say: execs change nothing). Directory rows are not people or money.
        """
        if self.scope == Scope.ALL:
            return True
        return self.scope == Scope.OWN_BOOK and channel_manager_id is not None and channel_manager_id == self.user_id

    def book_owner(self) -> int | None:
        """The same rule for queries: the channel manager whose book bounds what this actor reaches, or None when
        it reaches every partner. (`where(Organization.channel_manager_id == owner)` when not None.)"""
        return self.user_id if self.scope == Scope.OWN_BOOK else None

    def can_manage_team_of(self, organization_id: int, channel_manager_id: int | None) -> bool:
        """Partner admins manage their own organization's team; admins any team; channel managers their book's."""
        if not self.can(Permission.MANAGE_TEAM):
            return False
        if self.is_partner:
            return self.organization_id == organization_id
        return self.reaches_book_of(channel_manager_id)
