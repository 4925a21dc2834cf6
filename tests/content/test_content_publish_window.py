"""An asset's publish and expiry are moments the manager enters in their own zone (kept with the asset, so a later
edit by anyone reads the form's times in the same zone), stored in UTC; the library opens and closes at those
moments, not at UTC midnights."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from prm_app.audience import AudienceRule
from prm_app.content.models import Asset
from prm_app.content.queries import LibraryQuery, library
from prm_app.content.rules import NO_SUCH_TIME, AssetInput, check_asset, zoned_moment
from prm_app.content.service import create_asset, update_asset
from prm_app.content.ui.asset_form import local_input
from prm_app.identity import User
from prm_app.platform.errors import FormInvalid
from tests.content.factories import make_world

LA = ZoneInfo("America/Los_Angeles")


def test_a_wall_clock_time_is_read_in_the_managers_zone_and_a_skipped_one_is_refused():
    assert zoned_moment(datetime(2026, 12, 9, 9, 0), LA) == datetime(2026, 12, 9, 17, 0, tzinfo=UTC)
    assert zoned_moment(datetime(2026, 7, 9, 9, 0), LA) == datetime(2026, 7, 9, 16, 0, tzinfo=UTC)  # PDT
    aware = datetime(2026, 12, 9, 9, 0, tzinfo=UTC)
    assert zoned_moment(aware, LA) is aware
    assert zoned_moment(datetime(2026, 3, 8, 2, 30), LA) is None  # clocks jump from 02:00 to 03:00
    with pytest.raises(FormInvalid) as refused:
        check_asset(
            AssetInput(title="Price list", description="", category="sales", publish_at=datetime(2026, 3, 8, 2, 30)),
            zone=LA,
        )
    assert refused.value.errors == {"publish_at": NO_SUCH_TIME}
    with pytest.raises(FormInvalid) as backwards:
        check_asset(
            AssetInput(
                title="Price list", description="", category="sales",
                publish_at=datetime(2026, 12, 9, 9, 0), expire_at=datetime(2026, 12, 9, 8, 59),
            ),
            zone=LA,
        )  # fmt: skip
    assert set(backwards.value.errors) == {"expire_at"}


def test_a_repeated_hour_is_its_first_occurrence_and_the_form_gives_the_same_moment_back():
    """1 Nov 2026 in Los Angeles: 01:00-02:00 happens twice (PDT, then PST). The form's 01:30 is the first, and an
    edit that leaves the field as shown keeps that moment (the form's value reads back to itself)."""
    first = zoned_moment(datetime(2026, 11, 1, 1, 30), LA)
    assert first == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
    for moment in (first, datetime(2026, 3, 8, 10, 0, tzinfo=UTC), datetime(2026, 11, 1, 10, 0, tzinfo=UTC)):
        shown = local_input(moment, LA)  # 01:30, then 03:00 just after the skip, 02:00 PST just after the repeat
        assert zoned_moment(datetime.fromisoformat(shown), LA) == moment, shown


def test_the_asset_opens_at_the_managers_moment_and_keeps_its_zone_when_another_edits_it(session, stores):
    world = make_world(session)
    user = session.get(User, world.manager.user_id)
    assert user is not None
    user.time_zone = "America/Los_Angeles"
    session.add(user)
    session.flush()
    opens = datetime.now(LA).replace(tzinfo=None, second=0, microsecond=0) + timedelta(minutes=5)
    data = AssetInput(
        title="Launch webinar", description="Opens five minutes from now", category="campaign",
        link_url="https://example.com/w", publish_at=opens, expire_at=opens + timedelta(days=1),
    )  # fmt: skip
    made = create_asset(session, world.manager, data, AudienceRule())
    session.commit()

    asset = session.exec(select(Asset).where(Asset.slug == made.slug)).one()
    assert asset.time_zone == "America/Los_Angeles"
    assert asset.publish_at == opens.replace(tzinfo=LA).astimezone(UTC)  # not midnight UTC of that day
    assert asset.expire_at == (opens + timedelta(days=1)).replace(tzinfo=LA).astimezone(UTC)
    assert library(session, world.gold, LibraryQuery(text="webinar")).total == 0  # not yet

    # An admin in another zone (none set: UTC) moves it to open a minute ago, typed in the asset's zone as shown.
    earlier = opens - timedelta(minutes=6)
    update_asset(session, world.admin, asset.id or 0, AssetInput(**{**data.__dict__, "publish_at": earlier}),
                 AudienceRule())  # fmt: skip
    session.commit()
    session.refresh(asset)
    assert asset.time_zone == "America/Los_Angeles"
    assert asset.publish_at == earlier.replace(tzinfo=LA).astimezone(UTC)
    assert library(session, world.gold, LibraryQuery(text="webinar")).total == 1


def test_a_kits_days_are_the_readers_days(session, stores, monkeypatch):
    from datetime import date

    from prm_app.content import kits
    from prm_app.content.kits import KitInput, create_kit, running_kits
    from tests.content.factories import make_asset

    world = make_world(session)
    slug = make_asset(session, world.manager, "Kick-off deck")
    create_kit(session, world.manager, KitInput("Launch week", "", date(2026, 12, 9), date(2026, 12, 15), (slug,)))
    monkeypatch.setattr(kits, "utcnow", lambda: datetime(2026, 12, 8, 20, 0, tzinfo=UTC))  # 9 Dec, 05:00 in Tokyo
    assert running_kits(session, world.gold) == []  # no zone: UTC, still the 8th
    user = session.get(User, world.gold.user_id)
    assert user is not None
    user.time_zone = "Asia/Tokyo"
    session.add(user)
    session.flush()
    assert [k.name for k in running_kits(session, world.gold)] == ["Launch week"]
