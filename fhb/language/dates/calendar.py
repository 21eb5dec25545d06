"""Date arithmetic: spans, months, weeks, seasons, Easter and date offsets."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from fhb.language.dates.patterns import key
from fhb.language.dates.vocabulary import (
    DATE_MODIFIERS,
    MONTH_PARTS,
    MONTH_PREFIXES,
    ONE_DAY,
    WEEK_PART_OFFSETS,
)


@dataclass(frozen=True)
class Span:
    """An inclusive date range; end None means open-ended."""

    start: datetime.date
    end: datetime.date | None


def _last_day(year: int, month: int) -> int:
    """Number of days in a month."""
    return calendar.monthrange(year, month)[1]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Add calendar months, clamping the day to the target month's length."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return datetime.date(year, month0 + 1, min(day.day, _last_day(year, month0 + 1)))


def monday_of(day: datetime.date) -> datetime.date:
    """Monday of the ISO week containing `day`."""
    return day - datetime.timedelta(days=day.weekday())


def next_weekday(today: datetime.date, iso_weekday: int) -> datetime.date:
    """First date strictly after today with the given ISO weekday."""
    days = (iso_weekday - today.isoweekday() - 1) % 7 + 1
    return today + datetime.timedelta(days=days)


def first_on_or_after(day: datetime.date, iso_weekday: int) -> datetime.date:
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


def month_number(word: str) -> int:
    """Month number of a (possibly abbreviated) Norwegian month name."""
    return MONTH_PREFIXES[word.rstrip(".")[:3]]


def safe_date(year: int, month: int, day: int) -> datetime.date | None:
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
        candidate = safe_date(year, month, day)
        if candidate is not None and candidate >= anchor:
            return candidate
    return None


def next_yearly(month: int, day: int, today: datetime.date) -> datetime.date:
    """Next fixed yearly date (never 29 Feb) on or after today."""
    candidate = datetime.date(today.year, month, day)
    return candidate if candidate >= today else candidate.replace(year=today.year + 1)


def explicit_date(
    day: int, month: int, year: str | None, today: datetime.date, anchor: datetime.date
) -> datetime.date | None:
    """Resolve a written date; past dates with an explicit year are rejected."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if year:
        candidate = safe_date(_full_year(year), month, day)
        return candidate if candidate is not None and candidate >= today else None
    return _next_date(day, month, anchor)


def next_day_of_month(day: int, today: datetime.date) -> datetime.date | None:
    """Next date on or after today that is the given day of a month ('den 15.')."""
    for offset in range(13):
        first = add_months(today.replace(day=1), offset)
        candidate = safe_date(first.year, first.month, day)
        if candidate is not None and candidate >= today:
            return candidate
    return None


def _month_part(year: int, month: int, part: str) -> tuple[datetime.date, datetime.date]:
    """Whole month or its beginning (1-10), middle (10-20) or end (20-last)."""
    last = _last_day(year, month)
    low, high = MONTH_PARTS.get(part, (20 if part == "end" else 1, last))
    return datetime.date(year, month, low), datetime.date(year, month, high)


def month_part_of(first: datetime.date, part: str) -> Span:
    """Month part of the month starting on `first`."""
    return Span(*_month_part(first.year, first.month, part))


def month_occurrence(
    month: int, part: str, ref: datetime.date, year: int | None = None
) -> Span | None:
    """The next month (part) not ended before `ref`, clipped to start at `ref`."""
    for candidate_year in [year] if year else [ref.year, ref.year + 1]:
        start, end = _month_part(candidate_year, month, part)
        if end >= ref:
            return Span(max(start, ref), end)
    return None


def _season_span(start_month: int, year: int) -> tuple[datetime.date, datetime.date]:
    """The three-month season starting in `start_month` of `year`."""
    last_month = add_months(datetime.date(year, start_month, 1), 2)
    end = last_month.replace(day=_last_day(last_month.year, last_month.month))
    return datetime.date(year, start_month, 1), end


def season_occurrence(
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


def iso_week_span(number: int, ref: datetime.date) -> Span | None:
    """ISO week `number` of the ISO year of `ref` or the next, whichever is ahead."""
    iso_year = ref.isocalendar()[0]
    for year in (iso_year, iso_year + 1):
        try:
            monday = datetime.date.fromisocalendar(year, number, 1)
        except ValueError:
            continue
        sunday = monday + datetime.timedelta(days=6)
        if sunday >= ref:
            return Span(monday, sunday)
    return None


def apply_modifier(modifier: str | None, span: Span | None, today: datetime.date) -> Span | None:
    """Apply a date prefix ('fra', 'etter', 'før', 'innen') to a date range."""
    if span is None or not modifier:
        return span
    kind = DATE_MODIFIERS[key(modifier).rstrip(".")]
    last = span.end or span.start
    if kind == "from":
        return Span(span.start, None)
    if kind == "after":
        return Span(last + ONE_DAY, None)
    if kind == "before":
        return Span(today, span.start - ONE_DAY) if span.start > today else None
    return Span(today, last)


def clip(span: Span | None, today: datetime.date) -> Span | None:
    """Drop ranges that ended before today and start the rest no earlier."""
    if span is None or (span.end is not None and span.end < today):
        return None
    return Span(max(span.start, today), span.end)


def week_part(monday: datetime.date, part: str) -> Span:
    """Whole week or its beginning (Mon-Wed), middle (Tue-Thu) or end (Thu-Sun)."""
    low, high = WEEK_PART_OFFSETS[part]
    return Span(monday + datetime.timedelta(days=low), monday + datetime.timedelta(days=high))


def numbered_weeks(first: int, last: str | None, ref: datetime.date) -> Span | None:
    """'uke 50' or 'uke 50-51' as ISO weeks that have not passed."""
    if not 1 <= first <= 53:
        return None
    span = iso_week_span(first, ref)
    if span is None or not last:
        return span
    end = iso_week_span(int(last), span.start) if 1 <= int(last) <= 53 else None
    return Span(span.start, end.end) if end else span


def easter_span(keyword: str, today: datetime.date) -> Span | None:
    """'etter påske' -> from Easter Tuesday; 'før påske' -> to the Wednesday before."""
    after = keyword in ("etter", "over")
    for year in (today.year, today.year + 1):
        sunday = easter_sunday(year)
        if after and sunday + ONE_DAY >= today:
            return Span(sunday + 2 * ONE_DAY, None)
        if not after and sunday - 4 * ONE_DAY >= today:
            return Span(today, sunday - 4 * ONE_DAY)
    return None


def offset_date(kind: str, amount: int, today: datetime.date) -> datetime.date:
    """today plus a number of days, weeks or months."""
    if kind == "months":
        return add_months(today, amount)
    return today + datetime.timedelta(days=amount * (7 if kind == "weeks" else 1))


def offset_span(prep: str, kind: str, amount: int, today: datetime.date) -> Span:
    """'om' -> that day / ISO week / from then on; 'etter' -> from; 'innen' -> until."""
    target = offset_date(kind, amount, today)
    if prep == "etter":
        return Span(target, None)
    if prep in ("innen", "innan"):
        return Span(today, target)
    if kind == "days":
        return Span(target, target)
    if kind == "weeks":
        monday = monday_of(target)
        return Span(max(monday, today), monday + datetime.timedelta(days=6))
    return Span(target, None)
