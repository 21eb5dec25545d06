"""Read one conversation from Rasa's SQL tracker store (same kind of URL as the visit DB)."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, inspect, text


def transcript_lines(url: str, conversation_id: str, *, tz: str) -> list[str]:
    """The user's and the bot's messages with time, intent and buttons."""
    lines = []
    for event in _events(url, conversation_id):
        when = dt.datetime.fromtimestamp(event.get("timestamp", 0), ZoneInfo(tz))
        stamp = when.strftime("%Y-%m-%d %H:%M")
        if event.get("event") == "user":
            intent = (event.get("parse_data") or {}).get("intent") or {}
            lines.append(f"{stamp} Innbygger: {event.get('text')}   "
                         f"[{intent.get('name')} {float(intent.get('confidence') or 0):.2f}]")
        elif event.get("event") == "bot":
            buttons = (event.get("data") or {}).get("buttons") or []
            choice = " | ".join(b.get("title", "") for b in buttons)
            lines.append(f"{stamp} Bot: {event.get('text')}" + (f"   ({choice})" if choice else ""))
    return lines


def _events(url: str, conversation_id: str) -> list[dict]:  # type: ignore[type-arg]
    """The tracker events of one conversation, oldest first ([] if there is no store yet)."""
    engine = create_engine(url, future=True)
    try:
        if not inspect(engine).has_table("events"):
            return []
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT data FROM events WHERE sender_id = :sid ORDER BY id"),
                {"sid": conversation_id},
            ).scalars().all()
    finally:
        engine.dispose()
    return [json.loads(raw) for raw in rows]


def conversation_messages(url: str, conversation_id: str) -> list[dict]:  # type: ignore[type-arg]
    """The chat as a person saw it: {"from", "text", "buttons", "time"} dicts, oldest first.

    A pressed button is stored by Rasa as its payload; it is shown as the button's title.
    """
    messages: list[dict] = []  # type: ignore[type-arg]
    titles: dict[str, str] = {}
    for event in _events(url, conversation_id):
        kind = event.get("event")
        if kind == "user":
            said = event.get("text") or ""
            if said.startswith("/") and said not in titles:
                continue  # a payload the channel sent (a deep link's code, /start), not typed
            messages.append({"from": "user", "text": titles.get(said, said),
                             "buttons": [], "time": event.get("timestamp")})
        elif kind == "bot" and (event.get("text") or (event.get("data") or {}).get("buttons")):
            buttons = [{"title": b.get("title", ""), "payload": b.get("payload", "")}
                       for b in (event.get("data") or {}).get("buttons") or []]
            titles = {b["payload"]: b["title"] for b in buttons} or titles
            messages.append({"from": "bot", "text": event.get("text") or "",
                             "buttons": buttons, "time": event.get("timestamp")})
    return messages


def delete_transcript(url: str, conversation_id: str) -> int:
    """Erase one conversation from the tracker store (/slett); return how many events."""
    engine = create_engine(url, future=True)
    try:
        if not inspect(engine).has_table("events"):
            return 0
        with engine.begin() as conn:
            result = conn.execute(text("DELETE FROM events WHERE sender_id = :sid"),
                                  {"sid": conversation_id})
            return int(result.rowcount or 0)
    finally:
        engine.dispose()


def staff_transcript(url: str, conversation_id: str) -> list[dict]:  # type: ignore[type-arg]
    """The conversation for staff: every message, and for the person's messages the intent
    and confidence the bot understood, and a pressed button's title next to its payload."""
    items: list[dict] = []  # type: ignore[type-arg]
    titles: dict[str, str] = {}
    for event in _events(url, conversation_id):
        kind = event.get("event")
        when = dt.datetime.fromtimestamp(float(event.get("timestamp") or 0), dt.timezone.utc)
        if kind == "user":
            said = event.get("text") or ""
            intent = (event.get("parse_data") or {}).get("intent") or {}
            items.append({"from": "user", "text": titles.get(said, said), "time": when,
                          "pressed": said in titles, "intent": intent.get("name"),
                          "confidence": float(intent.get("confidence") or 0)})
        elif kind == "bot" and (event.get("text") or (event.get("data") or {}).get("buttons")):
            buttons = [{"title": b.get("title", ""), "payload": b.get("payload", "")}
                       for b in (event.get("data") or {}).get("buttons") or []]
            titles = {b["payload"]: b["title"] for b in buttons} or titles
            items.append({"from": "bot", "text": event.get("text") or "", "time": when,
                          "buttons": buttons})
    return items
