"""Extractors for dates: written dates, holidays, seasons, months, weeks, weekdays."""

from __future__ import annotations

import datetime
import re
from typing import TypeAlias

from fhb.language.dates.calendar import (
    Span,
    add_months,
    apply_modifier,
    clip,
    easter_span,
    explicit_date,
    first_on_or_after,
    monday_of,
    month_number,
    month_occurrence,
    month_part_of,
    next_day_of_month,
    next_weekday,
    next_yearly,
    numbered_weeks,
    offset_span,
    safe_date,
    season_occurrence,
    week_part,
)
from fhb.language.dates.clock import part_name
from fhb.language.dates.patterns import (
    CHRISTMAS_BEFORE_RE,
    DAY_MONTH_RE,
    DAY_RANGE_RE,
    DEN_DAY_RE,
    EASTER_RE,
    HALF_YEAR_RE,
    MONTH_RE,
    NEW_YEAR_AFTER_RE,
    NEXT_YEAR_RE,
    NUMERIC_DATE_RE,
    OFFSET_RE,
    RELATIVE_DAY_RE,
    RELATIVE_MONTH_RE,
    ROMJUL_RE,
    SEASON_RE,
    WEEK_RE,
    WEEKDAY_RE,
    WEEKEND_RE,
    WORKDAYS_RE,
    consume,
    flatten,
    key,
    unit_amount,
    unit_kind,
)
from fhb.language.dates.vocabulary import (
    ONE_DAY,
    ONE_WEEK,
    SEASON_START_MONTH,
    WEEKDAY_NAMES,
    WORKDAYS,
)

# A weekday item: ("next" | "any" | "exclude", ISO weekday) or ("span", date range).
WeekdayItem: TypeAlias = tuple[str, int | Span | None]

# Each extractor takes the normalised text and returns (results, text with the
# accepted matches blanked out), so later extractors cannot read them again.


def extract_explicit_dates(
    text: str, today: datetime.date, anchor: datetime.date
) -> tuple[list[Span], str]:
    """'1.-15. desember', '15. desember', '15.12(.2026)', '15/12', 'den 15.'."""
    ranges, text = consume(DAY_RANGE_RE, text, lambda m: _day_range(m, today, anchor))

    def single(match: re.Match[str]) -> Span | None:
        """A single written date such as '15. desember' or '15.12'."""
        month_text = match["month"]
        month = int(month_text) if month_text.isdigit() else month_number(month_text)
        day = explicit_date(int(match["day"]), month, match["year"], today, anchor)
        if day is None:
            return None
        return apply_modifier(match["mod"], Span(day, day), today)

    named, text = consume(DAY_MONTH_RE, text, single)
    numeric, text = consume(NUMERIC_DATE_RE, text, single)
    den, text = consume(DEN_DAY_RE, text, lambda m: _den_day(m, today))
    return ranges + named + numeric + den, text


def _day_range(match: re.Match[str], today: datetime.date, anchor: datetime.date) -> Span | None:
    """'1.-15. desember' / '15. eller 16. desember' -> range in the next such month."""
    first, last = int(match["d1"]), int(match["d2"])
    month = month_number(match["month"])
    end = explicit_date(last, month, None, today, anchor)
    if end is None or not 1 <= first <= last:
        return None
    start = safe_date(end.year, month, first)
    return None if start is None else Span(max(start, today), end)


def _den_day(match: re.Match[str], today: datetime.date) -> Span | None:
    """'den 15.' -> the next 15th on or after today."""
    day = int(match["day"])
    found = next_day_of_month(day, today) if 1 <= day <= 31 else None
    if found is None:
        return None
    return apply_modifier(match["mod"], Span(found, found), today)


def extract_relative_days(
    text: str, today: datetime.date
) -> tuple[list[tuple[Span, str | None]], str]:
    """'i dag', 'i morgen', 'i overmorgen', 'i kveld' -> (span, part of day)."""

    def handle(match: re.Match[str]) -> tuple[Span, str | None]:
        """Map one relative-day phrase to its day and optional part of day."""
        if match["part"]:
            return Span(today, today), part_name(match["part"])
        days = 0 if match["today"] else (2 if "over" in match["later"] else 1)
        day = today + datetime.timedelta(days=days)
        return Span(day, day), None

    return consume(RELATIVE_DAY_RE, text, handle)


def extract_holidays(text: str, today: datetime.date) -> tuple[list[Span], str]:
    """Christmas, New Year, romjul and Easter phrases."""
    christmas = next_yearly(12, 23, today)
    new_year = next_yearly(1, 2, today)
    romjul_end = next_yearly(12, 31, today)
    romjul = Span(max(romjul_end.replace(day=27), today), romjul_end)
    before_christmas, after_new_year = Span(today, christmas), Span(new_year, None)
    before, text = consume(CHRISTMAS_BEFORE_RE, text, lambda m: before_christmas)
    after, text = consume(NEW_YEAR_AFTER_RE, text, lambda m: after_new_year)
    romjuls, text = consume(ROMJUL_RE, text, lambda m: romjul)
    easter, text = consume(EASTER_RE, text, lambda m: easter_span(key(m["kw"]), today))
    return before + after + romjuls + easter, text


def extract_seasons(
    text: str, today: datetime.date, anchor: datetime.date
) -> tuple[list[Span], str]:
    """'til våren', 'i vinter', 'etter sommeren', 'før høsten', 'neste år'."""

    def handle(match: re.Match[str]) -> Span | None:
        """Map one season phrase to its date range."""
        prep, inner = key(match["prep"]), key(match["inner"])
        start_month = SEASON_START_MONTH[match["season"][:3]]
        ref = max(today, anchor)
        if prep in ("etter", "over"):
            _, end = season_occurrence(start_month, ref, False)
            return Span(end + ONE_DAY, None)
        upcoming = prep in ("til", "neste", "for", "fore") or inner == "neste"
        start, end = season_occurrence(start_month, ref, upcoming)
        if prep in ("for", "fore"):
            return Span(today, start - ONE_DAY)
        if prep in ("innen", "innan"):
            return Span(today, end)
        return Span(start, end)

    spans, text = consume(SEASON_RE, text, handle)
    next_year = Span(datetime.date(today.year + 1, 1, 1), datetime.date(today.year + 1, 12, 31))
    years, text = consume(NEXT_YEAR_RE, text, lambda m: next_year)
    return spans + years, text


def _qualifier_part(qualifier: str) -> str:
    """Map 'i slutten av'/'tidlig i'/'midt i' to 'end'/'begin'/'mid' (or 'whole')."""
    if not qualifier or re.search(r"lopet|resten", qualifier):
        return "whole"
    if re.search(r"slutten|enden|sist|sent|seint", qualifier):
        return "end"
    return "mid" if re.search(r"midten|midt", qualifier) else "begin"


def extract_months(
    text: str, today: datetime.date, anchor: datetime.date
) -> tuple[list[Span], str]:
    """'i januar', 'i slutten av januar', 'i mars eller april', 'neste måned'."""

    def named(match: re.Match[str]) -> Span | None:
        """A month given by name, with optional qualifier, prefix and year."""
        if not (match["mod"] or match["qual"] or match["prep"]):
            return None
        part = _qualifier_part(key(match["qual"]))
        year = int(match["year"]) if match["year"] else None
        month = month_number(match["m1"])
        first = month_occurrence(month, part, max(today, anchor), year)
        if first is not None and match["m2"]:
            last = month_occurrence(month_number(match["m2"]), part, first.start)
            first = Span(first.start, last.end) if last else first
        return apply_modifier(match["mod"], first, today)

    def relative(match: re.Match[str]) -> Span | None:
        """'neste måned', 'denne måneden', 'i slutten av måneden'."""
        which, part = key(match["which"]), _qualifier_part(key(match["qual"]))
        if not which and not match["qual"]:
            return None
        offset = 1 if "neste" in which or "kommende" in which else 0
        this_month = today.replace(day=1)
        span = clip(month_part_of(add_months(this_month, offset), part), today)
        if span is None:
            span = month_part_of(add_months(this_month, offset + 1), part)
        return apply_modifier(match["mod"], span, today)

    spans, text = consume(MONTH_RE, text, named)
    more, text = consume(RELATIVE_MONTH_RE, text, relative)
    return spans + more, text


def extract_weeks(text: str, today: datetime.date, anchor: datetime.date) -> tuple[list[Span], str]:
    """'denne uka', 'neste uke', 'uke 50(-51)', 'tidlig i neste uke', 'i helga'."""
    this_monday = monday_of(today)

    def handle(match: re.Match[str]) -> Span | None:
        """Map one week phrase to its date range."""
        which, part = key(match["which"]), _qualifier_part(key(match["qual"]))
        if match["n1"]:
            span = numbered_weeks(int(match["n1"]), match["n2"], max(today, anchor))
        elif which in ("neste", "nest", "kommende", "i neste"):
            span = week_part(this_monday + ONE_WEEK, part)
        elif which in ("denne", "i denne") or match["qual"]:
            span = clip(week_part(this_monday, part), today)
            span = span or week_part(this_monday + ONE_WEEK, part)
        else:
            return None
        return apply_modifier(match["mod"], clip(span, today), today)

    spans, text = consume(WEEK_RE, text, handle)
    weekends, text = consume(WEEKEND_RE, text, lambda m: _weekend(m, today))
    return spans + weekends, text


def _weekend(match: re.Match[str], today: datetime.date) -> Span | None:
    """'i helga' -> the coming Saturday-Sunday; 'etter/over helga' -> from Monday."""
    if not (match["mod"] or match["prep"]):
        return None
    is_sunday = today.isoweekday() == 7
    saturday = today - ONE_DAY if is_sunday else first_on_or_after(today, 6)
    weekend = Span(max(saturday, today), saturday + ONE_DAY)
    return apply_modifier(match["mod"], weekend, today)


def extract_offsets(text: str, today: datetime.date) -> tuple[list[Span], str]:
    """'om tre dager', 'om to uker', 'om tre måneder', 'om et halvår', 'innen'."""

    def half_year(match: re.Match[str]) -> Span:
        """'om et halvår' -> six months."""
        return offset_span(key(match["prep"]), "months", 6, today)

    def counted(match: re.Match[str]) -> Span:
        """'om tre dager/uker/måneder/år'."""
        kind, unit = unit_kind(match["unit"]), match["unit"]
        amount = unit_amount(match["n"], unit)
        return offset_span(key(match["prep"]), kind, amount, today)

    halves, text = consume(HALF_YEAR_RE, text, half_year)
    spans, text = consume(OFFSET_RE, text, counted)
    return halves + spans, text


def extract_weekdays(text: str, today: datetime.date) -> tuple[list[WeekdayItem], str]:
    """Weekdays -> ('next'|'any'|'exclude', iso) or ('span', range) ('før fredag')."""

    def handle(match: re.Match[str]) -> WeekdayItem:
        """Classify one weekday mention."""
        iso = WEEKDAY_NAMES[match["day"]]
        if match["neg"]:
            return "exclude", iso
        if match["mod"]:
            day = next_weekday(today, iso)
            return "span", apply_modifier(match["mod"], Span(day, day), today)
        plural = match["suffix"] in ("er", "ar", "ane", "ene") or match["art"]
        return ("any" if plural else "next"), iso

    found, text = consume(WEEKDAY_RE, text, handle)
    workdays, text = consume(
        WORKDAYS_RE, text, lambda m: [("any", iso) for iso in sorted(WORKDAYS)]
    )
    return found + flatten(workdays), text
