"""Rasa's SQL tracker store, configured by one URL (FHB_TRACKER_URL) like the visit DB."""

from __future__ import annotations

import asyncio
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, TypeVar

import rasa.core.agent as rasa_agent
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.engine import make_url

import bot.rasa_patches  # noqa: F401 - Rasa loads this module: apply the patches
from fhb.settings import get_settings

log = logging.getLogger(__name__)
T = TypeVar("T")


class UrlSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose connection comes from a SQLAlchemy URL."""

    def __init__(
        self,
        domain: Any = None,
        url: str | None = None,
        event_broker: Any = None,
        **kwargs: Any,
    ) -> None:
        parsed = make_url(url or get_settings().tracker_url)
        super().__init__(
            domain=domain,
            dialect=parsed.drivername,
            host=parsed.host,
            port=parsed.port,
            db=parsed.database,
            username=parsed.username,
            password=parsed.password,
            event_broker=event_broker,
            query=dict(parsed.query),
        )
        # Test each pooled connection before use: after the database was restarted or
        # unreachable, the next message opens a new connection instead of failing on a
        # dead one (each Rasa process would otherwise fail one message per connection).
        self.engine.pool._pre_ping = True
        # The database calls run in worker threads, so the Rasa server goes on with other
        # conversations while one waits for the database (a SQLite file takes one writer
        # at a time: one thread).
        self._db_threads = ThreadPoolExecutor(
            max_workers=1 if parsed.drivername.startswith("sqlite") else 4,
            thread_name_prefix="tracker-db",
        )

    # A turn reads the conversation once and writes it at least once. Rasa's own code
    # builds an ORM object per stored event on read, counts the stored events with one more
    # query before every write, writes each event through the ORM's unit of work, and
    # does all of it in the server's event loop, which waits for each round trip and for
    # the commit: under load a quarter of the Rasa process's time (issue 12, py-spy).
    # Here the read takes only the event column, the write is one multi-row INSERT, the
    # tracker remembers how many of its events are stored (the count query is only the
    # fall-back), and the database work runs in a worker thread.

    async def _in_thread(self, work: Callable[[], T]) -> T:
        """Run blocking database work in a worker thread and wait for it."""
        return await asyncio.get_running_loop().run_in_executor(self._db_threads, work)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """The conversation (its latest session, or all), or None when it has no events."""

        def read() -> list[Any]:
            with self.session_scope() as session:
                query = self._event_query(session, sender_id, fetch_events_from_all_sessions)
                return [json.loads(data) for (data,) in query.with_entities(self.SQLEvent.data)]

        events = await self._in_thread(read)
        if not (self.domain and events):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if not fetch_events_from_all_sessions:
            stored_events(tracker, len(events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the tracker's events that are not stored yet, in one INSERT."""
        await self.stream_events(tracker)
        sender_id, events = tracker.sender_id, list(tracker.events)
        stored = stored_events(tracker)

        def write() -> None:
            with self.session_scope() as session:
                first = stored
                if first is None:  # not read by this store: count what the database has
                    first = self._event_query(session, sender_id, False).count()
                rows = [event_row(sender_id, event) for event in events[first:]]
                if rows:
                    session.execute(self.SQLEvent.__table__.insert(), rows)
                    session.commit()

        await self._in_thread(write)
        stored_events(tracker, len(events))


STORED_EVENTS = "_fhb_stored_events"


def stored_events(tracker: DialogueStateTracker, count: int | None = None) -> int | None:
    """How many of the tracker's events (from the start of its list) are in the database;
    with `count`, record that many."""
    if count is not None:
        setattr(tracker, STORED_EVENTS, count)
    return getattr(tracker, STORED_EVENTS, None)


def event_row(sender_id: str, event: Any) -> dict[str, Any]:
    """The events table's row for one event, as Rasa's SQLTrackerStore writes it."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


class TrackerStoreUnavailable(RuntimeError):
    """The tracker database failed: the message gets an apology, not an answer that has
    forgotten the conversation."""


class StrictFailSafeTrackerStore(FailSafeTrackerStore):
    """Rasa's FailSafeTrackerStore without the silent fall-back to memory.

    Rasa wraps every tracker store in FailSafeTrackerStore, which on a database error
    answers out of an empty in-memory tracker: the person gets a reply that has forgotten
    the conversation, and the turn never reaches the transcript. Here the error propagates,
    Rasa's webhook answers 500, and the channel tells the person it is not sure what was
    registered (bot.channels.context.ChannelContext.after_failure).
    """

    def _fail(self, error: Exception) -> TrackerStoreUnavailable:
        log.error("the tracker store failed: %s", type(error).__name__)
        return TrackerStoreUnavailable(type(error).__name__)

    async def retrieve(self, sender_id: str) -> Any:
        """The tracker, or TrackerStoreUnavailable (never None for a failed database)."""
        try:
            return await self._tracker_store.retrieve(sender_id)
        except Exception as e:
            raise self._fail(e) from e

    async def retrieve_full_tracker(self, sender_id: str) -> Any:
        """The full tracker, or TrackerStoreUnavailable."""
        try:
            return await self._tracker_store.retrieve_full_tracker(sender_id)
        except Exception as e:
            raise self._fail(e) from e

    async def keys(self) -> Any:
        """The conversation ids, or TrackerStoreUnavailable."""
        try:
            return await self._tracker_store.keys()
        except Exception as e:
            raise self._fail(e) from e

    async def save(self, tracker: Any) -> None:
        """Save, or TrackerStoreUnavailable (never to memory)."""
        try:
            await self._tracker_store.save(tracker)
        except Exception as e:
            raise self._fail(e) from e


# Rasa's Agent wraps the store it loads (this class, named in endpoints.yml) in the
# fail-safe store it imported; this module is imported before that happens.
rasa_agent.FailSafeTrackerStore = StrictFailSafeTrackerStore
