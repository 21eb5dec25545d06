"""Conversation ids: opaque, stable, and telling only which channel they came from."""

from __future__ import annotations

import hashlib
import hmac

CHANNEL_PREFIX = {"telegram": "tg", "web": "web", "cli": "cli"}


def conversation_id(channel: str, raw_id: str | int, key: bytes) -> str:
    """An opaque, stable conversation id: a keyed hash of the channel's own id.

    Rasa's REST webhook lets the caller choose the sender id, and bookings are found by it,
    so the raw chat id (or a browser's token) is never used as the id itself.
    """
    digest = hmac.new(key, f"{channel}:{raw_id}".encode(), hashlib.sha256).hexdigest()
    return f"{CHANNEL_PREFIX.get(channel, channel)}-{digest[:40]}"


def channel_of(conversation: str) -> str:
    """The channel (telegram, web, cli) a conversation id was made for; 'other' if none."""
    prefix = conversation.split("-", 1)[0]
    return next((c for c, p in CHANNEL_PREFIX.items() if p == prefix), "other")
