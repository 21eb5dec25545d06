"""Rows the tests arrange, written directly (past times allowed): slots and visits in the visit
database, and Rasa's events table with two conversations in the tracker store."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import create_engine, text

from fhb.clock import naive_utc
from fhb.db.models import Citizen, Slot, Visit
from tests.support.clock import NOW, frozen_uow

KARI = "Kari Hansen"  # the default visitor (a nurse)
CONV = "web-" + "a" * 40  # a web chat in the tracker: greeted, then asked to book
OTHER = "tg-" + "b" * 40  # a Telegram chat in the tracker: asked for a person


def add_slot(url: str, start: dt.datetime, visitor: str = KARI) -> int:
    """A free slot of an hour from `start` (aware, or naive UTC); returns its id."""
    with frozen_uow(url) as session:
        slot = Slot(
            start=naive_utc(start), end=naive_utc(start) + dt.timedelta(hours=1), visitor=visitor
        )
        session.add(slot)
        session.flush()
        return int(slot.id)


def add_visit(
    url: str,
    start: dt.datetime | None = None,
    name: str = "Kari Nordmann",
    *,
    visitor: str = KARI,
    status: str = "booked",
    conversation: str | None = None,
    address: str | None = None,
    phone: str | None = None,
    updated: dt.datetime | None = None,
    **fields: Any,
) -> int:
    """A visit in a slot of its own for a new citizen `name`; returns the visit's id.

    `start` is aware or naive UTC (default: three days after NOW). `conversation` is the chat
    it was booked in (the visit's and the citizen's). `updated` sets `updated_at` (default:
    the frozen now); `fields` are other columns of the visit (booked_by, relative_name,
    created_at, completed_at, ...).
    """
    start = NOW + dt.timedelta(days=3) if start is None else start
    slot_id = add_slot(url, start, visitor)
    with frozen_uow(url) as session:
        citizen = Citizen(name=name, address=address, phone=phone, conversation_id=conversation)
        visit = Visit(
            slot_id=slot_id,
            citizen=citizen,
            status=status,
            conversation_id=conversation,
            **fields,
        )
        if updated is not None:
            visit.updated_at = naive_utc(updated)
        session.add(visit)
        session.flush()
        return int(visit.id)


def tracker_with_events(url: str) -> None:
    """Rasa's events table with two conversations: CONV (web, 20 November 2026: a greeting,
    the bot's menu, "/book_visit") and OTHER (Telegram, a minute later: asked for a person)."""
    engine = create_engine(url, future=True)
    start = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc).timestamp()
    rows = [
        (
            CONV,
            "user",
            start,
            "greet",
            None,
            {
                "event": "user",
                "text": "hei",
                "timestamp": start,
                "parse_data": {"intent": {"name": "greet", "confidence": 0.97}},
            },
        ),
        (
            CONV,
            "bot",
            start + 1,
            None,
            None,
            {
                "event": "bot",
                "text": "Hei! Hva vil du gjøre?",
                "timestamp": start + 1,
                "data": {"buttons": [{"title": "Bestille besøk", "payload": "/book_visit"}]},
            },
        ),
        (
            CONV,
            "user",
            start + 5,
            "book_visit",
            None,
            {
                "event": "user",
                "text": "/book_visit",
                "timestamp": start + 5,
                "parse_data": {"intent": {"name": "book_visit", "confidence": 1.0}},
            },
        ),
        (
            OTHER,
            "user",
            start + 60,
            "request_human",
            None,
            {
                "event": "user",
                "text": "kan jeg snakke med noen?",
                "timestamp": start + 60,
                "parse_data": {"intent": {"name": "request_human", "confidence": 0.55}},
            },
        ),
    ]
    with engine.begin() as db:
        key = "SERIAL" if url.startswith("postgresql") else "INTEGER"
        db.execute(
            text(
                f"CREATE TABLE events (id {key} PRIMARY KEY, sender_id TEXT, "
                "type_name TEXT, timestamp REAL, intent_name TEXT, action_name TEXT, "
                "data TEXT)"
            )
        )
        for sender, kind, when, intent, action, data in rows:
            db.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, intent_name, "
                    "action_name, data) VALUES (:s, :k, :t, :i, :a, :d)"
                ),
                {
                    "s": sender,
                    "k": kind,
                    "t": when,
                    "i": intent,
                    "a": action,
                    "d": json.dumps(data),
                },
            )
    engine.dispose()
