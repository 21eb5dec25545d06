"""Live takeover: the queue of conversations that asked for a person, claims and hand-backs
(each a conditional UPDATE).

The caller owns the transaction (`with SqlAlchemyUnitOfWork(clock=...) as session:`);
these functions never commit."""

from __future__ import annotations

import datetime as dt
from typing import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fhb.db.models import (
    OPEN_TAKEOVER,
    Takeover,
    TakeoverStatus,
)

# The action server's reply to a request for a person carries {"custom": {this: true}}, so
# the channel server reads the queue again for that message (bot.channels.open_takeovers).
TAKEOVER_REQUESTED = "takeover_requested"


def request_takeover(
    session: Session,
    *,
    conversation_id: str,
    channel: str,
    now: dt.datetime,
    deadline: dt.datetime,
) -> tuple[Takeover, bool]:
    """Put a conversation in the staff queue; (the open takeover, whether it is new).

    Asking again while waiting or while a person is already there adds nothing: the unique
    index on open takeovers makes that hold across processes too.
    """
    existing = open_takeover(session, conversation_id)
    if existing is not None:
        return existing, False
    takeover = Takeover(
        conversation_id=conversation_id,
        channel=channel,
        status=TakeoverStatus.WAITING,
        requested_at=now,
        deadline=deadline,
    )
    try:
        with session.begin_nested():
            session.add(takeover)
    except IntegrityError:  # asked twice at the same moment: the other one won
        existing = open_takeover(session, conversation_id)
        if existing is None:
            raise
        return existing, False
    return takeover, True


def open_takeover(session: Session, conversation_id: str) -> Takeover | None:
    """The waiting or active takeover of a conversation, if any."""
    query = select(Takeover).where(
        Takeover.conversation_id == conversation_id, Takeover.status.in_(OPEN_TAKEOVER)
    )
    return session.execute(query).scalars().first()


def open_takeover_statuses(session: Session) -> dict[str, str]:
    """Every conversation with a waiting or active takeover, and its status (few at a time)."""
    query = select(Takeover.conversation_id, Takeover.status).where(
        Takeover.status.in_(OPEN_TAKEOVER)
    )
    return {conversation: str(status) for conversation, status in session.execute(query)}


def get_takeover(session: Session, takeover_id: int) -> Takeover | None:
    """One takeover by id."""
    return session.get(Takeover, takeover_id)


def waiting_takeovers(session: Session) -> int:
    """How many conversations wait for a person now."""
    query = select(func.count(Takeover.id)).where(Takeover.status == TakeoverStatus.WAITING)
    return int(session.execute(query).scalar_one())


def takeover_queue(session: Session, *, since: dt.datetime) -> list[Takeover]:
    """What staff see: waiting and active takeovers, and those timed out since `since`
    that nobody has taken yet (unless the person has asked again since); waiting ones first,
    oldest first."""
    query = (
        select(Takeover)
        .where(
            (Takeover.status.in_(OPEN_TAKEOVER))
            | ((Takeover.status == TakeoverStatus.TIMED_OUT) & (Takeover.requested_at >= since))
        )
        .order_by(Takeover.requested_at, Takeover.id)
    )
    rows = list(session.execute(query).scalars())
    open_now = {t.conversation_id for t in rows if t.status in OPEN_TAKEOVER}
    rows = [t for t in rows if t.status in OPEN_TAKEOVER or t.conversation_id not in open_now]
    order: dict[str, int] = {
        TakeoverStatus.WAITING: 0,
        TakeoverStatus.ACTIVE: 1,
        TakeoverStatus.TIMED_OUT: 2,
    }
    return sorted(rows, key=lambda t: order.get(str(t.status), 3))


def claim_takeover(
    session: Session, takeover_id: int, username: str, now: dt.datetime
) -> Takeover | None:
    """Take a waiting (or timed-out) conversation; None when someone else was first or it
    was handed back. The status check and the change are one UPDATE, so two staff members
    can never both take the same conversation."""
    try:
        with session.begin_nested():
            result = session.execute(
                update(Takeover)
                .where(
                    Takeover.id == takeover_id,
                    Takeover.status.in_((TakeoverStatus.WAITING, TakeoverStatus.TIMED_OUT)),
                )
                .values(
                    status=TakeoverStatus.ACTIVE, taken_by=username, taken_at=now, last_staff_at=now
                )
                .execution_options(synchronize_session=False)
            )
    except IntegrityError:  # an old timed-out request, and the person has asked again
        return None
    if result.rowcount != 1:
        return None
    session.flush()
    takeover = session.get(Takeover, takeover_id)
    if takeover is not None:
        session.refresh(takeover)
    return takeover


def release_takeover(
    session: Session, takeover_id: int, status: str = TakeoverStatus.WAITING
) -> None:
    """Undo a claim (Rasa could not be paused): back to the queue as it was."""
    takeover = session.get(Takeover, takeover_id)
    if takeover is not None and takeover.status == TakeoverStatus.ACTIVE:
        takeover.status, takeover.taken_by, takeover.taken_at = status, None, None
        takeover.last_staff_at = None
        session.flush()


def end_takeover(
    session: Session,
    takeover_id: int,
    *,
    status: str,
    by: str,
    now: dt.datetime,
    callback_id: int | None = None,
    only_from: Sequence[str] = OPEN_TAKEOVER,
) -> Takeover | None:
    """Close a takeover (handed back, or timed out) when its status is one of `only_from`;
    None otherwise. The check and the change are one conditional UPDATE, so a timeout can
    never close a request a staff member took a moment before."""
    result = session.execute(
        update(Takeover)
        .where(Takeover.id == takeover_id, Takeover.status.in_(tuple(only_from)))
        .values(status=status, ended_at=now, ended_by=by)
        .execution_options(synchronize_session=False)
    )
    takeover = session.get(Takeover, takeover_id)
    if result.rowcount != 1 or takeover is None:
        return None
    session.refresh(takeover)
    if callback_id is not None:
        takeover.callback_id = callback_id
    session.flush()
    return takeover


def touch_takeover(session: Session, takeover_id: int, now: dt.datetime) -> None:
    """Record that staff wrote in this takeover just now (it is not idle)."""
    takeover = session.get(Takeover, takeover_id)
    if takeover is not None:
        takeover.last_staff_at = now
        session.flush()


def overdue_takeovers(session: Session, now: dt.datetime) -> list[Takeover]:
    """Waiting takeovers whose response time has run out."""
    query = (
        select(Takeover)
        .where(Takeover.status == TakeoverStatus.WAITING, Takeover.deadline <= now)
        .order_by(Takeover.id)
    )
    return list(session.execute(query).scalars())


def idle_takeovers(session: Session, before: dt.datetime) -> list[Takeover]:
    """Active takeovers where staff have written nothing since `before` (forgotten)."""
    query = (
        select(Takeover)
        .where(Takeover.status == TakeoverStatus.ACTIVE, Takeover.last_staff_at <= before)
        .order_by(Takeover.id)
    )
    return list(session.execute(query).scalars())
