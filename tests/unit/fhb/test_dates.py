"""Table-driven tests for the Norwegian date/time wish parser (frozen clock)."""

import dataclasses
import datetime as dt

import pytest

from fhb.language.dates import TimeWish, easter_sunday, parse_later_when, parse_time_wish

D = dt.date
T = dt.time
MON = D(2026, 11, 23)  # frozen "today": Monday, ISO week 48
DEC28 = D(2026, 12, 28)  # Monday of ISO week 53 of 2026, in romjula
JAN1 = D(2027, 1, 1)  # Friday, New Year's Day (still ISO week 2026-W53)
JAN5 = D(2027, 1, 5)  # just after New Year
EASTER_WEEK = D(2026, 4, 1)  # Wednesday before Easter 2026 (Easter Sunday 5 April)
AFTER_EASTER = D(2026, 4, 10)
NEXT_XMAS = D(2026, 12, 23)
NEW_YEAR = D(2027, 1, 2)


def wish(start, end=None, earliest=None, latest=None, weekdays=None, exact=None):
    """Build the expected TimeWish (weekdays given as any iterable)."""
    days = frozenset(weekdays) if weekdays is not None else None
    return TimeWish(
        start=start,
        end=end,
        earliest=earliest,
        latest=latest,
        weekdays=days,
        exact=exact,
    )


def on(day, **times):
    """Expected wish for exactly one day."""
    return wish(day, day, **times)


def anytime(**times):
    """Expected wish with only time-of-day information (from today, open-ended)."""
    return wish(MON, None, **times)


FORENOON = {"earliest": T(8), "latest": T(11, 59)}
MORNING = {"earliest": T(8), "latest": T(10)}
AFTERNOON = {"earliest": T(12), "latest": T(16)}
MIDDAY = {"earliest": T(11), "latest": T(13)}
EVENING = {"earliest": T(16), "latest": T(20)}

PARSE_CASES = [
    # --- relative days
    ("i dag", MON, on(MON)),
    ("idag", MON, on(MON)),
    ("i morgen", MON, on(D(2026, 11, 24))),
    ("imorgen", MON, on(D(2026, 11, 24))),
    ("i morra", MON, on(D(2026, 11, 24))),
    ("i morgon", MON, on(D(2026, 11, 24))),
    ("i overmorgen", MON, on(D(2026, 11, 25))),
    ("overimorgen", MON, on(D(2026, 11, 25))),
    ("i morgen tidlig", MON, on(D(2026, 11, 24), **MORNING)),
    ("i morgon tidleg", MON, on(D(2026, 11, 24), **MORNING)),
    ("i morgen formiddag", MON, on(D(2026, 11, 24), **FORENOON)),
    ("God morgen! Kan dere komme i morgen?", MON, on(D(2026, 11, 24))),
    ("God kveld, i morgen passer fint", MON, on(D(2026, 11, 24))),
    ("i kveld", MON, on(MON, **EVENING)),
    ("i ettermiddag", MON, on(MON, **AFTERNOON)),
    ("om tre dager", MON, on(D(2026, 11, 26))),
    # --- weekdays (bare / "på" / "neste" = next occurrence after today)
    ("tirsdag", MON, on(D(2026, 11, 24))),
    ("på tirsdag", MON, on(D(2026, 11, 24))),
    ("neste tirsdag", MON, on(D(2026, 11, 24))),
    ("mandag", MON, on(D(2026, 11, 30))),
    ("tysdag", MON, on(D(2026, 11, 24))),
    ("måndag", MON, on(D(2026, 11, 30))),
    ("fredag", MON, on(D(2026, 11, 27))),
    ("lørdag", MON, on(D(2026, 11, 28))),
    ("lordag", MON, on(D(2026, 11, 28))),
    ("laurdag", MON, on(D(2026, 11, 28))),
    ("søndag", MON, on(D(2026, 11, 29))),
    ("sondag", MON, on(D(2026, 11, 29))),
    ("sundag", MON, on(D(2026, 11, 29))),
    ("tirsdag neste uke", MON, on(D(2026, 12, 1))),
    ("tirsdag i neste uke", MON, on(D(2026, 12, 1))),
    ("neste uke på torsdag", MON, on(D(2026, 12, 3))),
    ("tirsdag om to uker", MON, on(D(2026, 12, 8))),
    ("tirsdager", MON, wish(MON, None, weekdays={2})),
    ("en tirsdag", MON, wish(MON, None, weekdays={2})),
    ("alle onsdager", MON, wish(MON, None, weekdays={3})),
    ("tysdagar", MON, wish(MON, None, weekdays={2})),
    ("onsdag eller torsdag", MON, wish(D(2026, 11, 25), D(2026, 11, 26), weekdays={3, 4})),
    ("mandag eller fredag", MON, wish(D(2026, 11, 27), D(2026, 11, 30), weekdays={1, 5})),
    ("hverdager", MON, wish(MON, None, weekdays={1, 2, 3, 4, 5})),
    ("ikke på mandag", MON, wish(MON, None, weekdays={2, 3, 4, 5, 6, 7})),
    ("Jeg kan ikke komme på mandag, men tirsdag går fint", MON, on(D(2026, 11, 24))),
    ("fredag den 27.", MON, on(D(2026, 11, 27))),
    ("før fredag", MON, wish(MON, D(2026, 11, 26))),
    ("etter onsdag", MON, wish(D(2026, 11, 26), None)),
    ("tirsdag i desember", MON, wish(D(2026, 12, 1), D(2026, 12, 29), weekdays={2})),
    ("i morgen eller onsdag", MON, wish(D(2026, 11, 24), D(2026, 11, 25))),
    # --- weeks
    ("denne uka", MON, wish(MON, D(2026, 11, 29))),
    ("denne uken", MON, wish(MON, D(2026, 11, 29))),
    ("denne veka", MON, wish(MON, D(2026, 11, 29))),
    ("neste uke", MON, wish(D(2026, 11, 30), D(2026, 12, 6))),
    ("neste uka", MON, wish(D(2026, 11, 30), D(2026, 12, 6))),
    ("neste veke", MON, wish(D(2026, 11, 30), D(2026, 12, 6))),
    ("fra neste uke", MON, wish(D(2026, 11, 30), None)),
    ("tidlig i neste uke", MON, wish(D(2026, 11, 30), D(2026, 12, 2))),
    ("i slutten av uka", MON, wish(D(2026, 11, 26), D(2026, 11, 29))),
    ("uke 50", MON, wish(D(2026, 12, 7), D(2026, 12, 13))),
    ("i uke 50", MON, wish(D(2026, 12, 7), D(2026, 12, 13))),
    ("uke 2", MON, wish(D(2027, 1, 11), D(2027, 1, 17))),
    ("uke 48", MON, wish(MON, D(2026, 11, 29))),
    ("uke 47", MON, wish(D(2027, 11, 22), D(2027, 11, 28))),
    ("uke 50-51", MON, wish(D(2026, 12, 7), D(2026, 12, 20))),
    ("om to uker", MON, wish(D(2026, 12, 7), D(2026, 12, 13))),
    ("om 2 uker", MON, wish(D(2026, 12, 7), D(2026, 12, 13))),
    ("om en uke", MON, wish(D(2026, 11, 30), D(2026, 12, 6))),
    ("om to veker", MON, wish(D(2026, 12, 7), D(2026, 12, 13))),
    ("i helga", MON, wish(D(2026, 11, 28), D(2026, 11, 29))),
    # --- explicit dates
    ("15. desember", MON, on(D(2026, 12, 15))),
    ("15 desember", MON, on(D(2026, 12, 15))),
    ("15. des", MON, on(D(2026, 12, 15))),
    ("den 15.", MON, on(D(2026, 12, 15))),
    ("den 15. desember", MON, on(D(2026, 12, 15))),
    ("15.12", MON, on(D(2026, 12, 15))),
    ("15/12", MON, on(D(2026, 12, 15))),
    ("15.12.2026", MON, on(D(2026, 12, 15))),
    ("15.12.26", MON, on(D(2026, 12, 15))),
    ("2. januar", MON, on(D(2027, 1, 2))),
    ("2 jan", MON, on(D(2027, 1, 2))),
    ("17. mai", MON, on(D(2027, 5, 17))),
    ("1. sept", MON, on(D(2027, 9, 1))),
    ("1. november", MON, on(D(2027, 11, 1))),
    ("15.11", MON, on(D(2027, 11, 15))),
    ("23. november", MON, on(MON)),
    ("10.12", MON, on(D(2026, 12, 10))),
    ("etter 15. desember", MON, wish(D(2026, 12, 16), None)),
    ("fra 15. desember", MON, wish(D(2026, 12, 15), None)),
    ("innen 15. desember", MON, wish(MON, D(2026, 12, 15))),
    ("før 1. desember", MON, wish(MON, D(2026, 11, 30))),
    ("fra 1. til 15. desember", MON, wish(D(2026, 12, 1), D(2026, 12, 15))),
    ("15. mars neste år", MON, on(D(2027, 3, 15))),
    # --- months
    ("i januar", MON, wish(D(2027, 1, 1), D(2027, 1, 31))),
    ("i jan", MON, wish(D(2027, 1, 1), D(2027, 1, 31))),
    ("i februar", MON, wish(D(2027, 2, 1), D(2027, 2, 28))),
    ("i november", MON, wish(MON, D(2026, 11, 30))),
    ("i slutten av januar", MON, wish(D(2027, 1, 20), D(2027, 1, 31))),
    ("i begynnelsen av februar", MON, wish(D(2027, 2, 1), D(2027, 2, 10))),
    ("midten av mars", MON, wish(D(2027, 3, 10), D(2027, 3, 20))),
    ("tidlig i desember", MON, wish(D(2026, 12, 1), D(2026, 12, 10))),
    ("i mars eller april", MON, wish(D(2027, 3, 1), D(2027, 4, 30))),
    ("i desember neste år", MON, wish(D(2027, 12, 1), D(2027, 12, 31))),
    ("neste måned", MON, wish(D(2026, 12, 1), D(2026, 12, 31))),
    ("fra mars", MON, wish(D(2027, 3, 1), None)),
    # --- holidays and seasons
    ("før jul", MON, wish(MON, NEXT_XMAS)),
    ("for jul", MON, wish(MON, NEXT_XMAS)),
    ("etter jul", MON, wish(NEW_YEAR, None)),
    ("etter nyttår", MON, wish(NEW_YEAR, None)),
    ("etter nyttar", MON, wish(NEW_YEAR, None)),
    ("over nyttår", MON, wish(NEW_YEAR, None)),
    ("etter juleferien", MON, wish(NEW_YEAR, None)),
    ("i romjula", MON, wish(D(2026, 12, 27), D(2026, 12, 31))),
    ("i romjulen", MON, wish(D(2026, 12, 27), D(2026, 12, 31))),
    ("etter påske", MON, wish(D(2027, 3, 30), None)),
    ("etter paske", MON, wish(D(2027, 3, 30), None)),
    ("før påske", MON, wish(MON, D(2027, 3, 24))),
    ("til våren", MON, wish(D(2027, 3, 1), D(2027, 5, 31))),
    ("til varen", MON, wish(D(2027, 3, 1), D(2027, 5, 31))),
    ("i vår", MON, wish(D(2027, 3, 1), D(2027, 5, 31))),
    ("i vinter", MON, wish(D(2026, 12, 1), D(2027, 2, 28))),
    ("til sommeren", MON, wish(D(2027, 6, 1), D(2027, 8, 31))),
    ("til høsten", MON, wish(D(2027, 9, 1), D(2027, 11, 30))),
    ("til hausten", MON, wish(D(2027, 9, 1), D(2027, 11, 30))),
    ("i høst", MON, wish(MON, D(2026, 11, 30))),
    ("etter sommeren", MON, wish(D(2027, 9, 1), None)),
    ("neste år", MON, wish(D(2027, 1, 1), D(2027, 12, 31))),
    ("om tre måneder", MON, wish(D(2027, 2, 23), None)),
    # --- as soon as possible
    ("så snart som mulig", MON, anytime()),
    ("sa snart som mulig", MON, anytime()),
    ("snarest", MON, anytime()),
    ("fortest mulig", MON, anytime()),
    ("første ledige", MON, anytime()),
    ("forste ledige time", MON, anytime()),
    ("så snart som mogleg", MON, anytime()),
    ("snarest, helst på formiddagen", MON, anytime(**FORENOON)),
    # --- clock times
    ("kl 13", MON, anytime(exact=T(13))),
    ("kl. 13", MON, anytime(exact=T(13))),
    ("kl13", MON, anytime(exact=T(13))),
    ("klokka 13", MON, anytime(exact=T(13))),
    ("klokken 13", MON, anytime(exact=T(13))),
    ("kl 13.30", MON, anytime(exact=T(13, 30))),
    ("kl 13:30", MON, anytime(exact=T(13, 30))),
    ("13:30", MON, anytime(exact=T(13, 30))),
    ("13.30", MON, anytime(exact=T(13, 30))),
    ("kl 1", MON, anytime(exact=T(13))),
    ("kl 6", MON, anytime(exact=T(18))),
    ("kl 7", MON, anytime(exact=T(7))),
    ("kl 9.30", MON, anytime(exact=T(9, 30))),
    ("klokka ett", MON, anytime(exact=T(13))),
    ("klokken to", MON, anytime(exact=T(14))),
    ("kl tre", MON, anytime(exact=T(15))),
    ("klokka ti", MON, anytime(exact=T(10))),
    ("klokka tolv", MON, anytime(exact=T(12))),
    ("klokka åtte", MON, anytime(exact=T(8))),
    ("klokka syv", MON, anytime(exact=T(7))),
    ("halv to", MON, anytime(exact=T(13, 30))),
    ("klokka halv ti", MON, anytime(exact=T(9, 30))),
    ("halv ett", MON, anytime(exact=T(12, 30))),
    ("kvart over ti", MON, anytime(exact=T(10, 15))),
    ("kvart på to", MON, anytime(exact=T(13, 45))),
    ("rundt 13", MON, anytime(exact=T(13))),
    ("ca kl 11", MON, anytime(exact=T(11))),
    ("13-tiden", MON, anytime(exact=T(13))),
    ("ved ettiden", MON, anytime(exact=T(13))),
    ("kl 7 i kveld", MON, on(MON, exact=T(19))),
    ("kl 10 på formiddagen", MON, anytime(exact=T(10))),
    ("kl 10 eller kl 13", MON, anytime(earliest=T(10), latest=T(13))),
    ("kl 6 om morgenen", MON, anytime(exact=T(6))),
    ("kl 13, men før 11", MON, anytime(exact=T(13))),
    # --- time bounds and parts of day
    ("etter kl 12", MON, anytime(earliest=T(12))),
    ("etter 12", MON, anytime(earliest=T(12))),
    ("etter 1", MON, anytime(earliest=T(13))),
    ("før kl 11", MON, anytime(latest=T(11))),
    ("før 11", MON, anytime(latest=T(11))),
    ("ikke før 10", MON, anytime(earliest=T(10))),
    ("ikkje etter kl 14", MON, anytime(latest=T(14))),
    ("mellom 10 og 12", MON, anytime(earliest=T(10), latest=T(12))),
    ("kl 10-12", MON, anytime(earliest=T(10), latest=T(12))),
    ("mellom 1 og 3", MON, anytime(earliest=T(13), latest=T(15))),
    ("formiddag", MON, anytime(**FORENOON)),
    ("formiddagen", MON, anytime(**FORENOON)),
    ("føremiddag", MON, anytime(**FORENOON)),
    ("på formiddagen", MON, anytime(**FORENOON)),
    ("morgenen", MON, anytime(**MORNING)),
    ("tidlig", MON, anytime(**MORNING)),
    ("midt på dagen", MON, anytime(**MIDDAY)),
    ("lunsj", MON, anytime(**MIDDAY)),
    ("ettermiddag", MON, anytime(**AFTERNOON)),
    ("ettermiddagen", MON, anytime(**AFTERNOON)),
    ("kveld", MON, anytime(**EVENING)),
    ("sen ettermiddag", MON, anytime(earliest=T(14), latest=T(16))),
    ("formiddag eller tidlig ettermiddag", MON, anytime(earliest=T(8), latest=T(14))),
    ("før lunsj", MON, anytime(latest=T(11))),
    ("ikke for tidlig", MON, anytime(earliest=T(10))),
    ("formiddag, men etter kl 9", MON, anytime(earliest=T(9), latest=T(11, 59))),
    # --- combinations and polite sentences
    ("onsdag formiddag", MON, on(D(2026, 11, 25), **FORENOON)),
    ("tysdag føremiddag", MON, on(D(2026, 11, 24), **FORENOON)),
    ("tirsdag morgen", MON, on(D(2026, 11, 24), **MORNING)),
    ("neste tirsdag kl 10", MON, on(D(2026, 11, 24), exact=T(10))),
    ("15. desember kl 13", MON, on(D(2026, 12, 15), exact=T(13))),
    ("15.12 kl 10.30", MON, on(D(2026, 12, 15), exact=T(10, 30))),
    ("uke 50 på ettermiddagen", MON, wish(D(2026, 12, 7), D(2026, 12, 13), **AFTERNOON)),
    ("en mandag etter jul", MON, wish(NEW_YEAR, None, weekdays={1})),
    ("mandag etter jul", MON, on(D(2027, 1, 4))),
    ("etter kl 12 på torsdag", MON, on(D(2026, 11, 26), earliest=T(12))),
    ("Hei, kunne dere kommet neste tirsdag på formiddagen?", MON, on(D(2026, 11, 24), **FORENOON)),
    ("HEI! KAN DERE KOMME TIRSDAG??", MON, on(D(2026, 11, 24))),
    ("tirsdag,formiddag", MON, on(D(2026, 11, 24), **FORENOON)),
    (
        "Det hadde passet best i uke 2, helst før kl 11",
        MON,
        wish(D(2027, 1, 11), D(2027, 1, 17), latest=T(11)),
    ),
    (
        "Eg vil gjerne ha besøk ein tysdag etter nyttår, gjerne føremiddagen",
        MON,
        wish(NEW_YEAR, None, weekdays={2}, **FORENOON),
    ),
    ("i morgen eller i overmorgen", MON, wish(D(2026, 11, 24), D(2026, 11, 25))),
    # --- no date or time
    ("hei", MON, None),
    ("ja takk", MON, None),
    ("nei takk", MON, None),
    ("Kari Nordmann", MON, None),
    ("August Hansen", MON, None),
    ("Mai Olsen", MON, None),
    ("Storgata 5", MON, None),
    ("Storgata 15", MON, None),
    ("Storgata 15 B, 2. etasje", MON, None),
    ("915 55 555", MON, None),
    ("91555555", MON, None),
    ("1948", MON, None),
    ("Jeg er født i 1948", MON, None),
    ("født 22.11.1948", MON, None),
    ("Jeg er 85 år", MON, None),
    ("God morgen", MON, None),
    ("god kveld", MON, None),
    ("God jul og godt nyttår", MON, None),
    ("på vår adresse", MON, None),
    ("to ganger i uka", MON, None),
    ("i fritiden", MON, None),
    ("Ring meg på 22 33 44 55", MON, None),
    ("Jeg bor i 3. etasje", MON, None),
    ("", MON, None),
    # --- other frozen todays: year end
    ("etter jul", DEC28, wish(NEW_YEAR, None)),
    ("i romjula", DEC28, wish(DEC28, D(2026, 12, 31))),
    ("før jul", DEC28, wish(DEC28, D(2027, 12, 23))),
    ("denne uka", DEC28, wish(DEC28, D(2027, 1, 3))),
    ("neste uke", DEC28, wish(D(2027, 1, 4), D(2027, 1, 10))),
    ("uke 1", DEC28, wish(D(2027, 1, 4), D(2027, 1, 10))),
    ("15.12", DEC28, on(D(2027, 12, 15))),
    ("tirsdag", DEC28, on(D(2026, 12, 29))),
    ("i vinter", DEC28, wish(DEC28, D(2027, 2, 28))),
    ("til vinteren", DEC28, wish(D(2027, 12, 1), D(2028, 2, 29))),
    ("etter nyttår", JAN1, wish(NEW_YEAR, None)),
    ("i januar", JAN1, wish(JAN1, D(2027, 1, 31))),
    ("denne uka", JAN1, wish(JAN1, D(2027, 1, 3))),
    ("neste uke", JAN1, wish(D(2027, 1, 4), D(2027, 1, 10))),
    ("mandag", JAN1, on(D(2027, 1, 4))),
    ("i romjula", JAN1, wish(D(2027, 12, 27), D(2027, 12, 31))),
    ("i dag", JAN1, on(JAN1)),
    ("etter jul", JAN5, wish(D(2028, 1, 2), None)),
    # --- other frozen todays: Easter
    ("etter påske", EASTER_WEEK, wish(D(2026, 4, 7), None)),
    ("etter påske", AFTER_EASTER, wish(D(2027, 3, 30), None)),
    ("i vår", EASTER_WEEK, wish(EASTER_WEEK, D(2026, 5, 31))),
    ("til våren", EASTER_WEEK, wish(D(2027, 3, 1), D(2027, 5, 31))),
]


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    PARSE_CASES,
    ids=[f"{c[0] or '<empty>'}@{c[1]}" for c in PARSE_CASES],
)
def test_parse_time_wish(text, today, expected):
    """Each phrase parses to exactly the expected wish."""
    assert parse_time_wish(text, today=today) == expected


def _at(day, hour, minute=0, tzinfo=None):
    """A slot start on `day` at hour:minute."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tzinfo)


TUE = D(2026, 11, 24)
WED = D(2026, 11, 25)

MATCH_CASES = [
    # exact time: +-30 minutes
    ("neste tirsdag kl 10", _at(TUE, 10), True),
    ("neste tirsdag kl 10", _at(TUE, 10, 30), True),
    ("neste tirsdag kl 10", _at(TUE, 9, 30), True),
    ("neste tirsdag kl 10", _at(TUE, 10, 31), False),
    ("neste tirsdag kl 10", _at(TUE, 9, 29), False),
    ("neste tirsdag kl 10", _at(WED, 10), False),
    ("halv to", _at(MON, 13, 30), True),
    ("halv to", _at(MON, 14, 1), False),
    # parts of day: inclusive bounds
    ("onsdag formiddag", _at(WED, 8), True),
    ("onsdag formiddag", _at(WED, 11, 59), True),
    ("onsdag formiddag", _at(WED, 12), False),
    ("onsdag formiddag", _at(WED, 7, 59), False),
    ("onsdag formiddag", _at(TUE, 9), False),
    ("før kl 11", _at(D(2027, 3, 3), 11), True),
    ("før kl 11", _at(D(2027, 3, 3), 11, 1), False),
    ("etter 12", _at(MON, 11, 59), False),
    ("etter 12", _at(MON, 12), True),
    # time-only wishes allow today and any later date
    ("kl 13", _at(MON, 13), True),
    ("formiddag", _at(MON, 9), True),
    ("formiddag", _at(D(2030, 6, 3), 9), True),
    ("formiddag", _at(D(2026, 11, 22), 9), False),
    # weekday filters
    ("tirsdager", _at(D(2026, 12, 1), 14), True),
    ("tirsdager", _at(D(2026, 12, 2), 14), False),
    ("tirsdager", _at(MON, 14), False),
    ("onsdag eller torsdag", _at(D(2026, 11, 26), 10), True),
    ("onsdag eller torsdag", _at(D(2026, 11, 27), 10), False),
    ("mandag eller fredag", _at(D(2026, 11, 28), 10), False),
    ("ikke på mandag", _at(D(2026, 11, 30), 10), False),
    ("ikke på mandag", _at(D(2026, 12, 1), 10), True),
    # ranges
    ("uke 50 på ettermiddagen", _at(D(2026, 12, 7), 12), True),
    ("uke 50 på ettermiddagen", _at(D(2026, 12, 13), 16), True),
    ("uke 50 på ettermiddagen", _at(D(2026, 12, 13), 16, 1), False),
    ("uke 50 på ettermiddagen", _at(D(2026, 12, 14), 12), False),
    ("etter jul", _at(D(2026, 12, 30), 10), False),
    ("etter jul", _at(NEW_YEAR, 10), True),
    ("etter jul", _at(D(2030, 6, 3), 10), True),
    ("en mandag etter jul", _at(D(2027, 1, 4), 10), True),
    ("en mandag etter jul", _at(D(2027, 1, 5), 10), False),
    ("før jul", _at(NEXT_XMAS, 10), True),
    ("før jul", _at(D(2026, 12, 24), 10), False),
    ("i slutten av januar", _at(D(2027, 1, 19), 10), False),
    ("i slutten av januar", _at(D(2027, 1, 31), 10), True),
    ("i morgen tidlig", _at(TUE, 8), True),
    ("i morgen tidlig", _at(TUE, 10, 30), False),
    # seconds are honoured at the exact-time boundary
    ("kl 10", dt.datetime(2026, 11, 23, 10, 30, 1), False),
]


@pytest.mark.parametrize(
    ("text", "slot", "expected"),
    MATCH_CASES,
    ids=[f"{c[0]}@{c[1]:%Y-%m-%d %H:%M}" for c in MATCH_CASES],
)
def test_matches(text, slot, expected):
    """TimeWish.matches accepts exactly the slots the phrase allows (today = MON)."""
    parsed = parse_time_wish(text, today=MON)
    assert parsed is not None
    assert parsed.matches(slot) is expected


def test_matches_converts_aware_datetimes_to_oslo_time():
    """An aware slot is compared in Oslo wall-clock time (UTC+1 in November)."""
    pytest.importorskip("zoneinfo")
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        oslo = ZoneInfo("Europe/Oslo")
    except ZoneInfoNotFoundError:
        pytest.skip("no time zone data installed")
    utc = dt.timezone.utc
    morning = parse_time_wish("i morgen formiddag", today=MON)
    assert morning.matches(_at(TUE, 9, tzinfo=utc))  # 10:00 in Oslo
    assert not morning.matches(_at(TUE, 11, 30, tzinfo=utc))  # 12:30 in Oslo
    assert morning.matches(_at(TUE, 11, 30))  # naive = local wall clock
    assert morning.matches(_at(TUE, 11, 30, tzinfo=oslo))
    tomorrow = parse_time_wish("i morgen", today=MON)
    assert not tomorrow.matches(_at(MON, 23, 30))
    assert tomorrow.matches(_at(MON, 23, 30, tzinfo=utc))  # 00:30 Tuesday in Oslo


LATER_CASES = [
    ("til våren", MON, D(2027, 3, 1)),
    ("om et halvår", MON, D(2027, 5, 23)),
    ("om et halvt år", MON, D(2027, 5, 23)),
    ("om seks måneder", MON, D(2027, 5, 23)),
    ("neste år", MON, D(2027, 1, 1)),
    ("til neste år", MON, D(2027, 1, 1)),
    ("i mars", MON, D(2027, 3, 1)),
    ("ta kontakt i januar", MON, D(2027, 1, 1)),
    ("etter sommeren", MON, D(2027, 9, 1)),
    ("om tre måneder", MON, D(2027, 2, 23)),
    ("om 3 mnd", MON, D(2027, 2, 23)),
    ("om tre måneder", D(2026, 11, 30), D(2027, 2, 28)),
    ("om ein månad", MON, D(2026, 12, 23)),
    ("til høsten", MON, D(2027, 9, 1)),
    ("til hausten", MON, D(2027, 9, 1)),
    ("i vinter", MON, D(2026, 12, 1)),
    ("om to uker", MON, D(2026, 12, 7)),
    ("om et år", MON, D(2027, 11, 23)),
    ("etter jul", MON, NEW_YEAR),
    ("over nyttår", MON, NEW_YEAR),
    ("etter påske", MON, D(2027, 3, 30)),
    ("neste uke", MON, D(2026, 11, 30)),
    ("Kan dere heller ringe meg til våren?", MON, D(2027, 3, 1)),
    ("til våren", EASTER_WEEK, D(2027, 3, 1)),
    ("hei", MON, None),
    ("kl 13", MON, None),
    ("ikke nå", MON, None),
    ("senere", MON, None),
]


@pytest.mark.parametrize(
    ("text", "today", "expected"), LATER_CASES, ids=[f"{c[0]}@{c[1]}" for c in LATER_CASES]
)
def test_parse_later_when(text, today, expected):
    """Later-visit phrases resolve to the date the new offer should be made."""
    assert parse_later_when(text, today=today) == expected


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2000, D(2000, 4, 23)),
        (2019, D(2019, 4, 21)),
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2027, D(2027, 3, 28)),
        (2038, D(2038, 4, 25)),
    ],
)
def test_easter_sunday(year, expected):
    """The anonymous Gregorian algorithm gives the known Easter Sundays."""
    assert easter_sunday(year) == expected


@pytest.mark.parametrize(
    "text",
    [
        "   ",
        "!!!",
        "kl",
        "kl 99",
        "uke",
        "uke 99",
        "den",
        "den 45.",
        "32.13",
        "31.02",
        "om uker",
        "halv",
        "mellom og",
        "15.12.2025",
    ],
)
def test_odd_input_never_raises_and_yields_nothing(text):
    """Garbage and impossible dates give None instead of an exception."""
    assert parse_time_wish(text, today=MON) is None


def test_time_wish_is_frozen():
    """TimeWish is immutable and hashable."""
    parsed = parse_time_wish("tirsdager", today=MON)
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.start = MON  # type: ignore[misc]
    assert hash(parsed) == hash(wish(MON, None, weekdays={2}))
