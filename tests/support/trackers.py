"""Rasa SDK trackers built in code, as rasa_sdk's own tests do, and what an action uttered.

This module imports rasa_sdk: only the integration tests of actions/ use it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

# A citizen's details as the booking form leaves them (the time is each test's own).
BOOKING_SLOTS = {
    "citizen_name": "Kari Nordmann",
    "birth_year": "1948",
    "address": "Storgata 5",
    "phone": "+4791555555",
}


def make_tracker(
    *,
    sender_id: str = "test-conversation",
    slots: dict[str, Any] | None = None,
    text: str = "",
    intent: str | None = None,
    confidence: float = 1.0,
    entities: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    response_selector: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker built in code."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence} if intent else {},
        "entities": entities or [],
    }
    if response_selector is not None:
        latest["response_selector"] = response_selector
    return Tracker(
        sender_id,
        slots or {},
        latest,
        events or [],
        False,
        None,
        {"name": active_loop} if active_loop else {},
        "action_listen",
    )


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    """Names of the responses an action uttered."""
    return [m.get("response") for m in dispatcher.messages]
