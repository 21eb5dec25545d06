"""The staff dashboard over HTTP (Starlette's test client) against real SQLite files:
login, lockout, roles, CSRF, the conversation list and the logged transcript."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DatabaseError
from starlette.testclient import TestClient

from bot.staff import auth as staff_auth
from bot.staff.dashboard.conversations import REASONS
from fhb.db import answers
from fhb.db import staff as staff_db
from fhb.profile import Profile
from tests.support.clock import frozen_uow
from tests.support.records import CONV, OTHER, tracker_with_events
from tests.support.staff import PASSWORD, access_rows, add_staff, csrf, dashboard, log_in


@pytest.fixture
def board(db_url: str, tmp_path: Path, profile: Profile) -> Iterator[TestClient]:
    """The dashboard app with an admin `ada` and a visitor `vera`; the tracker store has the
    conversations CONV and OTHER."""
    tracker = f"sqlite:///{tmp_path / 'tracker.db'}"
    tracker_with_events(tracker)
    add_staff(db_url)
    with dashboard(db_url, profile, tracker_url=tracker) as client:
        yield client


PAGES = [
    ("GET", "/staff/"),
    ("GET", f"/staff/samtaler/{CONV}"),
    ("POST", f"/staff/samtaler/{CONV}"),
    ("GET", "/staff/tilgangslogg"),
    ("POST", "/staff/tilgangslogg.csv"),
    ("POST", "/staff/logout"),
]


@pytest.mark.parametrize("method, path", PAGES)
def test_every_page_is_refused_without_a_login(board: TestClient, method: str, path: str) -> None:
    response = board.request(method, path, follow_redirects=False)
    assert response.status_code in (303, 401)
    assert "Logg inn" in response.text or response.headers["location"] == "/staff/login"
    assert CONV not in response.text


def test_login_then_the_list_without_names(board: TestClient) -> None:
    assert log_in(board, "ada").status_code == 303
    page = board.get("/staff/")
    assert page.status_code == 200
    assert "Nettchat" in page.text and "Telegram" in page.text
    assert "Vil snakke med en person" in page.text
    assert page.text.index(OTHER[:14]) < page.text.index(CONV[:14])  # newest first
    assert "kan jeg snakke med noen" not in page.text  # no message text in the list
    assert page.headers["cache-control"] == "no-store"
    cookie = page.request.headers.get("cookie", "")
    assert "fhb_staff=" in cookie


def test_filters(board: TestClient) -> None:
    log_in(board, "vera")
    person = board.get("/staff/?flagg=person").text
    assert OTHER[:14] in person and CONV[:14] not in person
    booked = board.get("/staff/?intent=book_visit").text
    assert CONV[:14] in booked and OTHER[:14] not in booked
    assert "Ingen samtaler" in board.get("/staff/?fra=2026-11-21").text


def test_a_wrong_password_and_the_lockout(board: TestClient, db_url: str) -> None:
    for _ in range(staff_auth.MAX_FAILED_LOGINS):
        assert log_in(board, "ada", "feil-passord-123").status_code == 401
    response = log_in(board, "ada")  # the right password, but locked now
    assert response.status_code == 423 and "låst" in response.text
    assert log_in(board, "nobody", "whatever-long").status_code == 401
    with frozen_uow(db_url) as session:
        assert staff_auth.unlock(session, "ada")
    assert log_in(board, "ada").status_code == 303


def test_csrf_is_required_on_every_form(board: TestClient) -> None:
    bad = board.post(
        "/staff/login",
        data={"csrf": "forged", "username": "ada", "password": PASSWORD},
        follow_redirects=False,
    )
    assert bad.status_code == 403
    log_in(board, "ada")
    for path, data in [
        (f"/staff/samtaler/{CONV}", {"reason": REASONS[0]}),
        ("/staff/tilgangslogg.csv", {}),
        ("/staff/logout", {}),
    ]:
        response = board.post(path, data={**data, "csrf": "forged"}, follow_redirects=False)
        assert response.status_code in (400, 403), path
    assert board.get("/staff/").status_code == 200  # still logged in


def test_a_transcript_needs_a_reason_and_is_logged(board: TestClient, db_url: str) -> None:
    log_in(board, "vera")
    token = csrf(board, f"/staff/samtaler/{CONV}")
    refused = board.post(f"/staff/samtaler/{CONV}", data={"csrf": token, "reason": "nysgjerrig"})
    assert refused.status_code == 400 and "Hei! Hva vil du" not in refused.text
    assert access_rows(db_url) == []
    page = board.post(f"/staff/samtaler/{CONV}", data={"csrf": token, "reason": REASONS[2]})
    assert page.status_code == 200
    assert "Hei! Hva vil du gjøre?" in page.text
    assert "Trykket:" in page.text and "Bestille besøk" in page.text  # the button's title
    assert "greet" in page.text and "97 %" in page.text
    [row] = access_rows(db_url)
    assert (row.username, row.action, row.target, row.reason) == (
        "vera",
        "transcript",
        CONV,
        REASONS[2],
    )


def test_the_access_log_is_for_admins_and_its_export_is_logged(
    board: TestClient, db_url: str
) -> None:
    log_in(board, "vera")
    assert board.get("/staff/tilgangslogg").status_code == 403
    token = csrf(board, "/staff/")
    assert board.post("/staff/tilgangslogg.csv", data={"csrf": token}).status_code == 403
    board.post("/staff/logout", data={"csrf": token})
    log_in(board, "ada")
    token = csrf(board, "/staff/tilgangslogg")
    export = board.post("/staff/tilgangslogg.csv", data={"csrf": token})
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    assert "ada,export,tilgangslogg.csv" in export.text
    assert [(r.username, r.action) for r in access_rows(db_url)] == [("ada", "export")]


def test_logout_ends_the_session(board: TestClient) -> None:
    log_in(board, "ada")
    board.post("/staff/logout", data={"csrf": csrf(board, "/staff/")})
    assert board.get("/staff/", follow_redirects=False).status_code == 303


def append_only(url: str) -> None:
    """Changing or deleting an access log row fails in the database itself."""
    with frozen_uow(url) as session:
        staff_db.log_access(
            session, username="ada", action="transcript", target=CONV, reason=REASONS[0]
        )
    for statement in ("UPDATE access_log SET reason = 'x'", "DELETE FROM access_log"):
        engine = create_engine(url, future=True)
        with pytest.raises(DatabaseError), engine.begin() as db:
            db.execute(text(statement))
        engine.dispose()
    assert len(access_rows(url)) == 1


def test_the_access_log_is_append_only(db_url: str) -> None:
    append_only(db_url)


def test_the_access_log_is_append_only_on_postgresql(pg_url: str) -> None:
    append_only(pg_url)


def test_accounts_need_a_long_password_and_a_known_role(db_url: str) -> None:
    with frozen_uow(db_url) as session:
        with pytest.raises(ValueError):
            staff_auth.create_account(session, "kort", "kort", "admin")
        with pytest.raises(ValueError):
            staff_auth.create_account(session, "ola", PASSWORD, "superuser")
        user = staff_auth.create_account(session, "ola", PASSWORD, "visitor")
        assert user.password_hash.startswith("$argon2") and PASSWORD not in user.password_hash
        with pytest.raises(ValueError):
            staff_auth.create_account(session, "ola", PASSWORD, "visitor")


def test_mark_a_conversation_as_reviewed(board: TestClient) -> None:
    log_in(board, "vera")
    token = csrf(board, "/staff/")
    page = board.post(f"/staff/samtaler/{CONV}", data={"csrf": token, "reason": REASONS[2]})
    assert "Merk som gjennomgått" in page.text
    assert (
        board.post(
            f"/staff/samtaler/{CONV}/gjennomgatt", data={"csrf": "forged"}, follow_redirects=False
        ).status_code
        == 403
    )
    done = board.post(
        f"/staff/samtaler/{CONV}/gjennomgatt", data={"csrf": token}, follow_redirects=False
    )
    assert done.status_code == 303
    listing = board.get("/staff/?flagg=reviewed").text
    assert CONV[:14] in listing and OTHER[:14] not in listing
    again = board.post(f"/staff/samtaler/{CONV}", data={"csrf": token, "reason": REASONS[2]})
    assert "Gjennomgått av vera" in again.text


def add_user_message(url: str, sender: str, said: str) -> None:
    """One more message in Rasa's events table, stored as Rasa stores it (json.dumps)."""
    engine = create_engine(url, future=True)
    when = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone.utc).timestamp()
    data = {
        "event": "user",
        "text": said,
        "timestamp": when,
        "parse_data": {"intent": {"name": "inform", "confidence": 0.9}},
    }
    with engine.begin() as db:
        db.execute(
            text(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, "
                "action_name, data) VALUES (:s, 'user', :t, 'inform', NULL, :d)"
            ),
            {"s": sender, "t": when, "d": json.dumps(data)},
        )
    engine.dispose()


def listed(client: TestClient, search: str) -> set[str]:
    """Which of the two test conversations the list shows for a search."""
    page = client.get("/staff/", params={"sok": search}).text
    return {c for c in (CONV, OTHER) if c[:14] in page}


def test_search_by_words_name_phone_and_id(board: TestClient, db_url: str, tmp_path: Path) -> None:
    add_user_message(f"sqlite:///{tmp_path / 'tracker.db'}", CONV, "Jeg heter Åse Ødegård")
    with frozen_uow(db_url) as session:
        answers.add_callback(session, name="Per Hansen", phone="+4791234567", conversation_id=OTHER)
    log_in(board, "vera")
    assert listed(board, "ødegård") == {CONV}  # non-ASCII, stored by Rasa as \u00f8
    assert listed(board, "SNAKKE med") == {OTHER}  # case does not matter
    assert listed(board, "per hansen") == {OTHER}  # a name in the visit database
    assert listed(board, "91234567") == {OTHER}
    assert listed(board, OTHER[:8]) == {OTHER}  # the start of a conversation id
    assert listed(board, "%") == set() and listed(board, "sn_kke") == set()  # no wildcards
    assert listed(board, "parse_data") == set()  # JSON keys are not what anyone wrote
    assert listed(board, "") == {CONV, OTHER}
    searches = [r.target for r in access_rows(db_url) if r.action == "search"]
    assert searches == [
        "søk: ødegård",
        "søk: SNAKKE med",
        "søk: per hansen",
        "søk: 91234567",
        "søk: %",
        "søk: sn_kke",
        "søk: parse_data",
    ]  # not the id search
    refresh = board.get("/staff/", params={"sok": "ødegård", "del": "rader"})
    assert CONV[:14] in refresh.text and "<html" not in refresh.text
    assert len([r for r in access_rows(db_url) if r.action == "search"]) == 8  # logged too


def test_search_on_postgresql(pg_url: str) -> None:
    """The same search with PostgreSQL as the tracker store (->> instead of json_extract)."""
    from fhb.read.conversations import conversation_summaries

    engine = create_engine(pg_url, future=True)
    with engine.begin() as db:
        db.execute(text("DROP TABLE IF EXISTS events"))
    engine.dispose()
    try:
        tracker_with_events(pg_url)
        add_user_message(pg_url, CONV, "Jeg heter Åse Ødegård")
        with frozen_uow(pg_url) as session:

            def found(search: str) -> set[str]:
                rows = conversation_summaries(pg_url, session, search=search)
                return {r.conversation_id for r in rows}

            assert found("ØDEGÅRD") == {CONV} and found("snakke MED") == {OTHER}
            assert found("parse_data") == set() and found("sn_kke") == set()
            assert found(OTHER[:6]) == {OTHER}
    finally:
        engine = create_engine(pg_url, future=True)
        with engine.begin() as db:
            db.execute(text("DROP TABLE IF EXISTS events"))
        engine.dispose()
