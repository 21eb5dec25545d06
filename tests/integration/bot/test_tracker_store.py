"""No silent memory store: a failing tracker database fails the turn (issue 11).

Rasa wraps every tracker store in its fail-safe store, which answers from an empty
in-memory tracker when the database fails. bot.tracker_store replaces that wrapper, so the
error reaches Rasa's webhook (a 500), and the channel apologises instead of answering out
of context."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import StrictFailSafeTrackerStore, TrackerStoreUnavailable


class BrokenStore(InMemoryTrackerStore):
    """A tracker store whose database is gone."""

    async def retrieve(self, sender_id: str) -> Any:
        raise ConnectionError("database is down")

    async def save(self, tracker: DialogueStateTracker) -> None:
        raise ConnectionError("database is down")


def test_rasa_wraps_our_store_in_the_strict_fail_safe() -> None:
    store = Agent._create_tracker_store(InMemoryTrackerStore(Domain.empty()), Domain.empty())
    assert isinstance(store, StrictFailSafeTrackerStore)


async def test_a_failed_retrieve_is_an_error_not_an_empty_conversation() -> None:
    store = StrictFailSafeTrackerStore(BrokenStore(Domain.empty()))
    with pytest.raises(TrackerStoreUnavailable):
        await store.retrieve("chat-1")


async def test_a_failed_save_never_goes_to_memory() -> None:
    store = StrictFailSafeTrackerStore(BrokenStore(Domain.empty()))
    with pytest.raises(TrackerStoreUnavailable):
        await store.save(DialogueStateTracker("chat-1", []))
    assert await store.fallback_tracker_store.retrieve("chat-1") is None


async def test_a_working_store_is_used_as_before() -> None:
    store = StrictFailSafeTrackerStore(InMemoryTrackerStore(Domain.empty()))
    await store.save(DialogueStateTracker("chat-1", []))
    assert (await store.retrieve("chat-1")) is not None
