"""The tests' frozen time: `NOW`, a clock that returns it, a clock to move by hand, and units of
work on the visit database whose "now" is frozen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from fhb.db.engine import SqlAlchemyUnitOfWork

# A fixed "now": Monday 23 November 2026, 10:00 in Oslo (09:00 UTC).
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone.utc)
OSLO = ZoneInfo("Europe/Oslo")
# A time well before NOW (naive UTC, as stored): Tuesday 7 January 2025, 10:00 in Oslo.
PAST = dt.datetime(2025, 1, 7, 9, 0)


def clock() -> dt.datetime:
    """The frozen clock of the tests."""
    return NOW


@dataclass
class Clock:
    """A clock the test moves by hand (starts at NOW)."""

    now: dt.datetime = NOW

    def __call__(self) -> dt.datetime:
        """The time it shows."""
        return self.now


def frozen_uow(url: str | None = None) -> SqlAlchemyUnitOfWork:
    """A unit of work on `url` whose "now" is the tests' frozen clock."""
    return SqlAlchemyUnitOfWork(url, clock=clock)


def local_today() -> dt.date:
    """The frozen today in Oslo."""
    return NOW.astimezone(OSLO).date()
