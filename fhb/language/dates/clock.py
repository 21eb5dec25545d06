"""Clock times: parsing written times, 12/24-hour resolution and the local zone."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fhb.language.dates.patterns import key
from fhb.language.dates.vocabulary import HOUR_WORDS, LOCAL_TIMEZONE


@dataclass(frozen=True)
class Clock:
    """A clock time as written; `fixed` means it is unambiguous 24-hour time."""

    hour: int
    minute: int
    fixed: bool


# A clock item found by an extractor: ("exact" | "earliest" | "latest", clock) or
# ("part", (part of day, half)).
ClockItem: TypeAlias = tuple[str, Clock | tuple[str, str]]


def seconds(clock: datetime.time) -> int:
    """Seconds since midnight of a clock time."""
    return clock.hour * 3600 + clock.minute * 60 + clock.second


@lru_cache(maxsize=1)
def _local_zone() -> datetime.tzinfo | None:
    """The bot's local time zone, or None when no time zone data is installed."""
    try:
        return ZoneInfo(LOCAL_TIMEZONE)
    except ZoneInfoNotFoundError:
        return None


def to_local(moment: datetime.datetime) -> datetime.datetime:
    """Convert an aware datetime to Oslo wall-clock time; naive ones are local."""
    zone = _local_zone()
    if moment.tzinfo is None or moment.utcoffset() is None or zone is None:
        return moment
    return moment.astimezone(zone)


def parse_clock(token: str) -> Clock | None:
    """Parse '13', '13.30', '1330', 'ett', 'halv to', 'kvart over ti' (+/- 'kl')."""
    body = re.sub(r"^\s*(?:kl(?![a-z])\.?|klokka|klokken|klokke)\s*", "", token)
    match = re.fullmatch(
        r"(?:(?P<lead>halv|kvart\s+over|kvart\s+pa)\s+)?"
        r"(?:(?P<h>\d{1,2})(?:[.:]?(?P<m>\d{2}))?|(?P<w>[a-z]+))",
        body.strip(),
    )
    if match is None or (match["w"] and match["w"] not in HOUR_WORDS):
        return None
    if match["w"]:
        hour, minute, fixed = HOUR_WORDS[match["w"]], 0, False
    else:
        hour, minute = int(match["h"]), int(match["m"] or 0)
        fixed = match["h"].startswith("0") or hour >= 13
    return _apply_clock_lead(key(match["lead"]), hour, minute, fixed)


def _apply_clock_lead(lead: str, hour: int, minute: int, fixed: bool) -> Clock | None:
    """Apply 'halv' (half to), 'kvart over' and 'kvart på'; validate the result."""
    if lead and minute:
        return None
    if lead in ("halv", "kvart pa"):
        hour, minute = hour - 1, 30 if lead == "halv" else 45
        hour = hour or 12
    elif lead == "kvart over":
        minute = 15
    if not (1 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return Clock(hour, minute, fixed)


def resolve_clock(clock: Clock, hint: str | None) -> datetime.time:
    """24-hour time: 1-6 mean afternoon unless a part of day says am or pm."""
    hour = clock.hour
    afternoon = hint == "pm" or (hint is None and 1 <= hour <= 6)
    if not clock.fixed and hour < 12 and afternoon:
        hour += 12
    return datetime.time(hour, clock.minute)


def hm(pair: tuple[int, int]) -> datetime.time:
    """A time from an (hour, minute) pair."""
    return datetime.time(*pair)


def part_name(word: str) -> str:
    """Map a part-of-day word to its key in PART_WINDOWS."""
    if word.startswith("kv"):
        return "evening"
    return "afternoon" if word.startswith("etter") else "forenoon"
