"""The login lockout under parallel attempts (issue 11), against a real SQLite file and
PostgreSQL: 40 wrong passwords at once check exactly 5 and lock the account, directly and over
real HTTP. Before the counter was atomic, 40 of 40 were checked and the account was not even
locked (read-modify-write lost the updates); over HTTP 30 were checked before the lock."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import threading
from collections import Counter
from pathlib import Path

import httpx
import pytest

from bot.staff import auth as staff_auth
from fhb.db import staff as staff_db
from fhb.profile import Profile
from tests.support.clock import NOW, frozen_uow
from tests.support.servers import BackgroundServer
from tests.support.staff import PASSWORD, add_staff, dashboard_app, staff_context

PARALLEL = 40
WRONG = "feil-passord-123"
NAIVE_NOW = NOW.replace(tzinfo=None)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> str:
    """A migrated visit database with `ada` and `vera`: a SQLite file, then PostgreSQL."""
    url = str(request.getfixturevalue("db_url" if request.param == "sqlite" else "pg_url"))
    add_staff(url)
    return url


def log_in(url: str, password: str, now: dt.datetime = NAIVE_NOW) -> str:
    """One login as `ada`; its outcome ("ok", "bad", "locked")."""
    return staff_auth.login(lambda: frozen_uow(url), "ada", password, now).outcome


def account(url: str) -> tuple[int, dt.datetime | None]:
    """(failed_logins, locked_until) of `ada`."""
    with frozen_uow(url) as session:
        user = staff_db.staff_user(session, "ada")
        return int(user.failed_logins), user.locked_until


def test_40_parallel_wrong_passwords_check_only_5_and_lock(database: str) -> None:
    start = threading.Barrier(PARALLEL)
    outcomes: Counter[str] = Counter()

    def attempt() -> None:
        start.wait()
        outcomes[log_in(database, WRONG)] += 1

    threads = [threading.Thread(target=attempt) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == {"bad": staff_auth.MAX_FAILED_LOGINS, "locked": PARALLEL - 5}
    assert account(database) == (5, NAIVE_NOW + staff_auth.LOCK_FOR)
    assert log_in(database, PASSWORD) == "locked"  # the right password waits too


async def parallel_logins(url: str) -> Counter[int]:
    """PARALLEL wrong-password posts to the login form at once; their status codes."""
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        page = await client.get("/staff/login")
        match = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert match
        form = {"csrf": match.group(1), "username": "ada", "password": WRONG}
        responses = await asyncio.gather(
            *[client.post("/staff/login", data=form) for _ in range(PARALLEL)]
        )
    return Counter(response.status_code for response in responses)


def test_40_parallel_logins_over_http(database: str, tmp_path: Path, profile: Profile) -> None:
    ctx = staff_context(database, profile, tracker_url=f"sqlite:///{tmp_path / 't.db'}")
    with BackgroundServer(dashboard_app(ctx)) as server:
        statuses = asyncio.run(parallel_logins(server.url))
    assert statuses == {401: 5, 423: PARALLEL - 5}
    assert account(database)[1] == NAIVE_NOW + staff_auth.LOCK_FOR


def test_a_right_password_resets_the_count(database: str) -> None:
    for _ in range(4):
        assert log_in(database, WRONG) == "bad"
    assert log_in(database, PASSWORD) == "ok" and account(database) == (0, None)
    for _ in range(4):
        assert log_in(database, WRONG) == "bad"
    assert account(database) == (4, None)


def test_a_lock_that_ran_out_starts_the_count_again(database: str) -> None:
    for _ in range(5):
        assert log_in(database, WRONG) == "bad"
    later = NAIVE_NOW + staff_auth.LOCK_FOR
    assert log_in(database, PASSWORD, later - dt.timedelta(seconds=1)) == "locked"
    assert log_in(database, WRONG, later) == "bad"
    assert account(database) == (1, None)
    assert log_in(database, PASSWORD, later) == "ok"


def test_unknown_and_deactivated_accounts_count_nothing(database: str) -> None:
    assert staff_auth.login(lambda: frozen_uow(database), "nobody", WRONG, NAIVE_NOW).outcome == (
        "bad"
    )
    with frozen_uow(database) as session:
        staff_auth.set_disabled(session, "vera", True)
    for password in (WRONG, PASSWORD):
        result = staff_auth.login(lambda: frozen_uow(database), "vera", password, NAIVE_NOW)
        assert (result.outcome, result.user, result.session_token) == ("bad", None, None)
    with frozen_uow(database) as session:
        vera = staff_db.staff_user(session, "vera")
        assert (vera.failed_logins, vera.locked_until) == (0, None)
