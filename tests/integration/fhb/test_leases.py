"""Leases (issue 12): however many channel servers share the visit database, one at a time
runs each kind of round; another takes over when the holder stops renewing. Real SQLite
files and the machine's PostgreSQL, also with 20 servers claiming at the same moment."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from fhb.db import leases
from tests.support.clock import NOW, frozen_uow

MINUTE = dt.timedelta(minutes=1)
T0 = NOW.astimezone(dt.timezone.utc).replace(tzinfo=None)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> str:
    """A migrated visit database: a SQLite file, then the machine's PostgreSQL."""
    return str(request.getfixturevalue("db_url" if request.param == "sqlite" else "pg_url"))


def claim(url: str, holder: str, at: dt.datetime, name: str = "scheduler") -> bool:
    """One claim in its own transaction, as a channel server makes it."""
    with frozen_uow(url) as session:
        return leases.claim(session, name, holder, now=at, ttl=3 * MINUTE)


def test_one_holder_at_a_time_until_it_stops_renewing(database: str) -> None:
    assert claim(database, "a", T0)
    assert not claim(database, "b", T0 + MINUTE)
    assert claim(database, "a", T0 + 2 * MINUTE)  # renewed: now until T0 + 5 min
    assert not claim(database, "b", T0 + 4 * MINUTE)
    assert claim(database, "b", T0 + 5 * MINUTE)  # a stopped renewing: b takes over
    assert not claim(database, "a", T0 + 6 * MINUTE)
    assert claim(database, "a", T0 + 6 * MINUTE, name="takeover")  # each round its own


def test_twenty_servers_at_the_same_moment_one_wins(database: str) -> None:
    won: list[str] = []
    start = threading.Barrier(20)

    def server(holder: str) -> None:
        start.wait()
        try:
            if claim(database, holder, T0):
                won.append(holder)
        except Exception:  # noqa: BLE001 - a busy SQLite file counts as "not this one"
            pass

    threads = [threading.Thread(target=server, args=(f"s{i}",)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1
    assert not claim(database, "late", T0 + MINUTE)
