"""Public API (`TimeWish`, `parse_time_wish`, `parse_later_when`) and building the wish."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TypeAlias

from fhb.language.dates.calendar import (
    Span,
    add_months,
    first_on_or_after,
    next_weekday,
    offset_date,
)
from fhb.language.dates.clock import hm, resolve_clock, seconds, to_local
from fhb.language.dates.patterns import (
    LATER_OFFSET_RE,
    normalize,
    strip_greetings,
    unit_amount,
    unit_kind,
)
from fhb.language.dates.scan import Findings, merge_clauses, scan_message
from fhb.language.dates.vocabulary import (
    ALL_WEEKDAYS,
    EXACT_TOLERANCE_SECONDS,
    ONE_DAY,
    ONE_WEEK,
    PART_HALVES,
    PART_WINDOWS,
)

# (start, end, weekday filter) and (exact, earliest, latest) as resolved.
_DateRange: TypeAlias = tuple[datetime.date, datetime.date | None, frozenset[int] | None]
_Times: TypeAlias = tuple[datetime.time | None, datetime.time | None, datetime.time | None]
# Inclusive (first, last) days a wish leaves out inside its range.
DateExclusions: TypeAlias = tuple[tuple[datetime.date, datetime.date], ...]


@dataclass(frozen=True)
class TimeWish:
    """A caller's wish for when a visit may take place.

    Days from `start` to `end` (open when None), only `weekdays` (all when None) and never
    inside one of `excluded_dates` ("ikke neste uke"); times from `earliest` to `latest`
    (inclusive), or within half an hour of `exact`.
    """

    start: datetime.date
    end: datetime.date | None
    earliest: datetime.time | None
    latest: datetime.time | None
    weekdays: frozenset[int] | None = None
    exact: datetime.time | None = None
    excluded_dates: DateExclusions = ()

    def matches(self, start: datetime.datetime) -> bool:
        """Return True when a slot starting at `start` (naive or aware) fits."""
        local = to_local(start)
        return self._date_fits(local.date()) and self._time_fits(local.time())

    def _date_fits(self, day: datetime.date) -> bool:
        """Return True when `day` is inside the date range and weekday filter."""
        if day < self.start or (self.end is not None and day > self.end):
            return False
        if any(first <= day <= last for first, last in self.excluded_dates):
            return False
        return self.weekdays is None or day.isoweekday() in self.weekdays

    def _time_fits(self, clock: datetime.time) -> bool:
        """Return True when `clock` fits the exact time and the earliest/latest."""
        if self.exact is not None and (
            abs(seconds(clock) - seconds(self.exact)) > EXACT_TOLERANCE_SECONDS
        ):
            return False
        if self.earliest is not None and clock < self.earliest:
            return False
        return self.latest is None or clock <= self.latest


def parse_time_wish(text: str, *, today: datetime.date) -> TimeWish | None:
    """Parse a Norwegian date/time wish; None when the text holds no date or time."""
    return _build_wish(merge_clauses(*scan_message(text, today)), today)


def parse_later_when(text: str, *, today: datetime.date) -> datetime.date | None:
    """When a 'visit later' should be offered: 'til våren', 'om et halvår', ..."""
    offset = _later_offset(strip_greetings(normalize(text)), today)
    if offset is not None:
        return offset
    findings = merge_clauses(*scan_message(text, today))
    if not findings.has_date():
        return None
    wish = _build_wish(findings, today)
    return wish.start if wish is not None else None


# --------------------------------------------------------------------------- build


def _combine_spans(spans: list[Span], preferred: list[Span], alternatives: bool) -> Span | None:
    """Intersect all ranges; if empty, their union ('eller'), the preferred or the first."""
    if not spans:
        return None
    start = max(s.start for s in spans)
    ends = [s.end for s in spans if s.end is not None]
    end = min(ends) if ends else None
    if end is None or start <= end:
        return Span(start, end)
    if alternatives:
        any_open = any(s.end is None for s in spans)
        return Span(min(s.start for s in spans), None if any_open else max(ends))
    if preferred and len(preferred) < len(spans):
        return _combine_spans(preferred, [], alternatives)
    return spans[0]


def _subtract(
    span: Span, exclusions: list[Span]
) -> tuple[Span, list[tuple[datetime.date, datetime.date]]]:
    """Leave the excluded days out of a range: cut its ends, or list the inner ones.

    An exclusion that covers the whole range is ignored (what is wished for wins).
    """
    start, end = span.start, span.end
    inner: list[tuple[datetime.date, datetime.date]] = []
    for excluded in sorted(exclusions, key=lambda e: e.start):
        if (excluded.end is not None and excluded.end < start) or (
            end is not None and excluded.start > end
        ):
            continue
        covers_end = excluded.end is None or (end is not None and excluded.end >= end)
        if excluded.start <= start:
            if not covers_end and excluded.end is not None:
                start = excluded.end + ONE_DAY
        elif covers_end:
            end = excluded.start - ONE_DAY
        elif excluded.end is not None:
            inner.append((excluded.start, excluded.end))
    kept = [(a, b) for a, b in inner if a >= start and (end is None or b <= end)]
    return Span(start, end), kept


def _is_excluded(day: datetime.date, excluded: list[tuple[datetime.date, datetime.date]]) -> bool:
    """True when `day` lies in one of the excluded stretches."""
    return any(first <= day <= last for first, last in excluded)


def _apply_weekdays(
    span: Span | None,
    found: Findings,
    today: datetime.date,
    excluded: list[tuple[datetime.date, datetime.date]],
) -> _DateRange:
    """Combine the date range with weekday names -> (start, end, weekday filter)."""
    wanted = found.weekdays_next | found.weekdays_any
    if not wanted and found.weekdays_excluded:
        wanted = set(ALL_WEEKDAYS)
    wanted -= found.weekdays_excluded
    base = span or Span(today, None)
    if not wanted:
        return base.start, base.end, None
    if found.weekdays_any or not found.weekdays_next:
        return base.start, base.end, frozenset(wanted)
    return _next_weekdays(span, wanted, found.alternatives, today, excluded)


def _next_weekdays(
    span: Span | None,
    wanted: set[int],
    alternatives: bool,
    today: datetime.date,
    excluded: list[tuple[datetime.date, datetime.date]],
) -> _DateRange:
    """Singular weekday names: their next occurrences, inside the range if any."""
    after_today = today + ONE_DAY
    if span is None:
        days = [next_weekday(today, iso) for iso in wanted]
    elif span.end is None:
        first = max(span.start, after_today)
        days = [first_on_or_after(first, iso) for iso in wanted]
        for index, day in enumerate(days):
            while _is_excluded(day, excluded):
                day += ONE_WEEK
            days[index] = day
    else:
        length = (span.end - span.start).days + 1
        days = [span.start + datetime.timedelta(days=i) for i in range(length)]
        days = [d for d in days if d.isoweekday() in wanted and d >= after_today]
        days = [d for d in days if not _is_excluded(d, excluded)]
    if days or span is None:
        return min(days), max(days), frozenset(wanted)
    if not alternatives:
        return span.start, span.end, None
    extra = [next_weekday(today, iso) for iso in wanted]
    end = None if span.end is None else max([span.end, *extra])
    return min([span.start, *extra]), end, None


def _resolve_times(found: Findings) -> _Times:
    """Exact time and earliest/latest bounds from clocks, bounds and parts of day."""
    hints = {PART_WINDOWS[name][2] for name, _ in found.parts} - {None}
    hint = hints.pop() if len(hints) == 1 else None
    exacts = sorted({resolve_clock(c, hint) for c in found.exact})
    lows = [resolve_clock(c, hint) for c in found.earliest]
    highs = [resolve_clock(c, hint) for c in found.latest]
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


def _parts_window(
    parts: list[tuple[str, str]],
) -> tuple[datetime.time, datetime.time] | None:
    """Union of the windows of all parts of day mentioned (None when none)."""
    if not parts:
        return None
    windows = [PART_HALVES.get((name, half), PART_WINDOWS[name][:2]) for name, half in parts]
    return hm(min(w[0] for w in windows)), hm(max(w[1] for w in windows))


def _max_or_none(values: list[datetime.time]) -> datetime.time | None:
    """max() of a list, None when empty."""
    return max(values) if values else None


def _min_or_none(values: list[datetime.time]) -> datetime.time | None:
    """min() of a list, None when empty."""
    return min(values) if values else None


def _build_wish(found: Findings, today: datetime.date) -> TimeWish | None:
    """Assemble the TimeWish from the findings (None when nothing was found)."""
    if found.is_empty():
        return None
    span = _combine_spans(found.spans, found.preferred_spans, found.alternatives)
    excluded: list[tuple[datetime.date, datetime.date]] = []
    if found.excluded_spans:
        span, excluded = _subtract(span or Span(today, None), found.excluded_spans)
    start, end, weekdays = _apply_weekdays(span, found, today, excluded)
    if weekdays is not None and (weekdays == ALL_WEEKDAYS or start == end):
        weekdays = None
    exact, earliest, latest = _resolve_times(found)
    return TimeWish(
        start=start,
        end=end,
        earliest=earliest,
        latest=latest,
        weekdays=weekdays,
        exact=exact,
        excluded_dates=tuple(
            (a, b) for a, b in excluded if a >= start and (end is None or b <= end)
        ),
    )


# ---------------------------------------------------------------------- later visits


def _later_offset(text: str, today: datetime.date) -> datetime.date | None:
    """'om et halvår', 'om tre måneder', 'om to uker', 'om et år' -> today + that."""
    match = LATER_OFFSET_RE.search(text)
    if match is None:
        return None
    if match["half"]:
        return add_months(today, 6)
    unit = match["unit"]
    return offset_date(unit_kind(unit), unit_amount(match["n"], unit), today)
