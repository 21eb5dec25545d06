"""Pure helpers of the web chat: the JSON the page renders, tokens, payloads, history."""

from __future__ import annotations

import datetime as dt
import heapq
import json
import re
from typing import Any, Iterable

from bot.channels.relay import BotMessage
from fhb import clock
from fhb.db.models import Notification

# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
# A button payload: "/intent" with optional JSON entities, nothing else.
_PAYLOAD = re.compile(r"/[A-Za-z0-9_]{1,60}(\{[^\n\r]*\})?")
MAX_PAYLOAD = 200
# Only the channel may link a chat to a letter (after checking the code), never a button.
CHANNEL_ONLY_INTENTS = ("/link_citizen",)

Json = dict[str, Any]


def valid_token(token: str | None) -> bool:
    """Tell whether `token` has exactly the shape /api/session hands out."""
    return bool(token) and _TOKEN.fullmatch(token or "") is not None


def valid_payload(payload: object) -> bool:
    """A button payload the page may send: "/intent{...}", at most 200 characters."""
    if not isinstance(payload, str) or len(payload) > MAX_PAYLOAD:
        return False
    if payload.split("{", 1)[0] in CHANNEL_ONLY_INTENTS:
        return False
    return _PAYLOAD.fullmatch(payload) is not None


def from_bot(
    text: str, *, buttons: Iterable[Json] = (), ask: str | None = None, time: float | None = None
) -> Json:
    """One bot message as the page renders it."""
    return {"from": "bot", "text": text, "buttons": list(buttons), "ask": ask, "time": time}


def bot_message(message: BotMessage) -> Json:
    """A parsed Rasa reply as JSON for the page."""
    buttons = [{"title": b.title, "payload": b.payload} for b in message.buttons]
    return from_bot(message.text, buttons=buttons, ask=message.ask)


def _note_buttons(raw: str | None) -> list[Json]:
    """A notification's stored buttons (JSON list of {title, payload}); [] if unreadable."""
    try:
        items = json.loads(raw) if raw else []
    except ValueError:
        return []
    if not isinstance(items, list):
        return []
    buttons = []
    for item in items:
        if isinstance(item, dict) and (item.get("title") or item.get("payload")):
            title = str(item.get("title") or item.get("payload"))
            buttons.append({"title": title, "payload": str(item.get("payload") or title)})
    return buttons


def epoch(naive_utc: dt.datetime | None) -> float | None:
    """A naive UTC datetime (as the visit database stores them) as epoch seconds."""
    if naive_utc is None:
        return None
    return clock.epoch(naive_utc)


def note_message(note: Notification) -> Json:
    """A message the system started (reminder, feedback request, offer) for the page."""
    return from_bot(
        note.text or "", buttons=_note_buttons(note.buttons), time=epoch(note.created_at)
    )


def merge_history(transcript: list[Json], notes: list[Json]) -> list[Json]:
    """Transcript and system messages merged by time; each list keeps its own order."""
    merged = heapq.merge(transcript, notes, key=lambda m: m.get("time") or 0.0)
    return [
        {
            "from": m.get("from", "bot"),
            "text": m.get("text") or "",
            "buttons": list(m.get("buttons") or []),
            "ask": m.get("ask"),
            "time": m.get("time"),
        }
        for m in merged
    ]
