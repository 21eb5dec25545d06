"""Retention: conversations older than the profile's `retention_days` are deleted from Rasa's
tracker store, daily by the channel server and on demand by `fhb purge`.

A conversation is old when its LAST event is older than the limit, so a conversation still
going on is never cut. Before its events are deleted, what the evaluation report needs is
written to `conversation_stats` (channel, first and last time, number of events, whether a
person was asked for, fallbacks; no text, no personal data), so the report's numbers are the
same before and after a purge.

Only the tracker events go. The visit database keeps the rest on purpose: visits, declines,
feedback and call-backs must be kept by the municipality; the channel contact and the
invitation link are what the scheduler needs to send a reminder or a feedback request for a
visit booked months ago (unlike /slett, which is the citizen's wish to be forgotten and uses
`repository.forget_conversation`). Notification texts are the municipality's own standard
messages, not the citizen's words, so they stay too.

The two stores may be different databases, so there is no shared transaction: the stats are
committed first and the events deleted after. If a run stops in between, the next run sees
the same events again; `keep_stats` recognises that overlap and does not count them twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from typing import Callable, ContextManager

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.orm import Session

from actions.models import ConversationStat
from bot.context import ChannelContext
from bot.relay import channel_of

log = logging.getLogger(__name__)

DAY = 24 * 3600
BATCH = 500  # conversations per transaction
UowFactory = Callable[[], ContextManager[Session]]


@dataclass(frozen=True)
class OldConversation:
    """The numbers of one conversation's events, read just before they are deleted."""

    conversation_id: str
    first: float  # epoch seconds
    last: float
    events: int
    wanted_person: bool
    fallbacks: int

    @property
    def channel(self) -> str:
        """telegram, web or cli, from the conversation id's prefix (else 'other')."""
        return channel_of(self.conversation_id)


def _naive_utc(epoch: float) -> dt.datetime:
    """Epoch seconds as naive UTC (how the visit database stores time)."""
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).replace(tzinfo=None)


def _epoch(when: dt.datetime) -> float:
    """A time (naive means UTC) as epoch seconds."""
    return (when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)).timestamp()


def old_conversations(tracker_url: str, cutoff: dt.datetime) -> list[OldConversation]:
    """Conversations whose last event is before `cutoff`, oldest first (one grouped query)."""
    engine = create_engine(tracker_url, future=True)
    try:
        if not inspect(engine).has_table("events"):
            return []
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT sender_id, MIN(timestamp), MAX(timestamp), COUNT(*), "
                "SUM(CASE WHEN intent_name = 'request_human' "
                "OR action_name = 'action_human_handoff' THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN intent_name = 'nlu_fallback' THEN 1 ELSE 0 END) "
                "FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff "
                "ORDER BY MAX(timestamp)"), {"cutoff": _epoch(cutoff)}).all()
    finally:
        engine.dispose()
    return [OldConversation(str(cid), float(first), float(last), int(n), bool(person),
                            int(fallbacks or 0))
            for cid, first, last, n, person, fallbacks in rows]


def keep_stats(session: Session, old: OldConversation, now: dt.datetime) -> None:
    """Write or refresh the conversation's stats row (no text).

    A conversation purged before and then taken up again adds its new events to the row.
    Events that start before the row's last time were seen by a run that stopped before
    deleting them: then the larger numbers win, so nothing is counted twice.
    """
    first, last = _naive_utc(old.first), _naive_utc(old.last)
    row = session.get(ConversationStat, old.conversation_id)
    if row is None:
        session.add(ConversationStat(
            conversation_id=old.conversation_id, channel=old.channel, started_at=first,
            last_at=last, events=old.events, wanted_person=old.wanted_person,
            fallbacks=old.fallbacks, purged_at=now))
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


def delete_events(tracker_url: str, batch: list[OldConversation]) -> int:
    """Delete the events that were counted: up to each conversation's last counted time, so
    a message arriving meanwhile survives (and is counted by a later purge)."""
    engine = create_engine(tracker_url, future=True)
    try:
        with engine.begin() as conn:
            deleted = 0
            for old in batch:
                result = conn.execute(
                    text("DELETE FROM events WHERE sender_id = :sid AND timestamp <= :last"),
                    {"sid": old.conversation_id, "last": old.last})
                deleted += int(result.rowcount or 0)
            return deleted
    finally:
        engine.dispose()


def purge(uow_factory: UowFactory, tracker_url: str, now: dt.datetime, retention_days: int,
          *, dry_run: bool = False) -> int:
    """Delete conversations whose last event is older than `retention_days`, after keeping
    their stats; return how many conversations (with `dry_run`, only count them)."""
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    now = now.astimezone(dt.timezone.utc).replace(tzinfo=None) if now.tzinfo else now
    old = old_conversations(tracker_url, now - dt.timedelta(days=retention_days))
    if dry_run:
        return len(old)
    for i in range(0, len(old), BATCH):
        batch = old[i:i + BATCH]
        with uow_factory() as session:
            for conversation in batch:
                keep_stats(session, conversation, now)
        delete_events(tracker_url, batch)
    if old:
        log.info("retention: %d conversations older than %d days deleted", len(old),
                 retention_days)
    return len(old)


async def purge_once(ctx: ChannelContext) -> int:
    """One purge with the context's clock, profile and stores (off the event loop)."""
    return await asyncio.to_thread(purge, ctx.uow_factory, ctx.settings.tracker_url,
                                   ctx.clock(), ctx.profile.retention_days)


async def purge_daily(ctx: ChannelContext, *, every: float = DAY) -> None:
    """Purge at start and then every `every` seconds until cancelled; never die."""
    while True:
        try:
            await purge_once(ctx)
        except Exception as e:  # noqa: BLE001 - the daily job must survive any failure
            log.error("retention purge failed: %s", type(e).__name__)
        await asyncio.sleep(every)
