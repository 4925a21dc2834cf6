"""Partner organizations, the tiers of the program, and invitations to join an organization's team."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Integer, String, Text, text
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


class PartnerType(StrEnum):
    RESELLER = "reseller"
    VAR = "var"
    MSP = "msp"
    ISV = "isv"
    SYSTEM_INTEGRATOR = "system_integrator"
    DISTRIBUTOR = "distributor"
    REFERRAL = "referral"
    AFFILIATE = "affiliate"


REGIONS = ("North America", "Latin America", "EMEA", "APAC")


class Tier(SQLModel, table=True):
    __tablename__ = "tier"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(40), unique=True, nullable=False))
    rank: int = Field(index=True, description="Higher is better; Registered is 0")
    benefits: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # one per line


class Organization(SQLModel, table=True):
    """A partner company. (The vendor itself is not a row: internal users have no organization.)"""

    __tablename__ = "organization"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    name_lower: str = Field(sa_column=Column(String(200), nullable=False, index=True))
    partner_type: str = Field(sa_column=Column(String(30), nullable=False, index=True))
    tier_id: int = Field(foreign_key="tier.id", index=True)
    region: str = Field(sa_column=Column(String(40), nullable=False, index=True))
    country: str = Field(sa_column=Column(String(2), nullable=False), description="ISO 3166 alpha-2")
    city: str = Field(default="", sa_column=Column(String(100), nullable=False, default=""))
    website: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))
    # The postal address and phone its partner admin keeps up to date (prm_app/partners/org_profile.py).
    street: str = Field(
        default="", sa_column=Column(String(200), nullable=False, server_default=text("''"), default="")
    )
    postal_code: str = Field(
        default="", sa_column=Column(String(20), nullable=False, server_default=text("''"), default="")
    )
    phone: str = Field(default="", sa_column=Column(String(40), nullable=False, server_default=text("''"), default=""))
    # The logo: a random file name in the logo storage (prm_app/partners/logos.py) and its checked type
    # ("image/png", "image/jpeg", "image/webp"); "" when there is none.
    logo_key: str = Field(
        default="", sa_column=Column(String(32), nullable=False, server_default=text("''"), default="")
    )
    logo_type: str = Field(
        default="", sa_column=Column(String(20), nullable=False, server_default=text("''"), default="")
    )
    # organization and app_user point at each other; use_alter tells SQLAlchemy which side to add last.
    channel_manager_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer,
            ForeignKey("app_user.id", use_alter=True, name="fk_organization_channel_manager_id_app_user"),
            nullable=True,
            index=True,
        ),
    )
    parent_id: int | None = Field(
        default=None, foreign_key="organization.id", index=True, description="The distributor above a sub-partner"
    )
    joined_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    # Its id in another system (a CRM, a spreadsheet): the key CSV imports match on (prm_app/partners/table.py).
    external_id: str | None = Field(default=None, sa_column=Column(String(100), nullable=True, unique=True, index=True))


class Invite(SQLModel, table=True):
    """A single-use, expiring invitation to join an organization. Only the token's hash is stored."""

    __tablename__ = "invite"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    organization_id: int = Field(foreign_key="organization.id", index=True)
    email: str = Field(sa_column=Column(String(254), nullable=False, index=True))
    full_name: str = Field(sa_column=Column(String(120), nullable=False))
    role: str = Field(sa_column=Column(String(20), nullable=False))
    invited_by_id: int = Field(foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # What a people import says of the person beyond name and role (partners/people_table.py); accepting the
    # invitation copies it onto the new user. "" / None when invited from the team page.
    external_id: str | None = Field(default=None, sa_column=Column(String(100), nullable=True, index=True))
    title: str = Field(default="", sa_column=Column(String(120), nullable=False, server_default=text("''"), default=""))
    phone: str = Field(default="", sa_column=Column(String(30), nullable=False, server_default=text("''"), default=""))
    language: str = Field(
        default="", sa_column=Column(String(8), nullable=False, server_default=text("''"), default="")
    )
