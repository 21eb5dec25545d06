"""Repository functions: every read and write of the visit database.

The caller owns the transaction (`with SqlAlchemyUnitOfWork() as session:`); these
functions never commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Sequence

from sqlalchemy import and_, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from actions.models import (
    CallbackRequest,
    Citizen,
    Decline,
    Feedback,
    Slot,
    Visit,
    utcnow,
)


class SlotTaken(Exception):
    """The slot was booked by someone else in the meantime (or no longer exists)."""


@dataclass(frozen=True)
class CitizenDetails:
    """What the bot collects about the person who gets the visit."""

    name: str
    birth_year: int | None
    address: str | None
    phone: str | None


@dataclass(frozen=True)
class RelativeDetails:
    """Who booked on the citizen's behalf."""

    relation: str | None
    name: str | None
    phone: str | None


def _active_visit_exists():  # type: ignore[no-untyped-def]
    """SQL condition: the slot has a visit that is not cancelled."""
    return exists().where(and_(Visit.slot_id == Slot.id, Visit.status != "cancelled"))


def free_slots(session: Session, *, after: dt.datetime) -> list[Slot]:
    """All free slots starting after `after` (naive UTC), in time order."""
    query = (
        select(Slot)
        .where(Slot.start > after, ~_active_visit_exists())
        .order_by(Slot.start, Slot.visitor, Slot.id)
    )
    return list(session.execute(query).scalars())


def get_slot(session: Session, slot_id: int) -> Slot | None:
    """Return the slot with this id, or None."""
    return session.get(Slot, slot_id)


def is_slot_free(session: Session, slot_id: int) -> bool:
    """Tell whether the slot exists and has no visit that is not cancelled."""
    query = select(Visit.id).where(Visit.slot_id == slot_id, Visit.status != "cancelled")
    return get_slot(session, slot_id) is not None and session.execute(query).first() is None


def book_visit(
    session: Session,
    *,
    slot_id: int,
    citizen: CitizenDetails,
    conversation_id: str,
    relative: RelativeDetails | None = None,
) -> Visit:
    """Book the slot; raise SlotTaken when it is gone. The unique index decides races."""
    slot = get_slot(session, slot_id)
    if slot is None or slot.start <= utcnow():
        raise SlotTaken(slot_id)
    person = Citizen(
        name=citizen.name,
        birth_year=citizen.birth_year,
        address=citizen.address,
        phone=citizen.phone,
        source="chat",
        conversation_id=conversation_id,
    )
    visit = Visit(
        slot=slot,
        citizen=person,
        status="booked",
        booked_by="relative" if relative else "self",
        relation=relative.relation if relative else None,
        relative_name=relative.name if relative else None,
        relative_phone=relative.phone if relative else None,
        conversation_id=conversation_id,
    )
    session.add_all([person, visit])
    try:
        session.flush()
    except IntegrityError as e:
        raise SlotTaken(slot_id) from e
    return visit


def booked_visit_for_conversation(
    session: Session, conversation_id: str
) -> Visit | None:
    """Return the next booked visit made from this conversation, or None."""
    query = (
        select(Visit)
        .join(Slot, Visit.slot_id == Slot.id)
        .where(
            Visit.conversation_id == conversation_id,
            Visit.status == "booked",
            Slot.start > utcnow(),
        )
        .order_by(Slot.start)
    )
    return session.execute(query).scalars().first()


def completed_visit_for_conversation(
    session: Session, conversation_id: str
) -> Visit | None:
    """Return the latest completed visit of this conversation, or None."""
    query = (
        select(Visit)
        .join(Slot, Visit.slot_id == Slot.id)
        .where(Visit.conversation_id == conversation_id, Visit.status == "completed")
        .order_by(Slot.start.desc())
    )
    return session.execute(query).scalars().first()


def visit_awaiting_feedback(session: Session, conversation_id: str) -> Visit | None:
    """The latest completed visit of this conversation that has no feedback yet."""
    has_feedback = exists().where(Feedback.visit_id == Visit.id)
    query = (
        select(Visit)
        .join(Slot, Visit.slot_id == Slot.id)
        .where(Visit.conversation_id == conversation_id, Visit.status == "completed",
               ~has_feedback)
        .order_by(Slot.start.desc())
    )
    return session.execute(query).scalars().first()


def cancel_visit(session: Session, visit_id: int) -> Visit:
    """Cancel a visit, which frees its slot."""
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise LookupError(f"no visit {visit_id}")
    visit.status = "cancelled"
    session.flush()
    return visit


def move_visit(session: Session, visit_id: int, new_slot_id: int) -> Visit:
    """Move a booked visit to another free slot; raise SlotTaken when it is gone."""
    visit = session.get(Visit, visit_id)
    if visit is None or visit.status != "booked":
        raise LookupError(f"no booked visit {visit_id}")
    slot = get_slot(session, new_slot_id)
    if slot is None or slot.start <= utcnow():
        raise SlotTaken(new_slot_id)
    visit.slot = slot
    try:
        session.flush()
    except IntegrityError as e:
        raise SlotTaken(new_slot_id) from e
    return visit


def set_visit_status(session: Session, visit_id: int, status: str) -> Visit:
    """Mark a visit completed, no-show, cancelled or booked."""
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise LookupError(f"no visit {visit_id}")
    visit.status = status
    session.flush()
    return visit


def add_decline(session: Session, **fields: object) -> Decline:
    """Store a declined or postponed offer."""
    decline = Decline(**fields)
    session.add(decline)
    session.flush()
    return decline


def add_feedback(session: Session, **fields: object) -> Feedback:
    """Store a citizen's evaluation."""
    feedback = Feedback(**fields)
    session.add(feedback)
    session.flush()
    return feedback


def add_callback(session: Session, **fields: object) -> CallbackRequest:
    """Store a call-back request."""
    callback = CallbackRequest(**fields)
    session.add(callback)
    session.flush()
    return callback


def mark_callback_handled(session: Session, callback_id: int) -> CallbackRequest:
    """Mark a call-back request as handled now."""
    callback = session.get(CallbackRequest, callback_id)
    if callback is None:
        raise LookupError(f"no call-back request {callback_id}")
    callback.handled_at = utcnow()
    session.flush()
    return callback


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


def import_citizens(session: Session, people: Sequence[CitizenDetails]) -> int:
    """Add citizens from the staff's visit list; return how many."""
    session.add_all(
        Citizen(
            name=p.name, birth_year=p.birth_year, address=p.address, phone=p.phone,
            source="import",
        )
        for p in people
    )
    session.flush()
    return len(people)


def list_visits(session: Session) -> list[Visit]:
    """All visits, by slot time."""
    query = select(Visit).join(Slot, Visit.slot_id == Slot.id).order_by(Slot.start, Visit.id)
    return list(session.execute(query).scalars())


def list_rows(session: Session, model: type) -> list:  # type: ignore[type-arg]
    """All rows of a simple table, oldest first."""
    return list(session.execute(select(model).order_by(model.id)).scalars())


def list_slots(session: Session, *, after: dt.datetime | None = None) -> list[tuple[Slot, bool]]:
    """All slots (optionally from a time), each with whether it is free."""
    query = select(Slot, ~_active_visit_exists()).order_by(Slot.start, Slot.visitor)
    if after is not None:
        query = query.where(Slot.start > after)
    return [(slot, bool(free)) for slot, free in session.execute(query)]
