"""Visits: booking (a slot once, never in the past), moving, cancelling, marking the outcome.

The caller owns the transaction (`with SqlAlchemyUnitOfWork(clock=...) as session:`);
these functions never commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fhb.db.engine import session_now
from fhb.db.models import (
    Citizen,
    Feedback,
    Slot,
    Visit,
    VisitStatus,
)
from fhb.db.slots import get_slot


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


def book_visit(
    session: Session,
    *,
    slot_id: int,
    citizen: CitizenDetails,
    conversation_id: str,
    relative: RelativeDetails | None = None,
    citizen_id: int | None = None,
) -> Visit:
    """Book the slot; raise SlotTaken when it is gone. The unique index decides races.

    With `citizen_id` (a chat linked by an invitation code) the visit is booked for that
    citizen on the visit list, with any detail corrected in the chat; else a new citizen.
    """
    slot = get_slot(session, slot_id)
    if slot is None or slot.start <= session_now(session):
        raise SlotTaken(slot_id)
    person = session.get(Citizen, citizen_id) if citizen_id is not None else None
    if person is None:
        person = Citizen(name=citizen.name, source="chat", conversation_id=conversation_id)
    person.birth_year = citizen.birth_year or person.birth_year
    person.address = citizen.address or person.address
    person.phone = citizen.phone or person.phone
    visit = Visit(
        slot=slot,
        citizen=person,
        status=VisitStatus.BOOKED,
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


def booked_visit_for_conversation(session: Session, conversation_id: str) -> Visit | None:
    """Return the next booked visit made from this conversation, or None."""
    query = (
        select(Visit)
        .join(Slot, Visit.slot_id == Slot.id)
        .where(
            Visit.conversation_id == conversation_id,
            Visit.status == VisitStatus.BOOKED,
            Slot.start > session_now(session),
        )
        .order_by(Slot.start)
    )
    return session.execute(query).scalars().first()


def visit_booked_since(session: Session, conversation_id: str, since: dt.datetime) -> Visit | None:
    """The visit this conversation booked (or moved to) at or after `since` (naive UTC),
    if any: what the channel tells a person whose confirmation timed out."""
    query = (
        select(Visit)
        .where(
            Visit.conversation_id == conversation_id,
            Visit.status == VisitStatus.BOOKED,
            (Visit.created_at >= since) | (Visit.updated_at >= since),
        )
        .order_by(Visit.id.desc())
    )
    return session.execute(query).scalars().first()


def booked_visit_at(session: Session, conversation_id: str, slot_id: int) -> Visit | None:
    """This conversation's booked visit at this slot, or None (makes a booking idempotent)."""
    query = select(Visit).where(
        Visit.conversation_id == conversation_id,
        Visit.slot_id == slot_id,
        Visit.status == VisitStatus.BOOKED,
    )
    return session.execute(query).scalars().first()


def completed_visit_for_conversation(session: Session, conversation_id: str) -> Visit | None:
    """Return the latest completed visit of this conversation, or None."""
    query = (
        select(Visit)
        .join(Slot, Visit.slot_id == Slot.id)
        .where(Visit.conversation_id == conversation_id, Visit.status == VisitStatus.COMPLETED)
        .order_by(Slot.start.desc())
    )
    return session.execute(query).scalars().first()


def visit_awaiting_feedback(session: Session, conversation_id: str) -> Visit | None:
    """The latest completed visit of this conversation that has no feedback yet."""
    has_feedback = exists().where(Feedback.visit_id == Visit.id)
    query = (
        select(Visit)
        .join(Slot, Visit.slot_id == Slot.id)
        .where(
            Visit.conversation_id == conversation_id,
            Visit.status == VisitStatus.COMPLETED,
            ~has_feedback,
        )
        .order_by(Slot.start.desc())
    )
    return session.execute(query).scalars().first()


def cancel_visit(session: Session, visit_id: int) -> Visit:
    """Cancel a visit, which frees its slot."""
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise LookupError(f"no visit {visit_id}")
    visit.status = VisitStatus.CANCELLED
    session.flush()
    return visit


def move_visit(session: Session, visit_id: int, new_slot_id: int) -> Visit:
    """Move a booked visit to another free slot; raise SlotTaken when it is gone."""
    visit = session.get(Visit, visit_id)
    if visit is None or visit.status != VisitStatus.BOOKED:
        raise LookupError(f"no booked visit {visit_id}")
    slot = get_slot(session, new_slot_id)
    if slot is None or slot.start <= session_now(session):
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


def list_visits(session: Session) -> list[Visit]:
    """All visits, by slot time."""
    query = select(Visit).join(Slot, Visit.slot_id == Slot.id).order_by(Slot.start, Visit.id)
    return list(session.execute(query).scalars())


def get_visit(session: Session, visit_id: int) -> Visit | None:
    """The visit with this id (its slot and citizen loaded), or None."""
    return session.get(Visit, visit_id)


def complete_visit(
    session: Session,
    visit_id: int,
    *,
    referred: bool,
    interpreter_used: bool,
    joined_activity: bool,
    at: dt.datetime | None = None,
) -> Visit:
    """Mark a visit completed with its outcome (which also makes it due for feedback)."""
    visit = session.get(Visit, visit_id)
    if visit is None or visit.status not in (
        VisitStatus.BOOKED,
        VisitStatus.COMPLETED,
        VisitStatus.NO_SHOW,
    ):
        raise LookupError(f"no visit {visit_id} that can be completed")
    visit.status = VisitStatus.COMPLETED
    visit.completed_at = at or session_now(session)
    visit.referred = referred
    visit.interpreter_used = interpreter_used
    visit.joined_activity = joined_activity
    session.flush()
    return visit


def mark_no_show(session: Session, visit_id: int) -> Visit:
    """Mark a visit as a no-show, clearing any outcome recorded before."""
    visit = session.get(Visit, visit_id)
    if visit is None or visit.status not in (
        VisitStatus.BOOKED,
        VisitStatus.COMPLETED,
        VisitStatus.NO_SHOW,
    ):
        raise LookupError(f"no visit {visit_id} that can be a no-show")
    visit.status = VisitStatus.NO_SHOW
    visit.completed_at = visit.referred = visit.interpreter_used = None
    visit.joined_activity = None
    session.flush()
    return visit
