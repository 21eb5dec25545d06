"""Public API (`TimeWish`, `parse_time_wish`, `parse_later_when`) and the scan behind it."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import TypeAlias, cast

from fhb.language.dates.calendar import (
    Span,
    add_months,
    first_on_or_after,
    next_weekday,
    offset_date,
)
from fhb.language.dates.clock import Clock, ClockItem, hm, resolve_clock, seconds, to_local
from fhb.language.dates.date_extractors import (
    WeekdayItem,
    extract_explicit_dates,
    extract_holidays,
    extract_months,
    extract_offsets,
    extract_relative_days,
    extract_seasons,
    extract_weekdays,
    extract_weeks,
)
from fhb.language.dates.patterns import (
    LATER_OFFSET_RE,
    NEXT_YEAR_RE,
    normalize,
    strip_greetings,
    unit_amount,
    unit_kind,
)
from fhb.language.dates.time_extractors import (
    extract_asap,
    extract_bare_times,
    extract_kl_times,
    extract_parts_of_day,
)
from fhb.language.dates.vocabulary import (
    ALL_WEEKDAYS,
    EXACT_TOLERANCE_SECONDS,
    ONE_DAY,
    PART_HALVES,
    PART_WINDOWS,
)

# (start, end, weekday filter) and (exact, earliest, latest) as resolved.
_DateRange: TypeAlias = tuple[datetime.date, datetime.date | None, frozenset[int] | None]
_Times: TypeAlias = tuple[datetime.time | None, datetime.time | None, datetime.time | None]


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
        local = to_local(start)
        return self._date_fits(local.date()) and self._time_fits(local.time())

    def _date_fits(self, day: datetime.date) -> bool:
        """Return True when `day` is inside the date range and weekday filter."""
        if day < self.start or (self.end is not None and day > self.end):
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
    return _build_wish(_scan(text, today), today)


def parse_later_when(text: str, *, today: datetime.date) -> datetime.date | None:
    """When a 'visit later' should be offered: 'til våren', 'om et halvår', ..."""
    offset = _later_offset(strip_greetings(normalize(text)), today)
    if offset is not None:
        return offset
    findings = _scan(text, today)
    if not findings.has_date():
        return None
    wish = _build_wish(findings, today)
    return wish.start if wish is not None else None


# ----------------------------------------------------------------------- scan & build


@dataclass
class _Findings:
    """Everything recognised in one text (internal accumulator of the scan)."""

    spans: list[Span] = field(default_factory=list)
    weekdays_next: set[int] = field(default_factory=set)
    weekdays_any: set[int] = field(default_factory=set)
    weekdays_excluded: set[int] = field(default_factory=set)
    exact: list[Clock] = field(default_factory=list)
    earliest: list[Clock] = field(default_factory=list)
    latest: list[Clock] = field(default_factory=list)
    parts: list[tuple[str, str]] = field(default_factory=list)
    asap: bool = False
    alternatives: bool = False

    def has_date(self) -> bool:
        """Return True when any date information (not only times) was found."""
        return bool(
            self.spans
            or self.weekdays_next
            or self.weekdays_any
            or self.weekdays_excluded
            or self.asap
        )

    def is_empty(self) -> bool:
        """Return True when neither date nor time information was found."""
        times = self.exact or self.earliest or self.latest or self.parts
        return not (self.has_date() or times)


def _scan(text: str, today: datetime.date) -> _Findings:
    """Run all extractors in priority order over the normalised text."""
    found = _Findings()
    text = strip_greetings(normalize(text))
    found.alternatives = bool(re.search(r"\beller\b", text))
    next_year = NEXT_YEAR_RE.search(text) is not None
    anchor = datetime.date(today.year + 1, 1, 1) if next_year else today

    asap, text = extract_asap(text)
    found.asap = bool(asap)
    clock_items, text = extract_kl_times(text)
    explicit, text = extract_explicit_dates(text, today, anchor)
    relative, text = extract_relative_days(text, today)
    holidays, text = extract_holidays(text, today)
    seasons, text = extract_seasons(text, today, anchor)
    months, text = extract_months(text, today, anchor)
    weeks, text = extract_weeks(text, today, anchor)
    offsets, text = extract_offsets(text, today)
    bare_items, text = extract_bare_times(text)
    part_items, text = extract_parts_of_day(text)
    weekday_items, text = extract_weekdays(text, today)

    found.spans += explicit + [span for span, _ in relative]
    found.spans += [s for s in holidays + seasons + months + weeks + offsets if s]
    found.parts += [(part, "") for _, part in relative if part]
    _collect_clock_items(found, clock_items + bare_items + part_items)
    _collect_weekday_items(found, weekday_items)
    return found


def _collect_clock_items(found: _Findings, items: list[ClockItem]) -> None:
    """Sort clock items into exact times, bounds and parts of day."""
    for kind, value in items:
        if kind == "part":
            found.parts.append(cast(tuple[str, str], value))
        else:
            getattr(found, kind).append(value)


def _collect_weekday_items(found: _Findings, items: list[WeekdayItem]) -> None:
    """Sort weekday items into next/any/excluded sets and modifier spans."""
    for kind, value in items:
        if kind == "span":
            if value is not None:
                found.spans.append(cast(Span, value))
        elif kind == "exclude":
            found.weekdays_excluded.add(cast(int, value))
        else:
            (found.weekdays_any if kind == "any" else found.weekdays_next).add(cast(int, value))


def _combine_spans(spans: list[Span], alternatives: bool) -> Span | None:
    """Intersect all ranges; if empty, take their union ('eller') or the first."""
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
    return spans[0]


def _apply_weekdays(span: Span | None, found: _Findings, today: datetime.date) -> _DateRange:
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
    return _next_weekdays(span, wanted, found.alternatives, today)


def _next_weekdays(
    span: Span | None, wanted: set[int], alternatives: bool, today: datetime.date
) -> _DateRange:
    """Singular weekday names: their next occurrences, inside the range if any."""
    after_today = today + ONE_DAY
    if span is None:
        days = [next_weekday(today, iso) for iso in wanted]
    elif span.end is None:
        first = max(span.start, after_today)
        days = [first_on_or_after(first, iso) for iso in wanted]
    else:
        length = (span.end - span.start).days + 1
        days = [span.start + datetime.timedelta(days=i) for i in range(length)]
        days = [d for d in days if d.isoweekday() in wanted and d >= after_today]
    if days or span is None:
        return min(days), max(days), frozenset(wanted)
    if not alternatives:
        return span.start, span.end, None
    extra = [next_weekday(today, iso) for iso in wanted]
    end = None if span.end is None else max([span.end, *extra])
    return min([span.start, *extra]), end, None


def _resolve_times(found: _Findings) -> _Times:
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
        start=start,
        end=end,
        earliest=earliest,
        latest=latest,
        weekdays=weekdays,
        exact=exact,
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
