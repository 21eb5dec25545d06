"""Pointing at one of the times shown as buttons: "den første", "nr 2", "torsdag passer".

The person was shown a few times and types instead of pressing a button. `choose_offered`
reads an ordinal ("den første", "nummer to", "den siste", "1" alone) and what the text says
about the time ("den på torsdag", "den kl 13", "tirsdag klokka 10", "den 1. desember"), and
answers with the one slot meant, or None when the text is a refusal, asks for something
else, or fits no or several shown times.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from fhb.language.dates.calendar import month_number
from fhb.language.dates.clock import Clock, parse_clock, resolve_clock
from fhb.language.dates.patterns import (
    DOT_TIME_RE,
    HALF_HOUR_RE,
    consume,
    normalize,
    strip_greetings,
)
from fhb.language.dates.time_extractors import extract_kl_times
from fhb.language.dates.vocabulary import COUNT_WORDS, MONTH_ANY, WEEKDAY, WEEKDAY_NAMES
from fhb.language.dates.wish import parse_time_wish

# None of them, other times, more: never a choice.
_REFUSAL_RE = re.compile(
    r"\b(?:ikke|ikkje|ingen|inga|ingi|ingenting|nei|aldri|verken|hverken|annen|anna|annet"
    r"|andre\s+(?:tider|tidspunkt\w*|dager|dagar|datoer)|flere|fleire|senere|seinare"
    r"|tidligere|tidlegare|heller)\b"
)
_ORDINALS = {
    "forste": 1,
    "fyrste": 1,
    "overste": 1,
    "andre": 2,
    "tredje": 3,
    "fjerde": 4,
    "femte": 5,
    "sjette": 6,
    "siste": -1,
    "sist": -1,
    "nederste": -1,
    "midterste": 0,
}
_ORDINAL = "(?:" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + ")"
_NUMBER = r"(?:\d|" + "|".join(w for w in COUNT_WORDS if " " not in w) + ")"
_AFTER_ORDINAL = (
    r"(?:passer|passar|er|gar|tid|tida|tiden|tidspunktet|alternativet|forslaget|knappen"
    r"|valget|der|takk|ja|tar|tek|gjerne|fint|bra)"
)
_ORDINAL_RE = re.compile(
    rf"\b(?:den|det|nr\.?|nummer|alternativ|valg|knapp)\s+(?P<a>{_ORDINAL})\b"
    rf"|^\s*(?P<b>{_ORDINAL})\b"
    rf"|\b(?P<c>{_ORDINAL})(?=\s+{_AFTER_ORDINAL}\b|\s*$)"
    rf"|\b(?:nr\.?|nummer|alternativ|valg|knapp)\s*(?P<n>{_NUMBER})\b\.?"
    r"|^\s*(?P<d>\d)\s*\.?\s*$"
)
_WEEKDAY_RE = re.compile(rf"\b(?:pa\s+)?(?P<day>{WEEKDAY})(?:en|ane)?\b")
_DAY_OF_MONTH_RE = re.compile(
    rf"(?<![\d.:/])\b(?P<day>\d{{1,2}})\s*\.?\s*(?P<month>{MONTH_ANY})"
    r"|\bden\s+(?P<day2>\d{1,2})(?:\s*\.|de\b|te\b|e\b)?(?!\s*[.:/]?\s*\d)"
)
# What may be left of a choice: "ja takk, den passer fint for meg".
_FILLER_WORDS = frozenset(
    "ja jo takk den det dei de der nr nummer passer passar fint bra greit best godt ok okei"
    " gjerne tar tek velger vil ha jeg eg meg for fin flott supert da sa vel kl klokka pa"
    " om og er gar tid tida tiden timen tidspunktet alternativet forslaget knappen valget".split()
)


def choose_offered(
    text: str, offered: Sequence[tuple[int, datetime.datetime]], tz: str
) -> int | None:
    """The slot id of the one shown time the text points at, or None.

    `offered` is what the person was shown, in button order: (slot id, start as an aware
    datetime, read in `tz`). An ordinal counts among the shown times that also fit the
    weekday, day of month and clock time the text names ("den første på tirsdag"); without
    one, exactly one shown time must fit them. None for refusals ("ingen av dem passer",
    "nei", "andre tider"), for anything more the text says about time ("torsdag neste
    uke"), and when nothing or more than one fits.
    """
    if not offered:
        return None
    text = strip_greetings(normalize(text))
    if _REFUSAL_RE.search(text):
        return None
    ordinals, text = consume(_ORDINAL_RE, text, _ordinal)
    weekdays, text = consume(_WEEKDAY_RE, text, lambda m: WEEKDAY_NAMES[m["day"]])
    days, text = consume(_DAY_OF_MONTH_RE, text, _day_of_month)
    clocks, text = _clock_times(text)
    zone = ZoneInfo(tz)
    local = [(slot_id, start.astimezone(zone)) for slot_id, start in offered]
    if len(set(ordinals)) > 1 or not (ordinals or weekdays or days or clocks):
        return None
    if not _only_filler(text, local[0][1].date()):
        return None
    fitting = [
        slot_id
        for slot_id, start in local
        if (not weekdays or start.isoweekday() in weekdays)
        and (not days or any(_same_day(start, day) for day in days))
        and all(_fits_clock(start, kind, clock) for kind, clock in clocks)
    ]
    if ordinals:
        return _nth(fitting, ordinals[0])
    return fitting[0] if len(fitting) == 1 else None


def _ordinal(match: re.Match[str]) -> int | None:
    """1, 2, ... for 'første', 'nr 2', 'nummer to', '1'; -1 for 'siste'; 0 for 'midterste'."""
    word = match["a"] or match["b"] or match["c"]
    if word:
        return _ORDINALS[word]
    number = match["n"] or match["d"]
    value = int(number) if number.isdigit() else COUNT_WORDS[number]
    return value if value >= 1 else None


def _day_of_month(match: re.Match[str]) -> tuple[int, int | None]:
    """(day, month or None) of '1. desember' or 'den 1.'."""
    if match["day2"]:
        return int(match["day2"]), None
    return int(match["day"]), month_number(match["month"])


def _clock_times(text: str) -> tuple[list[tuple[str, Clock]], str]:
    """Clock times: ('exact', 'kl 13', '13:00', 'klokka ti', 'halv to', '13.30') and
    ('earliest'/'latest', 'den etter kl 12')."""
    items, text = extract_kl_times(text)
    clocks = [(kind, value) for kind, value in items if isinstance(value, Clock)]
    for pattern in (HALF_HOUR_RE, DOT_TIME_RE):
        found, text = consume(pattern, text, lambda m: parse_clock(m["a"]))
        clocks += [("exact", clock) for clock in found]
    return clocks, text


def _only_filler(text: str, reference: datetime.date) -> bool:
    """True when what is left says nothing more about a time than filler words."""
    left = " ".join(word for word in text.split() if word not in _FILLER_WORDS)
    return parse_time_wish(left, today=reference) is None and not re.search(r"\d", left)


def _same_day(start: datetime.datetime, day: tuple[int, int | None]) -> bool:
    """True when the local start falls on that day (and month, when given)."""
    number, month = day
    return start.day == number and (month is None or start.month == month)


def _fits_clock(start: datetime.datetime, kind: str, clock: Clock) -> bool:
    """True when the local start is at ('exact'), from or until that time ('kl 1' is 13)."""
    wanted = resolve_clock(clock, None)
    at = datetime.time(start.hour, start.minute)
    if kind == "earliest":
        return at >= wanted
    return at <= wanted if kind == "latest" else at == wanted


def _nth(fitting: list[int], ordinal: int) -> int | None:
    """The ordinal-th of the fitting slots (1-based; -1 the last, 0 the middle of an odd row)."""
    if ordinal == 0:
        return fitting[len(fitting) // 2] if len(fitting) % 2 == 1 else None
    if ordinal == -1:
        return fitting[-1] if fitting else None
    return fitting[ordinal - 1] if ordinal <= len(fitting) else None
