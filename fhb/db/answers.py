"""What people answer besides a booking: declines, feedback and call-back requests.

The caller owns the transaction (`with SqlAlchemyUnitOfWork(clock=...) as session:`);
these functions never commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fhb.db.engine import session_now
from fhb.db.models import (
    CallbackRequest,
    Decline,
    Feedback,
)


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
    callback.handled_at = session_now(session)
    session.flush()
    return callback
