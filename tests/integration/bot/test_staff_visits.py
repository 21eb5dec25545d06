"""The staff pages for visits and follow-up over HTTP (Starlette's test client) against a
real SQLite file: the week calendar, a visit's actions, the day list and the follow-up lists."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Iterator

import pytest
from starlette.testclient import TestClient

from bot.outreach.scheduler import due_messages
from bot.staff.dashboard import followup, visits
from fhb.db import answers, slots
from fhb.db import visits as visits_db
from fhb.db.models import CallbackRequest, Decline, Visit
from fhb.profile import Profile
from fhb.read import followup as followup_read
from tests.support.clock import NOW, PAST, frozen_uow, local_today
from tests.support.records import KARI, add_slot, add_visit
from tests.support.staff import add_staff, dashboard, logged_in, tables

OLA = "Ola Berg"
# Tuesday 5 March 2030, 10:00 in Oslo (winter time, UTC+1); ISO week 2030-W10: after the
# frozen NOW, as PAST is before it.
TUESDAY = dt.datetime(2030, 3, 5, 9, 0)


@pytest.fixture
def board(db_url: str, tmp_path: Path, profile: Profile) -> Iterator[TestClient]:
    """The dashboard with the visit and follow-up pages; an admin `ada`, a visitor `vera`."""
    add_staff(db_url)
    extra = [visits.routes, followup.routes]
    tracker = f"sqlite:///{tmp_path / 't.db'}"
    with dashboard(db_url, profile, tracker_url=tracker, extra=extra) as client:
        yield client


def visit_row(url: str, visit_id: int) -> Visit:
    """The visit as stored now."""
    with frozen_uow(url) as session:
        visit = visits_db.get_visit(session, visit_id)
        assert visit is not None
        return visit


PAGES = [
    ("GET", "/staff/besok"),
    ("GET", "/staff/besok/1"),
    ("GET", "/staff/besok/dagsliste"),
    ("GET", "/staff/besok/1/avlys"),
    ("POST", "/staff/besok/1/gjennomfort"),
    ("POST", "/staff/besok/1/uteble"),
    ("POST", "/staff/besok/1/avlys"),
    ("POST", "/staff/besok/1/flytt"),
    ("GET", "/staff/oppfolging"),
    ("POST", "/staff/oppfolging/ringt/1"),
]


@pytest.mark.parametrize("method, path", PAGES)
def test_every_page_is_refused_without_a_login(
    board: TestClient, db_url: str, method: str, path: str
) -> None:
    add_visit(db_url, TUESDAY, "Synne Solberg")
    response = board.request(method, path, follow_redirects=False)
    assert response.status_code in (303, 401)
    assert response.headers.get("location") == "/staff/login" or "Logg inn" in response.text
    assert "Synne Solberg" not in response.text
    assert visit_row(db_url, 1).status == "booked"


def test_csrf_is_required_on_every_form(board: TestClient, db_url: str) -> None:
    visit_id = add_visit(db_url, PAST, "Per Post")
    free = add_slot(db_url, TUESDAY)
    with frozen_uow(db_url) as session:
        answers.add_callback(session, name="Rita", phone="+4791234567")
    logged_in(board, "ada")
    forms = [
        (
            f"/staff/besok/{visit_id}/gjennomfort",
            {"referred": "ja", "interpreter_used": "ja", "joined_activity": "ja"},
        ),
        (f"/staff/besok/{visit_id}/uteble", {}),
        (f"/staff/besok/{visit_id}/avlys", {}),
        (f"/staff/besok/{visit_id}/flytt", {"slot_id": str(free)}),
        ("/staff/oppfolging/ringt/1", {}),
    ]
    for path, data in forms:
        response = board.post(path, data={**data, "csrf": "forged"}, follow_redirects=False)
        assert response.status_code == 403, path
        assert "Skjemaet var for gammelt" in response.text
    visit = visit_row(db_url, visit_id)
    assert (visit.status, visit.slot.start, visit.referred) == ("booked", PAST, None)
    with frozen_uow(db_url) as session:
        assert len(followup_read.open_callbacks(session)) == 1


def test_the_calendar_shows_a_booking_on_its_local_day_and_time(
    board: TestClient, db_url: str
) -> None:
    visit_id = add_visit(db_url, TUESDAY, "Synne Solberg")
    add_slot(db_url, TUESDAY + dt.timedelta(days=1, hours=2))  # Wednesday 12:00, free
    add_visit(db_url, TUESDAY, "Odd Olsen", visitor=OLA)
    add_visit(db_url, TUESDAY + dt.timedelta(weeks=1), "Neste Uke")
    logged_in(board)
    page = board.get("/staff/besok?uke=2030-W10")
    assert page.status_code == 200
    kari = tables(page.text)["Tider for Kari Hansen, uke 10"]
    assert kari[0][:3] == ["Tid", "mandag 4. mars", "tirsdag 5. mars"]
    assert kari[0][-1] == "søndag 10. mars"
    rows = {row[0]: row[1:] for row in kari[1:]}
    assert rows["10.00"][1] == "Synne Solberg Bestilt"  # Tuesday, 09:00 UTC = 10.00 in Oslo
    assert rows["12.00"][2] == "Ledig"  # Wednesday
    assert "Odd Olsen" not in str(kari) and "Neste Uke" not in page.text
    ola = tables(page.text)["Tider for Ola Berg, uke 10"]
    assert ola[1][2] == "Odd Olsen Bestilt"
    assert f'href="/staff/besok/{visit_id}"' in page.text
    listing = tables(page.text)["Bestillinger uke 10, etter tid"]
    assert [row[1:3] for row in listing[1:]] == [[KARI, "Synne Solberg"], [OLA, "Odd Olsen"]]
    assert "uke=2030-W09" in page.text and "uke=2030-W11" in page.text
    only_ola = board.get("/staff/besok", params={"uke": "2030-W10", "besoker": OLA}).text
    assert "Odd Olsen" in only_ola and "Synne Solberg" not in only_ola


def test_the_calendar_uses_summer_time(board: TestClient, db_url: str) -> None:
    add_visit(db_url, dt.datetime(2030, 6, 4, 8, 0), "Sommer Sol")  # 10.00 in Oslo (UTC+2)
    logged_in(board)
    kari = tables(board.get("/staff/besok?uke=2030-W23").text)["Tider for Kari Hansen, uke 23"]
    assert kari[1][0] == "10.00" and kari[1][2] == "Sommer Sol Bestilt"


def test_marking_a_visit_completed_stores_the_outcome(
    board: TestClient, db_url: str, profile: Profile
) -> None:
    visit_id = add_visit(db_url, PAST, "Gunn Gjort", conversation="web-" + "c" * 40)
    token = logged_in(board)
    url = f"/staff/besok/{visit_id}/gjennomfort"
    missing = board.post(url, data={"csrf": token, "referred": "ja", "interpreter_used": "nei"})
    assert missing.status_code == 400 and "alle tre" in missing.text
    assert visit_row(db_url, visit_id).status == "booked"
    done = board.post(
        url,
        data={"csrf": token, "referred": "ja", "interpreter_used": "nei", "joined_activity": "ja"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"/staff/besok/{visit_id}?ok=gjennomfort"
    assert "merket som gjennomført" in board.get(done.headers["location"]).text
    visit = visit_row(db_url, visit_id)
    assert (visit.status, visit.referred, visit.interpreter_used, visit.joined_activity) == (
        "completed",
        True,
        False,
        True,
    )
    assert visit.completed_at is not None
    assert abs(visit.completed_at - NOW.replace(tzinfo=None)) < dt.timedelta(minutes=1)
    with frozen_uow(db_url) as session:
        due = due_messages(session, NOW, profile)
    assert ("feedback_request", str(visit_id)) in [(d.kind, d.ref) for d in due]


def test_a_visit_in_the_future_cannot_be_completed_yet(board: TestClient, db_url: str) -> None:
    visit_id = add_visit(db_url, TUESDAY, "Fremtid Frank")
    token = logged_in(board)
    response = board.post(f"/staff/besok/{visit_id}/uteble", data={"csrf": token})
    assert response.status_code == 409 and "ikke begynt" in response.text
    assert visit_row(db_url, visit_id).status == "booked"


def test_no_show(board: TestClient, db_url: str) -> None:
    visit_id = add_visit(db_url, PAST, "Borte Bjørn")
    token = logged_in(board)
    response = board.post(f"/staff/besok/{visit_id}/uteble", data={"csrf": token})
    assert response.status_code == 200 and "merket som uteblitt" in response.text
    assert visit_row(db_url, visit_id).status == "no_show"


def test_cancelling_asks_first_and_frees_the_slot(board: TestClient, db_url: str) -> None:
    visit_id = add_visit(db_url, TUESDAY, "Avlys Anne")
    slot_id = visit_row(db_url, visit_id).slot_id
    token = logged_in(board)
    confirm = board.get(f"/staff/besok/{visit_id}/avlys")
    assert confirm.status_code == 200 and "Ja, avlys besøket" in confirm.text
    assert visit_row(db_url, visit_id).status == "booked"  # asking changes nothing
    done = board.post(f"/staff/besok/{visit_id}/avlys", data={"csrf": token})
    assert done.status_code == 200 and "tiden er ledig igjen" in done.text
    assert visit_row(db_url, visit_id).status == "cancelled"
    with frozen_uow(db_url) as session:
        assert slots.is_slot_free(session, slot_id)
    kari = tables(board.get("/staff/besok?uke=2030-W10").text)["Tider for Kari Hansen, uke 10"]
    assert kari[1][2] == "Ledig"
    again = board.post(f"/staff/besok/{visit_id}/avlys", data={"csrf": token})
    assert again.status_code == 409


def test_moving_a_visit_and_a_taken_slot_is_refused_kindly(board: TestClient, db_url: str) -> None:
    soon = NOW.replace(tzinfo=None).replace(minute=0, second=0, microsecond=0) + dt.timedelta(
        days=3
    )
    visit_id = add_visit(db_url, soon, "Flytt Fredrik")
    old_slot = visit_row(db_url, visit_id).slot_id
    free = add_slot(db_url, soon + dt.timedelta(days=1), OLA)
    add_slot(db_url, soon + dt.timedelta(weeks=30), OLA)  # beyond the weeks offered
    taken_by = add_visit(db_url, soon + dt.timedelta(days=2), "Opptatt Olga")
    taken = visit_row(db_url, taken_by).slot_id
    token = logged_in(board, "ada")
    page = board.get(f"/staff/besok/{visit_id}").text
    offered = re.findall(r'<option value="(\d+)">', page)
    assert offered == [str(free)]  # not the taken one, not the one 30 weeks ahead
    moved = board.post(f"/staff/besok/{visit_id}/flytt", data={"csrf": token, "slot_id": str(free)})
    assert moved.status_code == 200 and "flyttet til den nye tiden" in moved.text
    assert visit_row(db_url, visit_id).slot_id == free
    with frozen_uow(db_url) as session:
        assert slots.is_slot_free(session, old_slot)
    refused = board.post(
        f"/staff/besok/{visit_id}/flytt", data={"csrf": token, "slot_id": str(taken)}
    )
    assert refused.status_code == 409 and "ikke ledig lenger" in refused.text
    assert visit_row(db_url, visit_id).slot_id == free
    assert visit_row(db_url, taken_by).slot_id == taken
    none = board.post(f"/staff/besok/{visit_id}/flytt", data={"csrf": token, "slot_id": ""})
    assert none.status_code == 400


def test_the_day_list_shows_one_visitors_visits_of_that_day(board: TestClient, db_url: str) -> None:
    add_visit(
        db_url,
        TUESDAY + dt.timedelta(hours=2),
        "Dag To",
        address="Fjellveien 2",
        phone="+4791234567",
        booked_by="relative",
        relation="datter",
        relative_name="Dina",
        relative_phone="+4798765432",
    )
    add_visit(db_url, TUESDAY, "Dag En", address="Storgata 1", phone="+4790000001")
    add_visit(db_url, TUESDAY + dt.timedelta(hours=4), "Avlyst Are", status="cancelled")
    add_visit(db_url, TUESDAY + dt.timedelta(days=1), "Neste Dag")
    add_visit(db_url, TUESDAY, "Ola Sin", visitor=OLA)
    logged_in(board)
    page = board.get("/staff/besok/dagsliste", params={"dato": "2030-03-05", "besoker": KARI})
    assert page.status_code == 200
    assert "Dagsliste for Kari Hansen" in page.text and "Tirsdag 5. mars 2030" in page.text
    rows = tables(page.text)["Besøk tirsdag 5. mars 2030, etter tid"][1:]
    assert rows == [
        ["10.00", "Dag En", "Storgata 1", "90 00 00 01", ""],
        [
            "12.00",
            "Dag To",
            "Fjellveien 2",
            "91 23 45 67",
            "Bestilt av pårørende: Dina (datter), tlf. 98 76 54 32",
        ],
    ]
    assert "@media print" in board.get("/staff/static/visits.css").text


def test_follow_up_lists_an_open_call_back_and_marks_it_handled(
    board: TestClient, db_url: str
) -> None:
    with frozen_uow(db_url) as session:
        open_id = answers.add_callback(
            session, name="Rita Ring", phone="+4791234567", topic="Spørsmål om besøket"
        ).id
        answers.add_callback(
            session, name="Ferdig Frida", phone="+4790000000", handled_at=NOW.replace(tzinfo=None)
        )
    token = logged_in(board)
    page = board.get("/staff/oppfolging").text
    assert "Rita Ring" in page and "91 23 45 67" in page and "Ferdig Frida" not in page
    done = board.post(
        f"/staff/oppfolging/ringt/{open_id}", data={"csrf": token}, follow_redirects=False
    )
    assert done.status_code == 303
    after = board.get(done.headers["location"]).text
    assert "merket som behandlet" in after and "Rita Ring" not in after
    with frozen_uow(db_url) as session:
        callback = session.get(CallbackRequest, open_id)
        assert callback is not None and callback.handled_at is not None
    assert board.post("/staff/oppfolging/ringt/999", data={"csrf": token}).status_code == 404


def test_follow_up_lists_declines_coming_due(board: TestClient, db_url: str) -> None:
    today = local_today()

    def decline(
        name: str, conversation: str | None, days: int | None, *, wants_later: bool = True
    ) -> Decline:
        """A decline postponed by `days` from today."""
        return Decline(
            citizen_name=name,
            reason="bad_timing",
            wants_later=wants_later,
            later_date=today + dt.timedelta(days=days) if days is not None else None,
            later_when="etter jul",
            conversation_id=conversation,
        )

    with frozen_uow(db_url) as session:
        session.add_all(
            [
                decline("Snart Siri", "c-soon", 10),
                decline("Passert Paul", "c-late", -5),
                decline("Lenge Lise", "c-far", 60),
                decline("Nei Nils", "c-no", 3, wants_later=False),
                decline("Booket Bo", "c-booked", 2),
                decline("Angret Anders", "c-newer", 4),
                decline("Telefon Tove", None, 20),
            ]
        )
        session.flush()
        session.add(
            Decline(citizen_name="Angret Anders", reason="no_need", conversation_id="c-newer")
        )
    add_visit(db_url, TUESDAY, "Booket Bo", conversation="c-booked")
    logged_in(board)
    rows = tables(board.get("/staff/oppfolging").text)["Utsatte tilbud, snarest først"][1:]
    assert [row[1] for row in rows] == ["Passert Paul", "Snart Siri", "Telefon Tove"]
    assert "(passert)" in rows[0][0] and "(passert)" not in rows[1][0]
    assert rows[1][3:5] == ["etter jul", "Passer ikke nå"]


def test_declines_counted_by_reason(board: TestClient, db_url: str) -> None:
    with frozen_uow(db_url) as session:
        for reason in ("no_need", "no_need", "not_at_home", "other", "no_need"):
            answers.add_decline(session, reason=reason)
    logged_in(board, "ada")
    counts = tables(board.get("/staff/oppfolging").text)["Antall som har takket nei, etter grunn"]
    assert dict((row[0], row[1]) for row in counts[1:]) == {
        "Klarer seg fint selv": "3",
        "Føler seg ikke gammel": "0",
        "Andre trenger det mer": "0",
        "Har hjelp fra kommunen": "0",
        "Vil ikke ha besøk hjemme": "1",
        "Passer ikke nå": "0",
        "Annet": "1",
        "Totalt": "5",
    }
