"""What the staff dashboard reads: conversation summaries from Rasa's tracker store and the
visit-database records that belong to a conversation.

The summaries are one grouped query over the `events` table (its indexed columns sender_id,
timestamp, intent_name and action_name), so the list stays fast with many conversations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.orm import Session

from actions import repository
from actions.models import CallbackRequest, Decline, Feedback, Visit

CHANNELS = {"tg": "Telegram", "web": "Nettchat", "cli": "Terminal"}
FLAGS = {
    "person": "Vil snakke med en person",
    "misunderstood": "Misforstått to ganger",
    "booked": "Besøk bestilt",
    "declined": "Takket nei",
    "negative": "Negativ tilbakemelding",
    "reviewed": "Gjennomgått",
}


@dataclass
class ConversationSummary:
    """One row of the conversation list."""

    conversation_id: str
    started: dt.datetime
    last_activity: dt.datetime
    events: int
    flags: set[str] = field(default_factory=set)

    @property
    def channel(self) -> str:
        """Telegram, Nettchat or Terminal, from the opaque id's prefix."""
        return channel_of(self.conversation_id)


def channel_of(conversation_id: str) -> str:
    """The channel's Norwegian name for a conversation id."""
    return CHANNELS.get(conversation_id.split("-", 1)[0], "Annet")


def _db_flags(session: Session) -> dict[str, set[str]]:
    """Conversation ids with a booking, a decline, or a rating of 1 or 2."""
    def ids(query: Any) -> set[str]:
        return {c for c in session.execute(query).scalars() if c}

    return {
        "booked": ids(select(Visit.conversation_id)),
        "declined": ids(select(Decline.conversation_id)),
        "negative": ids(select(Feedback.conversation_id).where(Feedback.rating <= 2)),
        "reviewed": repository.reviewed_conversations(session),
    }


def conversation_summaries(
    tracker_url: str, session: Session, *, flag: str | None = None, intent: str | None = None,
    since: dt.datetime | None = None, until: dt.datetime | None = None, limit: int = 50,
    offset: int = 0,
) -> list[ConversationSummary]:
    """Conversations, newest activity first, filtered by flag, intent and date (UTC)."""
    db_flags = _db_flags(session)
    conditions, params = [], {"limit": limit, "offset": offset}
    if intent:
        conditions.append("SUM(CASE WHEN intent_name = :intent THEN 1 ELSE 0 END) > 0")
        params["intent"] = intent
    if since:
        conditions.append("MAX(timestamp) >= :since")
        params["since"] = since.replace(tzinfo=dt.timezone.utc).timestamp()
    if until:
        conditions.append("MIN(timestamp) < :until")
        params["until"] = until.replace(tzinfo=dt.timezone.utc).timestamp()
    if flag == "person":
        conditions.append("SUM(CASE WHEN intent_name = 'request_human' OR action_name = "
                          "'action_human_handoff' THEN 1 ELSE 0 END) > 0")
    elif flag == "misunderstood":
        conditions.append("SUM(CASE WHEN intent_name = 'nlu_fallback' THEN 1 ELSE 0 END) >= 2")
    where = ""
    if flag in db_flags:
        wanted = sorted(db_flags[flag])
        if not wanted:
            return []
        names = [f":c{i}" for i in range(len(wanted))]
        params.update({f"c{i}": c for i, c in enumerate(wanted)})
        where = f"WHERE sender_id IN ({', '.join(names)})"
    having = f"HAVING {' AND '.join(conditions)}" if conditions else ""
    query = text(
        "SELECT sender_id, MIN(timestamp) AS started, MAX(timestamp) AS last, COUNT(*) AS n, "
        "SUM(CASE WHEN intent_name = 'request_human' OR action_name = 'action_human_handoff' "
        "THEN 1 ELSE 0 END) AS person, "
        "SUM(CASE WHEN intent_name = 'nlu_fallback' THEN 1 ELSE 0 END) AS fallbacks "
        f"FROM events {where} GROUP BY sender_id {having} "
        "ORDER BY MAX(timestamp) DESC LIMIT :limit OFFSET :offset"
    )
    engine = create_engine(tracker_url, future=True)
    try:
        if not inspect(engine).has_table("events"):
            return []
        with engine.connect() as conn:
            rows = conn.execute(query, params).all()
    finally:
        engine.dispose()
    summaries = []
    for sender, started, last, count, person, fallbacks in rows:
        flags = {name for name, members in db_flags.items() if sender in members}
        if person:
            flags.add("person")
        if fallbacks and fallbacks >= 2:
            flags.add("misunderstood")
        summaries.append(ConversationSummary(
            sender, _utc(started), _utc(last), int(count), flags))
    return summaries


def _utc(timestamp: float) -> dt.datetime:
    """An epoch timestamp as aware UTC."""
    return dt.datetime.fromtimestamp(float(timestamp), dt.timezone.utc)


def records_for(session: Session, conversation_id: str) -> dict[str, list[Any]]:
    """The visit-database rows a conversation produced."""
    def rows(model: Any) -> list[Any]:
        query = select(model).where(model.conversation_id == conversation_id)
        return list(session.execute(query.order_by(model.id)).scalars())

    return {"visits": rows(Visit), "declines": rows(Decline), "feedback": rows(Feedback),
            "callbacks": rows(CallbackRequest)}
