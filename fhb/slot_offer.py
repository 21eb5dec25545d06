"""Which free slots to offer: the next ones, or those matching a typed wish."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from fhb.db import slots as slots_db
from fhb.db.slots import FreeSlot
from fhb.language.dates import TimeWish, parse_time_wish
from fhb.language.formatting import format_slot_time, to_local, to_utc_naive
from fhb.profile import Profile

PER_PAGE = 3


@dataclass(frozen=True)
class Offer:
    """Slots to show as buttons and the note to say before them."""

    slots: list[FreeSlot]
    note: str  # a response name
    page: int


def earliest_start(now: dt.datetime, tz: str) -> dt.datetime:
    """Visits can be booked from tomorrow (local midnight), as naive UTC."""
    local = now.astimezone(ZoneInfo(tz))
    tomorrow = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), ZoneInfo(tz))
    return to_utc_naive(tomorrow)


def slots_for_wish(slots: Sequence[FreeSlot], wish: TimeWish, tz: str) -> list[FreeSlot]:
    """The slots, in order, whose local start fits every part of the wish.

    Dates, weekdays, excluded days and the time of day are all read in `tz` ("ikke mandag"
    leaves out Monday slots, "ikke for tidlig" those before 10:00 local time).
    """
    return [slot for slot in slots if wish.matches(to_local(slot.start, tz))]


def same_weekday_later(wish: TimeWish) -> TimeWish | None:
    """For a wish of one day: the same weekday and time of day in the weeks after."""
    if wish.end is None or wish.start != wish.end:
        return None
    return dataclasses.replace(wish, end=None, weekdays=frozenset({wish.start.isoweekday()}))


def make_offer(
    session: Session,
    profile: Profile,
    *,
    now: dt.datetime,
    wish_text: str | None,
    page: int,
    exclude_start: dt.datetime | None = None,
) -> Offer:
    """Pick up to three free times for this page, honouring a wish when one was typed.

    `exclude_start` leaves out the time of the visit being moved.
    """
    after = earliest_start(now, profile.timezone)
    today = now.astimezone(ZoneInfo(profile.timezone)).date()
    wish = parse_time_wish(wish_text, today=today) if wish_text else None
    # Without a wish only this page is shown (or the first, when this one is empty): the
    # times up to its end, and one more in case one of them is the time to leave out.
    limit = None if wish is not None else (page + 1) * PER_PAGE + 1
    free = slots_db.free_times(session, after=after, limit=limit)
    times = [s for s in free if s.start != exclude_start]
    first_page = times[:PER_PAGE]
    if wish is not None:
        matching = slots_for_wish(times, wish, profile.timezone)
        if matching[page * PER_PAGE : (page + 1) * PER_PAGE]:
            return Offer(
                matching[page * PER_PAGE : (page + 1) * PER_PAGE],
                "utter_offer_slots_for_wish",
                page,
            )
        later = same_weekday_later(wish)
        if later is not None:  # "torsdag ettermiddag" and this Thursday is full
            matching = slots_for_wish(times, later, profile.timezone)
            if matching[page * PER_PAGE : (page + 1) * PER_PAGE]:
                return Offer(
                    matching[page * PER_PAGE : (page + 1) * PER_PAGE],
                    "utter_offer_slots_same_weekday_later",
                    page,
                )
        if page == 0:
            return Offer(first_page, "utter_no_slots_for_wish", 0)
    current = times[page * PER_PAGE : (page + 1) * PER_PAGE]
    if current or page == 0:
        return Offer(current, "utter_offer_slots", page)
    return Offer(first_page, "utter_no_more_slots", 0)


def slot_buttons(slots: list[FreeSlot], tz: str) -> list[dict[str, str]]:
    """One button per slot ('tirsdag 1. desember kl. 10.00'), then 'Vis flere tider'."""
    buttons = [
        {
            "title": format_slot_time(slot.start, tz),
            "payload": f'/choose_slot{{"slot_id":"{slot.id}"}}',
        }
        for slot in slots
    ]
    if slots:
        buttons.append({"title": "Vis flere tider", "payload": "/more_slots"})
    return buttons
