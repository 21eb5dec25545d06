"""The SQL tracker store's own read and write (issue 12): the same events, in the same
order, each stored exactly once, on SQLite and on the machine's PostgreSQL.

The store reads only the event column, writes a turn's new events in one INSERT and
remembers how many of a tracker's events are stored (Rasa counted them with a query before
every write). These tests hold it to what Rasa's own store guarantees, and to what a second
Rasa process reading the same database sees."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from bot.tracker_store import UrlSQLTrackerStore

DOMAIN = Domain.from_dict(
    {
        "intents": ["greet", "book_visit"],
        "slots": {"citizen_name": {"type": "text", "mappings": [{"type": "custom"}]}},
        "responses": {"utter_greet": [{"text": "Hei!"}]},
    }
)


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """An empty tracker database: a SQLite file, or the machine's PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'trackers.db'}"
    url: str = request.getfixturevalue("pg_url")
    with create_engine(url).begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS events CASCADE"))
        conn.execute(text("DROP SEQUENCE IF EXISTS events_seq"))
    return url


def turn(number: int, start: float) -> list[Any]:
    """One user turn: the message, a slot, an answer, listen (timestamps after `start`)."""
    at = start + number
    return [
        UserUttered(f"melding {number}", {"name": "greet"}, timestamp=at),
        ActionExecuted("utter_greet", timestamp=at + 0.1),
        SlotSet("citizen_name", f"Navn {number}", timestamp=at + 0.2),
        BotUttered(f"svar {number}", timestamp=at + 0.3),
        ActionExecuted("action_listen", timestamp=at + 0.4),
    ]


def stored_rows(url: str, sender_id: str) -> list[dict[str, Any]]:
    """Every stored event of one conversation, in id order."""
    with create_engine(url).connect() as conn:
        rows = conn.execute(
            text(
                "SELECT type_name, intent_name, action_name, data FROM events "
                "WHERE sender_id = :s ORDER BY id"
            ),
            {"s": sender_id},
        )
        return [dict(row._mapping) for row in rows]


async def test_each_turn_is_stored_once_and_read_back_in_order(tracker_url: str) -> None:
    store = UrlSQLTrackerStore(DOMAIN, url=tracker_url)
    start = 1_000_000.0
    tracker = DialogueStateTracker.from_events(
        "chat-1", [ActionExecuted("action_listen", timestamp=start)], DOMAIN.slots
    )
    await store.save(tracker)  # a new conversation: not read by the store before
    for number in range(1, 4):
        tracker = await store.retrieve("chat-1")
        assert tracker is not None
        for event in turn(number, start):
            tracker.update(event)
        await store.save(tracker)
        await store.save(tracker)  # saved twice in one turn (Rasa does): nothing doubled

    rows = stored_rows(tracker_url, "chat-1")
    assert len(rows) == 1 + 3 * 5
    assert [json.loads(r["data"])["timestamp"] for r in rows] == sorted(
        json.loads(r["data"])["timestamp"] for r in rows
    )
    user = [r for r in rows if r["type_name"] == "user"]
    assert [r["intent_name"] for r in user] == ["greet"] * 3
    assert [r["action_name"] for r in rows if r["type_name"] == "action"][:2] == [
        "action_listen",
        "utter_greet",
    ]
    again = await store.retrieve("chat-1")
    assert again is not None
    assert again.get_slot("citizen_name") == "Navn 3"
    assert [e.as_dict() for e in again.events] == [e.as_dict() for e in tracker.events]


async def test_another_rasa_process_continues_the_same_conversation(tracker_url: str) -> None:
    first, second = (UrlSQLTrackerStore(DOMAIN, url=tracker_url) for _ in range(2))
    start = 2_000_000.0
    tracker = DialogueStateTracker.from_events("chat-2", turn(1, start), DOMAIN.slots)
    await first.save(tracker)
    elsewhere = await second.retrieve("chat-2")
    assert elsewhere is not None
    for event in turn(2, start):
        elsewhere.update(event)
    await second.save(elsewhere)
    back = await first.retrieve("chat-2")
    assert back is not None
    assert back.get_slot("citizen_name") == "Navn 2"
    assert len(stored_rows(tracker_url, "chat-2")) == 10


async def test_a_new_session_reads_only_its_own_events_and_keeps_the_old(
    tracker_url: str,
) -> None:
    store = UrlSQLTrackerStore(DOMAIN, url=tracker_url)
    start = 3_000_000.0
    await store.save(DialogueStateTracker.from_events("chat-3", turn(1, start), DOMAIN.slots))
    tracker = await store.retrieve("chat-3")
    assert tracker is not None
    later = start + 10_000
    for event in [
        ActionExecuted("action_session_start", timestamp=later),
        SessionStarted(timestamp=later + 0.1),
        ActionExecuted("action_listen", timestamp=later + 0.2),
    ]:
        tracker.update(event)
    await store.save(tracker)
    for event in turn(1, later + 1):
        tracker.update(event)
    await store.save(tracker)  # after the new session in the same object: nothing doubled

    assert len(stored_rows(tracker_url, "chat-3")) == 5 + 3 + 5
    session = await store.retrieve("chat-3")
    full = await store.retrieve_full_tracker("chat-3")
    assert session is not None and full is not None
    assert len(session.events) == 2 + 5  # from SessionStarted on
    assert len(full.events) == 5 + 3 + 5


async def test_an_unknown_conversation_is_none(tracker_url: str) -> None:
    store = UrlSQLTrackerStore(DOMAIN, url=tracker_url)
    assert await store.retrieve("nobody") is None
