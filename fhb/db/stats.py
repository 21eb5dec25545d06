"""What is kept of a conversation when its transcript is purged: counts, never text."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from fhb.clock import from_epoch
from fhb.db.models import ConversationStat
from fhb.tracker import ConversationCounts


def keep_counts(session: Session, old: ConversationCounts, now: dt.datetime) -> None:
    """Write or refresh the conversation's stats row (no text).

    A conversation purged before and then taken up again adds its new events to the row.
    Events that start before the row's last time were seen by a run that stopped before
    deleting them: then the larger numbers win, so nothing is counted twice.
    """
    first, last = from_epoch(old.first), from_epoch(old.last)
    row = session.get(ConversationStat, old.conversation_id)
    if row is None:
        session.add(
            ConversationStat(
                conversation_id=old.conversation_id,
                channel=old.channel,
                started_at=first,
                last_at=last,
                events=old.events,
                wanted_person=old.wanted_person,
                fallbacks=old.fallbacks,
                purged_at=now,
            )
        )
        return
    if first > row.last_at:  # new events after an earlier purge
        row.events += old.events
        row.fallbacks += old.fallbacks
    else:  # the same events again (an interrupted run)
        row.events = max(row.events, old.events)
        row.fallbacks = max(row.fallbacks, old.fallbacks)
    row.started_at = min(row.started_at, first)
    row.last_at = max(row.last_at, last)
    row.wanted_person = bool(row.wanted_person or old.wanted_person)
    row.purged_at = now
