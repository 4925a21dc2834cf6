"""Every table, imported here so Alembic and the app see them all."""

from sqlmodel import SQLModel

# Named constraints make migrations reviewable and let SQLite batch mode find them again.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

from prm_app.models.activity import AuditLog, EngagementEvent  # noqa: E402
from prm_app.models.deals import (  # noqa: E402
    AppLock,
    ConflictKey,
    Deal,
    DealEvent,
    DealExtension,
    DealProduct,
    DirectAccount,
    Notification,
    Product,
)
from prm_app.models.leads import (  # noqa: E402
    Lead,
    LeadDecline,
    LeadEvent,
    LeadProduct,
    LeadQueue,
    LeadQueueMember,
    RoutingProfile,
)
from prm_app.models.measuring import ExchangeRate, NpsResponse, NpsSurvey  # noqa: E402
from prm_app.models.partners import Organization, Tier  # noqa: E402
from prm_app.models.users import AuthSession, Invite, LoginAttempt, User  # noqa: E402

__all__ = [
    "AppLock",
    "AuditLog",
    "AuthSession",
    "ConflictKey",
    "Deal",
    "DealEvent",
    "DealExtension",
    "DealProduct",
    "DirectAccount",
    "EngagementEvent",
    "ExchangeRate",
    "Invite",
    "Lead",
    "LeadDecline",
    "LeadEvent",
    "LeadProduct",
    "LeadQueue",
    "LeadQueueMember",
    "LoginAttempt",
    "Notification",
    "NpsResponse",
    "NpsSurvey",
    "Organization",
    "Product",
    "RoutingProfile",
    "Tier",
    "User",
]
