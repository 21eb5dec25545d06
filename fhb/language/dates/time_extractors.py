"""Extractors for times of day: 'kl' times, bare times, bounds and parts of day."""

from __future__ import annotations

import re
from collections.abc import Callable

from fhb.language.dates.clock import Clock, ClockItem, parse_clock, part_name
from fhb.language.dates.patterns import (
    ABOUT_TIME_RE,
    AFTER_LUNCH_RE,
    ASAP_RE,
    BARE_BOUND_RE,
    BARE_RANGE_RE,
    BEFORE_LUNCH_RE,
    DOT_TIME_RE,
    HALF_HOUR_RE,
    KL_BOUND_RE,
    KL_EXACT_RE,
    KL_RANGE_RE,
    MIDDAY_RE,
    MORNING_RE,
    NOT_TOO_EARLY_RE,
    PART_RE,
    TOO_EARLY_OR_LATE_RE,
    consume,
    flatten,
    key,
)
from fhb.language.dates.vocabulary import BOUND_KINDS

# Each extractor takes the normalised text and returns (results, text with the
# accepted matches blanked out), so later extractors cannot read them again.


def extract_asap(text: str) -> tuple[list[bool], str]:
    """'så snart som mulig', 'snarest', 'første ledige', ... -> True per hit."""
    return consume(ASAP_RE, text, lambda m: True)


def extract_evaluations(text: str) -> tuple[list[str], str]:
    """'for tidlig' -> 'early', 'for sent' -> 'late' (not 'ikke for tidlig')."""

    def handle(match: re.Match[str]) -> str | None:
        """An evaluation of the times around it, unless it is negated."""
        if match["neg"]:
            return None
        return "early" if match["which"].startswith("tid") else "late"

    return consume(TOO_EARLY_OR_LATE_RE, text, handle)


def extract_kl_times(text: str) -> tuple[list[ClockItem], str]:
    """Clock phrases with 'kl'/'klokka' or 'hh:mm': ranges, bounds, exact times."""
    ranges, text = consume(KL_RANGE_RE, text, _range_handler)
    bounds, text = consume(KL_BOUND_RE, text, _bound_handler)
    exacts, text = consume(KL_EXACT_RE, text, _exact_handler("a"))
    return flatten(ranges) + bounds + exacts, text


def extract_bare_times(text: str) -> tuple[list[ClockItem], str]:
    """Times without 'kl': 'etter 12', 'mellom 10 og 12', 'rundt 13', 'halv to'."""
    ranges, text = consume(BARE_RANGE_RE, text, _range_handler)
    bounds, text = consume(BARE_BOUND_RE, text, _bound_handler)
    about, text = consume(ABOUT_TIME_RE, text, _about_handler)
    halves, text = consume(HALF_HOUR_RE, text, _exact_handler("a"))
    dotted, text = consume(DOT_TIME_RE, text, _exact_handler("a"))
    return flatten(ranges) + bounds + about + halves + dotted, text


def _range_handler(match: re.Match[str]) -> list[ClockItem] | None:
    """'mellom 10 og 12' -> [('earliest', 10), ('latest', 12)]."""
    groups = match.groupdict()
    first = parse_clock(groups["a"] or groups.get("a2") or "")
    second = parse_clock(groups["b"] or groups.get("b2") or "")
    if first is None or second is None:
        return None
    return [("earliest", first), ("latest", second)]


def _bound_handler(match: re.Match[str]) -> ClockItem | None:
    """'etter kl 12' -> ('earliest', 12); 'før 11' -> ('latest', 11)."""
    clock = parse_clock(match["a"])
    return None if clock is None else (BOUND_KINDS[key(match["kw"])], clock)


def _exact_handler(group: str) -> Callable[[re.Match[str]], ClockItem | None]:
    """Make a handler reading an exact clock time from `group`."""

    def handle(match: re.Match[str]) -> ClockItem | None:
        """Read the exact clock time from the captured group."""
        clock = parse_clock(match[group])
        return None if clock is None else ("exact", clock)

    return handle


def _about_handler(match: re.Match[str]) -> ClockItem | None:
    """'13-tiden', 'ettiden', 'rundt 13', 'ca 13' -> an exact time."""
    return _exact_handler("a" if match["a"] else "b")(match)


def extract_parts_of_day(text: str) -> tuple[list[ClockItem], str]:
    """Parts of the day -> ('part', (name, half)) or ('earliest'/'latest', clock)."""

    def part(match: re.Match[str]) -> ClockItem:
        """A part of day, possibly its early or late half."""
        modifier = match["mod"] or ""
        half = "early" if modifier.startswith("tid") else "late" if modifier else ""
        return "part", (part_name(match["part"]), half)

    steps: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], ClockItem]], ...] = (
        (NOT_TOO_EARLY_RE, lambda m: ("earliest", Clock(10, 0, True))),
        (BEFORE_LUNCH_RE, lambda m: ("latest", Clock(11, 0, True))),
        (AFTER_LUNCH_RE, lambda m: ("part", ("afternoon", ""))),
        (PART_RE, part),
        (MIDDAY_RE, lambda m: ("part", ("midday", ""))),
        (MORNING_RE, lambda m: ("part", ("morning", ""))),
    )
    items: list[ClockItem] = []
    for pattern, handler in steps:
        found, text = consume(pattern, text, handler)
        items += found
    return items, text
