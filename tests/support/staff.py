"""The staff dashboard on Starlette's test client: accounts, the app with the pages of given
modules, logging in, CSRF tokens, the access log and the tables of a page.

A test file's `board` fixture is a thin layer over `add_staff` and `dashboard`:

    add_staff(db_url)
    with dashboard(db_url, profile, tracker_url=..., extra=[visits.routes]) as client:
        yield client
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from html.parser import HTMLParser
from typing import Any, Callable

from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.channels.context import ChannelContext
from bot.staff import auth as staff_auth
from bot.staff.dashboard.app import RouteFactory, staff_routes
from fhb.db import staff as staff_db
from fhb.db.models import AccessLogEntry
from fhb.profile import Profile
from tests.support.clock import clock as frozen_clock
from tests.support.clock import frozen_uow
from tests.support.context import channel_context, settings_for

PASSWORD = "riktig-hest-batteri"
STAFF = {"ada": "admin", "vera": "visitor"}
BASE_URL = "http://127.0.0.1"
Login = Callable[[str], TestClient]


def add_staff(db_url: str, accounts: dict[str, str] = STAFF) -> None:
    """Staff accounts (username: role) with PASSWORD: by default the admin `ada` and the
    visitor `vera`."""
    with frozen_uow(db_url) as session:
        for username, role in accounts.items():
            staff_auth.create_account(session, username, PASSWORD, role)


def staff_context(
    db_url: str,
    profile: Profile,
    *,
    tracker_url: str,
    key: bytes = b"staff-test",
    clock: Callable[[], dt.datetime] = frozen_clock,
) -> ChannelContext:
    """The context the dashboard runs in (its relay goes to an unreachable Rasa)."""
    return channel_context(settings_for(db_url, tracker_url), profile, key=key, clock=clock)


def dashboard_app(
    ctx: ChannelContext, *, extra: Iterable[RouteFactory] = (), live: Any | None = None
) -> Starlette:
    """The dashboard with the pages of the `extra` modules (and live takeover's `live`)."""
    return Starlette(routes=staff_routes(ctx, extra=list(extra), live=live))


def client_for(app: Starlette) -> TestClient:
    """A test client for the dashboard (to enter with `with`): the address it trusts."""
    return TestClient(app, base_url=BASE_URL)


@contextmanager
def dashboard(
    db_url: str,
    profile: Profile,
    *,
    tracker_url: str,
    extra: Iterable[RouteFactory] = (),
    key: bytes = b"staff-test",
    clock: Callable[[], dt.datetime] = frozen_clock,
) -> Iterator[TestClient]:
    """A test client of the dashboard on `db_url` and the tracker store `tracker_url`."""
    ctx = staff_context(db_url, profile, tracker_url=tracker_url, key=key, clock=clock)
    with client_for(dashboard_app(ctx, extra=extra)) as client:
        yield client


@contextmanager
def logins(app: Starlette) -> Iterator[Login]:
    """`login(username)` gives a client logged in as that person, each with a session of its
    own (`login("")`: not logged in); all are closed at the end."""
    with ExitStack() as stack:

        def login(username: str) -> TestClient:
            client = stack.enter_context(client_for(app))
            if username:
                assert log_in(client, username).status_code == 303
            return client

        yield login


def csrf(client: TestClient, path: str = "/staff/login") -> str:
    """The CSRF token of a page's form."""
    match = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    """Post the login form; the response (a 303 to the dashboard when it worked)."""
    return client.post(
        "/staff/login",
        data={"csrf": csrf(client), "username": username, "password": password},
        follow_redirects=False,
    )


def logged_in(client: TestClient, username: str = "vera", page: str = "/staff/oppfolging") -> str:
    """Log in (which must succeed) and return the session's CSRF token, read on `page`."""
    assert log_in(client, username).status_code == 303
    return csrf(client, page)


def access_rows(db_url: str) -> list[AccessLogEntry]:
    """The access log, oldest first."""
    with frozen_uow(db_url) as session:
        return list(reversed(staff_db.access_log(session)))


class _Tables(HTMLParser):
    """Collect every table's caption and its rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a table, a row, a cell or a caption."""
        if tag == "table":
            self.tables.append(("", []))
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("td", "th", "caption"):
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        """Close a cell or a caption, keeping its text."""
        if tag in ("td", "th", "caption") and self._text is not None and self.tables:
            text = " ".join("".join(self._text).split())
            caption, rows = self.tables[-1]
            if tag == "caption":
                self.tables[-1] = (text, rows)
            else:
                rows[-1].append(text)
            self._text = None

    def handle_data(self, data: str) -> None:
        """Text inside a cell."""
        if self._text is not None:
            self._text.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    """The page's tables by caption: each a list of rows of cell texts (header row first)."""
    parser = _Tables()
    parser.feed(html)
    return dict(parser.tables)
