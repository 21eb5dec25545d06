"""Rows for the staff listings, as plain dicts (the JSON of CONVERSATION.md)."""

from __future__ import annotations

import csv
import datetime as dt
from typing import IO, Any

from sqlalchemy.orm import Session

from fhb.db import engine as engine_db
from fhb.db import notifications as notifications_db
from fhb.db import slots as slots_db
from fhb.db import visits as visits_db
from fhb.db.engine import session_now
from fhb.db.models import CallbackRequest, Decline, Feedback, Notification
from fhb.language.formatting import iso_local
from fhb.language.validation import clean_address, clean_name, normalize_phone, parse_birth_year
from fhb.read.labels import NOTIFICATION_LABELS

Row = dict[str, Any]


def visit_rows(session: Session, tz: str) -> list[Row]:
    """`fhb visits`."""
    return [
        {
            "id": v.id,
            "citizen_name": v.citizen.name,
            "birth_year": v.citizen.birth_year,
            "address": v.citizen.address,
            "phone": v.citizen.phone,
            "start": iso_local(v.slot.start, tz),
            "end": iso_local(v.slot.end, tz),
            "visitor": v.slot.visitor,
            "status": v.status,
            "booked_by": v.booked_by,
            "relation": v.relation,
            "relative_name": v.relative_name,
            "relative_phone": v.relative_phone,
            "conversation_id": v.conversation_id,
            "created_at": iso_local(v.created_at, tz),
        }
        for v in visits_db.list_visits(session)
    ]


def decline_rows(session: Session, tz: str) -> list[Row]:
    """`fhb declines`."""
    return [
        {
            "id": d.id,
            "citizen_name": d.citizen_name,
            "phone": d.phone,
            "reason": d.reason,
            "reason_text": d.reason_text,
            "alternative": d.alternative,
            "wants_later": d.wants_later,
            "later_when": d.later_when,
            "later_date": d.later_date.isoformat() if d.later_date else None,
            "conversation_id": d.conversation_id,
            "created_at": iso_local(d.created_at, tz),
        }
        for d in engine_db.list_rows(session, Decline)
    ]


def feedback_rows(session: Session, tz: str) -> list[Row]:
    """`fhb feedback`."""
    return [
        {
            "id": f.id,
            "visit_id": f.visit_id,
            "rating": f.rating,
            "useful": f.useful,
            "comment": f.comment,
            "conversation_id": f.conversation_id,
            "created_at": iso_local(f.created_at, tz),
        }
        for f in engine_db.list_rows(session, Feedback)
    ]


def callback_rows(session: Session, tz: str) -> list[Row]:
    """`fhb callbacks`."""
    return [
        {
            "id": c.id,
            "name": c.name,
            "phone": c.phone,
            "topic": c.topic,
            "conversation_id": c.conversation_id,
            "created_at": iso_local(c.created_at, tz),
            "handled_at": iso_local(c.handled_at, tz),
        }
        for c in engine_db.list_rows(session, CallbackRequest)
    ]


def notification_rows(session: Session, tz: str) -> list[Row]:
    """`fhb notifications`: what the system sent by itself, and how it went."""
    return [
        {
            "id": n.id,
            "kind": n.kind,
            "ref": n.ref,
            "channel": n.channel,
            "status": n.status,
            "conversation_id": n.conversation_id,
            "created_at": iso_local(n.created_at, tz),
            "sent_at": iso_local(n.sent_at, tz),
        }
        for n in engine_db.list_rows(session, Notification)
    ]


def notification_lines(session: Session, conversation_id: str, tz: str) -> list[str]:
    """The system's own messages in a conversation, as transcript lines."""
    return [
        f"{(iso_local(n.created_at, tz) or '')[:16].replace('T', ' ')} System "
        f"({NOTIFICATION_LABELS.get(n.kind, n.kind)}, {n.status}): {n.text}"
        for n in notifications_db.notifications_for(session, conversation_id)
    ]


def slot_rows(session: Session, tz: str, *, all_slots: bool = False) -> list[Row]:
    """`fhb slots` (from now on, unless all)."""
    after: dt.datetime | None = None if all_slots else session_now(session)
    return [
        {
            "id": s.id,
            "start": iso_local(s.start, tz),
            "end": iso_local(s.end, tz),
            "visitor": s.visitor,
            "free": free,
        }
        for s, free in slots_db.list_slots(session, after=after)
    ]


def read_citizen_csv(
    stream: IO[str], *, this_year: int
) -> tuple[list[visits_db.CitizenDetails], list[str]]:
    """Read a visit list CSV (comma or semicolon) with a header row."""
    text = stream.read()
    delimiter = (
        ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    )
    rows = list(csv.DictReader(text.splitlines(), delimiter=delimiter))
    return parse_citizen_rows(rows, this_year=this_year)


def parse_citizen_rows(
    rows: list[dict[str, str]], *, this_year: int
) -> tuple[list[visits_db.CitizenDetails], list[str]]:
    """Validate imported rows; bad rows are reported by line number, never guessed."""
    people: list[visits_db.CitizenDetails] = []
    problems: list[str] = []
    for number, row in enumerate(rows, start=2):
        lowered = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        name = clean_name(lowered.get("name") or lowered.get("navn"))
        year_text = lowered.get("birth_year") or lowered.get("fødselsår") or ""
        year = parse_birth_year(year_text, this_year=this_year)
        address = clean_address(lowered.get("address") or lowered.get("adresse"))
        raw_phone = lowered.get("phone") or lowered.get("telefon") or ""
        phone = normalize_phone(raw_phone) if raw_phone else None
        if name is None:
            problems.append(f"line {number}: missing or invalid name")
            continue
        if year_text and year is None:
            problems.append(f"line {number}: invalid birth year {year_text!r}")
            continue
        if raw_phone and phone is None:
            problems.append(f"line {number}: invalid phone number")
            continue
        people.append(
            visits_db.CitizenDetails(name=name, birth_year=year, address=address, phone=phone)
        )
    return people, problems
