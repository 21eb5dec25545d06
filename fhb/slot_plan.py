"""Visit slots made from the municipality profile, skipping Norwegian public holidays."""

from __future__ import annotations

import datetime as dt
from typing import Iterator
from zoneinfo import ZoneInfo

import holidays

from fhb.language.formatting import to_utc_naive
from fhb.profile import Profile


def plan_slots(
    profile: Profile, *, start: dt.date, weeks: int | None = None
) -> Iterator[tuple[dt.datetime, dt.datetime, str]]:
    """Yield (UTC start, UTC end, visitor) for every slot from `start` for `weeks` weeks."""
    tz = ZoneInfo(profile.timezone)
    days = 7 * (weeks if weeks is not None else profile.weeks_ahead)
    norway = holidays.country_holidays("NO", years=range(start.year, start.year + 2))
    length = dt.timedelta(minutes=profile.visit_minutes)
    gap = dt.timedelta(minutes=30)  # travel and notes between visits
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        if day.isoweekday() not in profile.schedule_weekdays or day in norway:
            continue
        begin = dt.datetime.combine(day, profile.day_start, tz)
        close = dt.datetime.combine(day, profile.day_end, tz)
        for visitor, _role in profile.visitors:
            moment = begin
            while moment + length <= close:
                yield to_utc_naive(moment), to_utc_naive(moment + length), visitor
                moment += length + gap
