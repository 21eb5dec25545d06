"""Where a conversation can be reached (its channel), and forgetting a chat.

The caller owns the transaction (`with SqlAlchemyUnitOfWork(clock=...) as session:`);
these functions never commit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fhb.db.engine import session_now
from fhb.db.models import (
    ChannelContact,
    Invitation,
    Notification,
    TakeoverStatus,
)
from fhb.db.takeovers import open_takeover


def touch_contact(session: Session, conversation_id: str, channel: str, address: str) -> None:
    """Remember (or refresh) where this conversation lives, for messages the system starts."""
    contact = session.get(ChannelContact, conversation_id)
    if contact is None:
        session.add(
            ChannelContact(conversation_id=conversation_id, channel=channel, address=str(address))
        )
    else:
        contact.channel, contact.address, contact.last_seen_at = (
            channel,
            str(address),
            session_now(session),
        )
    session.flush()


def contact_for(session: Session, conversation_id: str) -> ChannelContact | None:
    """Where the conversation can be reached, or None (never chatted, or erased)."""
    return session.get(ChannelContact, conversation_id)


def forget_conversation(session: Session, conversation_id: str) -> None:
    """Unlink a chat (/slett): no contact, no citizen link, no texts of sent messages.

    Visits, declines, feedback and call-backs stay: the municipality must keep them.
    The notification rows stay without their text, so nothing is sent twice.
    """
    contact = session.get(ChannelContact, conversation_id)
    if contact is not None:
        session.delete(contact)
    for invitation in session.execute(
        select(Invitation).where(Invitation.conversation_id == conversation_id)
    ).scalars():
        invitation.conversation_id = None
        invitation.linked_at = None
    for note in session.execute(
        select(Notification).where(Notification.conversation_id == conversation_id)
    ).scalars():
        note.text = None
        note.buttons = None
    takeover = open_takeover(session, conversation_id)
    if takeover is not None:  # nobody can answer an erased chat
        takeover.status, takeover.ended_at, takeover.ended_by = (
            TakeoverStatus.CLOSED,
            session_now(session),
            "citizen",
        )
    session.flush()
