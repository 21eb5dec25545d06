"""The evaluation report: the counting in `evaluation()`, the page with its SVG charts and
the logged CSV export, against real SQLite files."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Iterator

import pytest
from starlette.testclient import TestClient

from bot.staff.dashboard import report
from fhb.db import answers as answers_db
from fhb.db.models import (
    Citizen,
    ConversationStat,
    Decline,
    Feedback,
    Invitation,
    Slot,
    Takeover,
    Visit,
)
from fhb.profile import Profile
from fhb.read.report import Report, evaluation
from tests.support.clock import NOW, frozen_uow
from tests.support.records import CONV, OTHER, tracker_with_events
from tests.support.staff import access_rows, add_staff, csrf, dashboard, log_in

NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
PURGED = "cli-" + "c" * 40  # only in conversation_stats: its events were purged


def at(day: int, hour: int = 12, month: int = 11) -> dt.datetime:
    """A naive UTC time in 2026 (how the visit database stores time)."""
    return dt.datetime(2026, month, day, hour)


def seed(db_url: str) -> None:
    """A month of work: letters, bookings, answers, feedback and a purged conversation.

    Rows just outside November (in Oslo time) are there to be left out.
    """
    with frozen_uow(db_url) as s:
        people = [
            Citizen(name=f"Person {i}", source="import", created_at=at(1, month=10))
            for i in range(4)
        ]
        chat = Citizen(name="Fra chat", source="chat", conversation_id=CONV)
        s.add_all([*people, chat])
        s.flush()
        s.add_all(
            [
                Invitation(
                    citizen_id=people[0].id,
                    code="AAAA1111",
                    created_at=at(2),
                    conversation_id=CONV,
                    linked_at=at(20),
                ),  # answered by chat CONV
                Invitation(citizen_id=people[1].id, code="BBBB2222", created_at=at(2)),
                # 23:30 UTC on 31 October is 00:30 on 1 November in Oslo: inside.
                Invitation(
                    citizen_id=people[2].id,
                    code="CCCC3333",
                    created_at=dt.datetime(2026, 10, 31, 23, 30),
                ),
                Invitation(citizen_id=people[3].id, code="DDDD4444", created_at=at(15, month=10)),
                # a chat citizen's invitation is no letter
                Invitation(citizen_id=chat.id, code="EEEE5555", created_at=at(3)),
            ]
        )
        slots = [Slot(start=at(10 + i), end=at(10 + i, 13), visitor="Vera") for i in range(6)]
        s.add_all(slots)
        s.flush()

        def visit(i: int, status: str, created: dt.datetime, **outcome: object) -> Visit:
            return Visit(
                slot_id=slots[i].id,
                citizen_id=people[i % 4].id,
                status=status,
                created_at=created,
                updated_at=created,
                **outcome,
            )

        s.add_all(
            [
                visit(0, "booked", at(3)),
                visit(1, "cancelled", at(4)),
                visit(
                    2,
                    "completed",
                    at(5),
                    completed_at=at(12),
                    referred=True,
                    interpreter_used=True,
                    joined_activity=False,
                ),
                visit(3, "completed", at(6), referred=False, joined_activity=True),  # updated_at
                visit(4, "no_show", at(7)),
                # booked in October, completed in November: completed counts, booked does not
                visit(5, "completed", at(20, month=10), completed_at=at(2), referred=True),
            ]
        )
        s.add_all(
            [
                Decline(reason="no_need", created_at=at(4)),
                Decline(reason="no_need", created_at=at(5)),
                Decline(reason="feels_too_young", created_at=at(6)),
                Decline(reason="bad_timing", wants_later=True, created_at=at(7)),
                Decline(reason="no_need", created_at=at(1, hour=0)),  # 01:00 Oslo: inside
                # 23:30 UTC on 30 November is 00:30 on 1 December in Oslo: outside.
                Decline(reason="other", created_at=dt.datetime(2026, 11, 30, 23, 30)),
            ]
        )
        s.add_all(
            [
                Feedback(rating=5, useful="yes", created_at=at(13)),
                Feedback(rating=5, useful="partly", created_at=at(14)),
                Feedback(rating=2, useful="no", created_at=at(15)),
                Feedback(rating=1, useful="no", created_at=at(1, month=12)),  # outside
            ]
        )
        s.add_all(
            [
                ConversationStat(
                    conversation_id=PURGED,
                    channel="cli",
                    started_at=at(8),
                    last_at=at(8, 13),
                    events=12,
                    wanted_person=False,
                    fallbacks=1,
                ),
                ConversationStat(
                    conversation_id="tg-old",
                    channel="telegram",
                    started_at=at(8, month=9),
                    last_at=at(9, month=9),
                    events=3,
                    wanted_person=True,
                    fallbacks=0,
                ),  # outside
            ]
        )


@pytest.fixture
def tracker(tmp_path: Path) -> str:
    """The tracker store with CONV (web, 20 Nov) and OTHER (Telegram, asked for a person)."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    tracker_with_events(url)
    return url


@pytest.fixture
def board(db_url: str, tracker: str, profile: Profile) -> Iterator[TestClient]:
    """The dashboard with the report, a frozen clock, an admin and a visitor."""
    seed(db_url)
    add_staff(db_url)
    with dashboard(db_url, profile, tracker_url=tracker, extra=[report.routes]) as client:
        yield client


def november(db_url: str, tracker: str) -> Report:
    """The report for November 2026 in Oslo time."""
    with frozen_uow(db_url) as session:
        return evaluation(session, tracker, *NOV, tz="Europe/Oslo")


def test_the_numbers_of_a_month(db_url: str, tracker: str) -> None:
    seed(db_url)
    got = november(db_url, tracker)
    assert (got.invitations, got.chat_offers, got.offers_made) == (3, 2, 5)
    assert got.accepted == 4  # booked, completed twice, no-show; not the cancelled one
    assert got.declined == {"no_need": 3, "feels_too_young": 1} and got.declined_total == 4
    assert got.postponed == 1
    assert (got.completed, got.referred, got.interpreter_used, got.joined_activity) == (3, 2, 1, 1)
    assert got.ratings == {5: 2, 2: 1} and got.feedback_count == 3
    assert got.useful == {"yes": 1, "partly": 1, "no": 1}
    assert got.channels == {"web": 1, "tg": 1, "cli": 1} and got.conversations == 3
    assert got.resolved_by_bot == 2 and got.resolved_share == "67 %"
    assert got.accepted_share == "80 %"


def test_a_period_without_anything_is_all_zeros(db_url: str, tracker: str) -> None:
    seed(db_url)
    with frozen_uow(db_url) as session:
        got = evaluation(session, tracker, dt.date(2020, 1, 1), dt.date(2020, 1, 31))
    assert (got.offers_made, got.accepted, got.declined_total, got.conversations) == (0, 0, 0, 0)
    assert got.resolved_share == "–" and got.accepted_share == "–"
    assert all(v == 0 for chart in got.series() for v in chart.values)


def test_a_conversation_in_both_stores_counts_once_from_its_first_start(
    db_url: str, tracker: str
) -> None:
    with frozen_uow(db_url) as session:
        # CONV was purged once in October and taken up again on 20 November
        session.add(
            ConversationStat(
                conversation_id=CONV,
                channel="web",
                started_at=at(5, month=10),
                last_at=at(6, month=10),
                events=4,
                wanted_person=True,
                fallbacks=0,
            )
        )
        session.add(
            ConversationStat(
                conversation_id=OTHER,
                channel="telegram",
                started_at=at(20, 8),
                last_at=at(20, 8),
                events=2,
                wanted_person=False,
                fallbacks=0,
            )
        )
    got = november(db_url, tracker)
    assert got.channels == {"tg": 1}  # CONV started in October; OTHER once, not twice
    assert got.resolved_by_bot == 0  # OTHER asked for a person in its newer events
    with frozen_uow(db_url) as session:
        autumn = evaluation(session, tracker, dt.date(2026, 10, 1), NOV[1])
    assert autumn.channels == {"web": 1, "tg": 1} and autumn.resolved_by_bot == 0


def test_live_chat_requests_and_how_they_went(db_url: str, tracker: str) -> None:
    """Answered in time, answered late, nobody (with and without a call-back), waiting now;
    one from October is outside the period. Takeover rows hold no text and survive a purge."""
    minutes = dt.timedelta(minutes=10)
    rows = [  # (requested, status, taken after, callback)
        (at(3, 9), "closed", dt.timedelta(minutes=4), False),
        (at(4, 9), "closed", dt.timedelta(minutes=25), False),  # taken after the deadline
        (at(5, 9), "timed_out", None, True),
        (at(6, 9), "timed_out", None, False),
        (at(30, 9), "waiting", None, False),
        (at(5, 9, month=10), "timed_out", None, True),
    ]
    with frozen_uow(db_url) as session:
        for n, (asked, status, taken_after, callback) in enumerate(rows):
            callback_id = None
            if callback:
                callback_id = answers_db.add_callback(
                    session, name=None, phone="+4791234567", conversation_id=f"web-{n}"
                ).id
            session.add(
                Takeover(
                    conversation_id=f"web-{n}",
                    channel="web",
                    status=status,
                    requested_at=asked,
                    deadline=asked + minutes,
                    taken_at=asked + taken_after if taken_after else None,
                    callback_id=callback_id,
                )
            )
    got = november(db_url, tracker)
    assert (got.live_requests, got.live_answered, got.live_late, got.live_callbacks) == (5, 1, 3, 1)
    chart = next(c for c in got.series() if c.section == "livechat")
    assert chart.values == (5, 1, 3, 1)


def test_the_csv_has_every_number(db_url: str, tracker: str) -> None:
    seed(db_url)
    rows = list(csv.reader(io.StringIO(november(db_url, tracker).csv_text())))
    assert rows[0] == ["del", "nokkel", "beskrivelse", "antall"]
    values = {(r[0], r[1]): r[3] for r in rows[1:]}
    assert values[("periode", "fra")] == "2026-11-01"
    assert values[("tilbud", "tilbud_gitt")] == "5"
    assert values[("tilbud", "invitasjonsbrev")] == "3"
    assert values[("nei_grunn", "no_need")] == "3"
    assert values[("nei_grunn", "other")] == "0"
    assert values[("tilbud", "utsatt")] == "1"
    assert values[("besok", "henvist")] == "2"
    assert values[("vurdering", "5")] == "2" and values[("vurdering", "3")] == "0"
    assert values[("nyttig", "no")] == "1"
    assert values[("kanal", "cli")] == "1" and values[("kanal", "alle")] == "3"
    assert values[("chatbot", "uten_person")] == "2"
    assert values[("chatbot", "ba_om_person")] == "1"


def test_the_page_needs_a_login(board: TestClient) -> None:
    assert board.get("/staff/rapport", follow_redirects=False).status_code == 303
    response = board.post("/staff/rapport.csv", data={"csrf": "x"}, follow_redirects=False)
    assert response.status_code == 401


def test_the_page_shows_accessible_charts_with_their_numbers(board: TestClient) -> None:
    log_in(board, "vera")  # visitors may read the report too
    page = board.get("/staff/rapport?fra=2026-11-01&til=2026-11-30")
    assert page.status_code == 200
    html = page.text
    assert "01.11.2026–30.11.2026" in html
    assert html.count('role="img"') == 8 and html.count("<svg") == 8
    assert (
        'aria-label="Tilbud og svar. Tilbud gitt: 5, Bestilte besøk: 4, Takket nei: 4, '
        'Vil ha tilbud senere: 1"' in html
    )
    assert "<td>Klarer seg fint selv</td><td>3</td>" in html
    assert "<td>Nettchat</td><td>1</td>" in html
    assert "67 %" in html and "<script" not in html
    assert page.headers["cache-control"] == "no-store"


def test_the_default_period_is_the_last_twelve_months(board: TestClient) -> None:
    log_in(board, "ada")
    html = board.get("/staff/rapport").text
    assert NOW.date() == dt.date(2026, 11, 23)
    assert "24.11.2025–23.11.2026" in html
    assert 'name="fra" value="2025-11-24"' in html


@pytest.mark.parametrize("query", ["fra=2026-13-01", "fra=2026-11-30&til=2026-11-01"])
def test_a_bad_period_says_so(board: TestClient, query: str) -> None:
    log_in(board, "ada")
    page = board.get(f"/staff/rapport?{query}")
    assert page.status_code == 400 and 'role="alert"' in page.text
    assert "24.11.2025–23.11.2026" in page.text


def test_the_csv_export_needs_csrf_and_is_logged(board: TestClient, db_url: str) -> None:
    log_in(board, "vera")
    forged = board.post(
        "/staff/rapport.csv", data={"csrf": "forged", "fra": "2026-11-01", "til": "2026-11-30"}
    )
    assert forged.status_code == 403 and access_rows(db_url) == []
    token = csrf(board, "/staff/rapport")
    export = board.post(
        "/staff/rapport.csv", data={"csrf": token, "fra": "2026-11-01", "til": "2026-11-30"}
    )
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    assert 'filename="rapport-2026-11-01-2026-11-30.csv"' in export.headers["content-disposition"]
    assert "tilbud,tilbud_gitt,Tilbud gitt,5" in export.text
    [row] = access_rows(db_url)
    assert (row.username, row.action, row.target) == (
        "vera",
        "export",
        "rapport.csv 2026-11-01–2026-11-30",
    )
    bad = board.post("/staff/rapport.csv", data={"csrf": token, "fra": "i går"})
    assert bad.status_code == 400 and len(access_rows(db_url)) == 1
