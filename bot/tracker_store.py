"""Rasa's SQL tracker store, configured by one URL (FHB_TRACKER_URL) like the visit DB."""

from __future__ import annotations

import logging
from typing import Any

import rasa.core.agent as rasa_agent
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from sqlalchemy.engine import make_url

import bot.rasa_patches  # noqa: F401 - Rasa loads this module: apply the patches
from fhb.settings import get_settings

log = logging.getLogger(__name__)


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
