"""Norwegian formatting of times and slots (babel), and local/UTC conversion."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from fhb.clock import aware_utc, naive_utc

LOCALE = "nb_NO"


def to_local(utc_naive: dt.datetime, tz: str) -> dt.datetime:
    """Convert a stored naive-UTC time to an aware local time."""
    return aware_utc(utc_naive).astimezone(ZoneInfo(tz))


def to_utc_naive(local: dt.datetime) -> dt.datetime:
    """Convert an aware time to the naive UTC the database stores."""
    return naive_utc(local)


def iso_local(utc_naive: dt.datetime | None, tz: str = "Europe/Oslo") -> str | None:
    """ISO 8601 with offset in local time, for the staff CLI."""
    return None if utc_naive is None else to_local(utc_naive, tz).isoformat()


def format_slot_time(utc_naive: dt.datetime, tz: str) -> str:
    """'tirsdag 1. desember kl. 10.00', as a button label."""
    local = to_local(utc_naive, tz)
    return format_datetime(local, "EEEE d. MMMM 'kl.' HH.mm", locale=LOCALE)
