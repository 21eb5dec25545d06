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
`fhb.db.contacts.forget_conversation`). Notification texts are the municipality's own standard
messages, not the citizen's words, so they stay too.

The servers' log files (`bot.logs`: redacted, but still a record of who wrote when) go by the
same limit: a log file last written more than `retention_days` ago is deleted. The launcher's
pipe opens a new file when the one it writes to disappears.

The two stores may be different databases, so there is no shared transaction: the stats are
committed first and the events deleted after. If a run stops in between, the next run sees
the same events again; `fhb.db.stats.keep_counts` recognises that overlap and does not
count them twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from pathlib import Path
from typing import Callable, ContextManager

from sqlalchemy.orm import Session

from bot.channels.context import ChannelContext
from bot.logs import LOG_DIR, log_files
from fhb import tracker
from fhb.clock import epoch, naive_utc
from fhb.db import stats

log = logging.getLogger(__name__)

DAY = 24 * 3600
BATCH = 500  # conversations per transaction
UowFactory = Callable[[], ContextManager[Session]]


def purge(
    uow_factory: UowFactory,
    tracker_url: str,
    now: dt.datetime,
    retention_days: int,
    *,
    dry_run: bool = False,
) -> int:
    """Delete conversations whose last event is older than `retention_days`, after keeping
    their stats; return how many conversations (with `dry_run`, only count them)."""
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    now = naive_utc(now)
    old = tracker.idle_since(tracker_url, now - dt.timedelta(days=retention_days))
    if dry_run:
        return len(old)
    for i in range(0, len(old), BATCH):
        batch = old[i : i + BATCH]
        with uow_factory() as session:
            for conversation in batch:
                stats.keep_counts(session, conversation, now)
        tracker.delete_counted(tracker_url, batch)
    if old:
        log.info("retention: %d conversations older than %d days deleted", len(old), retention_days)
    return len(old)


def purge_logs(
    log_dir: Path, now: dt.datetime, retention_days: int, *, dry_run: bool = False
) -> int:
    """Delete the log files in `log_dir` last written more than `retention_days` before
    `now`; return how many (with `dry_run`, only count them)."""
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    limit = epoch(now) - retention_days * DAY
    old = [path for path in log_files(log_dir) if path.stat().st_mtime < limit]
    if dry_run:
        return len(old)
    for path in old:
        path.unlink(missing_ok=True)
    if old:
        log.info("retention: %d log files older than %d days deleted", len(old), retention_days)
    return len(old)


async def purge_once(ctx: ChannelContext, *, log_dir: Path = LOG_DIR) -> int:
    """One purge with the context's clock, profile and stores (off the event loop): the
    conversations, then the log files; returns how many conversations were deleted."""
    now, days = ctx.clock(), ctx.profile.retention_days
    count = await asyncio.to_thread(purge, ctx.uow_factory, ctx.settings.tracker_url, now, days)
    await asyncio.to_thread(purge_logs, log_dir, now, days)
    return count


async def purge_daily(ctx: ChannelContext, *, every: float = DAY, log_dir: Path = LOG_DIR) -> None:
    """Purge at start and then every `every` seconds until cancelled; never die. With
    several channel servers only the one holding the "retention" lease purges."""
    lease = dt.timedelta(seconds=every * 0.9)
    while True:
        try:
            if await asyncio.to_thread(ctx.leads, "retention", lease):
                await purge_once(ctx, log_dir=log_dir)
        except Exception as e:  # noqa: BLE001 - the daily job must survive any failure
            log.error("retention purge failed: %s", type(e).__name__)
        await asyncio.sleep(every)
