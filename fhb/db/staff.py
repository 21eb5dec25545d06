"""Staff accounts, the append-only access log and reviewed conversations.

The caller owns the transaction (`with SqlAlchemyUnitOfWork(clock=...) as session:`);
these functions never commit."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import DateTime, case, false, literal, null, or_, select, update
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


class Attempt(enum.Enum):
    """What a login attempt may do: check the password, or stop (locked, no such account)."""

    CHECK = "check"
    LOCKED = "locked"
    UNKNOWN = "unknown"


def claim_login_attempt(
    session: Session, username: str, *, now: dt.datetime, max_tries: int, lock_until: dt.datetime
) -> tuple[Attempt, StaffUser | None]:
    """Count a login attempt *before* its password is checked, in one conditional UPDATE.

    The attempt counts as failed until `login_succeeded` resets it. The try that reaches
    `max_tries` also sets the lock, so attempts running in parallel can never check more
    than `max_tries` passwords per lock: the database serialises the UPDATEs on the row, and
    each reads the count the one before it wrote. A lock that has run out starts the count
    again at 1. Returns (CHECK, the account), (LOCKED, None) or (UNKNOWN, None): no account
    by that name, or it is deactivated. `now` and `lock_until` are naive UTC.

    On SQLite the UPDATE is the transaction's first statement, so it takes the write lock
    at once (waiting for it, never failing on a stale read).
    """
    unlocked = or_(StaffUser.locked_until.is_(None), StaffUser.locked_until <= now)
    tries = case((StaffUser.locked_until.is_not(None), 1), else_=StaffUser.failed_logins + 1)
    claim = (
        update(StaffUser)
        .where(StaffUser.username == username, StaffUser.disabled == false(), unlocked)
        .values(
            failed_logins=tries,
            locked_until=case((tries >= max_tries, literal(lock_until, DateTime())), else_=null()),
        )
        .execution_options(synchronize_session=False)
    )
    claimed = session.execute(claim).rowcount == 1
    user = staff_user(session, username)
    if claimed and user is not None:
        return Attempt.CHECK, user
    if user is None or user.disabled:
        return Attempt.UNKNOWN, None
    return Attempt.LOCKED, None


def login_succeeded(session: Session, user_id: int) -> StaffUser | None:
    """Reset the failure count and any lock after a right password; the account, or None
    when it is gone or was deactivated meanwhile."""
    user = session.get(StaffUser, user_id)
    if user is None or user.disabled:
        return None
    user.failed_logins, user.locked_until = 0, None
    session.flush()
    return user


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
