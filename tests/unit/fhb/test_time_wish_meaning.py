"""What a person means by a time wish: preference, negation, "for tidlig", clauses (issue 10).

Every date is built from the tests' frozen today (tests/support/clock.py), never written out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fhb.db.slots import FreeSlot
from fhb.language.dates import TimeWish, parse_time_wish
from fhb.language.dates.clauses import normalize_mapped, split_clauses
from fhb.language.dates.patterns import normalize
from fhb.language.formatting import to_local, to_utc_naive
from fhb.slot_offer import slots_for_wish
from tests.support.clock import OSLO, local_today

T = dt.time
DAY = dt.timedelta(days=1)
TODAY = local_today()  # a Monday in late November
IN_ROMJUL = TODAY + 35 * DAY  # the Monday after Christmas


def after(day: dt.date, iso_weekday: int) -> dt.date:
    """The first day strictly after `day` with that ISO weekday."""
    return day + dt.timedelta(days=(iso_weekday - day.isoweekday() - 1) % 7 + 1)


def monday_of(day: dt.date) -> dt.date:
    """The Monday of the ISO week of `day`."""
    return day - dt.timedelta(days=day.weekday())


def new_year_after(day: dt.date) -> dt.date:
    """'etter jul': the next 2 January after `day`."""
    return dt.date(day.year + 1, 1, 2)


TUE = after(TODAY, 2)
WED = after(TODAY, 3)
NEXT_MONDAY = monday_of(TODAY) + 7 * DAY
XMAS = dt.date(TODAY.year, 12, 23)  # last day "før jul"
NEW_YEAR = new_year_after(TODAY)
DECEMBER = (dt.date(TODAY.year, 12, 1), dt.date(TODAY.year, 12, 31))
NOT = frozenset(range(1, 8)).difference


def wish(start, end=None, *, weekdays=None, excluded=(), **times) -> TimeWish:
    """The expected wish (times as earliest=/latest=/exact=)."""
    return TimeWish(
        start=start,
        end=end,
        earliest=times.get("earliest"),
        latest=times.get("latest"),
        weekdays=frozenset(weekdays) if weekdays is not None else None,
        exact=times.get("exact"),
        excluded_dates=tuple(excluded),
    )


def on(day: dt.date, **times) -> TimeWish:
    """The expected wish for one day."""
    return wish(day, day, **times)


MEANING_CASES = [
    # a preference wins over a "før" in a reason clause
    ("helst etter jul", TODAY, wish(NEW_YEAR)),
    ("helst etter jul, før jul er det så travelt", TODAY, wish(NEW_YEAR)),
    ("Før jul er det så travelt, så helst etter jul", TODAY, wish(NEW_YEAR)),
    ("helst etter jul, for jul er det sa travelt", TODAY, wish(NEW_YEAR)),
    (
        "helst i januar, i desember er det travelt",
        TODAY,
        wish(dt.date(TODAY.year + 1, 1, 1), dt.date(TODAY.year + 1, 1, 31)),
    ),
    ("helst onsdag, tirsdag er jeg hos legen", TODAY, on(WED)),
    ("helst etter jul", IN_ROMJUL, wish(new_year_after(IN_ROMJUL))),
    ("ikke i dag", IN_ROMJUL, wish(IN_ROMJUL + DAY)),
    ("helst tirsdag, ikke i dag", IN_ROMJUL, on(after(IN_ROMJUL, 2))),
    # negated dates become exclusions
    ("før jul passer dårlig", TODAY, wish(XMAS + DAY)),
    ("ikke før jul", TODAY, wish(XMAS + DAY)),
    ("ikkje før jul", TODAY, wish(XMAS + DAY)),
    ("ikke etter jul", TODAY, wish(TODAY, NEW_YEAR - DAY)),
    ("ikke i dag", TODAY, wish(TODAY + DAY)),
    ("Eg kan ikkje i dag", TODAY, wish(TODAY + DAY)),
    ("ikke i kveld", TODAY, wish(TODAY + DAY)),
    ("jeg kan ikke i dag, men gjerne neste uke", TODAY, wish(NEXT_MONDAY, NEXT_MONDAY + 6 * DAY)),
    ("Nei, ikke i dag. Neste uke!", TODAY, wish(NEXT_MONDAY, NEXT_MONDAY + 6 * DAY)),
    ("ikke denne uka, men tirsdag", TODAY, on(NEXT_MONDAY + DAY)),
    ("ikke neste uke", TODAY, wish(TODAY, excluded=[(NEXT_MONDAY, NEXT_MONDAY + 6 * DAY)])),
    ("ikke i desember", TODAY, wish(TODAY, excluded=[DECEMBER])),
    ("jeg er bortreist i desember", TODAY, wish(TODAY, excluded=[DECEMBER])),
    ("i desember er jeg på ferie, etter nyttår passer", TODAY, wish(NEW_YEAR)),
    ("ikke i november", TODAY, wish(DECEMBER[0])),
    # weekdays
    ("ikke mandag", TODAY, wish(TODAY, weekdays=NOT({1}))),
    ("ikke på fredag", TODAY, wish(TODAY, weekdays=NOT({5}))),
    ("ikkje tysdag", TODAY, wish(TODAY, weekdays=NOT({2}))),
    ("ikke noen mandag", TODAY, wish(TODAY, weekdays=NOT({1}))),
    ("mandag passer ikke", TODAY, wish(TODAY, weekdays=NOT({1}))),
    ("tirsdag går dessverre ikke", TODAY, wish(TODAY, weekdays=NOT({2}))),
    ("Jeg kan ikke komme på mandag", TODAY, wish(TODAY, weekdays=NOT({1}))),
    ("pa tirsdag", TODAY, on(TUE)),
    # no negation: a polite question, "nothing on", another clause
    ("Kan dere ikke komme tirsdag?", TODAY, on(TUE)),
    ("Kunne dere ikke kommet før jul?", TODAY, wish(TODAY, XMAS)),
    ("jeg har ikke noe på tirsdag", TODAY, on(TUE)),
    ("Vi har ikke bil så tirsdag passer best", TODAY, on(TUE)),
    # times of day
    ("ikke for tidlig", TODAY, wish(TODAY, earliest=T(10))),
    ("ikke så tidlig", TODAY, wish(TODAY, earliest=T(10))),
    ("ikkje tidleg", TODAY, wish(TODAY, earliest=T(10))),
    ("ikkje for tidleg på dagen", TODAY, wish(TODAY, earliest=T(10))),
    ("helst ikke for tidlig", TODAY, wish(TODAY, earliest=T(10))),
    ("ikke tidlig på mandag", TODAY, on(after(TODAY, 1), earliest=T(10))),
    ("kl 10 er for tidlig", TODAY, wish(TODAY, earliest=T(10, 30))),
    ("formiddagen er litt for tidlig", TODAY, wish(TODAY, earliest=T(12))),
    ("kl 14 er for sent", TODAY, wish(TODAY, latest=T(13, 30))),
    ("før kl. 12", TODAY, wish(TODAY, latest=T(12))),
    ("etter klokka 13", TODAY, wish(TODAY, earliest=T(13))),
    ("etter kl 14 går ikke", TODAY, wish(TODAY, latest=T(14))),
    ("ikke på formiddagen", TODAY, wish(TODAY, earliest=T(12))),
    ("ikke om morgenen", TODAY, wish(TODAY, earliest=T(10))),
    ("ikke på ettermiddagen", TODAY, wish(TODAY, latest=T(12))),
    ("tirsdag passer ikke på formiddagen", TODAY, on(TUE, earliest=T(12))),
    (
        "tirsdag eller onsdag, men ikke på formiddagen",
        TODAY,
        wish(TUE, WED, weekdays={2, 3}, earliest=T(12)),
    ),
    # nynorsk and without æøå
    ("for jul", TODAY, wish(TODAY, XMAS)),
    ("etter nyttar", TODAY, wish(NEW_YEAR)),
    ("helst etter jul, for jul er det travelt", TODAY, wish(NEW_YEAR)),
    # negations that leave no wish
    ("det haster ikke", TODAY, None),
    ("ikke kl 10", TODAY, None),
]


@pytest.mark.parametrize(
    ("text", "today", "expected"), MEANING_CASES, ids=[f"{c[0]}@{c[1]}" for c in MEANING_CASES]
)
def test_what_a_wish_means(text: str, today: dt.date, expected: TimeWish | None) -> None:
    assert parse_time_wish(text, today=today) == expected


def test_an_excluded_week_is_no_match_but_the_weeks_around_it_are() -> None:
    parsed = parse_time_wish("ikke neste uke", today=TODAY)
    assert parsed is not None
    noon = dt.time(12)
    assert parsed.matches(dt.datetime.combine(TODAY + DAY, noon))
    assert not parsed.matches(dt.datetime.combine(NEXT_MONDAY, noon))
    assert not parsed.matches(dt.datetime.combine(NEXT_MONDAY + 6 * DAY, noon))
    assert parsed.matches(dt.datetime.combine(NEXT_MONDAY + 7 * DAY, noon))


# ------------------------------------------------------------ the offered slots honour it


def _slots() -> list[FreeSlot]:
    """Four slots a day (09:00, 10:30, 12:00, 13:30 in Oslo) on workdays for ten weeks."""
    slots = []
    for offset in range(1, 71):
        day = TODAY + offset * DAY
        if day.isoweekday() > 5:
            continue
        for hour, minute in ((9, 0), (10, 30), (12, 0), (13, 30)):
            local = dt.datetime.combine(day, dt.time(hour, minute), OSLO)
            start = to_utc_naive(local)
            slots.append(FreeSlot(len(slots) + 1, start, start + dt.timedelta(hours=1), "Kari"))
    return slots


SLOTS = _slots()
Fits = Callable[[dt.datetime], bool]

OFFER_CASES: list[tuple[str, Fits]] = [
    ("ikke mandag", lambda at: at.isoweekday() != 1),
    ("ikke på fredag", lambda at: at.isoweekday() != 5),
    ("ikke for tidlig", lambda at: at.time() >= T(10)),
    ("ikkje tidleg", lambda at: at.time() >= T(10)),
    ("før kl. 12", lambda at: at.time() <= T(12)),
    ("etter klokka 13", lambda at: at.time() >= T(13)),
    ("helst etter jul, før jul er det så travelt", lambda at: at.date() >= NEW_YEAR),
    ("for jul", lambda at: at.date() <= XMAS),
    (
        "ikke neste uke",
        lambda at: not NEXT_MONDAY <= at.date() <= NEXT_MONDAY + 6 * DAY,
    ),
    ("ikke i desember", lambda at: at.month != 12),
    ("tirsdag passer ikke på formiddagen", lambda at: at.date() == TUE and at.time() >= T(12)),
    (
        "ikke mandag og ikke for tidlig",
        lambda at: at.isoweekday() != 1 and at.time() >= T(10),
    ),
    ("kl 10 er for tidlig", lambda at: at.time() >= T(10, 30)),
]


@pytest.mark.parametrize(("text", "fits"), OFFER_CASES, ids=[c[0] for c in OFFER_CASES])
def test_the_offered_slots_respect_the_wish(text: str, fits: Fits) -> None:
    parsed = parse_time_wish(text, today=TODAY)
    assert parsed is not None
    expected = [slot for slot in SLOTS if fits(to_local(slot.start, "Europe/Oslo"))]
    assert expected and len(expected) < len(SLOTS)
    assert slots_for_wish(SLOTS, parsed, "Europe/Oslo") == expected


# ----------------------------------------------------------- clauses and the typed text


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        (
            "helst etter jul, før jul er det så travelt",
            ["helst etter jul", "før jul er det så travelt"],
        ),
        (
            "Hei! Fint vær i dag. Jeg vil gjerne ha besøk",
            ["Hei", "Fint vær i dag", "Jeg vil gjerne ha besøk"],
        ),
        ("jeg kan ikke i dag, men gjerne neste uke", ["jeg kan ikke i dag", "gjerne neste uke"]),
        ("etter kl. 12 den 15. des. takk", ["etter kl. 12 den 15. des. takk"]),
        ("kl 10,30 eller 11", ["kl 10,30 eller 11"]),
        ("så snart som mulig", ["så snart som mulig"]),
        ("Vi har ikke bil så tirsdag passer", ["Vi har ikke bil", "tirsdag passer"]),
        ("Fint vær i dag og jeg vil ha besøk", ["Fint vær i dag", "jeg vil ha besøk"]),
    ],
)
def test_split_clauses(text: str, clauses: list[str]) -> None:
    assert [text[start:end].strip() for start, end in split_clauses(text)] == clauses


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | st.text(alphabet="aæøåÆØÅ ,.1-–\u00a0Σé", max_size=25))
def test_normalize_mapped_is_normalize_with_a_map_back(text: str) -> None:
    folded, offsets = normalize_mapped(text)
    assert folded == normalize(text)
    assert len(offsets) == len(folded)
    assert all(0 <= offset <= len(text) for offset in offsets)
    assert offsets == sorted(offsets)
