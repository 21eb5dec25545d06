"""Constants, Norwegian word tables and regex building blocks of the date parser."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

LOCAL_TIMEZONE = "Europe/Oslo"
EXACT_TOLERANCE_SECONDS = 30 * 60
ONE_DAY = datetime.timedelta(days=1)
ONE_WEEK = datetime.timedelta(days=7)
ALL_WEEKDAYS = frozenset(range(1, 8))
WORKDAYS = frozenset(range(1, 6))


# ------------------------------------------------------------------------ vocabulary

HOUR_WORDS = {
    "en": 1,
    "ein": 1,
    "ett": 1,
    "eitt": 1,
    "to": 2,
    "tre": 3,
    "fire": 4,
    "fem": 5,
    "seks": 6,
    "sju": 7,
    "syv": 7,
    "atte": 8,
    "ni": 9,
    "ti": 10,
    "elleve": 11,
    "tolv": 12,
}
COUNT_WORDS = {
    **HOUR_WORDS,
    "ei": 1,
    "et": 1,
    "eit": 1,
    "et par": 2,
    "eit par": 2,
    "par": 2,
    "noen": 3,
    "nokre": 3,
    "fjorten": 14,
}
WEEKDAY_NAMES = {
    "mandag": 1,
    "tirsdag": 2,
    "tisdag": 2,
    "tysdag": 2,
    "onsdag": 3,
    "torsdag": 4,
    "fredag": 5,
    "lordag": 6,
    "laurdag": 6,
    "sondag": 7,
    "sundag": 7,
}
MONTH_PREFIXES = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "mai": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "okt": 10,
    "nov": 11,
    "des": 12,
}
SEASON_START_MONTH = {"var": 3, "som": 6, "hos": 9, "hau": 9, "vin": 12}

# Date prefix keywords -> how they modify a date range.
DATE_MODIFIERS = {
    "fra": "from",
    "fom": "from",
    "f.o.m": "from",
    "fra og med": "from",
    "etter": "after",
    "over": "after",
    "for": "before",
    "fore": "before",
    "innen": "by",
    "innan": "by",
    "senest": "by",
    "seinast": "by",
    "til og med": "by",
    "tom": "by",
    "t.o.m": "by",
}
# Clock bound keywords -> whether they set the earliest or the latest start time.
_EARLIEST_WORDS = (
    "ikke for",
    "ikkje for",
    "ikkje fore",
    "ikke tidligere enn",
    "ikkje tidlegare enn",
    "etter",
    "fra",
    "tidligst",
    "tidlegast",
    "senere enn",
    "seinare enn",
)
_LATEST_WORDS = (
    "ikke etter",
    "ikkje etter",
    "ikke senere enn",
    "ikkje seinare enn",
    "for",
    "fore",
    "innen",
    "innan",
    "senest",
    "seinast",
    "tidligere enn",
    "tidlegare enn",
)
BOUND_KINDS = {
    **dict.fromkeys(_EARLIEST_WORDS, "earliest"),
    **dict.fromkeys(_LATEST_WORDS, "latest"),
}
# Parts of the day: (earliest, latest, am/pm hint).
PART_WINDOWS: dict[str, tuple[tuple[int, int], tuple[int, int], str | None]] = {
    "morning": ((8, 0), (10, 0), "am"),
    "forenoon": ((8, 0), (11, 59), "am"),
    "midday": ((11, 0), (13, 0), None),
    "afternoon": ((12, 0), (16, 0), "pm"),
    "evening": ((16, 0), (20, 0), "pm"),
}
# "tidlig"/"sen" + part of day: the first or second half of its window.
PART_HALVES = {
    ("forenoon", "early"): ((8, 0), (10, 0)),
    ("forenoon", "late"): ((10, 0), (11, 59)),
    ("afternoon", "early"): ((12, 0), (14, 0)),
    ("afternoon", "late"): ((14, 0), (16, 0)),
    ("evening", "early"): ((16, 0), (18, 0)),
    ("evening", "late"): ((18, 0), (20, 0)),
}
MONTH_PARTS = {"begin": (1, 10), "mid": (10, 20)}
WEEK_PART_OFFSETS = {"whole": (0, 6), "begin": (0, 2), "mid": (1, 3), "end": (3, 6)}


# ------------------------------------------------------------- regex building blocks


def _alternation(words: Iterable[str]) -> str:
    """Build a regex alternation, longest first, with flexible inner whitespace."""
    ordered = sorted(words, key=len, reverse=True)
    escaped = (re.escape(word).replace(r"\ ", r"\s+") for word in ordered)
    return "(?:" + "|".join(escaped) + ")"


HOUR_WORD = _alternation(HOUR_WORDS)
_HOUR_WORD_BARE = _alternation(w for w in HOUR_WORDS if w not in ("en", "ein"))
COUNT = r"(?:\d{1,3}|" + _alternation(COUNT_WORDS)[3:]
WEEKDAY = _alternation(WEEKDAY_NAMES)
_MONTH_TAIL = (
    r"|april|apr|mai|juni|juli|august|aug|september|sept|sep|oktober|okt"
    r"|november|nov|desember|des)(?![a-z])\.?"
)
# Any month name or abbreviation (used only right after a day number).
MONTH_ANY = r"(?:januar|jan|februar|febuar|feb|mars|mar|jun|jul" + _MONTH_TAIL
# Month words that are safe without a day number ("jul" is Christmas, "mar" rare).
MONTH_SAFE = r"(?:januar|jan|februar|febuar|feb|mars" + _MONTH_TAIL
UNIT = (
    r"(?:dager|dagar|dagen|dag|dogn|uker|uke|uka|veker|veke|veka|maneder|maned"
    r"|manader|manad|mnd|aret|ar|timer|timar|time|minutter|minutt|min|ganger"
    r"|gonger|gang|gong|personer|stykker|stk|kroner|kr|prosent|etasje|etg)\b"
)
OFFSET_UNIT = (
    r"(?P<unit>dager|dagar|dogn|dag|uker|uke|uka|veker|veke|veka|maneder|maned"
    r"|manader|manad|mnd|ar)\b"
)
WEEK_WORD = r"(?:uka|uken|uke|veka|veke)"
_KL = r"(?:\bkl(?![a-z])\.?|\bklokka|\bklokken|\bklokke)\s*"
_CLOCK_LEAD = r"(?:(?:halv|kvart\s+over|kvart\s+pa)\s+)?"
PREFIX = (
    r"(?:\b(?P<mod>fra\s+og\s+med|til\s+og\s+med|f\.o\.m\.?|t\.o\.m\.?|fom|tom"
    r"|fra|etter|over|fore|for|innen|innan|senest|seinast)\s+(?:(?:den|pa)\s+)?)?"
)

# Clock tokens: "kl ..." or "13:30" (phase A, before dates) and bare numbers.
_KL_CLOCK = rf"{_CLOCK_LEAD}(?:\d{{1,2}}(?:[.:]?\d{{2}})?(?!\d)|{HOUR_WORD}\b)"
TOKEN_KL = rf"(?:{_KL}{_KL_CLOCK}|(?<![\d.:/])\d{{1,2}}:\d{{2}}(?!\d))"
TOKEN_KL_SECOND = rf"(?:{_KL})?{_KL_CLOCK}"
TOKEN_BARE = (
    rf"{_CLOCK_LEAD}(?:\d{{1,2}}(?:[.:]\d{{2}})?(?!\d)(?![.,/]\d)|{_HOUR_WORD_BARE}\b)"
    rf"(?!\s*(?:\.\s*)?{UNIT})"
)
BOUND_KW = _alternation(BOUND_KINDS)
