"""Norwegian date/time "wish" parser for FHB-bot (standard library only).

Turns free text such as "Hei, kunne dere kommet neste tirsdag på formiddagen?",
"uke 50 etter kl 12" or "til våren" (bokmål or nynorsk, with or without æøå) into a
`TimeWish`, and answers "when should a later visit be offered?" with
`parse_later_when`.

Interpretation choices (Norwegian usage is ambiguous; these are deliberate):

* A weekday on its own, with "på", "neste", "kommende" or "denne" ("tirsdag",
  "neste tirsdag") is the first such day strictly after today, never today.
  "tirsdag neste uke" / "tirsdag i neste uke" is that weekday in the next ISO week.
  Plural or indefinite ("tirsdager", "en tirsdag", "alle tirsdager") is a weekday
  filter from today on with an open end. "onsdag eller torsdag" is the span from
  the first to the last of those next occurrences, filtered to those weekdays.
* "ikke (på) mandag" excludes that weekday (filter of the other days).
* A weekday together with an explicit date is only kept when it agrees with it.
* "i morgen" is tomorrow; "God morgen" is a greeting; "morgen" is the part of day
  only as "morgenen", "om/på morgenen" or right after a weekday ("tirsdag morgen").
* Hours 1-6 without a leading zero mean the afternoon (13-18); with a part of day
  ("kl 7 i kveld", "kl 6 om morgenen") the part of day decides am/pm.
  "halv to" is 13:30, "kvart over ti" 10:15, "kvart på to" 13:45.
* A bare number is a time only after "kl"/"klokka", "etter/før/fra/mellom/rundt/ca",
  as "13:30", as "13.30" (when it is not a valid day.month) or as "13-tiden";
  "10.12" without "kl" is the 10th of December. A bare number is a day only when a
  month follows ("15. desember") or after "den" ("den 15."). So street numbers,
  phone numbers and birth years are never read as dates or times.
* Dates without a year that already passed this year mean next year; dates written
  with a year that is in the past (e.g. a birth date "22.11.1948") are ignored.
* One exact clock time wins over a part of day ("kl 10 på formiddagen" -> exact
  10:00); two or more clock times ("kl 10 eller kl 13") become an earliest/latest
  window.
* "til våren/sommeren/høsten/vinteren" and "neste vår" mean the next season that
  has not started yet; "i vår/høst/vinter", "på våren", "våren" mean the current
  season (from today) when we are in it, else the next one. Seasons are
  meteorological: spring Mar-May, summer Jun-Aug, autumn Sep-Nov, winter Dec-Feb.
  "etter/over sommeren" starts the day after that season; "før sommeren" ends the
  day before the next one.
* "før jul" ends 23 Dec; "etter jul/nyttår", "over nyttår", "etter juleferien" start
  on the next 2 Jan on or after today; "i romjula" is 27-31 Dec; "etter påske"
  starts the Tuesday after Easter Monday; "før påske" ends the Wednesday before
  Maundy Thursday.
* "i slutten av januar" is 20th-end, "i begynnelsen av" 1st-10th, "midten av"
  10th-20th. "tidlig i (neste) uke" is Mon-Wed, "midt i uka" Tue-Thu, "i slutten av
  uka" Thu-Sun.
* "om to uker" is the whole ISO week two weeks ahead; "om tre dager" that exact day;
  "om tre måneder"/"om et halvår"/"om et år" start then and are open-ended;
  "etter to uker" starts then, "innen to uker" ends then.
* "neste år" is the whole next year, and moves months/dates in the same text to it
  ("i mars neste år").
* Date prefixes: "fra (og med) X" starts at X, "etter/over X" starts the day after X,
  "før X" ends the day before X, "innen/senest/til og med X" ends on X.
* Contradicting date phrases are intersected; when that is empty the text is read as
  alternatives if it contains "eller" (union), otherwise the first phrase wins.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LOCAL_TIMEZONE = "Europe/Oslo"
EXACT_TOLERANCE_SECONDS = 30 * 60
ONE_DAY = datetime.timedelta(days=1)
ONE_WEEK = datetime.timedelta(days=7)
ALL_WEEKDAYS = frozenset(range(1, 8))
WORKDAYS = frozenset(range(1, 6))


# ------------------------------------------------------------------------ public API


@dataclass(frozen=True)
class TimeWish:
    """A caller's wish for when a visit may take place."""

    start: datetime.date
    end: datetime.date | None
    earliest: datetime.time | None
    latest: datetime.time | None
    weekdays: frozenset[int] | None = None
    exact: datetime.time | None = None

    def matches(self, start: datetime.datetime) -> bool:
        """Return True when a slot starting at `start` (naive or aware) fits."""
        local = _to_local(start)
        return self._date_fits(local.date()) and self._time_fits(local.time())

    def _date_fits(self, day: datetime.date) -> bool:
        """Return True when `day` is inside the date range and weekday filter."""
        if day < self.start or (self.end is not None and day > self.end):
            return False
        return self.weekdays is None or day.isoweekday() in self.weekdays

    def _time_fits(self, clock: datetime.time) -> bool:
        """Return True when `clock` fits the exact time and the earliest/latest."""
        if self.exact is not None and (
            abs(_seconds(clock) - _seconds(self.exact)) > EXACT_TOLERANCE_SECONDS
        ):
            return False
        if self.earliest is not None and clock < self.earliest:
            return False
        return self.latest is None or clock <= self.latest


def parse_time_wish(text: str, *, today: datetime.date) -> TimeWish | None:
    """Parse a Norwegian date/time wish; None when the text holds no date or time."""
    return _build_wish(_scan(text, today), today)


def parse_later_when(text: str, *, today: datetime.date) -> datetime.date | None:
    """When a 'visit later' should be offered: 'til våren', 'om et halvår', ..."""
    offset = _later_offset(_strip_greetings(_normalize(text)), today)
    if offset is not None:
        return offset
    findings = _scan(text, today)
    if not findings.has_date():
        return None
    wish = _build_wish(findings, today)
    return wish.start if wish is not None else None


# ----------------------------------------------------------------------- small types


@dataclass(frozen=True)
class _Span:
    """An inclusive date range; end None means open-ended."""

    start: datetime.date
    end: datetime.date | None


@dataclass(frozen=True)
class _Clock:
    """A clock time as written; `fixed` means it is unambiguous 24-hour time."""

    hour: int
    minute: int
    fixed: bool


@dataclass
class _Findings:
    """Everything recognised in one text (internal accumulator of the scan)."""

    spans: list[_Span] = field(default_factory=list)
    weekdays_next: set[int] = field(default_factory=set)
    weekdays_any: set[int] = field(default_factory=set)
    weekdays_excluded: set[int] = field(default_factory=set)
    exact: list[_Clock] = field(default_factory=list)
    earliest: list[_Clock] = field(default_factory=list)
    latest: list[_Clock] = field(default_factory=list)
    parts: list[tuple[str, str]] = field(default_factory=list)
    asap: bool = False
    alternatives: bool = False

    def has_date(self) -> bool:
        """Return True when any date information (not only times) was found."""
        return bool(
            self.spans or self.weekdays_next or self.weekdays_any
            or self.weekdays_excluded or self.asap
        )

    def is_empty(self) -> bool:
        """Return True when neither date nor time information was found."""
        times = self.exact or self.earliest or self.latest or self.parts
        return not (self.has_date() or times)


# ------------------------------------------------------------------------ vocabulary

_HOUR_WORDS = {
    "en": 1, "ein": 1, "ett": 1, "eitt": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5,
    "seks": 6, "sju": 7, "syv": 7, "atte": 8, "ni": 9, "ti": 10, "elleve": 11,
    "tolv": 12,
}
_COUNT_WORDS = {
    **_HOUR_WORDS, "ei": 1, "et": 1, "eit": 1, "et par": 2, "eit par": 2, "par": 2,
    "noen": 3, "nokre": 3, "fjorten": 14,
}
_WEEKDAY_NAMES = {
    "mandag": 1, "tirsdag": 2, "tisdag": 2, "tysdag": 2, "onsdag": 3, "torsdag": 4,
    "fredag": 5, "lordag": 6, "laurdag": 6, "sondag": 7, "sundag": 7,
}
_MONTH_PREFIXES = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "mai": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "okt": 10, "nov": 11, "des": 12,
}
_SEASON_START_MONTH = {"var": 3, "som": 6, "hos": 9, "hau": 9, "vin": 12}

# Date prefix keywords -> how they modify a date range.
_DATE_MODIFIERS = {
    "fra": "from", "fom": "from", "f.o.m": "from", "fra og med": "from",
    "etter": "after", "over": "after",
    "for": "before", "fore": "before",
    "innen": "by", "innan": "by", "senest": "by", "seinast": "by",
    "til og med": "by", "tom": "by", "t.o.m": "by",
}
# Clock bound keywords -> whether they set the earliest or the latest start time.
_EARLIEST_WORDS = (
    "ikke for", "ikkje for", "ikkje fore", "ikke tidligere enn",
    "ikkje tidlegare enn", "etter", "fra", "tidligst", "tidlegast", "senere enn",
    "seinare enn",
)
_LATEST_WORDS = (
    "ikke etter", "ikkje etter", "ikke senere enn", "ikkje seinare enn", "for",
    "fore", "innen", "innan", "senest", "seinast", "tidligere enn", "tidlegare enn",
)
_BOUND_KINDS = {
    **dict.fromkeys(_EARLIEST_WORDS, "earliest"),
    **dict.fromkeys(_LATEST_WORDS, "latest"),
}
# Parts of the day: (earliest, latest, am/pm hint).
_PART_WINDOWS = {
    "morning": ((8, 0), (10, 0), "am"),
    "forenoon": ((8, 0), (11, 59), "am"),
    "midday": ((11, 0), (13, 0), None),
    "afternoon": ((12, 0), (16, 0), "pm"),
    "evening": ((16, 0), (20, 0), "pm"),
}
# "tidlig"/"sen" + part of day: the first or second half of its window.
_PART_HALVES = {
    ("forenoon", "early"): ((8, 0), (10, 0)),
    ("forenoon", "late"): ((10, 0), (11, 59)),
    ("afternoon", "early"): ((12, 0), (14, 0)),
    ("afternoon", "late"): ((14, 0), (16, 0)),
    ("evening", "early"): ((16, 0), (18, 0)),
    ("evening", "late"): ((18, 0), (20, 0)),
}
_MONTH_PARTS = {"begin": (1, 10), "mid": (10, 20)}
_WEEK_PART_OFFSETS = {"whole": (0, 6), "begin": (0, 2), "mid": (1, 3), "end": (3, 6)}


def _alternation(words: Iterable[str]) -> str:
    """Build a regex alternation, longest first, with flexible inner whitespace."""
    ordered = sorted(words, key=len, reverse=True)
    escaped = (re.escape(word).replace(r"\ ", r"\s+") for word in ordered)
    return "(?:" + "|".join(escaped) + ")"


_HOUR_WORD = _alternation(_HOUR_WORDS)
_HOUR_WORD_BARE = _alternation(w for w in _HOUR_WORDS if w not in ("en", "ein"))
_COUNT = r"(?:\d{1,3}|" + _alternation(_COUNT_WORDS)[3:]
_WEEKDAY = _alternation(_WEEKDAY_NAMES)
_MONTH_TAIL = (
    r"|april|apr|mai|juni|juli|august|aug|september|sept|sep|oktober|okt"
    r"|november|nov|desember|des)(?![a-z])\.?"
)
# Any month name or abbreviation (used only right after a day number).
_MONTH_ANY = r"(?:januar|jan|februar|febuar|feb|mars|mar|jun|jul" + _MONTH_TAIL
# Month words that are safe without a day number ("jul" is Christmas, "mar" rare).
_MONTH_SAFE = r"(?:januar|jan|februar|febuar|feb|mars" + _MONTH_TAIL
_UNIT = (
    r"(?:dager|dagar|dagen|dag|dogn|uker|uke|uka|veker|veke|veka|maneder|maned"
    r"|manader|manad|mnd|aret|ar|timer|timar|time|minutter|minutt|min|ganger"
    r"|gonger|gang|gong|personer|stykker|stk|kroner|kr|prosent|etasje|etg)\b"
)
_OFFSET_UNIT = (
    r"(?P<unit>dager|dagar|dogn|dag|uker|uke|uka|veker|veke|veka|maneder|maned"
    r"|manader|manad|mnd|ar)\b"
)
_WEEK_WORD = r"(?:uka|uken|uke|veka|veke)"
_KL = r"(?:\bkl(?![a-z])\.?|\bklokka|\bklokken|\bklokke)\s*"
_CLOCK_LEAD = r"(?:(?:halv|kvart\s+over|kvart\s+pa)\s+)?"
_PREFIX = (
    r"(?:\b(?P<mod>fra\s+og\s+med|til\s+og\s+med|f\.o\.m\.?|t\.o\.m\.?|fom|tom"
    r"|fra|etter|over|fore|for|innen|innan|senest|seinast)\s+(?:(?:den|pa)\s+)?)?"
)

# Clock tokens: "kl ..." or "13:30" (phase A, before dates) and bare numbers.
_KL_CLOCK = rf"{_CLOCK_LEAD}(?:\d{{1,2}}(?:[.:]?\d{{2}})?(?!\d)|{_HOUR_WORD}\b)"
_TOKEN_KL = rf"(?:{_KL}{_KL_CLOCK}|(?<![\d.:/])\d{{1,2}}:\d{{2}}(?!\d))"
_TOKEN_KL_SECOND = rf"(?:{_KL})?{_KL_CLOCK}"
_TOKEN_BARE = (
    rf"{_CLOCK_LEAD}(?:\d{{1,2}}(?:[.:]\d{{2}})?(?!\d)(?![.,/]\d)|{_HOUR_WORD_BARE}\b)"
    rf"(?!\s*(?:\.\s*)?{_UNIT})"
)
_BOUND_KW = _alternation(_BOUND_KINDS)


def _compile(*parts: str) -> re.Pattern:
    """Compile pattern pieces for the normalised (lower-case, ASCII-folded) text."""
    return re.compile("".join(parts))


# -------------------------------------------------------------------------- patterns

_GREETING_RE = _compile(
    r"\bgo(?:d|dt)?\s*(?:morgen|morgon|morn|kveld|kvald|ettermiddag|formiddag",
    r"|dag|natt|jul|helg|nyttar)\b|\bgomorn\b",
)
_NEXT_YEAR_RE = _compile(r"\b(?:til\s+|i\s+lopet\s+av\s+)?neste\s+ar(?:et)?\b")
_ASAP_RE = _compile(
    r"\bsa\s+(?:snart|fort|raskt|tidlig|tidleg)\s+som\s+",
    r"(?:mulig|mogleg|mogeleg|det\s+(?:er|gar)\s+an)\b",
    r"|\bsa\s+snart\s+som\s+det\s+gar\b",
    r"|\bsnarest(?:\s+(?:mulig|mogleg|rad))?\b",
    r"|\b(?:fortest|raskest|snoggast|tidligst|tidlegast)\s+(?:mulig|mogleg|mogeleg)\b",
    r"|\b(?:forste|fyrste)\s+(?:ledige|mulige|beste|ledig)\b",
    r"|\bmed\s+(?:en|ein)\s+gang\b|\bstraks\b|\bdet\s+haster\b",
    r"|\bnar\s+som\s+helst\b|\bhvilken\s+som\s+helst\s+dag\b",
    r"|\bkva\s+tid\s+som\s+helst\b",
)

_KL_RANGE_RE = _compile(
    rf"\b(?:mellom|fra)\s+(?P<a>{_TOKEN_KL})\s*(?:og|til|-)\s*",
    rf"(?P<b>{_TOKEN_KL_SECOND})",
    rf"|(?P<a2>{_TOKEN_KL})\s*(?:-|til)\s*(?P<b2>{_TOKEN_KL_SECOND})",
)
_KL_BOUND_RE = _compile(rf"\b(?P<kw>{_BOUND_KW})\s+(?P<a>{_TOKEN_KL})")
_KL_EXACT_RE = _compile(rf"(?P<a>{_TOKEN_KL})")

_DAY_RANGE_RE = _compile(
    r"(?:\b(?:mellom|fra)\s+)?(?:\bden\s+)?(?<![\d.:/])\b(?P<d1>\d{1,2})\s*\.?\s*",
    r"(?:-|til|og|eller)\s*(?:den\s+)?(?P<d2>\d{1,2})\s*\.?\s*",
    rf"(?P<month>{_MONTH_ANY})",
)
_DAY_MONTH_RE = _compile(
    _PREFIX, r"(?:\bden\s+)?(?<![\d.:/])\b(?P<day>\d{1,2})\s*\.?\s*",
    rf"(?P<month>{_MONTH_ANY})(?:\s*(?P<year>\d{{4}})(?!\d))?",
)
_NUMERIC_DATE_RE = _compile(
    _PREFIX, r"(?<![\d.:/,])\b(?P<day>\d{1,2})[./](?P<month>\d{1,2})",
    r"(?:[./](?P<year>\d{4}|\d{2}))?(?!\d|[./:]\d)",
)
_DEN_DAY_RE = _compile(
    _PREFIX, r"\bden\s+(?P<day>\d{1,2})(?:\s*\.|de\b|te\b|e\b)?",
    rf"(?!\s*[.:/]?\s*\d)(?!\s*{_UNIT})",
)

_RELATIVE_DAY_RE = _compile(
    r"\b(?P<today>i\s*dag)\b",
    r"|\b(?P<later>over\s*i\s*(?:morgen|morgon)|i\s*over\s*(?:morgen|morgon|morra)",
    r"|i\s*(?:morgen|morgon|morra|mora|mara|morn))\b",
    r"|\bi\s*(?P<part>kveld|kvald|ettermidd?ag|fore?midd?ag)\b",
)

_CHRISTMAS = r"(?:jul|julen|jula|jol|jola|juleferien|julehelga|julehelgen|juletider"
_CHRISTMAS_BEFORE_RE = _compile(
    r"\b(?:for|fore|innen|innan)\s+", _CHRISTMAS, r"|julaften)\b",
)
_NEW_YEAR_AFTER_RE = _compile(
    r"\b(?:etter|over)\s+", _CHRISTMAS,
    r"|nyttar|nyttaret|nyttarsaften|nyttarsdag|helligdagene|hoytidene|arsskiftet)\b",
    r"|\bpa\s+nyaret\b|\bi\s+det\s+nye\s+aret\b",
)
_ROMJUL_RE = _compile(r"\b(?:i\s+|pa\s+)?romjul(?:a|en)?\b")
_EASTER_RE = _compile(
    r"\b(?P<kw>for|fore|innen|innan|etter|over)\s+",
    r"(?:paske|pasken|paska|paskeferien|paskehelga|paskehelgen)\b",
)
# "vår" is also "our": bare "var" only counts when no noun follows it.
_BARE_SPRING = (
    r"var(?=\s*(?:$|[.,/-]|(?:og|eller|kanskje|helst|gjerne|da|sa|hvis|om|en|ei"
    r"|pa|i|etter|for|neste)\b))"
)
_SEASON_RE = _compile(
    r"\b(?P<prep>i\s+lopet\s+av|utover|til|neste|denne|etter|over|fore|for|innen",
    r"|innan|i|pa)\s+(?:(?P<inner>neste|denne)\s+)?",
    r"(?P<season>varen|sommeren|sommaren|sommer|sommar|hosten|hausten|host|haust",
    r"|vinteren|vinter|", _BARE_SPRING, r")\b",
)

_MONTH_QUAL = (
    r"(?:(?:i|pa)\s+)?(?:begynnelsen|starten|byrjinga|slutten|enden|midten)\s+av"
    r"|(?:forst|fyrst|sist|midt|tidlig|tidleg|sent|seint)\s+i"
)
_MONTH_RE = _compile(
    _PREFIX, rf"(?:(?P<qual>{_MONTH_QUAL})\s+",
    r"|(?P<prep>i\s+lopet\s+av|utover|gjennom|i|til|pa)\s+)?",
    rf"\b(?P<m1>{_MONTH_SAFE})",
    rf"(?:\s*(?:eller|og|-|/|til)\s*(?:i\s+)?(?P<m2>{_MONTH_SAFE}))?",
    r"(?:\s+(?P<year>\d{4})(?!\d))?",
)
_RELATIVE_MONTH_RE = _compile(
    _PREFIX, rf"(?:(?P<qual>{_MONTH_QUAL})\s+)?",
    r"(?:(?P<which>neste|kommende|denne|i\s+neste|i\s+denne)\s+)?",
    r"\b(?P<word>maneden|maned|manaden|manad|mnd)\b",
)

_WEEK_QUAL = (
    r"tidlig|tidleg|(?:i\s+)?(?:begynnelsen|starten|byrjinga|midten|slutten|enden)"
    r"\s+av|forst\s+i|fyrst\s+i|midt\s+i|sist\s+i|sent|seint|mot\s+slutten\s+av"
    r"|i\s+lopet\s+av|resten\s+av"
)
_WEEK_RE = _compile(
    _PREFIX, rf"(?:(?P<qual>{_WEEK_QUAL})\s+(?:i\s+)?)?",
    r"(?:(?P<which>i\s+neste|i\s+denne|neste|nest|kommende|denne|i)\s+)?",
    rf"\b{_WEEK_WORD}\b(?:\s*(?:nr\.?\s*)?(?P<n1>\d{{1,2}})(?!\d)",
    rf"(?:\s*(?:-|og|eller|til|/)\s*(?:{_WEEK_WORD}\s*)?(?P<n2>\d{{1,2}})(?!\d))?)?",
)
_WEEKEND_RE = _compile(
    _PREFIX, r"\b(?:(?P<prep>i|denne|til)\s+)?(?P<word>helga|helgen|helg)\b",
)
_HALF_YEAR_RE = _compile(
    r"\b(?P<prep>om|etter|innen|innan)\s+(?:et|eit|ett|eitt|en|ein)\s+",
    r"(?:halvt\s+ar|halvar)\b",
)
_OFFSET_RE = _compile(
    rf"\b(?P<prep>om|etter|innen|innan)\s+(?P<n>{_COUNT})\s+", _OFFSET_UNIT,
)

_BARE_RANGE_RE = _compile(
    rf"\b(?:mellom|fra)\s+(?P<a>{_TOKEN_BARE})\s*(?:og|til|-)\s*",
    rf"(?P<b>{_TOKEN_BARE})",
)
_BARE_BOUND_RE = _compile(rf"\b(?P<kw>{_BOUND_KW})\s+(?P<a>{_TOKEN_BARE})")
_ABOUT_TIME_RE = _compile(
    r"\b(?:(?:rundt|ved|i|omkring|ca\.?)\s+)?",
    rf"(?P<a>\d{{1,2}}|{_HOUR_WORD})(?:\s*-?\s*tid|(?<=tt)id)(?:en|a)\b",
    rf"|\b(?:rundt|ca\.?|cirka|omkring|omtrent|ved)\s+(?P<b>{_TOKEN_BARE})",
)
_HALF_HOUR_RE = _compile(
    r"\b(?P<a>(?:halv|kvart\s+over|kvart\s+pa)\s+",
    rf"(?:\d{{1,2}}(?!\d)|{_HOUR_WORD}\b))",
)
_DOT_TIME_RE = _compile(r"(?<![\d.:/])(?P<a>\d{1,2}\.\d{2})(?!\d|[./]\d)")

_NOT_TOO_EARLY_RE = _compile(r"\bikk(?:e|je)\s+(?:for|altfor|sa|so)\s+tidl[ie]g\b")
_BEFORE_LUNCH_RE = _compile(r"\b(?:for|fore)\s+lun(?:sj|ch)\w*")
_AFTER_LUNCH_RE = _compile(r"\better\s+lun(?:sj|ch)\w*")
_PART_RE = _compile(
    r"\b(?:(?P<mod>tidlig|tidleg|sen|sein|sent|seint)\s+(?:(?:pa|om)\s+)?)?",
    r"(?P<part>fore?midd?ag\w*|ettermidd?ag\w*|kv[ae]ld\w*)",
)
_MIDDAY_RE = _compile(r"\bmidt\s+pa\s+dagen?\b|\b(?:rundt\s+)?lun(?:sj|ch)\w*")
_MORNING_RE = _compile(
    r"\b(?:tidlig|tidleg)(?:\s+pa\s+(?:dagen|morgenen|morgonen))?\b",
    r"|\b(?:om|pa)\s+morg[eo]nen\b|\bmorg[eo]n(?:en|stund|tid|timene)\b",
    r"|(?<=dag)\s+morg[eo]n\b",
)

_WORKDAYS_RE = _compile(
    r"\b(?:pa\s+)?(?:en\s+)?(?:hverdag|hverdager|hverdagar|kvardag|kvardagar",
    r"|ukedag|ukedager|vekedag|vekedagar)\b",
)
_WEEKDAY_RE = _compile(
    r"(?:\b(?P<mod>fra|etter|over|fore|for|innen|innan|senest|seinast)\s+",
    r"(?:pa\s+)?)?",
    r"(?:\b(?P<neg>ikke|ikkje|unntatt|utenom|bortsett\s+fra)\s+",
    r"(?:(?!men\b|og\b)[a-z]+\s+)?(?:(?:pa|om)\s+)?)?",
    r"(?:\b(?P<art>en|ei|ein|alle|hver|kvar)\s+)?",
    r"(?:\b(?:neste|nest|kommende|forstkommende|denne|pa)\s+)?",
    rf"\b(?P<day>{_WEEKDAY})(?P<suffix>ene|ane|en|er|ar)?\b",
)
_LATER_OFFSET_RE = _compile(
    r"\b(?:om|etter)\s+(?:(?P<half>(?:et|eit|ett|eitt|en|ein)\s+",
    rf"(?:halvt\s+ar|halvar))|(?P<n>{_COUNT})\s+", _OFFSET_UNIT, ")",
)


# ---------------------------------------------------------------------- text helpers


def _normalize(text: str) -> str:
    """Lower-case, fold æøå and accents to ASCII, keep only what patterns use."""
    folded = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    folded = unicodedata.normalize("NFKD", folded.replace("aa", "a"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = re.sub(r"[\u2010-\u2015]", "-", folded)
    folded = re.sub(r"(?<=\d),(?=\d)", ".", folded)
    folded = re.sub(r"[^a-z0-9.:/\-\s]", " ", folded)
    return " " + re.sub(r"\s+", " ", folded).strip() + " "


def _strip_greetings(text: str) -> str:
    """Remove greetings such as 'god morgen' or 'god kveld' that are not wishes."""
    return _GREETING_RE.sub(" ", text)


def _key(words: str | None) -> str:
    """Collapse whitespace in a matched keyword (None becomes '')."""
    return " ".join(words.split()) if words else ""


def _consume(pattern: re.Pattern, text: str, handler: Callable[[re.Match], object]):
    """Apply `handler` to each match and blank out accepted ones -> (results, text)."""
    results, pieces, last = [], [], 0
    for match in pattern.finditer(text):
        result = handler(match)
        if result is None:
            continue
        results.append(result)
        pieces.append(text[last:match.start()])
        pieces.append(" " * (match.end() - match.start()))
        last = match.end()
    pieces.append(text[last:])
    return results, "".join(pieces)


def _count(words: str) -> int:
    """Turn a count such as '3', 'tre' or 'et par' into an int."""
    words = _key(words)
    return int(words) if words.isdigit() else _COUNT_WORDS[words]


def _unit_kind(unit: str) -> str:
    """'dager' -> 'days', 'uker'/'veker' -> 'weeks', 'måneder'/'år' -> 'months'."""
    if unit.startswith("d"):
        return "days"
    return "weeks" if unit.startswith(("u", "v")) else "months"


def _unit_amount(count: str, unit: str) -> int:
    """Number of days/weeks/months in 'tre måneder', 'et år' (= 12 months), ..."""
    return _count(count) * (12 if unit == "ar" else 1)


# ------------------------------------------------------------------ calendar helpers


def _seconds(clock: datetime.time) -> int:
    """Seconds since midnight of a clock time."""
    return clock.hour * 3600 + clock.minute * 60 + clock.second


@lru_cache(maxsize=1)
def _local_zone() -> datetime.tzinfo | None:
    """The bot's local time zone, or None when no time zone data is installed."""
    try:
        return ZoneInfo(LOCAL_TIMEZONE)
    except ZoneInfoNotFoundError:
        return None


def _to_local(moment: datetime.datetime) -> datetime.datetime:
    """Convert an aware datetime to Oslo wall-clock time; naive ones are local."""
    zone = _local_zone()
    if moment.tzinfo is None or moment.utcoffset() is None or zone is None:
        return moment
    return moment.astimezone(zone)


def _last_day(year: int, month: int) -> int:
    """Number of days in a month."""
    return calendar.monthrange(year, month)[1]


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """Add calendar months, clamping the day to the target month's length."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return datetime.date(year, month0 + 1, min(day.day, _last_day(year, month0 + 1)))


def _monday(day: datetime.date) -> datetime.date:
    """Monday of the ISO week containing `day`."""
    return day - datetime.timedelta(days=day.weekday())


def _next_weekday(today: datetime.date, iso_weekday: int) -> datetime.date:
    """First date strictly after today with the given ISO weekday."""
    days = (iso_weekday - today.isoweekday() - 1) % 7 + 1
    return today + datetime.timedelta(days=days)


def _first_on_or_after(day: datetime.date, iso_weekday: int) -> datetime.date:
    """First date on or after `day` with the given ISO weekday."""
    return day + datetime.timedelta(days=(iso_weekday - day.isoweekday()) % 7)


def easter_sunday(year: int) -> datetime.date:
    """Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _month_number(word: str) -> int:
    """Month number of a (possibly abbreviated) Norwegian month name."""
    return _MONTH_PREFIXES[word.rstrip(".")[:3]]


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    """A date, or None when the combination does not exist."""
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _full_year(year: str) -> int:
    """Expand a two-digit year to 20xx."""
    return int(year) + 2000 if len(year) == 2 else int(year)


def _next_date(day: int, month: int, anchor: datetime.date) -> datetime.date | None:
    """Next day.month on or after `anchor` (looks up to eight years for 29 Feb)."""
    for year in range(anchor.year, anchor.year + 9):
        candidate = _safe_date(year, month, day)
        if candidate is not None and candidate >= anchor:
            return candidate
    return None


def _next_yearly(month: int, day: int, today: datetime.date) -> datetime.date:
    """Next fixed yearly date (never 29 Feb) on or after today."""
    candidate = datetime.date(today.year, month, day)
    return candidate if candidate >= today else candidate.replace(year=today.year + 1)


def _explicit_date(
    day: int, month: int, year: str | None, today: datetime.date, anchor: datetime.date
) -> datetime.date | None:
    """Resolve a written date; past dates with an explicit year are rejected."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if year:
        candidate = _safe_date(_full_year(year), month, day)
        return candidate if candidate is not None and candidate >= today else None
    return _next_date(day, month, anchor)


def _next_day_of_month(day: int, today: datetime.date) -> datetime.date | None:
    """Next date on or after today that is the given day of a month ('den 15.')."""
    for offset in range(13):
        first = _add_months(today.replace(day=1), offset)
        candidate = _safe_date(first.year, first.month, day)
        if candidate is not None and candidate >= today:
            return candidate
    return None


def _month_part(
    year: int, month: int, part: str
) -> tuple[datetime.date, datetime.date]:
    """Whole month or its beginning (1-10), middle (10-20) or end (20-last)."""
    last = _last_day(year, month)
    low, high = _MONTH_PARTS.get(part, (20 if part == "end" else 1, last))
    return datetime.date(year, month, low), datetime.date(year, month, high)


def _month_part_of(first: datetime.date, part: str) -> _Span:
    """Month part of the month starting on `first`."""
    return _Span(*_month_part(first.year, first.month, part))


def _month_occurrence(
    month: int, part: str, ref: datetime.date, year: int | None = None
) -> _Span | None:
    """The next month (part) not ended before `ref`, clipped to start at `ref`."""
    for candidate_year in [year] if year else [ref.year, ref.year + 1]:
        start, end = _month_part(candidate_year, month, part)
        if end >= ref:
            return _Span(max(start, ref), end)
    return None


def _season_span(start_month: int, year: int) -> tuple[datetime.date, datetime.date]:
    """The three-month season starting in `start_month` of `year`."""
    last_month = _add_months(datetime.date(year, start_month, 1), 2)
    end = last_month.replace(day=_last_day(last_month.year, last_month.month))
    return datetime.date(year, start_month, 1), end


def _season_occurrence(
    start_month: int, ref: datetime.date, upcoming: bool
) -> tuple[datetime.date, datetime.date]:
    """Current-or-next season from `ref`; with `upcoming` the next not yet started."""
    for year in range(ref.year - 1, ref.year + 2):
        start, end = _season_span(start_month, year)
        if upcoming and start > ref:
            return start, end
        if not upcoming and end >= ref:
            return max(start, ref), end
    raise AssertionError("unreachable: a season always occurs within two years")


def _iso_week_span(number: int, ref: datetime.date) -> _Span | None:
    """ISO week `number` of the ISO year of `ref` or the next, whichever is ahead."""
    iso_year = ref.isocalendar()[0]
    for year in (iso_year, iso_year + 1):
        try:
            monday = datetime.date.fromisocalendar(year, number, 1)
        except ValueError:
            continue
        sunday = monday + datetime.timedelta(days=6)
        if sunday >= ref:
            return _Span(monday, sunday)
    return None


def _apply_modifier(
    modifier: str | None, span: _Span | None, today: datetime.date
) -> _Span | None:
    """Apply a date prefix ('fra', 'etter', 'før', 'innen') to a date range."""
    if span is None or not modifier:
        return span
    kind = _DATE_MODIFIERS[_key(modifier).rstrip(".")]
    last = span.end or span.start
    if kind == "from":
        return _Span(span.start, None)
    if kind == "after":
        return _Span(last + ONE_DAY, None)
    if kind == "before":
        return _Span(today, span.start - ONE_DAY) if span.start > today else None
    return _Span(today, last)


def _clip(span: _Span | None, today: datetime.date) -> _Span | None:
    """Drop ranges that ended before today and start the rest no earlier."""
    if span is None or (span.end is not None and span.end < today):
        return None
    return _Span(max(span.start, today), span.end)


# --------------------------------------------------------------------- clock helpers


def _parse_clock(token: str) -> _Clock | None:
    """Parse '13', '13.30', '1330', 'ett', 'halv to', 'kvart over ti' (+/- 'kl')."""
    body = re.sub(r"^\s*(?:kl(?![a-z])\.?|klokka|klokken|klokke)\s*", "", token)
    match = re.fullmatch(
        r"(?:(?P<lead>halv|kvart\s+over|kvart\s+pa)\s+)?"
        r"(?:(?P<h>\d{1,2})(?:[.:]?(?P<m>\d{2}))?|(?P<w>[a-z]+))",
        body.strip(),
    )
    if match is None or (match["w"] and match["w"] not in _HOUR_WORDS):
        return None
    if match["w"]:
        hour, minute, fixed = _HOUR_WORDS[match["w"]], 0, False
    else:
        hour, minute = int(match["h"]), int(match["m"] or 0)
        fixed = match["h"].startswith("0") or hour >= 13
    return _apply_clock_lead(_key(match["lead"]), hour, minute, fixed)


def _apply_clock_lead(lead: str, hour: int, minute: int, fixed: bool) -> _Clock | None:
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
    return _Clock(hour, minute, fixed)


def _resolve_clock(clock: _Clock, hint: str | None) -> datetime.time:
    """24-hour time: 1-6 mean afternoon unless a part of day says am or pm."""
    hour = clock.hour
    afternoon = hint == "pm" or (hint is None and 1 <= hour <= 6)
    if not clock.fixed and hour < 12 and afternoon:
        hour += 12
    return datetime.time(hour, clock.minute)


def _hm(pair: tuple[int, int]) -> datetime.time:
    """A time from an (hour, minute) pair."""
    return datetime.time(*pair)


# ------------------------------------------------------------------------ extractors
# Each extractor takes the normalised text and returns (results, text with the
# accepted matches blanked out), so later extractors cannot read them again.


def _extract_asap(text: str):
    """'så snart som mulig', 'snarest', 'første ledige', ... -> True per hit."""
    return _consume(_ASAP_RE, text, lambda m: True)


def _extract_kl_times(text: str):
    """Clock phrases with 'kl'/'klokka' or 'hh:mm': ranges, bounds, exact times."""
    ranges, text = _consume(_KL_RANGE_RE, text, _range_handler)
    bounds, text = _consume(_KL_BOUND_RE, text, _bound_handler)
    exacts, text = _consume(_KL_EXACT_RE, text, _exact_handler("a"))
    return _flatten(ranges) + bounds + exacts, text


def _extract_bare_times(text: str):
    """Times without 'kl': 'etter 12', 'mellom 10 og 12', 'rundt 13', 'halv to'."""
    ranges, text = _consume(_BARE_RANGE_RE, text, _range_handler)
    bounds, text = _consume(_BARE_BOUND_RE, text, _bound_handler)
    about, text = _consume(_ABOUT_TIME_RE, text, _about_handler)
    halves, text = _consume(_HALF_HOUR_RE, text, _exact_handler("a"))
    dotted, text = _consume(_DOT_TIME_RE, text, _exact_handler("a"))
    return _flatten(ranges) + bounds + about + halves + dotted, text


def _flatten(groups: list[list]) -> list:
    """Flatten one level of nesting."""
    return [item for group in groups for item in group]


def _range_handler(match: re.Match):
    """'mellom 10 og 12' -> [('earliest', 10), ('latest', 12)]."""
    groups = match.groupdict()
    first = _parse_clock(groups["a"] or groups.get("a2") or "")
    second = _parse_clock(groups["b"] or groups.get("b2") or "")
    if first is None or second is None:
        return None
    return [("earliest", first), ("latest", second)]


def _bound_handler(match: re.Match):
    """'etter kl 12' -> ('earliest', 12); 'før 11' -> ('latest', 11)."""
    clock = _parse_clock(match["a"])
    return None if clock is None else (_BOUND_KINDS[_key(match["kw"])], clock)


def _exact_handler(group: str):
    """Make a handler reading an exact clock time from `group`."""
    def handle(match: re.Match):
        """Read the exact clock time from the captured group."""
        clock = _parse_clock(match[group])
        return None if clock is None else ("exact", clock)
    return handle


def _about_handler(match: re.Match):
    """'13-tiden', 'ettiden', 'rundt 13', 'ca 13' -> an exact time."""
    return _exact_handler("a" if match["a"] else "b")(match)


def _extract_explicit_dates(text: str, today: datetime.date, anchor: datetime.date):
    """'1.-15. desember', '15. desember', '15.12(.2026)', '15/12', 'den 15.'."""
    ranges, text = _consume(_DAY_RANGE_RE, text, lambda m: _day_range(m, today, anchor))

    def single(match: re.Match) -> _Span | None:
        """A single written date such as '15. desember' or '15.12'."""
        month_text = match["month"]
        month = int(month_text) if month_text.isdigit() else _month_number(month_text)
        day = _explicit_date(int(match["day"]), month, match["year"], today, anchor)
        if day is None:
            return None
        return _apply_modifier(match["mod"], _Span(day, day), today)

    named, text = _consume(_DAY_MONTH_RE, text, single)
    numeric, text = _consume(_NUMERIC_DATE_RE, text, single)
    den, text = _consume(_DEN_DAY_RE, text, lambda m: _den_day(m, today))
    return ranges + named + numeric + den, text


def _day_range(
    match: re.Match, today: datetime.date, anchor: datetime.date
) -> _Span | None:
    """'1.-15. desember' / '15. eller 16. desember' -> range in the next such month."""
    first, last = int(match["d1"]), int(match["d2"])
    month = _month_number(match["month"])
    end = _explicit_date(last, month, None, today, anchor)
    if end is None or not 1 <= first <= last:
        return None
    start = _safe_date(end.year, month, first)
    return None if start is None else _Span(max(start, today), end)


def _den_day(match: re.Match, today: datetime.date) -> _Span | None:
    """'den 15.' -> the next 15th on or after today."""
    day = int(match["day"])
    found = _next_day_of_month(day, today) if 1 <= day <= 31 else None
    if found is None:
        return None
    return _apply_modifier(match["mod"], _Span(found, found), today)


def _extract_relative_days(text: str, today: datetime.date):
    """'i dag', 'i morgen', 'i overmorgen', 'i kveld' -> (span, part of day)."""
    def handle(match: re.Match):
        """Map one relative-day phrase to its day and optional part of day."""
        if match["part"]:
            return _Span(today, today), _part_name(match["part"])
        days = 0 if match["today"] else (2 if "over" in match["later"] else 1)
        day = today + datetime.timedelta(days=days)
        return _Span(day, day), None
    return _consume(_RELATIVE_DAY_RE, text, handle)


def _extract_holidays(text: str, today: datetime.date):
    """Christmas, New Year, romjul and Easter phrases."""
    christmas = _next_yearly(12, 23, today)
    new_year = _next_yearly(1, 2, today)
    romjul_end = _next_yearly(12, 31, today)
    romjul = _Span(max(romjul_end.replace(day=27), today), romjul_end)
    before_christmas, after_new_year = _Span(today, christmas), _Span(new_year, None)
    before, text = _consume(_CHRISTMAS_BEFORE_RE, text, lambda m: before_christmas)
    after, text = _consume(_NEW_YEAR_AFTER_RE, text, lambda m: after_new_year)
    romjuls, text = _consume(_ROMJUL_RE, text, lambda m: romjul)
    easter, text = _consume(
        _EASTER_RE, text, lambda m: _easter_span(_key(m["kw"]), today)
    )
    return before + after + romjuls + easter, text


def _easter_span(keyword: str, today: datetime.date) -> _Span | None:
    """'etter påske' -> from Easter Tuesday; 'før påske' -> to the Wednesday before."""
    after = keyword in ("etter", "over")
    for year in (today.year, today.year + 1):
        sunday = easter_sunday(year)
        if after and sunday + ONE_DAY >= today:
            return _Span(sunday + 2 * ONE_DAY, None)
        if not after and sunday - 4 * ONE_DAY >= today:
            return _Span(today, sunday - 4 * ONE_DAY)
    return None


def _extract_seasons(text: str, today: datetime.date, anchor: datetime.date):
    """'til våren', 'i vinter', 'etter sommeren', 'før høsten', 'neste år'."""
    def handle(match: re.Match) -> _Span | None:
        """Map one season phrase to its date range."""
        prep, inner = _key(match["prep"]), _key(match["inner"])
        start_month = _SEASON_START_MONTH[match["season"][:3]]
        ref = max(today, anchor)
        if prep in ("etter", "over"):
            _, end = _season_occurrence(start_month, ref, False)
            return _Span(end + ONE_DAY, None)
        upcoming = prep in ("til", "neste", "for", "fore") or inner == "neste"
        start, end = _season_occurrence(start_month, ref, upcoming)
        if prep in ("for", "fore"):
            return _Span(today, start - ONE_DAY)
        if prep in ("innen", "innan"):
            return _Span(today, end)
        return _Span(start, end)

    spans, text = _consume(_SEASON_RE, text, handle)
    next_year = _Span(datetime.date(today.year + 1, 1, 1),
                      datetime.date(today.year + 1, 12, 31))
    years, text = _consume(_NEXT_YEAR_RE, text, lambda m: next_year)
    return spans + years, text


def _qualifier_part(qualifier: str) -> str:
    """Map 'i slutten av'/'tidlig i'/'midt i' to 'end'/'begin'/'mid' (or 'whole')."""
    if not qualifier or re.search(r"lopet|resten", qualifier):
        return "whole"
    if re.search(r"slutten|enden|sist|sent|seint", qualifier):
        return "end"
    return "mid" if re.search(r"midten|midt", qualifier) else "begin"


def _extract_months(text: str, today: datetime.date, anchor: datetime.date):
    """'i januar', 'i slutten av januar', 'i mars eller april', 'neste måned'."""
    def named(match: re.Match) -> _Span | None:
        """A month given by name, with optional qualifier, prefix and year."""
        if not (match["mod"] or match["qual"] or match["prep"]):
            return None
        part = _qualifier_part(_key(match["qual"]))
        year = int(match["year"]) if match["year"] else None
        month = _month_number(match["m1"])
        first = _month_occurrence(month, part, max(today, anchor), year)
        if first is not None and match["m2"]:
            last = _month_occurrence(_month_number(match["m2"]), part, first.start)
            first = _Span(first.start, last.end) if last else first
        return _apply_modifier(match["mod"], first, today)

    def relative(match: re.Match) -> _Span | None:
        """'neste måned', 'denne måneden', 'i slutten av måneden'."""
        which, part = _key(match["which"]), _qualifier_part(_key(match["qual"]))
        if not which and not match["qual"]:
            return None
        offset = 1 if "neste" in which or "kommende" in which else 0
        this_month = today.replace(day=1)
        span = _clip(_month_part_of(_add_months(this_month, offset), part), today)
        if span is None:
            span = _month_part_of(_add_months(this_month, offset + 1), part)
        return _apply_modifier(match["mod"], span, today)

    spans, text = _consume(_MONTH_RE, text, named)
    more, text = _consume(_RELATIVE_MONTH_RE, text, relative)
    return spans + more, text


def _extract_weeks(text: str, today: datetime.date, anchor: datetime.date):
    """'denne uka', 'neste uke', 'uke 50(-51)', 'tidlig i neste uke', 'i helga'."""
    this_monday = _monday(today)

    def handle(match: re.Match) -> _Span | None:
        """Map one week phrase to its date range."""
        which, part = _key(match["which"]), _qualifier_part(_key(match["qual"]))
        if match["n1"]:
            span = _numbered_weeks(int(match["n1"]), match["n2"], max(today, anchor))
        elif which in ("neste", "nest", "kommende", "i neste"):
            span = _week_part(this_monday + ONE_WEEK, part)
        elif which in ("denne", "i denne") or match["qual"]:
            span = _clip(_week_part(this_monday, part), today)
            span = span or _week_part(this_monday + ONE_WEEK, part)
        else:
            return None
        return _apply_modifier(match["mod"], _clip(span, today), today)

    spans, text = _consume(_WEEK_RE, text, handle)
    weekends, text = _consume(_WEEKEND_RE, text, lambda m: _weekend(m, today))
    return spans + weekends, text


def _week_part(monday: datetime.date, part: str) -> _Span:
    """Whole week or its beginning (Mon-Wed), middle (Tue-Thu) or end (Thu-Sun)."""
    low, high = _WEEK_PART_OFFSETS[part]
    return _Span(
        monday + datetime.timedelta(days=low), monday + datetime.timedelta(days=high)
    )


def _numbered_weeks(first: int, last: str | None, ref: datetime.date) -> _Span | None:
    """'uke 50' or 'uke 50-51' as ISO weeks that have not passed."""
    if not 1 <= first <= 53:
        return None
    span = _iso_week_span(first, ref)
    if span is None or not last:
        return span
    end = _iso_week_span(int(last), span.start) if 1 <= int(last) <= 53 else None
    return _Span(span.start, end.end) if end else span


def _weekend(match: re.Match, today: datetime.date) -> _Span | None:
    """'i helga' -> the coming Saturday-Sunday; 'etter/over helga' -> from Monday."""
    if not (match["mod"] or match["prep"]):
        return None
    is_sunday = today.isoweekday() == 7
    saturday = today - ONE_DAY if is_sunday else _first_on_or_after(today, 6)
    weekend = _Span(max(saturday, today), saturday + ONE_DAY)
    return _apply_modifier(match["mod"], weekend, today)


def _extract_offsets(text: str, today: datetime.date):
    """'om tre dager', 'om to uker', 'om tre måneder', 'om et halvår', 'innen'."""
    def half_year(match: re.Match) -> _Span:
        """'om et halvår' -> six months."""
        return _offset_span(_key(match["prep"]), "months", 6, today)

    def counted(match: re.Match) -> _Span:
        """'om tre dager/uker/måneder/år'."""
        kind, unit = _unit_kind(match["unit"]), match["unit"]
        amount = _unit_amount(match["n"], unit)
        return _offset_span(_key(match["prep"]), kind, amount, today)

    halves, text = _consume(_HALF_YEAR_RE, text, half_year)
    spans, text = _consume(_OFFSET_RE, text, counted)
    return halves + spans, text


def _offset_date(kind: str, amount: int, today: datetime.date) -> datetime.date:
    """today plus a number of days, weeks or months."""
    if kind == "months":
        return _add_months(today, amount)
    return today + datetime.timedelta(days=amount * (7 if kind == "weeks" else 1))


def _offset_span(prep: str, kind: str, amount: int, today: datetime.date) -> _Span:
    """'om' -> that day / ISO week / from then on; 'etter' -> from; 'innen' -> until."""
    target = _offset_date(kind, amount, today)
    if prep == "etter":
        return _Span(target, None)
    if prep in ("innen", "innan"):
        return _Span(today, target)
    if kind == "days":
        return _Span(target, target)
    if kind == "weeks":
        monday = _monday(target)
        return _Span(max(monday, today), monday + datetime.timedelta(days=6))
    return _Span(target, None)


def _part_name(word: str) -> str:
    """Map a part-of-day word to its key in _PART_WINDOWS."""
    if word.startswith("kv"):
        return "evening"
    return "afternoon" if word.startswith("etter") else "forenoon"


def _extract_parts_of_day(text: str):
    """Parts of the day -> ('part', (name, half)) or ('earliest'/'latest', clock)."""
    def part(match: re.Match):
        """A part of day, possibly its early or late half."""
        modifier = match["mod"] or ""
        half = "early" if modifier.startswith("tid") else "late" if modifier else ""
        return "part", (_part_name(match["part"]), half)

    steps = (
        (_NOT_TOO_EARLY_RE, lambda m: ("earliest", _Clock(10, 0, True))),
        (_BEFORE_LUNCH_RE, lambda m: ("latest", _Clock(11, 0, True))),
        (_AFTER_LUNCH_RE, lambda m: ("part", ("afternoon", ""))),
        (_PART_RE, part),
        (_MIDDAY_RE, lambda m: ("part", ("midday", ""))),
        (_MORNING_RE, lambda m: ("part", ("morning", ""))),
    )
    items: list = []
    for pattern, handler in steps:
        found, text = _consume(pattern, text, handler)
        items += found
    return items, text


def _extract_weekdays(text: str, today: datetime.date):
    """Weekdays -> ('next'|'any'|'exclude', iso) or ('span', range) ('før fredag')."""
    def handle(match: re.Match):
        """Classify one weekday mention."""
        iso = _WEEKDAY_NAMES[match["day"]]
        if match["neg"]:
            return "exclude", iso
        if match["mod"]:
            day = _next_weekday(today, iso)
            return "span", _apply_modifier(match["mod"], _Span(day, day), today)
        plural = match["suffix"] in ("er", "ar", "ane", "ene") or match["art"]
        return ("any" if plural else "next"), iso

    found, text = _consume(_WEEKDAY_RE, text, handle)
    workdays, text = _consume(
        _WORKDAYS_RE, text, lambda m: [("any", iso) for iso in sorted(WORKDAYS)]
    )
    return found + _flatten(workdays), text


# ---------------------------------------------------------------------- scan & build


def _scan(text: str, today: datetime.date) -> _Findings:
    """Run all extractors in priority order over the normalised text."""
    found = _Findings()
    text = _strip_greetings(_normalize(text))
    found.alternatives = bool(re.search(r"\beller\b", text))
    next_year = _NEXT_YEAR_RE.search(text) is not None
    anchor = datetime.date(today.year + 1, 1, 1) if next_year else today

    asap, text = _extract_asap(text)
    found.asap = bool(asap)
    clock_items, text = _extract_kl_times(text)
    explicit, text = _extract_explicit_dates(text, today, anchor)
    relative, text = _extract_relative_days(text, today)
    holidays, text = _extract_holidays(text, today)
    seasons, text = _extract_seasons(text, today, anchor)
    months, text = _extract_months(text, today, anchor)
    weeks, text = _extract_weeks(text, today, anchor)
    offsets, text = _extract_offsets(text, today)
    bare_items, text = _extract_bare_times(text)
    part_items, text = _extract_parts_of_day(text)
    weekday_items, text = _extract_weekdays(text, today)

    found.spans += explicit + [span for span, _ in relative]
    found.spans += [s for s in holidays + seasons + months + weeks + offsets if s]
    found.parts += [(part, "") for _, part in relative if part]
    _collect_clock_items(found, clock_items + bare_items + part_items)
    _collect_weekday_items(found, weekday_items)
    return found


def _collect_clock_items(found: _Findings, items: list) -> None:
    """Sort clock items into exact times, bounds and parts of day."""
    for kind, value in items:
        if kind == "part":
            found.parts.append(value)
        else:
            getattr(found, kind).append(value)


def _collect_weekday_items(found: _Findings, items: list) -> None:
    """Sort weekday items into next/any/excluded sets and modifier spans."""
    for kind, value in items:
        if kind == "span":
            if value is not None:
                found.spans.append(value)
        elif kind == "exclude":
            found.weekdays_excluded.add(value)
        else:
            (found.weekdays_any if kind == "any" else found.weekdays_next).add(value)


def _combine_spans(spans: list[_Span], alternatives: bool) -> _Span | None:
    """Intersect all ranges; if empty, take their union ('eller') or the first."""
    if not spans:
        return None
    start = max(s.start for s in spans)
    ends = [s.end for s in spans if s.end is not None]
    end = min(ends) if ends else None
    if end is None or start <= end:
        return _Span(start, end)
    if alternatives:
        any_open = any(s.end is None for s in spans)
        return _Span(min(s.start for s in spans), None if any_open else max(ends))
    return spans[0]


def _apply_weekdays(span: _Span | None, found: _Findings, today: datetime.date):
    """Combine the date range with weekday names -> (start, end, weekday filter)."""
    wanted = found.weekdays_next | found.weekdays_any
    if not wanted and found.weekdays_excluded:
        wanted = set(ALL_WEEKDAYS)
    wanted -= found.weekdays_excluded
    base = span or _Span(today, None)
    if not wanted:
        return base.start, base.end, None
    if found.weekdays_any or not found.weekdays_next:
        return base.start, base.end, frozenset(wanted)
    return _next_weekdays(span, wanted, found.alternatives, today)


def _next_weekdays(
    span: _Span | None, wanted: set[int], alternatives: bool, today: datetime.date
):
    """Singular weekday names: their next occurrences, inside the range if any."""
    after_today = today + ONE_DAY
    if span is None:
        days = [_next_weekday(today, iso) for iso in wanted]
    elif span.end is None:
        first = max(span.start, after_today)
        days = [_first_on_or_after(first, iso) for iso in wanted]
    else:
        length = (span.end - span.start).days + 1
        days = [span.start + datetime.timedelta(days=i) for i in range(length)]
        days = [d for d in days if d.isoweekday() in wanted and d >= after_today]
    if days or span is None:
        return min(days), max(days), frozenset(wanted)
    if not alternatives:
        return span.start, span.end, None
    extra = [_next_weekday(today, iso) for iso in wanted]
    end = None if span.end is None else max([span.end, *extra])
    return min([span.start, *extra]), end, None


def _resolve_times(found: _Findings):
    """Exact time and earliest/latest bounds from clocks, bounds and parts of day."""
    hints = {_PART_WINDOWS[name][2] for name, _ in found.parts} - {None}
    hint = hints.pop() if len(hints) == 1 else None
    exacts = sorted({_resolve_clock(c, hint) for c in found.exact})
    lows = [_resolve_clock(c, hint) for c in found.earliest]
    highs = [_resolve_clock(c, hint) for c in found.latest]
    if len(exacts) > 1:
        lows, highs, exacts = [*lows, exacts[0]], [*highs, exacts[-1]], []
    window = None if exacts else _parts_window(found.parts)
    if window is not None:
        earliest, latest = max([*lows, window[0]]), min([*highs, window[1]])
        if earliest <= latest:
            return None, earliest, latest
    exact = exacts[0] if exacts else None
    return (exact, *_consistent_bounds(exact, _max_or_none(lows), _min_or_none(highs)))


def _consistent_bounds(
    exact: datetime.time | None,
    earliest: datetime.time | None,
    latest: datetime.time | None,
) -> tuple[datetime.time | None, datetime.time | None]:
    """Drop earliest/latest bounds that contradict each other or the exact time."""
    if earliest and latest and earliest > latest:
        return None, None
    if exact and ((earliest and exact < earliest) or (latest and exact > latest)):
        return None, None
    return earliest, latest


def _parts_window(parts: list[tuple[str, str]]):
    """Union of the windows of all parts of day mentioned (None when none)."""
    if not parts:
        return None
    windows = [
        _PART_HALVES.get((name, half), _PART_WINDOWS[name][:2]) for name, half in parts
    ]
    return _hm(min(w[0] for w in windows)), _hm(max(w[1] for w in windows))


def _max_or_none(values: list):
    """max() of a list, None when empty."""
    return max(values) if values else None


def _min_or_none(values: list):
    """min() of a list, None when empty."""
    return min(values) if values else None


def _build_wish(found: _Findings, today: datetime.date) -> TimeWish | None:
    """Assemble the TimeWish from the findings (None when nothing was found)."""
    if found.is_empty():
        return None
    span = _combine_spans(found.spans, found.alternatives)
    start, end, weekdays = _apply_weekdays(span, found, today)
    if weekdays is not None and (weekdays == ALL_WEEKDAYS or start == end):
        weekdays = None
    exact, earliest, latest = _resolve_times(found)
    return TimeWish(
        start=start, end=end, earliest=earliest, latest=latest,
        weekdays=weekdays, exact=exact,
    )


# ---------------------------------------------------------------------- later visits


def _later_offset(text: str, today: datetime.date) -> datetime.date | None:
    """'om et halvår', 'om tre måneder', 'om to uker', 'om et år' -> today + that."""
    match = _LATER_OFFSET_RE.search(text)
    if match is None:
        return None
    if match["half"]:
        return _add_months(today, 6)
    unit = match["unit"]
    return _offset_date(_unit_kind(unit), _unit_amount(match["n"], unit), today)
