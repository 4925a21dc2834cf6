"""FX locks: the rate a business event took, written once at the event and never updated (the database refuses
UPDATE and DELETE too), so later rate edits never move a closed period's numbers; and the corporate currency the
locks convert into, set by admins (each setting a row: the latest is in force, the earlier ones are its history)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import DDL, Column, Date, Numeric, String, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


class FxLock(SQLModel, table=True):
    """`amount` of `currency` from the event `subject_kind` ("deal_won", "deal_refunded") on `subject_id` (the deal,
    the refund), dated `event_date`, worth `corporate_amount` of `corporate_currency` at `rate` (USD per unit,
    dated `rate_date`, from `rate_source`). `organization_id`: the partner whose money it is."""

    __tablename__ = "fx_lock"
    __table_args__ = (UniqueConstraint("subject_kind", "subject_id"),)

    id: int | None = Field(default=None, primary_key=True)
    subject_kind: str = Field(sa_column=Column(String(40), nullable=False))
    subject_id: int
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    event_date: date = Field(sa_column=Column(Date, nullable=False, index=True))
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    amount: Decimal = Field(sa_column=Column(Numeric(18, 3, asdecimal=True), nullable=False))
    rate: Decimal = Field(sa_column=Column(Numeric(18, 8, asdecimal=True), nullable=False))
    rate_date: date = Field(sa_column=Column(Date, nullable=False))
    rate_source: str = Field(default="", sa_column=Column(String(120), nullable=False, default=""))
    corporate_currency: str = Field(sa_column=Column(String(3), nullable=False))
    corporate_amount: Decimal = Field(sa_column=Column(Numeric(18, 3, asdecimal=True), nullable=False))
    locked_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class CorporateCurrency(SQLModel, table=True):
    """The corporate currency from `set_at` on (the latest row is in force; none: USD). A change applies to
    events after it: the locks already written keep the corporate currency and amount they took."""

    __tablename__ = "corporate_currency"

    id: int | None = Field(default=None, primary_key=True)
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    set_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    set_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


APPEND_ONLY_TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER fx_lock_no_update BEFORE UPDATE ON fx_lock "
        "BEGIN SELECT RAISE(ABORT, 'fx locks are written once'); END",
        "CREATE TRIGGER fx_lock_no_delete BEFORE DELETE ON fx_lock "
        "BEGIN SELECT RAISE(ABORT, 'fx locks are written once'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION fx_lock_written_once() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'fx locks are written once'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER fx_lock_no_change BEFORE UPDATE OR DELETE ON fx_lock "
        "FOR EACH ROW EXECUTE FUNCTION fx_lock_written_once()",
    ],
}
for _dialect, _statements in APPEND_ONLY_TRIGGERS.items():
    for _sql in _statements:
        event.listen(FxLock.__table__, "after_create", DDL(_sql).execute_if(dialect=_dialect))  # type: ignore[attr-defined,no-untyped-call]
