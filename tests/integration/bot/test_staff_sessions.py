"""Staff sessions kept in the database (issue 11), over HTTP against real SQLite files and
PostgreSQL: a cookie copied before logout or deactivation no longer works afterwards,
sessions expire, the table holds no usable token, and a forged cookie gets nowhere."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Iterator

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.staff import auth as staff_auth
from bot.staff.dashboard import accounts
from bot.staff.dashboard.app import SESSION_COOKIE, session_secret
from fhb.db import staff as staff_db
from fhb.db.models import StaffSession
from fhb.profile import Profile
from tests.support.clock import NOW, Clock, frozen_uow
from tests.support.staff import add_staff, client_for, csrf, dashboard_app, log_in, staff_context

KEY = b"sessions-test"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> str:
    """A migrated visit database: a SQLite file, then the machine's PostgreSQL."""
    return str(request.getfixturevalue("db_url" if request.param == "sqlite" else "pg_url"))


@pytest.fixture
def clock() -> Clock:
    """The dashboard's clock, moved by hand (starts at NOW)."""
    return Clock()


@pytest.fixture
def app(database: str, tmp_path: Path, profile: Profile, clock: Clock) -> Starlette:
    """The dashboard with the accounts page; `ada` is an admin, `vera` a visitor."""
    add_staff(database)
    ctx = staff_context(
        database, profile, tracker_url=f"sqlite:///{tmp_path / 't.db'}", key=KEY, clock=clock
    )
    return dashboard_app(ctx, extra=[accounts.routes])


@pytest.fixture
def browser(app: Starlette) -> Iterator[TestClient]:
    """One staff member's browser."""
    with client_for(app) as client:
        yield client


def logged_in_cookie(client: TestClient, username: str) -> str:
    """Log in and return the session cookie's value (what someone could copy)."""
    assert log_in(client, username).status_code == 303
    return str(client.cookies[SESSION_COOKIE])


def with_cookie(app: Starlette, cookie: str, path: str = "/staff/") -> int:
    """The status of a page fetched by another browser that holds only the copied cookie."""
    with client_for(app) as thief:
        response = thief.get(path, headers={"cookie": f"{SESSION_COOKIE}={cookie}"})
        return response.status_code if not response.history else response.history[0].status_code


def sessions_of(url: str, username: str) -> list[StaffSession]:
    """The stored sessions of an account."""
    with frozen_uow(url) as session:
        user = staff_db.staff_user(session, username)
        query = select(StaffSession).where(StaffSession.user_id == user.id)
        return list(session.execute(query).scalars())


def test_a_cookie_copied_before_logout_no_longer_works(app: Starlette, browser: TestClient) -> None:
    cookie = logged_in_cookie(browser, "ada")
    assert with_cookie(app, cookie) == 200  # the copy works while the session lasts
    assert browser.post("/staff/logout", data={"csrf": csrf(browser, "/staff/")}).status_code == 200
    assert with_cookie(app, cookie) == 303  # and not after logout: to the login page
    assert browser.get("/staff/", follow_redirects=False).status_code == 303


def test_deactivation_ends_every_session_at_once_and_for_good(
    app: Starlette, database: str
) -> None:
    with client_for(app) as vera, client_for(app) as other, client_for(app) as ada:
        cookies = [logged_in_cookie(vera, "vera"), logged_in_cookie(other, "vera")]
        assert len(sessions_of(database, "vera")) == 2
        logged_in_cookie(ada, "ada")
        token = csrf(ada, "/staff/kontoer")
        assert ada.post("/staff/kontoer/vera/deaktiver", data={"csrf": token}).status_code == 200
        assert sessions_of(database, "vera") == []
        assert [with_cookie(app, c) for c in cookies] == [303, 303]
        assert ada.post("/staff/kontoer/vera/aktiver", data={"csrf": token}).status_code == 200
        assert [with_cookie(app, c) for c in cookies] == [303, 303]  # enabling revives none
        assert log_in(vera, "vera").status_code == 303  # a new login works


def test_deactivating_from_the_command_line_ends_the_sessions(
    app: Starlette, browser: TestClient, database: str
) -> None:
    cookie = logged_in_cookie(browser, "vera")
    with frozen_uow(database) as session:
        assert staff_auth.set_disabled(session, "vera", True)
    assert with_cookie(app, cookie) == 303 and sessions_of(database, "vera") == []


def test_a_session_left_alone_for_half_an_hour_ends(
    app: Starlette, browser: TestClient, clock: Clock, database: str
) -> None:
    cookie = logged_in_cookie(browser, "ada")
    [stored] = sessions_of(database, "ada")
    assert stored.expires_at == naive(NOW) + staff_auth.IDLE_FOR
    clock.now = NOW + staff_auth.IDLE_FOR - dt.timedelta(seconds=1)
    assert with_cookie(app, cookie) == 200  # in use: it now lasts half an hour from here
    clock.now += staff_auth.IDLE_FOR - dt.timedelta(seconds=1)
    assert with_cookie(app, cookie) == 200
    clock.now += staff_auth.IDLE_FOR
    assert with_cookie(app, cookie) == 303  # left alone for half an hour
    logged_in_cookie(browser, "ada")  # a new login clears away the one that ran out
    assert [s.expires_at for s in sessions_of(database, "ada")] == [
        naive(clock.now) + staff_auth.IDLE_FOR
    ]


def test_a_session_in_use_all_day_ends_eight_hours_after_the_login(
    app: Starlette, browser: TestClient, clock: Clock, database: str
) -> None:
    cookie = logged_in_cookie(browser, "ada")
    step = dt.timedelta(minutes=20)
    while clock.now + step < NOW + staff_auth.SESSION_FOR:
        clock.now += step
        assert with_cookie(app, cookie) == 200, clock.now - NOW
    [stored] = sessions_of(database, "ada")
    assert stored.expires_at == naive(NOW) + staff_auth.SESSION_FOR  # never slid past it
    clock.now = NOW + staff_auth.SESSION_FOR
    assert with_cookie(app, cookie) == 303


def naive(moment: dt.datetime) -> dt.datetime:
    """A frozen time as the database stores it (naive UTC)."""
    return moment.astimezone(dt.timezone.utc).replace(tzinfo=None)


def test_the_table_holds_only_a_hash_of_the_token(browser: TestClient, database: str) -> None:
    cookie = logged_in_cookie(browser, "ada")
    payload = json.loads(base64.b64decode(cookie.split(".")[0]))
    assert set(payload) == {"sid", "csrf"}  # no user name, no time: those are in the table
    [stored] = sessions_of(database, "ada")
    assert stored.id == hashlib.sha256(payload["sid"].encode()).hexdigest() != payload["sid"]


def test_a_correctly_signed_cookie_with_an_unknown_session_is_refused(app: Starlette) -> None:
    """Even with the signing secret, a made-up session id (or the old cookie's user name)
    opens nothing: the session must exist in the database."""
    signer = TimestampSigner(session_secret(KEY))
    for content in ({"sid": "made-up"}, {"user": "ada", "issued": NOW.timestamp()}, {"sid": 7}):
        data = base64.b64encode(json.dumps(content).encode())
        assert with_cookie(app, signer.sign(data).decode()) == 303
