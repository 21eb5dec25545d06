"""The follow-up page and the scheduler read one definition of "due" (fhb.read.followup):
what the chat offers again is exactly what the page lists as due today, from a chat, and at
most 30 days overdue; the page also lists what only staff can act on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterator

import pytest
from starlette.testclient import TestClient

from bot.outreach.scheduler import NEW_OFFER_WITHIN, due_messages
from bot.staff.dashboard import followup, visits
from fhb.db.models import Decline
from fhb.profile import Profile
from tests.support.clock import NOW, PAST, frozen_uow, local_today
from tests.support.records import add_visit
from tests.support.staff import add_staff, dashboard, logged_in, tables


@pytest.fixture
def board(db_url: str, tmp_path: Path, profile: Profile) -> Iterator[TestClient]:
    """The dashboard with the visit and follow-up pages; an admin `ada`, a visitor `vera`."""
    add_staff(db_url)
    extra = [visits.routes, followup.routes]
    with dashboard(
        db_url, profile, tracker_url=f"sqlite:///{tmp_path / 't.db'}", extra=extra
    ) as client:
        yield client


# (name, conversation, days from today, wants later, what else happened in that chat)
CASES = [
    ("Idag Ida", "tg-today", 0, True, None),
    ("Passert Per", "tg-passed", -5, True, None),
    ("Gammel Gro", "tg-ancient", -45, True, None),  # the chat offer is stale; staff call
    ("Snart Siv", "tg-soon", 10, True, None),  # coming due: listed, not offered yet
    ("Fjern Finn", "tg-far", 60, True, None),  # neither
    ("Nei Nora", "tg-no", -1, False, None),  # did not want a later visit
    ("Angret Arne", "tg-newer", -2, True, "declined again"),  # a newer "no, thanks" wins
    ("Booket Berit", "tg-booked", -3, True, "booked"),  # booked since: nothing to offer
    ("Telefon Tor", None, -1, True, None),  # no chat to offer it in: staff call
    ("Fjorår Frida", "tg-lastyear", -1, True, None),  # a visit last year does not count
]


def seed(db_url: str) -> None:
    """Every case as a decline (and what happened after it)."""
    today = local_today()
    with frozen_uow(db_url) as session:
        for name, conversation, days, wants_later, _after in CASES:
            session.add(
                Decline(
                    citizen_name=name,
                    reason="bad_timing",
                    wants_later=wants_later,
                    later_date=today + dt.timedelta(days=days),
                    conversation_id=conversation,
                )
            )
        session.flush()
        session.add(
            Decline(citizen_name="Angret Arne", reason="no_need", conversation_id="tg-newer")
        )
    add_visit(db_url, PAST, "Booket Berit", conversation="tg-booked")
    add_visit(
        db_url,
        PAST - dt.timedelta(days=30),
        "Fjorår Frida",
        conversation="tg-lastyear",
        status="completed",
        created_at=NOW.replace(tzinfo=None) - dt.timedelta(days=365),
    )


def test_the_page_and_the_scheduler_agree_on_what_is_due(
    board: TestClient, db_url: str, profile: Profile
) -> None:
    seed(db_url)
    logged_in(board)
    rows = tables(board.get("/staff/oppfolging").text)["Utsatte tilbud, snarest først"][1:]
    listed = {row[1] for row in rows}
    with frozen_uow(db_url) as session:
        refs = [d.ref for d in due_messages(session, NOW, profile) if d.kind == "new_offer"]
        offered = {session.get(Decline, int(ref)).citizen_name for ref in refs}
    assert listed == {
        "Gammel Gro",
        "Passert Per",
        "Telefon Tor",
        "Idag Ida",
        "Snart Siv",
        "Fjorår Frida",
    }
    in_the_chat = {
        name
        for name, conversation, days, *_ in CASES
        if name in listed and conversation is not None and -NEW_OFFER_WITHIN.days <= days <= 0
    }
    assert offered == in_the_chat == {"Idag Ida", "Passert Per", "Fjorår Frida"}
