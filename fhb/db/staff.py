"""Staff accounts, the append-only access log and reviewed conversations.

The caller owns the transaction (`with SqlAlchemyUnitOfWork(clock=...) as session:`);
these functions never commit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fhb.db.engine import session_now
from fhb.db.models import (
    AccessLogEntry,
    ConversationReview,
    StaffUser,
)


def add_staff_user(session: Session, *, username: str, password_hash: str, role: str) -> StaffUser:
    """Create a staff account; raise ValueError when the user name is taken."""
    user = StaffUser(username=username, password_hash=password_hash, role=role)
    try:
        with session.begin_nested():
            session.add(user)
    except IntegrityError as e:
        raise ValueError(f"user {username!r} exists") from e
    return user


def staff_user(session: Session, username: str) -> StaffUser | None:
    """The account with this user name, or None."""
    query = select(StaffUser).where(StaffUser.username == username)
    return session.execute(query).scalar_one_or_none()


def list_staff_users(session: Session) -> list[StaffUser]:
    """Every account, by user name."""
    return list(session.execute(select(StaffUser).order_by(StaffUser.username)).scalars())


def log_access(
    session: Session, *, username: str, action: str, target: str, reason: str | None = None
) -> AccessLogEntry:
    """Append one row to the access log (the database forbids changing or deleting rows)."""
    entry = AccessLogEntry(
        username=username,
        action=action,
        target=target[:200],
        reason=reason[:200] if reason else None,
    )
    session.add(entry)
    session.flush()
    return entry


def access_log(session: Session, *, limit: int | None = None) -> list[AccessLogEntry]:
    """The access log, newest first."""
    query = select(AccessLogEntry).order_by(AccessLogEntry.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query).scalars())


def mark_reviewed(session: Session, conversation_id: str, username: str) -> None:
    """Record that a staff member has reviewed the conversation (the latest review counts)."""
    review = session.get(ConversationReview, conversation_id)
    if review is None:
        session.add(ConversationReview(conversation_id=conversation_id, reviewed_by=username))
    else:
        review.reviewed_by, review.reviewed_at = username, session_now(session)
    session.flush()


def review_of(session: Session, conversation_id: str) -> ConversationReview | None:
    """Who reviewed the conversation and when, or None."""
    return session.get(ConversationReview, conversation_id)


def reviewed_conversations(session: Session) -> set[str]:
    """Ids of every reviewed conversation."""
    return set(session.execute(select(ConversationReview.conversation_id)).scalars())
