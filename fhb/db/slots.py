"""Visit slots: adding them, which are free, the week's schedule.

The caller owns the transaction (`with SqlAlchemyUnitOfWork(clock=...) as session:`);
these functions never commit."""

from __future__ import annotations

import datetime as dt
from typing import Iterable, NamedTuple

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Exists

from fhb.db.models import (
    Slot,
    Visit,
    VisitStatus,
)


def _active_visit_exists() -> Exists:
    """SQL condition: the slot has a visit that is not cancelled."""
    return exists().where(and_(Visit.slot_id == Slot.id, Visit.status != VisitStatus.CANCELLED))


class FreeSlot(NamedTuple):
    """A free slot as read for offering it: its columns, not an ORM object (reading a
    kommune's hundreds of free slots as Slot objects took three times as long; the offer
    is read for most booking messages)."""

    id: int
    start: dt.datetime  # naive UTC
    end: dt.datetime
    visitor: str


def free_slots(session: Session, *, after: dt.datetime) -> list[FreeSlot]:
    """All free slots starting after `after` (naive UTC), in time order."""
    query = (
        select(Slot.id, Slot.start, Slot.end, Slot.visitor)
        .where(Slot.start > after, ~_active_visit_exists())
        .order_by(Slot.start, Slot.visitor, Slot.id)
    )
    return [FreeSlot(*row) for row in session.execute(query)]


def free_times(session: Session, *, after: dt.datetime, limit: int | None = None) -> list[FreeSlot]:
    """One free slot per start time after `after` (naive UTC), in time order: at each time
    the first by visitor, then id (people choose a time, not a visitor). At most `limit`
    times; the database picks them, so an offer of three reads three rows, however many
    slots the kommune has free."""
    free = (
        select(
            Slot.id,
            Slot.start,
            Slot.end,
            Slot.visitor,
            func.row_number()
            .over(partition_by=Slot.start, order_by=(Slot.visitor, Slot.id))
            .label("nth_at_time"),
        )
        .where(Slot.start > after, ~_active_visit_exists())
        .subquery()
    )
    query = (
        select(free.c.id, free.c.start, free.c.end, free.c.visitor)
        .where(free.c.nth_at_time == 1)
        .order_by(free.c.start)
        .limit(limit)
    )
    return [FreeSlot(*row) for row in session.execute(query)]


def get_slot(session: Session, slot_id: int) -> Slot | None:
    """Return the slot with this id, or None."""
    return session.get(Slot, slot_id)


def is_slot_free(session: Session, slot_id: int) -> bool:
    """Tell whether the slot exists and has no visit that is not cancelled."""
    query = select(Slot.id).where(Slot.id == slot_id, ~_active_visit_exists())
    return session.execute(query).first() is not None


def add_slots(session: Session, slots: Iterable[tuple[dt.datetime, dt.datetime, str]]) -> int:
    """Add slots (UTC start, UTC end, visitor) that do not exist yet; return how many."""
    existing = {
        (start, visitor) for start, visitor in session.execute(select(Slot.start, Slot.visitor))
    }
    new = [
        Slot(start=start, end=end, visitor=visitor)
        for start, end, visitor in slots
        if (start, visitor) not in existing
    ]
    session.add_all(new)
    session.flush()
    return len(new)


def list_slots(session: Session, *, after: dt.datetime | None = None) -> list[tuple[Slot, bool]]:
    """All slots (optionally from a time), each with whether it is free."""
    query = select(Slot, ~_active_visit_exists()).order_by(Slot.start, Slot.visitor)
    if after is not None:
        query = query.where(Slot.start > after)
    return [(slot, bool(free)) for slot, free in session.execute(query)]


def schedule_between(
    session: Session, start: dt.datetime, end: dt.datetime, *, visitor: str | None = None
) -> list[tuple[Slot, Visit | None]]:
    """Slots starting in [start, end) (naive UTC), each with its visit that is not cancelled."""
    query = (
        select(Slot, Visit)
        .outerjoin(Visit, and_(Visit.slot_id == Slot.id, Visit.status != VisitStatus.CANCELLED))
        .where(Slot.start >= start, Slot.start < end)
        .order_by(Slot.start, Slot.visitor, Slot.id)
    )
    if visitor is not None:
        query = query.where(Slot.visitor == visitor)
    return [(slot, visit) for slot, visit in session.execute(query)]


def slot_visitors(session: Session) -> list[str]:
    """Every visitor name that has a slot, sorted."""
    return sorted(session.execute(select(Slot.visitor).distinct()).scalars())
