"""A time inside a longer message: a booking request's wish, a later-contact time, and
pointing at one of the times shown as buttons (issue 10).

Every date is built from the tests' frozen today (tests/support/clock.py), never written out.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fhb.language.dates import (
    choose_offered,
    later_when_expression,
    parse_time_wish,
    wish_in_request,
)
from fhb.language.dates.calendar import add_months
from tests.support.clock import OSLO, local_today

DAY = dt.timedelta(days=1)
TODAY = local_today()  # a Monday in late November
IN_SPRING = TODAY + 130 * DAY  # early April the next year
NEXT = TODAY.year + 1

# --------------------------------------------------------------- the booking request

REQUEST_CASES = [
    ("Kan dere komme på besøk etter nyttår?", "etter nyttår"),
    ("Hei! Fint vær i dag. Jeg vil gjerne ha besøk", None),
    ("jeg kan ikke i dag, men gjerne neste uke", "ikke i dag, gjerne neste uke"),
    ("Neste uke?", "Neste uke"),
    ("Tirsdag", "Tirsdag"),
    ("i dag", "i dag"),
    ("Kan dere komme i dag?", "i dag"),
    ("Fint vær i dag!", None),
    ("Det er ikke fint vær i dag, men jeg vil ha besøk", None),
    ("I dag er det bursdagen min og jeg ønsker besøk", None),
    ("Jeg vil gjerne ha besøk", None),
    ("Ja takk, jeg vil gjerne ha besøk", None),
    ("Jeg fyller 80 i mars og vil gjerne ha besøk", None),
    ("Jeg er født 22.11.1948 og vil ha besøk", None),
    ("Jeg bor i Storgata 15 og vil ha besøk", None),
    ("Kan dere komme tirsdag eller onsdag på formiddagen?", "tirsdag eller onsdag på formiddagen"),
    ("Hei, jeg har fått brev. Passer det neste tirsdag kl 10?", "neste tirsdag kl 10"),
    ("Jeg vil ha besøk, men ikke mandag", "ikke mandag"),
    (
        "Jeg vil gjerne ha besøk, helst etter jul, før jul er det så travelt",
        "helst etter jul, før jul passer ikke",
    ),
    ("Hei, jeg vil bestille besøk så snart som mulig", "så snart som mulig"),
    ("Jeg vil ha besøk. I desember er jeg bortreist", "I desember passer ikke"),
    ("Kan dere ikke komme på tirsdag?", "på tirsdag"),
    ("Besøk neste uke hadde vært fint", "neste uke"),
    ("jeg vil ha besøk, helst ikke for tidlig", "helst ikke for tidlig"),
    ("i dag kan jeg ikke, men i morgen", "i dag passer ikke, i morgen"),
    ("Kan dere komme, gjerne neste uke, men ikke på fredag", "gjerne neste uke, ikke på fredag"),
    ("Tirsdag passer ikke på formiddagen", "Tirsdag ikke på formiddagen"),
    ("Eg vil gjerne ha besøk ein tysdag etter nyttår", "ein tysdag etter nyttår"),
    ("Kan de komme pa tirsdag etter kl 12?", "pa tirsdag etter kl 12"),
    ("Ring meg, jeg er hjemme etter kl 12", "etter kl 12"),
]


@pytest.mark.parametrize(("text", "expected"), REQUEST_CASES, ids=[c[0] for c in REQUEST_CASES])
def test_wish_in_request(text: str, expected: str | None) -> None:
    assert wish_in_request(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text", [text for text, expected in REQUEST_CASES if expected and "i dag" not in text]
)
def test_the_kept_words_mean_what_the_whole_message_means(text: str) -> None:
    kept = wish_in_request(text, today=TODAY)
    assert kept is not None
    assert parse_time_wish(kept, today=TODAY) == parse_time_wish(text, today=TODAY)


# ---------------------------------------------------------------- a later contact

SPRING = dt.date(NEXT, 3, 1)
LATER_CASES = [
    ("neste år", TODAY, ("neste år", dt.date(NEXT, 1, 1))),
    ("Neste år, takk", TODAY, ("neste år", dt.date(NEXT, 1, 1))),
    ("til neste år", TODAY, ("til neste år", dt.date(NEXT, 1, 1))),
    ("til våren", TODAY, ("til våren", SPRING)),
    ("til varen", TODAY, ("til varen", SPRING)),
    ("neste vår", TODAY, ("neste vår", SPRING)),
    ("etter sommeren", TODAY, ("etter sommeren", dt.date(NEXT, 9, 1))),
    ("til hausten", TODAY, ("til hausten", dt.date(NEXT, 9, 1))),
    ("om et halvår", TODAY, ("om et halvår", add_months(TODAY, 6))),
    ("om tre måneder", TODAY, ("om tre måneder", add_months(TODAY, 3))),
    ("Om 3 mnd.", TODAY, ("om 3 mnd", add_months(TODAY, 3))),
    ("Om et år kanskje", TODAY, ("om et år", add_months(TODAY, 12))),
    ("i mars", TODAY, ("i mars", SPRING)),
    ("Ta kontakt i januar", TODAY, ("i januar", dt.date(NEXT, 1, 1))),
    ("etter nyttår", TODAY, ("etter nyttår", dt.date(NEXT, 1, 2))),
    ("over nyttår en gang", TODAY, ("over nyttår", dt.date(NEXT, 1, 2))),
    ("etter nyttar", TODAY, ("etter nyttar", dt.date(NEXT, 1, 2))),
    ("spør meg igjen om to uker", TODAY, ("om to uker", TODAY + 14 * DAY)),
    ("Jeg har nettopp operert hofta, spør meg til våren", TODAY, ("til våren", SPRING)),
    ("Kan dere heller ringe meg til våren?", TODAY, ("til våren", SPRING)),
    (
        "Jeg var på sykehuset i mars, spør meg til høsten",
        TODAY,
        ("til høsten", dt.date(NEXT, 9, 1)),
    ),
    ("Til våren passer ikke, heller til høsten", TODAY, ("til høsten", dt.date(NEXT, 9, 1))),
    ("Ikke før sommeren", TODAY, ("ikke før sommeren", dt.date(NEXT, 6, 1))),
    ("etter jul, nå er det så mye", TODAY, ("etter jul", dt.date(NEXT, 1, 2))),
    ("til våren", IN_SPRING, ("til våren", dt.date(IN_SPRING.year + 1, 3, 1))),
    ("i vår", IN_SPRING, ("i vår", IN_SPRING)),
    ("hei", TODAY, None),
    ("kl 13", TODAY, None),
    ("ikke nå", TODAY, None),
    ("senere", TODAY, None),
    ("i dag", TODAY, None),
    ("Jeg vil ikke ha besøk", TODAY, None),
]


@pytest.mark.parametrize(
    ("text", "today", "expected"), LATER_CASES, ids=[f"{c[0]}@{c[1]}" for c in LATER_CASES]
)
def test_later_when_expression(
    text: str, today: dt.date, expected: tuple[str, dt.date] | None
) -> None:
    assert later_when_expression(text, today=today) == expected


# ------------------------------------------------------------ pointing at a shown time


def _shown(day_offset: int, hour: int, minute: int = 0) -> dt.datetime:
    """A shown start `day_offset` days after today at hour:minute in Oslo, as aware UTC."""
    local = dt.datetime.combine(TODAY + day_offset * DAY, dt.time(hour, minute), OSLO)
    return local.astimezone(dt.timezone.utc)


# Tuesday 10:00 and 13:30, Thursday 09:00, the Tuesday after 13:00 (in button order).
SHOWN = [(11, _shown(1, 10)), (12, _shown(1, 13, 30)), (13, _shown(3, 9)), (14, _shown(8, 13))]
THURSDAY = SHOWN[2][1].astimezone(OSLO)
LAST_TUESDAY = SHOWN[3][1].astimezone(OSLO)

CHOICE_CASES = [
    ("den første", 11),
    ("første", 11),
    ("Første passer fint", 11),
    ("ja takk, den første", 11),
    ("nr 2", 12),
    ("nummer to", 12),
    ("Jeg tar nummer 3", 13),
    ("den andre", 12),
    ("den tredje", 13),
    ("den siste", 14),
    ("1", 11),
    ("1.", 11),
    ("2", 12),
    ("den på torsdag", 13),
    ("torsdag passer", 13),
    ("torsdagen", 13),
    ("den kl 13", 14),
    ("kl 9", 13),
    ("halv to", 12),
    ("tirsdag kl 13:30", 12),
    ("tirsdag klokka 10 passer fint", 11),
    ("den første på tirsdag", 11),
    ("den siste på tirsdag", 14),
    (f"den {THURSDAY.day}.", 13),
    (f"den {LAST_TUESDAY.day}. kl 13", 14),
    # refusals, other wishes, ambiguity and no match
    ("ingen av dem passer", None),
    ("Ingen av disse", None),
    ("nei", None),
    ("den første passer ikke", None),
    ("Har dere andre tider?", None),
    ("tirsdag", None),
    ("den etter kl 12 på tirsdag", None),
    ("kl 10 eller kl 13", None),
    ("torsdag neste uke", None),
    ("onsdag", None),
    ("kl 11", None),
    ("nr 5", None),
    ("9", None),
    ("den midterste", None),
    ("i morgen", None),
    ("hei", None),
    ("", None),
]


@pytest.mark.parametrize(
    ("text", "expected"), CHOICE_CASES, ids=[c[0] or "<empty>" for c in CHOICE_CASES]
)
def test_choose_offered(text: str, expected: int | None) -> None:
    assert choose_offered(text, SHOWN, "Europe/Oslo") == expected


def test_choose_offered_with_nothing_shown() -> None:
    assert choose_offered("den første", [], "Europe/Oslo") is None


def test_the_middle_of_three() -> None:
    assert choose_offered("den midterste", SHOWN[:3], "Europe/Oslo") == 12


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_no_text_makes_them_fail(text: str) -> None:
    kept = wish_in_request(text, today=TODAY)
    assert kept is None or parse_time_wish(kept, today=TODAY) is not None
    later = later_when_expression(text, today=TODAY)
    assert later is None or later[1] >= TODAY
    assert choose_offered(text, SHOWN, "Europe/Oslo") in {None, *(slot for slot, _ in SHOWN)}
