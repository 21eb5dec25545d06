"""Citizens on the visit list and their invitation codes; the phone number a conversation gave.

The caller owns the transaction (`with SqlAlchemyUnitOfWork(clock=...) as session:`);
these functions never commit."""

from __future__ import annotations

from typing import Sequence

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from fhb.db.engine import session_now
from fhb.db.models import (
    CallbackRequest,
    Citizen,
    Decline,
    Invitation,
    Visit,
)
from fhb.db.visits import CitizenDetails


def import_citizens(session: Session, people: Sequence[CitizenDetails]) -> int:
    """Add citizens from the staff's visit list; return how many."""
    session.add_all(
        Citizen(
            name=p.name,
            birth_year=p.birth_year,
            address=p.address,
            phone=p.phone,
            source="import",
        )
        for p in people
    )
    session.flush()
    return len(people)


def invitation_by_code(session: Session, code: str) -> Invitation | None:
    """The invitation with this code (codes are stored upper-case without separators)."""
    return session.execute(select(Invitation).where(Invitation.code == code)).scalar_one_or_none()


def link_invitation(session: Session, code: str, conversation_id: str) -> Citizen | None:
    """Link the conversation to the citizen of `code`; None when the code is unknown."""
    invitation = invitation_by_code(session, code)
    if invitation is None:
        return None
    invitation.conversation_id = conversation_id
    invitation.linked_at = session_now(session)
    return invitation.citizen


def linked_citizen(session: Session, conversation_id: str) -> Citizen | None:
    """The citizen this conversation was linked to by an invitation code, if any."""
    query = (
        select(Invitation)
        .where(Invitation.conversation_id == conversation_id)
        .order_by(Invitation.linked_at.desc())
    )
    invitation = session.execute(query).scalars().first()
    return invitation.citizen if invitation else None


def citizens_without_invitation(session: Session) -> list[Citizen]:
    """Imported citizens who have no invitation code yet, in import order."""
    has_code = exists().where(Invitation.citizen_id == Citizen.id)
    query = select(Citizen).where(Citizen.source == "import", ~has_code).order_by(Citizen.id)
    return list(session.execute(query).scalars())


def add_invitation(session: Session, citizen_id: int, code: str) -> Invitation:
    """Give a citizen a code; the unique constraints refuse a second code or a reused one."""
    invitation = Invitation(citizen_id=citizen_id, code=code)
    session.add(invitation)
    session.flush()
    return invitation


def known_phone(session: Session, conversation_id: str) -> tuple[str | None, str | None]:
    """The newest (name, phone) this conversation gave or is linked to, or (None, None).

    Looked for in call-back requests, bookings (the relative's number when a relative
    booked), declines, and the citizen linked by the invitation code.
    """
    callback = (
        session.execute(
            select(CallbackRequest)
            .where(CallbackRequest.conversation_id == conversation_id)
            .order_by(CallbackRequest.id.desc())
        )
        .scalars()
        .first()
    )
    if callback is not None:
        return callback.name, callback.phone
    visit = (
        session.execute(
            select(Visit).where(Visit.conversation_id == conversation_id).order_by(Visit.id.desc())
        )
        .scalars()
        .first()
    )
    if visit is not None:
        if visit.booked_by == "relative" and visit.relative_phone:
            return visit.relative_name, visit.relative_phone
        if visit.citizen is not None and visit.citizen.phone:
            return visit.citizen.name, visit.citizen.phone
    decline = (
        session.execute(
            select(Decline)
            .where(Decline.conversation_id == conversation_id, Decline.phone.is_not(None))
            .order_by(Decline.id.desc())
        )
        .scalars()
        .first()
    )
    if decline is not None:
        return decline.citizen_name, decline.phone
    citizen = linked_citizen(session, conversation_id)
    if citizen is not None and citizen.phone:
        return citizen.name, citizen.phone
    return None, None
