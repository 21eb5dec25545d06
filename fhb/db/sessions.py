"""Staff sessions kept in the visit database: one row per logged-in browser.

The browser's signed cookie carries a random token; the table keeps only the token's SHA-256,
so a copy of the table gives no working cookie. Every staff page looks its session up here,
so deleting the row (logout, deactivation) ends the session at once, and a cookie copied
before that no longer works.

The caller owns the transaction (`with SqlAlchemyUnitOfWork(clock=...) as session:`);
these functions never commit."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import delete, false, select
from sqlalchemy.orm import Session

from fhb.db.models import StaffSession, StaffUser


def session_key(token: str) -> str:
    """The stored key of a session token (hex SHA-256)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_session(session: Session, *, token: str, user_id: int, expires_at: dt.datetime) -> None:
    """Store a new session for the account `user_id`, valid until `expires_at` (naive UTC)."""
    session.add(StaffSession(id=session_key(token), user_id=user_id, expires_at=expires_at))
    session.flush()


def session_user(
    session: Session,
    token: str,
    *,
    now: dt.datetime,
    idle: dt.timedelta | None = None,
    max_age: dt.timedelta | None = None,
) -> StaffUser | None:
    """The active account of an unexpired session, or None (unknown, ended, expired,
    or the account is deactivated).

    With `idle`, the session is in use: it now runs out `idle` after this moment, but never
    later than `max_age` after it started. A browser left alone longer than `idle` is
    logged out; one in use all day is logged out after `max_age`.
    """
    query = (
        select(StaffSession, StaffUser)
        .join(StaffUser, StaffSession.user_id == StaffUser.id)
        .where(
            StaffSession.id == session_key(token),
            StaffSession.expires_at > now,
            StaffUser.disabled == false(),
        )
    )
    row = session.execute(query).one_or_none()
    if row is None:
        return None
    staff_session, user = row
    if idle is not None:
        until = now + idle
        if max_age is not None:
            until = min(until, staff_session.created_at + max_age)
        if until > staff_session.expires_at:
            staff_session.expires_at = until
    return user


def end_session(session: Session, token: str) -> None:
    """End one session (logout)."""
    session.execute(delete(StaffSession).where(StaffSession.id == session_key(token)))


def end_sessions_of(session: Session, user_id: int) -> int:
    """End every session of an account (deactivation); how many there were."""
    result = session.execute(delete(StaffSession).where(StaffSession.user_id == user_id))
    return int(result.rowcount)


def purge_expired(session: Session, *, now: dt.datetime) -> int:
    """Delete the sessions that have run out; how many."""
    result = session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))
    return int(result.rowcount)
