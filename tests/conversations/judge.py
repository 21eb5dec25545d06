"""Success is judged from the visit database only: what a conversation left in it.

`arrange` writes what must exist before a person starts chatting (a visit booked earlier
in the same browser, or one already made), through the fhb.db write modules. `judge` reads
the rows of one conversation and names every way they differ from the person's goal.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from fhb.clock import naive_utc, system_clock
from fhb.db import slots as slots_db
from fhb.db import visits as visits_db
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.db.models import CallbackRequest, Decline, Feedback, Takeover, Visit, VisitStatus
from tests.conversations.people import Facts, Goal, Person
from tests.conversations.voice import fold

OSLO = ZoneInfo("Europe/Oslo")


@dataclass(frozen=True)
class Arranged:
    """A visit made before the chat: its id and its slot."""

    visit_id: int
    slot_id: int


def e164(typed: str) -> str:
    """A typed Norwegian number as E.164 ("0047 90 12 34 56" → "+4790123456")."""
    digits = re.sub(r"\D", "", typed)
    return "+47" + digits[-8:]


def arrange(url: str, person: Person, conversation: str, *, index: int) -> Arranged | None:
    """Book (and for feedback, complete) a visit in this conversation before it starts."""
    if person.goal not in (Goal.CANCEL, Goal.MOVE, Goal.FEEDBACK):
        return None
    me = person.me
    year = system_clock().astimezone(OSLO).year
    citizen = visits_db.CitizenDetails(me.name, me.birth_year(year), me.address, e164(me.phone))
    with SqlAlchemyUnitOfWork(url, clock=system_clock) as session:
        soon = naive_utc(system_clock()) + dt.timedelta(days=7)
        free = slots_db.free_slots(session, after=soon)
        slot = free[-1 - 3 * index]  # late in the plan, away from the times offered first
        visit = visits_db.book_visit(
            session, slot_id=slot.id, citizen=citizen, conversation_id=conversation
        )
        if person.goal is Goal.FEEDBACK:
            visits_db.complete_visit(
                session, visit.id, referred=False, interpreter_used=False, joined_activity=False
            )
        return Arranged(int(visit.id), int(slot.id))


def _rows(session: Session, model: Any, conversation: str) -> list[Any]:
    """The rows of one table that this conversation wrote."""
    query = select(model).where(model.conversation_id == conversation).order_by(model.id)
    return list(session.execute(query).scalars())


def _same(stored: str | None, expected: str) -> bool:
    """Equal for a reader: any case, æøå or not, punctuation aside."""
    return stored is not None and fold(stored) == fold(expected)


def _person_problems(visit: Visit, who: Facts, year: int) -> list[str]:
    """How the booked citizen differs from the person's facts."""
    citizen = visit.citizen
    problems = []
    if not _same(citizen.name, who.name):
        problems.append(f"citizen name {citizen.name!r}, expected {who.name!r}")
    if citizen.birth_year != who.birth_year(year):
        problems.append(f"birth year {citizen.birth_year}, expected {who.birth_year(year)}")
    address = fold(citizen.address or "").replace(" ", "")  # "10 b" is "10b"
    if not address.startswith(fold(who.address).replace(" ", "")):
        problems.append(f"address {citizen.address!r}, expected {who.address!r}")
    if citizen.phone != e164(who.phone):
        problems.append(f"phone {citizen.phone!r}, expected {e164(who.phone)!r}")
    return problems


def _booking_problems(person: Person, visits: list[Visit], year: int) -> list[str]:
    """One booked visit for the right person, booked by the right person, at a wished time."""
    booked = [v for v in visits if v.status == VisitStatus.BOOKED]
    if len(booked) != 1:
        return [f"{len(booked)} booked visits, expected 1"]
    visit = booked[0]
    problems = _person_problems(visit, person.visit_for, year)
    if person.goal.for_someone_else:
        if visit.booked_by != "relative":
            problems.append(f"booked_by {visit.booked_by!r}, expected 'relative'")
        if person.relations and visit.relation not in person.relations:
            problems.append(f"relation {visit.relation!r}, expected {sorted(person.relations)}")
        if not _same(visit.relative_name, person.me.name):
            problems.append(f"relative name {visit.relative_name!r}, expected {person.me.name!r}")
        if visit.relative_phone != e164(person.me.phone):
            problems.append(f"relative phone {visit.relative_phone!r}")
    elif visit.booked_by != "self":
        problems.append(f"booked_by {visit.booked_by!r}, expected 'self'")
    return problems + _time_problems(person, visit)


def _time_problems(person: Person, visit: Visit) -> list[str]:
    """The visit's time fits the person's wish."""
    wish = person.wish
    if wish is None:
        return []
    when = visit.slot.start.replace(tzinfo=dt.timezone.utc).astimezone(OSLO).replace(tzinfo=None)
    if wish.fits(when):
        return []
    return [f"visit at {when:%a %d %b %H:%M}, which does not fit the wish"]


def _callback_problems(callbacks: list[CallbackRequest], *phones: str) -> list[str]:
    """A call-back request to one of these numbers."""
    wanted = {e164(p) for p in phones}
    if not any(c.phone in wanted for c in callbacks):
        got = [c.phone for c in callbacks]
        return [f"no call-back request to {sorted(wanted)} (call-backs: {got})"]
    return []


def judge(url: str, person: Person, conversation: str, arranged: Arranged | None) -> list[str]:
    """Every way the database differs from what this person came for ([] = success)."""
    year = system_clock().astimezone(OSLO).year
    goal = person.goal
    with SqlAlchemyUnitOfWork(url, clock=system_clock) as session:
        visits = _rows(session, Visit, conversation)
        callbacks = _rows(session, CallbackRequest, conversation)
        declines = _rows(session, Decline, conversation)
        feedback = _rows(session, Feedback, conversation)
        takeovers = _rows(session, Takeover, conversation)
        booked = [v for v in visits if v.status == VisitStatus.BOOKED]
        if goal.books:
            # A no begun and taken back is no decline (it once was stored, with the
            # person's details as its reason).
            taken_back = [f"{len(declines)} declines stored"] if declines else []
            return _booking_problems(person, visits, year) + taken_back
        if goal is Goal.RELATIVE_NO_CONSENT:
            no_visit = [f"{len(visits)} visits booked without consent"] if visits else []
            assert person.other is not None
            return no_visit + _callback_problems(callbacks, person.other.phone, person.me.phone)
        if goal in (Goal.DECLINE, Goal.POSTPONE):
            return _decline_problems(person, declines) + (
                [f"{len(visits)} visits booked"] if visits else []
            )
        if goal is Goal.CANCEL:
            assert arranged is not None
            visit = session.get(Visit, arranged.visit_id)
            problems = [] if visit and visit.status == VisitStatus.CANCELLED else ["not cancelled"]
            return problems + ([f"{len(booked)} visits still booked"] if booked else [])
        if goal is Goal.MOVE:
            assert arranged is not None
            if len(booked) != 1 or booked[0].id != arranged.visit_id:
                return [f"booked visits {[v.id for v in booked]}, expected [{arranged.visit_id}]"]
            if booked[0].slot_id == arranged.slot_id:
                return ["the visit was not moved"]
            return _time_problems(person, booked[0])
        if goal is Goal.FEEDBACK:
            assert arranged is not None
            return _feedback_problems(person, feedback, arranged)
        if goal is Goal.PERSON:
            return [] if takeovers or callbacks else ["no request for a person stored"]
        if goal is Goal.CALLBACK:
            return _callback_problems(callbacks, person.me.phone)
        if goal is Goal.TOO_YOUNG:
            problems = [f"{len(visits)} visits booked outside the age group"] if visits else []
            if person.accepts_callback:
                problems += _callback_problems(callbacks, person.me.phone)
                names = [c.name for c in callbacks]
                if callbacks and not any(_same(name, person.me.name) for name in names):
                    problems.append(f"call-back stored for {names}, not {person.me.name!r}")
            return problems
    raise ValueError(f"no judgement for {goal}")


def _decline_problems(person: Person, declines: list[Decline]) -> list[str]:
    """One decline with an accepted reason; a postponement says when."""
    if len(declines) != 1:
        return [f"{len(declines)} declines stored, expected 1"]
    decline = declines[0]
    problems = []
    if person.reasons and decline.reason not in person.reasons:
        problems.append(f"reason {decline.reason!r}, expected one of {sorted(person.reasons)}")
    if person.goal is Goal.POSTPONE or person.wants_later:
        if not decline.wants_later or not decline.later_when:
            problems.append(f"wants_later={decline.wants_later} later_when={decline.later_when!r}")
    elif decline.wants_later:
        problems.append("stored as wanting a later visit")
    return problems


def _feedback_problems(person: Person, feedback: list[Feedback], arranged: Arranged) -> list[str]:
    """One evaluation with the person's rating and usefulness, linked to their visit."""
    if len(feedback) != 1:
        return [f"{len(feedback)} feedback rows, expected 1"]
    row = feedback[0]
    problems = []
    if row.rating != person.rating:
        problems.append(f"rating {row.rating}, expected {person.rating}")
    if row.useful != person.useful:
        problems.append(f"useful {row.useful!r}, expected {person.useful!r}")
    if row.visit_id != arranged.visit_id:
        problems.append(f"visit_id {row.visit_id}, expected {arranged.visit_id}")
    return problems
