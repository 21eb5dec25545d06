"""Read one conversation from Rasa's SQL tracker store (same kind of URL as the visit DB)."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, inspect, text


def transcript_lines(url: str, conversation_id: str, *, tz: str) -> list[str]:
    """The user's and the bot's messages with time, intent and buttons."""
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
    lines = []
    for raw in rows:
        event = json.loads(raw)
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
