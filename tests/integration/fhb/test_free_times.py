"""The free times offered, read by the database (one slot per time, at most a page's worth)
on a real SQLite file and the machine's PostgreSQL: the same times, and the same offers
page by page, as reading every free slot and keeping the first of each time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from fhb.db import slots, visits
from fhb.db.slots import FreeSlot
from fhb.language.dates import parse_time_wish
from fhb.profile import load_profile
from fhb.slot_offer import PER_PAGE, earliest_start, make_offer, slots_for_wish
from tests.support.clock import NOW, frozen_uow

CITIZEN = visits.CitizenDetails(
    name="Kari Nordmann", birth_year=1948, address="Storgata 5", phone="+4791555555"
)
PROFILE = load_profile()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue("db_url" if request.param == "sqlite" else "pg_url"))


def fill(url: str) -> None:
    """Fourteen times over a week, at most three visitors each, added in an order where
    the first visitor by name is not the first by id; some slots booked, one booked and
    cancelled, and a time before tomorrow."""
    base = NOW.replace(tzinfo=None, minute=0, second=0, microsecond=0)
    rows = []
    for day in range(7):
        for hour in (9, 13):
            start = base.replace(hour=hour) + dt.timedelta(days=day)
            for visitor in ("Åse Vik", "Per Lie", "Anne Dahl")[: 1 + (day + hour) % 3]:
                rows.append((start, start + dt.timedelta(hours=1), visitor))
    with frozen_uow(url) as session:
        slots.add_slots(session, rows)
    with frozen_uow(url) as session:
        every = [slot for slot, _ in slots.list_slots(session)]
        later = [s for s in every if s.start > earliest_start(NOW, PROFILE.timezone)]
        for n, slot in enumerate(later[::3]):
            visit = visits.book_visit(
                session, slot_id=slot.id, citizen=CITIZEN, conversation_id=f"c{n}"
            )
            if n == 1:
                visits.cancel_visit(session, visit.id)


def first_of_each_time(session: Session, after: dt.datetime) -> list[FreeSlot]:
    """Every free slot read, the first of each time kept (the way offers were read)."""
    seen: set[dt.datetime] = set()
    kept = []
    for slot in slots.free_slots(session, after=after):
        if slot.start not in seen:
            seen.add(slot.start)
            kept.append(slot)
    return kept


def test_one_slot_per_time_the_first_by_visitor(url: str) -> None:
    fill(url)
    after = earliest_start(NOW, PROFILE.timezone)
    with frozen_uow(url) as session:
        expected = first_of_each_time(session, after)
        assert len(expected) >= 10
        assert slots.free_times(session, after=after) == expected
        assert slots.free_times(session, after=after, limit=4) == expected[:4]
        booked = len(slots.free_slots(session, after=after))
    assert booked > len(expected)  # several visitors at some times: the test can tell


def offers(session: Session, *, exclude: dt.datetime | None, wish: str | None) -> list[list[int]]:
    """The slot ids offered on pages 0, 1, ... until the offer comes round again."""
    pages = []
    for page in range(10):
        offer = make_offer(
            session, PROFILE, now=NOW, wish_text=wish, page=page, exclude_start=exclude
        )
        if offer.page != page:
            break
        pages.append([s.id for s in offer.slots])
    return pages


def pages(ids: list[int]) -> list[list[int]]:
    """The ids shown page by page."""
    return [ids[i : i + PER_PAGE] for i in range(0, len(ids), PER_PAGE)]


@pytest.mark.parametrize("wish", [None, "helst på ettermiddagen"])
def test_the_offers_page_by_page(url: str, wish: str | None) -> None:
    fill(url)
    after = earliest_start(NOW, PROFILE.timezone)
    with frozen_uow(url) as session:
        times = first_of_each_time(session, after)
        excluded = times[1].start
        without = [s for s in times if s.start != excluded]
        if wish is None:
            expected = [s.id for s in without]
            assert offers(session, exclude=None, wish=None)[0] == [s.id for s in times[:3]]
        else:
            today = NOW.astimezone(ZoneInfo(PROFILE.timezone)).date()
            parsed = parse_time_wish(wish, today=today)
            assert parsed is not None
            expected = [s.id for s in slots_for_wish(without, parsed, PROFILE.timezone)]
            assert 0 < len(expected) < len(without)  # the wish leaves some times out
        offered = offers(session, exclude=excluded, wish=wish)
        # (After the pages of a wish come the pages of all times, as before.)
        assert offered[: len(pages(expected))] == pages(expected)
