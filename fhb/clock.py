"""The one place that reads the wall clock; everything else is handed a `Clock`."""

from __future__ import annotations

import datetime as dt
from typing import Callable

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    """The current time, aware, in UTC."""
    return dt.datetime.now(dt.timezone.utc)


def naive_utc(moment: dt.datetime) -> dt.datetime:
    """`moment` as naive UTC, how the visit database stores every time (naive means UTC)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.timezone.utc).replace(tzinfo=None)


def aware_utc(moment: dt.datetime) -> dt.datetime:
    """A stored naive-UTC time (or any aware time) as an aware UTC time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def epoch(moment: dt.datetime) -> float:
    """A time (naive means UTC) as epoch seconds, how Rasa's tracker store keeps time."""
    return aware_utc(moment).timestamp()


def from_epoch(seconds: float) -> dt.datetime:
    """Epoch seconds as naive UTC, how the visit database keeps time."""
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).replace(tzinfo=None)
