"""CRM sync's tables: a connection per CRM, its field maps, a link per synced record, the sync log (which is also
each run's cursor), the drift the last reconciliation found, and the inbound events received (each once)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


class CrmConnection(SQLModel, table=True):
    """One CRM the program syncs with (one per provider). The token and the inbound secret are needed to call
    and to verify, so they are kept as they are; no page or API ever shows them again."""

    __tablename__ = "crm_connection"

    id: int | None = Field(default=None, primary_key=True)
    provider: str = Field(sa_column=Column(String(20), unique=True, nullable=False))
    base_url: str = Field(sa_column=Column(String(300), nullable=False))
    token: str = Field(sa_column=Column(String(400), nullable=False))
    inbound_secret: str = Field(sa_column=Column(String(200), nullable=False))
    updated_by_id: int = Field(foreign_key="app_user.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class CrmFieldMap(SQLModel, table=True):
    """One PRM field (or a fixed value) ↔ one CRM field of an object, with its direction on create and on update."""

    __tablename__ = "crm_field_map"
    __table_args__ = (UniqueConstraint("connection_id", "object_name", "crm_field"),)

    id: int | None = Field(default=None, primary_key=True)
    connection_id: int = Field(foreign_key="crm_connection.id", index=True)
    object_name: str = Field(sa_column=Column(String(20), nullable=False))
    crm_field: str = Field(sa_column=Column(String(100), nullable=False))
    prm_field: str = Field(default="", sa_column=Column(String(40), nullable=False, default=""))
    fixed_value: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))
    on_create: str = Field(sa_column=Column(String(10), nullable=False))
    on_update: str = Field(sa_column=Column(String(10), nullable=False))
    first_sync_only: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))


class CrmLink(SQLModel, table=True):
    """A PRM record and its CRM record: the external id, the hash of what was last sent and last taken, and
    `field_times` (JSON: CRM field → ISO time of the last inbound change applied) so an older event never
    overwrites a newer value."""

    __tablename__ = "crm_link"
    __table_args__ = (
        UniqueConstraint("connection_id", "object_name", "entity_id", name="uq_crm_link_entity"),
        UniqueConstraint("connection_id", "object_name", "external_id", name="uq_crm_link_external"),
    )

    id: int | None = Field(default=None, primary_key=True)
    connection_id: int = Field(foreign_key="crm_connection.id", index=True)
    object_name: str = Field(sa_column=Column(String(20), nullable=False))
    entity_id: int = Field(sa_column=Column(Integer, nullable=False))
    external_id: str = Field(sa_column=Column(String(64), nullable=False))
    hash_out: str = Field(default="", sa_column=Column(String(64), nullable=False, default=""))
    hash_in: str = Field(default="", sa_column=Column(String(64), nullable=False, default=""))
    field_times: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    synced_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class CrmSyncLog(SQLModel, table=True):
    """A line of the sync log: one batch of a run (its counts, and `after_id`, the last record it covered: where a
    resumed run goes on) or a run's start, end or failure (`object_name` "")."""

    __tablename__ = "crm_sync_log"

    id: int | None = Field(default=None, primary_key=True)
    connection_id: int = Field(foreign_key="crm_connection.id", index=True)
    run_id: int | None = Field(default=None, foreign_key="job_run.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    object_name: str = Field(default="", sa_column=Column(String(20), nullable=False, default=""))
    after_id: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    created: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    updated: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    unchanged: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    failed: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class CrmDrift(SQLModel, table=True):
    """A field whose PRM and CRM values differ, as the last reconciliation of the connection found it."""

    __tablename__ = "crm_drift"
    __table_args__ = (UniqueConstraint("connection_id", "object_name", "entity_id", "crm_field"),)

    id: int | None = Field(default=None, primary_key=True)
    connection_id: int = Field(foreign_key="crm_connection.id", index=True)
    object_name: str = Field(sa_column=Column(String(20), nullable=False))
    entity_id: int = Field(sa_column=Column(Integer, nullable=False))
    crm_field: str = Field(sa_column=Column(String(100), nullable=False))
    prm_field: str = Field(sa_column=Column(String(40), nullable=False))
    prm_value: str = Field(sa_column=Column(Text, nullable=False))
    crm_value: str = Field(sa_column=Column(Text, nullable=False))
    found_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class CrmInboundEvent(SQLModel, table=True):
    """An event a CRM sent, stored once per (source, event id): a second delivery of it changes nothing.
    `result`: applied, stale (an event that happened later was applied already), ignored (with why)."""

    __tablename__ = "crm_inbound_event"
    __table_args__ = (UniqueConstraint("source", "event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(sa_column=Column(String(40), nullable=False))
    event_id: str = Field(sa_column=Column(String(100), nullable=False))
    occurred_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    received_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    external_id: str = Field(default="", sa_column=Column(String(64), nullable=False, default=""))
    crm_field: str = Field(default="", sa_column=Column(String(100), nullable=False, default=""))
    value: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    result: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))
