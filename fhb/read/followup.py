"""Follow-up: what staff and the scheduler must act on (call-backs, postponed offers)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from fhb.db.models import CallbackRequest, Decline, Visit, VisitStatus


def open_callbacks(session: Session) -> list[CallbackRequest]:
    """Call-back requests not handled yet, oldest first."""
    query = (
        select(CallbackRequest)
        .where(CallbackRequest.handled_at.is_(None))
        .order_by(CallbackRequest.created_at, CallbackRequest.id)
    )
    return list(session.execute(query).scalars())


def declines_due(
    session: Session, *, until: dt.date, since: dt.date | None = None
) -> list[Decline]:
    """Postponed offers that are due: the person asked to be contacted later, the date has
    come by `until` (and, with `since`, not before it), soonest first.

    This is the one definition of "due", for the follow-up page and for the scheduler's new
    offers alike. Only the newest answer of a conversation counts (a later "no, thanks"
    wins), and none whose conversation has booked or had a visit since the decline.
    """
    newer = aliased(Decline)
    has_newer = exists().where(
        and_(newer.conversation_id == Decline.conversation_id, newer.id > Decline.id)
    )
    visit_since = exists().where(
        and_(
            Visit.conversation_id == Decline.conversation_id,
            Visit.status.in_((VisitStatus.BOOKED, VisitStatus.COMPLETED)),
            Visit.created_at >= Decline.created_at,
        )
    )
    conditions = [
        Decline.wants_later.is_(True),
        Decline.later_date.is_not(None),
        Decline.later_date <= until,
        ~has_newer,
        ~visit_since,
    ]
    if since is not None:
        conditions.append(Decline.later_date >= since)
    query = select(Decline).where(*conditions).order_by(Decline.later_date, Decline.id)
    return list(session.execute(query).scalars())


def decline_counts(session: Session) -> dict[str, int]:
    """How many declines there are of each reason."""
    query = select(Decline.reason, func.count(Decline.id)).group_by(Decline.reason)
    return {reason: int(count) for reason, count in session.execute(query)}
