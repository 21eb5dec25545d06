"""The one reader of Rasa's SQL tracker store (its `events` table; same kind of URL as the
visit database): transcripts, summaries and statistics, and deleting conversations.

Every function takes the store's URL and uses one cached engine per URL. A store that has no
`events` table yet (Rasa has not started) reads as empty.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine, Row

from fhb.clock import epoch
from fhb.conversation_ids import channel_of

# SQL conditions on one event row (events has the indexed columns intent_name, action_name).
WANTED_PERSON = "intent_name = 'request_human' OR action_name = 'action_human_handoff'"
MISUNDERSTOOD = "intent_name = 'nlu_fallback'"


@lru_cache(maxsize=16)
def tracker_engine(url: str) -> Engine:
    """The engine of the tracker store at `url` (made once per URL)."""
    if url.startswith("sqlite"):
        return create_engine(url, future=True, connect_args={"check_same_thread": False})
    return create_engine(url, future=True, pool_pre_ping=True)


def has_events(url: str) -> bool:
    """Tell whether the store has its `events` table yet."""
    return bool(inspect(tracker_engine(url)).has_table("events"))


def dialect(url: str) -> str:
    """The store's SQL dialect name ('sqlite', 'postgresql')."""
    return str(tracker_engine(url).dialect.name)


def query(url: str, sql: str, params: dict[str, Any] | None = None) -> Sequence[Row[Any]]:
    """The rows of one read over the events table ([] when the store has none yet)."""
    if not has_events(url):
        return []
    with tracker_engine(url).connect() as conn:
        return conn.execute(text(sql), params or {}).all()


def transcript_lines(url: str, conversation_id: str, *, tz: str) -> list[str]:
    """The user's and the bot's messages with time, intent and buttons."""
    lines = []
    for event in _events(url, conversation_id):
        when = dt.datetime.fromtimestamp(event.get("timestamp", 0), ZoneInfo(tz))
        stamp = when.strftime("%Y-%m-%d %H:%M")
        if event.get("event") == "user":
            intent = (event.get("parse_data") or {}).get("intent") or {}
            lines.append(
                f"{stamp} Innbygger: {event.get('text')}   "
                f"[{intent.get('name')} {float(intent.get('confidence') or 0):.2f}]"
            )
        elif event.get("event") == "bot" and (event.get("text") or _buttons(event)):
            buttons = _buttons(event)
            choice = " | ".join(b.get("title", "") for b in buttons)
            lines.append(f"{stamp} Bot: {event.get('text')}" + (f"   ({choice})" if choice else ""))
    return lines


def _buttons(event: dict[str, Any]) -> list[dict[str, Any]]:
    """A bot event's buttons ([] for none)."""
    return list((event.get("data") or {}).get("buttons") or [])


def _events(url: str, conversation_id: str) -> list[dict[str, Any]]:
    """The tracker events of one conversation, oldest first ([] if there is no store yet)."""
    rows = query(
        url, "SELECT data FROM events WHERE sender_id = :sid ORDER BY id", {"sid": conversation_id}
    )
    return [json.loads(row[0]) for row in rows]


def conversation_messages(url: str, conversation_id: str) -> list[dict[str, Any]]:
    """The chat as a person saw it: {"from", "text", "buttons", "time"} dicts, oldest first.

    A pressed button is stored by Rasa as its payload; it is shown as the button's title.
    """
    messages: list[dict[str, Any]] = []
    titles: dict[str, str] = {}
    for event in _events(url, conversation_id):
        kind = event.get("event")
        if kind == "user":
            said = event.get("text") or ""
            if said.startswith("/") and said not in titles:
                continue  # a payload the channel sent (a deep link's code, /start), not typed
            messages.append(
                {
                    "from": "user",
                    "text": titles.get(said, said),
                    "buttons": [],
                    "time": event.get("timestamp"),
                }
            )
        elif kind == "bot" and (event.get("text") or _buttons(event)):
            buttons = [
                {"title": b.get("title", ""), "payload": b.get("payload", "")}
                for b in _buttons(event)
            ]
            titles = {b["payload"]: b["title"] for b in buttons} or titles
            messages.append(
                {
                    "from": "bot",
                    "text": event.get("text") or "",
                    "buttons": buttons,
                    "time": event.get("timestamp"),
                }
            )
    return messages


def delete_transcript(url: str, conversation_id: str) -> int:
    """Erase one conversation from the tracker store (/slett); return how many events."""
    if not has_events(url):
        return 0
    with tracker_engine(url).begin() as conn:
        result = conn.execute(
            text("DELETE FROM events WHERE sender_id = :sid"), {"sid": conversation_id}
        )
        return int(result.rowcount or 0)


def staff_transcript(url: str, conversation_id: str) -> list[dict[str, Any]]:
    """The conversation for staff: every message, and for the person's messages the intent
    and confidence the bot understood, and a pressed button's title next to its payload."""
    items: list[dict[str, Any]] = []
    titles: dict[str, str] = {}
    for event in _events(url, conversation_id):
        kind = event.get("event")
        when = dt.datetime.fromtimestamp(float(event.get("timestamp") or 0), dt.timezone.utc)
        if kind == "user":
            said = event.get("text") or ""
            intent = (event.get("parse_data") or {}).get("intent") or {}
            items.append(
                {
                    "from": "user",
                    "text": titles.get(said, said),
                    "time": when,
                    "pressed": said in titles,
                    "intent": intent.get("name"),
                    "confidence": float(intent.get("confidence") or 0),
                }
            )
        elif kind == "bot" and (event.get("text") or _buttons(event)):
            buttons = [
                {"title": b.get("title", ""), "payload": b.get("payload", "")}
                for b in _buttons(event)
            ]
            titles = {b["payload"]: b["title"] for b in buttons} or titles
            items.append(
                {"from": "bot", "text": event.get("text") or "", "time": when, "buttons": buttons}
            )
    return items


# --- statistics: what the report and the retention purge count ----------------------------


@dataclass(frozen=True)
class ConversationCounts:
    """The numbers of one conversation's events (no text)."""

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


def _counts(rows: Iterable[Row[Any]]) -> list[ConversationCounts]:
    """Rows of (sender, first, last, events, wanted person, fallbacks) as counts."""
    return [
        ConversationCounts(
            str(cid), float(first), float(last), int(n), bool(person), int(fallbacks or 0)
        )
        for cid, first, last, n, person, fallbacks in rows
    ]


_GROUPED = (
    "SELECT sender_id, MIN(timestamp), MAX(timestamp), COUNT(*), "
    f"SUM(CASE WHEN {WANTED_PERSON} THEN 1 ELSE 0 END), "
    f"SUM(CASE WHEN {MISUNDERSTOOD} THEN 1 ELSE 0 END) FROM events GROUP BY sender_id "
)


def idle_since(url: str, cutoff: dt.datetime) -> list[ConversationCounts]:
    """Conversations whose last event is before `cutoff`, oldest first (one grouped query)."""
    return _counts(
        query(
            url,
            _GROUPED + "HAVING MAX(timestamp) < :cutoff ORDER BY MAX(timestamp)",
            {"cutoff": epoch(cutoff)},
        )
    )


def started_between(url: str, start: dt.datetime, end: dt.datetime) -> list[ConversationCounts]:
    """Conversations whose first event is in [start, end) (naive means UTC)."""
    return _counts(
        query(
            url,
            _GROUPED + "HAVING MIN(timestamp) >= :start AND MIN(timestamp) < :end",
            {"start": epoch(start), "end": epoch(end)},
        )
    )


def delete_counted(url: str, counted: Iterable[ConversationCounts]) -> int:
    """Delete the events that were counted: up to each conversation's last counted time, so
    a message arriving meanwhile survives (and is counted by a later purge)."""
    with tracker_engine(url).begin() as conn:
        deleted = 0
        for old in counted:
            result = conn.execute(
                text("DELETE FROM events WHERE sender_id = :sid AND timestamp <= :last"),
                {"sid": old.conversation_id, "last": old.last},
            )
            deleted += int(result.rowcount or 0)
        return deleted
