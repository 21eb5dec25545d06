"""Messages the system starts, each claimed once before it is sent.

The caller owns the transaction (`with SqlAlchemyUnitOfWork(clock=...) as session:`);
these functions never commit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fhb.db.engine import session_now
from fhb.db.models import (
    Notification,
    NotificationStatus,
)


def claim_notification(
    session: Session,
    *,
    kind: str,
    ref: str,
    conversation_id: str,
    channel: str,
    text: str,
    buttons: str | None,
    status: str = NotificationStatus.SENDING,
) -> Notification | None:
    """Record a message before it is sent; None when (kind, ref) was claimed before."""
    note = Notification(
        kind=kind,
        ref=ref,
        conversation_id=conversation_id,
        channel=channel,
        text=text,
        buttons=buttons,
        status=status,
    )
    try:
        with session.begin_nested():
            session.add(note)
    except IntegrityError:
        return None
    return note


def notification_claimed(session: Session, kind: str, ref: str) -> bool:
    """Tell whether (kind, ref) was ever claimed."""
    query = select(Notification.id).where(Notification.kind == kind, Notification.ref == ref)
    return session.execute(query).first() is not None


def set_notification_status(session: Session, notification_id: int, status: str) -> None:
    """Mark a notification sent, delivered or failed."""
    note = session.get(Notification, notification_id)
    if note is not None:
        note.status = status
        note.sent_at = session_now(session)
        session.flush()


def queued_notifications(session: Session, conversation_id: str) -> list[Notification]:
    """Web messages waiting for the page to fetch them, oldest first."""
    query = (
        select(Notification)
        .where(
            Notification.conversation_id == conversation_id,
            Notification.status == NotificationStatus.QUEUED,
        )
        .order_by(Notification.id)
    )
    return list(session.execute(query).scalars())


def notifications_for(session: Session, conversation_id: str) -> list[Notification]:
    """Every system-started message of a conversation that still has its text."""
    query = (
        select(Notification)
        .where(Notification.conversation_id == conversation_id, Notification.text.is_not(None))
        .order_by(Notification.id)
    )
    return list(session.execute(query).scalars())
