"""What the staff dashboard reads: conversation summaries from Rasa's tracker store and the
visit-database records that belong to a conversation.

The summaries are one grouped query over the `events` table (its indexed columns sender_id,
timestamp, intent_name and action_name), so the list stays fast with many conversations.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fhb.clock import epoch
from fhb.db import staff as staff_db
from fhb.db.models import CallbackRequest, Citizen, Decline, Feedback, Visit
from fhb.read.labels import channel_label
from fhb.tracker import MISUNDERSTOOD, WANTED_PERSON, dialect, query

_ID_SEARCH = re.compile(r"(tg|web|cli)-[0-9a-f]{0,64}")
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
        return channel_label(self.conversation_id)


def _db_flags(session: Session) -> dict[str, set[str]]:
    """Conversation ids with a booking, a decline, or a rating of 1 or 2."""

    def ids(query: Any) -> set[str]:
        return {c for c in session.execute(query).scalars() if c}

    return {
        "booked": ids(select(Visit.conversation_id)),
        "declined": ids(select(Decline.conversation_id)),
        "negative": ids(select(Feedback.conversation_id).where(Feedback.rating <= 2)),
        "reviewed": staff_db.reviewed_conversations(session),
    }


def is_id_search(search: str) -> bool:
    """Tell whether a search is (the start of) a conversation id, e.g. 'web-3f2a'."""
    return _ID_SEARCH.fullmatch(search) is not None


def _escape_like(value: str) -> str:
    """`value` with LIKE's wildcards and the escape character itself escaped (ESCAPE '\\')."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _named(session: Session, term: str) -> set[str]:
    """Conversations whose booking, decline or call-back carries a name or phone like `term`."""
    pattern = "%" + _escape_like(term.lower()) + "%"

    def like(column: Any) -> Any:
        return func.lower(column).like(pattern, escape="\\")

    queries = [
        select(Visit.conversation_id)
        .join(Citizen, Visit.citizen_id == Citizen.id)
        .where(like(Citizen.name) | like(Citizen.phone)),
        select(Decline.conversation_id).where(like(Decline.citizen_name) | like(Decline.phone)),
        select(CallbackRequest.conversation_id).where(
            like(CallbackRequest.name) | like(CallbackRequest.phone)
        ),
    ]
    return {c for query in queries for c in session.execute(query).scalars() if c}


def _wrote_condition(dialect: str, term: str, params: dict[str, Any]) -> str:
    """SQL for "the person wrote `term` (any case) in this conversation".

    Only the message's own text counts (not JSON keys, not the bot's words): SQLite reads it
    with json_extract, PostgreSQL with ->>. SQLite's LOWER folds only ASCII, so the term is
    also tried in Title Case and UPPER CASE ("ødegård" finds "Ødegård").
    """
    message = (
        "CAST(data AS json) ->> 'text'"
        if dialect == "postgresql"
        else "json_extract(data, '$.text')"
    )
    variants = list(dict.fromkeys((term.lower(), term, term.title(), term.upper())))
    likes = []
    for i, variant in enumerate(variants):
        folded = "".join(c.lower() if c.isascii() else c for c in variant)  # as LOWER()
        params[f"w{i}"] = "%" + _escape_like(folded) + "%"
        likes.append(f"LOWER({message}) LIKE :w{i} ESCAPE '\\'")
    return (
        "sender_id IN (SELECT sender_id FROM events WHERE type_name = 'user' "
        f"AND ({' OR '.join(likes)}))"
    )


def conversation_summaries(
    tracker_url: str,
    session: Session,
    *,
    flag: str | None = None,
    intent: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 50,
    offset: int = 0,
    search: str | None = None,
) -> list[ConversationSummary]:
    """Conversations, newest activity first, filtered by flag, intent, date (UTC) and a
    search: the start of a conversation id, or words the person wrote, or a name or phone
    number in the visit database."""
    db_flags = _db_flags(session)
    conditions: list[str] = []
    params: dict[str, object] = {"limit": limit, "offset": offset}
    wheres: list[str] = []
    if intent:
        conditions.append("SUM(CASE WHEN intent_name = :intent THEN 1 ELSE 0 END) > 0")
        params["intent"] = intent
    if since:
        conditions.append("MAX(timestamp) >= :since")
        params["since"] = epoch(since)
    if until:
        conditions.append("MIN(timestamp) < :until")
        params["until"] = epoch(until)
    if flag == "person":
        conditions.append(f"SUM(CASE WHEN {WANTED_PERSON} THEN 1 ELSE 0 END) > 0")
    elif flag == "misunderstood":
        conditions.append(f"SUM(CASE WHEN {MISUNDERSTOOD} THEN 1 ELSE 0 END) >= 2")

    def among(name: str, ids: set[str]) -> str:
        """SQL for "one of these conversations", each id bound as a parameter."""
        ordered = sorted(ids)
        params.update({f"{name}{i}": c for i, c in enumerate(ordered)})
        return f"sender_id IN ({', '.join(f':{name}{i}' for i in range(len(ordered)))})"

    if flag in db_flags:
        if not db_flags[flag]:
            return []
        wheres.append(among("c", db_flags[flag]))
    if search and is_id_search(search):
        wheres.append("sender_id LIKE :prefix")
        params["prefix"] = f"{search}%"
    elif search:
        named = _named(session, search)
        wrote = _wrote_condition(dialect(tracker_url), search, params)
        wheres.append(f"({wrote} OR {among('s', named)})" if named else wrote)
    where = f"WHERE {' AND '.join(wheres)}" if wheres else ""
    having = f"HAVING {' AND '.join(conditions)}" if conditions else ""
    rows = query(
        tracker_url,
        "SELECT sender_id, MIN(timestamp) AS started, MAX(timestamp) AS last, "
        f"COUNT(*) AS n, SUM(CASE WHEN {WANTED_PERSON} THEN 1 ELSE 0 END) AS person, "
        f"SUM(CASE WHEN {MISUNDERSTOOD} THEN 1 ELSE 0 END) AS fallbacks "
        f"FROM events {where} GROUP BY sender_id {having} "
        "ORDER BY MAX(timestamp) DESC LIMIT :limit OFFSET :offset",
        params,
    )
    summaries = []
    for sender, started, last, count, person, fallbacks in rows:
        flags = {name for name, members in db_flags.items() if sender in members}
        if person:
            flags.add("person")
        if fallbacks and fallbacks >= 2:
            flags.add("misunderstood")
        summaries.append(ConversationSummary(sender, _utc(started), _utc(last), int(count), flags))
    return summaries


def _utc(timestamp: float) -> dt.datetime:
    """An epoch timestamp as aware UTC."""
    return dt.datetime.fromtimestamp(float(timestamp), dt.timezone.utc)


def records_for(session: Session, conversation_id: str) -> dict[str, list[Any]]:
    """The visit-database rows a conversation produced."""

    def rows(model: Any) -> list[Any]:
        query = select(model).where(model.conversation_id == conversation_id)
        return list(session.execute(query.order_by(model.id)).scalars())

    return {
        "visits": rows(Visit),
        "declines": rows(Decline),
        "feedback": rows(Feedback),
        "callbacks": rows(CallbackRequest),
    }
