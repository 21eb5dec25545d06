"""Repository functions: every read and write of the visit database.

The caller owns the transaction (`with SqlAlchemyUnitOfWork() as session:`); these
functions never commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Sequence

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from actions.db import session_now
from actions.models import (
    OPEN_TAKEOVER,
    AccessLogEntry,
    CallbackRequest,
    ChannelContact,
    Citizen,
    ConversationReview,
    Decline,
    Feedback,
    Invitation,
    Notification,
    Slot,
    StaffUser,
    Takeover,
    Visit,
)


class SlotTaken(Exception):
    """The slot was booked by someone else in the meantime (or no longer exists)."""


@dataclass(frozen=True)
class CitizenDetails:
    """What the bot collects about the person who gets the visit."""

    name: str
    birth_year: int | None
    address: str | None
    phone: str | None


@dataclass(frozen=True)
class RelativeDetails:
    """Who booked on the citizen's behalf."""

    relation: str | None
    name: str | None
    phone: str | None


def _active_visit_exists():  # type: ignore[no-untyped-def]
    """SQL condition: the slot has a visit that is not cancelled."""
    return exists().where(and_(Visit.slot_id == Slot.id, Visit.status != "cancelled"))


def free_slots(session: Session, *, after: dt.datetime) -> list[Slot]:
    """All free slots starting after `after` (naive UTC), in time order."""
    query = (
        select(Slot)
        .where(Slot.start > after, ~_active_visit_exists())
        .order_by(Slot.start, Slot.visitor, Slot.id)
    )
    return list(session.execute(query).scalars())


def get_slot(session: Session, slot_id: int) -> Slot | None:
    """Return the slot with this id, or None."""
    return session.get(Slot, slot_id)


def is_slot_free(session: Session, slot_id: int) -> bool:
    """Tell whether the slot exists and has no visit that is not cancelled."""
    query = select(Visit.id).where(Visit.slot_id == slot_id, Visit.status != "cancelled")
    return get_slot(session, slot_id) is not None and session.execute(query).first() is None


def book_visit(
    session: Session,
    *,
    slot_id: int,
    citizen: CitizenDetails,
    conversation_id: str,
    relative: RelativeDetails | None = None,
    citizen_id: int | None = None,
) -> Visit:
    """Book the slot; raise SlotTaken when it is gone. The unique index decides races.

    With `citizen_id` (a chat linked by an invitation code) the visit is booked for that
    citizen on the visit list, with any detail corrected in the chat; else a new citizen.
    """
    slot = get_slot(session, slot_id)
    if slot is None or slot.start <= session_now(session):
        raise SlotTaken(slot_id)
    person = session.get(Citizen, citizen_id) if citizen_id is not None else None
    if person is None:
        person = Citizen(name=citizen.name, source="chat", conversation_id=conversation_id)
    person.birth_year = citizen.birth_year or person.birth_year
    person.address = citizen.address or person.address
    person.phone = citizen.phone or person.phone
    visit = Visit(
        slot=slot,
        citizen=person,
        status="booked",
        booked_by="relative" if relative else "self",
        relation=relative.relation if relative else None,
        relative_name=relative.name if relative else None,
        relative_phone=relative.phone if relative else None,
        conversation_id=conversation_id,
    )
    session.add_all([person, visit])
    try:
        session.flush()
    except IntegrityError as e:
        raise SlotTaken(slot_id) from e
    return visit


def booked_visit_for_conversation(
    session: Session, conversation_id: str
) -> Visit | None:
    """Return the next booked visit made from this conversation, or None."""
    query = (
        select(Visit)
        .join(Slot, Visit.slot_id == Slot.id)
        .where(
            Visit.conversation_id == conversation_id,
            Visit.status == "booked",
            Slot.start > session_now(session),
        )
        .order_by(Slot.start)
    )
    return session.execute(query).scalars().first()


def completed_visit_for_conversation(
    session: Session, conversation_id: str
) -> Visit | None:
    """Return the latest completed visit of this conversation, or None."""
    query = (
        select(Visit)
        .join(Slot, Visit.slot_id == Slot.id)
        .where(Visit.conversation_id == conversation_id, Visit.status == "completed")
        .order_by(Slot.start.desc())
    )
    return session.execute(query).scalars().first()


def visit_awaiting_feedback(session: Session, conversation_id: str) -> Visit | None:
    """The latest completed visit of this conversation that has no feedback yet."""
    has_feedback = exists().where(Feedback.visit_id == Visit.id)
    query = (
        select(Visit)
        .join(Slot, Visit.slot_id == Slot.id)
        .where(Visit.conversation_id == conversation_id, Visit.status == "completed",
               ~has_feedback)
        .order_by(Slot.start.desc())
    )
    return session.execute(query).scalars().first()


def cancel_visit(session: Session, visit_id: int) -> Visit:
    """Cancel a visit, which frees its slot."""
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise LookupError(f"no visit {visit_id}")
    visit.status = "cancelled"
    session.flush()
    return visit


def move_visit(session: Session, visit_id: int, new_slot_id: int) -> Visit:
    """Move a booked visit to another free slot; raise SlotTaken when it is gone."""
    visit = session.get(Visit, visit_id)
    if visit is None or visit.status != "booked":
        raise LookupError(f"no booked visit {visit_id}")
    slot = get_slot(session, new_slot_id)
    if slot is None or slot.start <= session_now(session):
        raise SlotTaken(new_slot_id)
    visit.slot = slot
    try:
        session.flush()
    except IntegrityError as e:
        raise SlotTaken(new_slot_id) from e
    return visit


def set_visit_status(session: Session, visit_id: int, status: str) -> Visit:
    """Mark a visit completed, no-show, cancelled or booked."""
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise LookupError(f"no visit {visit_id}")
    visit.status = status
    session.flush()
    return visit


def add_decline(session: Session, **fields: object) -> Decline:
    """Store a declined or postponed offer."""
    decline = Decline(**fields)
    session.add(decline)
    session.flush()
    return decline


def add_feedback(session: Session, **fields: object) -> Feedback:
    """Store a citizen's evaluation."""
    feedback = Feedback(**fields)
    session.add(feedback)
    session.flush()
    return feedback


def add_callback(session: Session, **fields: object) -> CallbackRequest:
    """Store a call-back request."""
    callback = CallbackRequest(**fields)
    session.add(callback)
    session.flush()
    return callback


def mark_callback_handled(session: Session, callback_id: int) -> CallbackRequest:
    """Mark a call-back request as handled now."""
    callback = session.get(CallbackRequest, callback_id)
    if callback is None:
        raise LookupError(f"no call-back request {callback_id}")
    callback.handled_at = session_now(session)
    session.flush()
    return callback


def add_slots(session: Session, slots: Iterable[tuple[dt.datetime, dt.datetime, str]]) -> int:
    """Add slots (UTC start, UTC end, visitor) that do not exist yet; return how many."""
    existing = {
        (start, visitor) for start, visitor in session.execute(select(Slot.start, Slot.visitor))
    }
    new = [
        Slot(start=start, end=end, visitor=visitor)
        for start, end, visitor in slots
        if (start, visitor) not in existing
    ]
    session.add_all(new)
    session.flush()
    return len(new)


def import_citizens(session: Session, people: Sequence[CitizenDetails]) -> int:
    """Add citizens from the staff's visit list; return how many."""
    session.add_all(
        Citizen(
            name=p.name, birth_year=p.birth_year, address=p.address, phone=p.phone,
            source="import",
        )
        for p in people
    )
    session.flush()
    return len(people)


def list_visits(session: Session) -> list[Visit]:
    """All visits, by slot time."""
    query = select(Visit).join(Slot, Visit.slot_id == Slot.id).order_by(Slot.start, Visit.id)
    return list(session.execute(query).scalars())


def list_rows(session: Session, model: type) -> list:  # type: ignore[type-arg]
    """All rows of a simple table, oldest first."""
    return list(session.execute(select(model).order_by(model.id)).scalars())


def list_slots(session: Session, *, after: dt.datetime | None = None) -> list[tuple[Slot, bool]]:
    """All slots (optionally from a time), each with whether it is free."""
    query = select(Slot, ~_active_visit_exists()).order_by(Slot.start, Slot.visitor)
    if after is not None:
        query = query.where(Slot.start > after)
    return [(slot, bool(free)) for slot, free in session.execute(query)]


# --- invitations: the code in a citizen's letter links a chat to that citizen ----------------


def invitation_by_code(session: Session, code: str) -> Invitation | None:
    """The invitation with this code (codes are stored upper-case without separators)."""
    return session.execute(select(Invitation).where(Invitation.code == code)).scalar_one_or_none()


def link_invitation(session: Session, code: str, conversation_id: str) -> Citizen | None:
    """Link the conversation to the citizen of `code`; None when the code is unknown."""
    invitation = invitation_by_code(session, code)
    if invitation is None:
        return None
    invitation.conversation_id = conversation_id
    invitation.linked_at = session_now(session)
    return invitation.citizen


def linked_citizen(session: Session, conversation_id: str) -> Citizen | None:
    """The citizen this conversation was linked to by an invitation code, if any."""
    query = (
        select(Invitation)
        .where(Invitation.conversation_id == conversation_id)
        .order_by(Invitation.linked_at.desc())
    )
    invitation = session.execute(query).scalars().first()
    return invitation.citizen if invitation else None


def citizens_without_invitation(session: Session) -> list[Citizen]:
    """Imported citizens who have no invitation code yet, in import order."""
    has_code = exists().where(Invitation.citizen_id == Citizen.id)
    query = select(Citizen).where(Citizen.source == "import", ~has_code).order_by(Citizen.id)
    return list(session.execute(query).scalars())


def add_invitation(session: Session, citizen_id: int, code: str) -> Invitation:
    """Give a citizen a code; the unique constraints refuse a second code or a reused one."""
    invitation = Invitation(citizen_id=citizen_id, code=code)
    session.add(invitation)
    session.flush()
    return invitation


# --- channel contacts: where a conversation can be reached ------------------------------------


def touch_contact(session: Session, conversation_id: str, channel: str, address: str) -> None:
    """Remember (or refresh) where this conversation lives, for messages the system starts."""
    contact = session.get(ChannelContact, conversation_id)
    if contact is None:
        session.add(ChannelContact(conversation_id=conversation_id, channel=channel,
                                   address=str(address)))
    else:
        contact.channel, contact.address, contact.last_seen_at = channel, str(address), session_now(session)
    session.flush()


def contact_for(session: Session, conversation_id: str) -> ChannelContact | None:
    """Where the conversation can be reached, or None (never chatted, or erased)."""
    return session.get(ChannelContact, conversation_id)


def forget_conversation(session: Session, conversation_id: str) -> None:
    """Unlink a chat (/slett): no contact, no citizen link, no texts of sent messages.

    Visits, declines, feedback and call-backs stay: the municipality must keep them.
    The notification rows stay without their text, so nothing is sent twice.
    """
    contact = session.get(ChannelContact, conversation_id)
    if contact is not None:
        session.delete(contact)
    for invitation in session.execute(
        select(Invitation).where(Invitation.conversation_id == conversation_id)
    ).scalars():
        invitation.conversation_id = None
        invitation.linked_at = None
    for note in session.execute(
        select(Notification).where(Notification.conversation_id == conversation_id)
    ).scalars():
        note.text = None
        note.buttons = None
    takeover = open_takeover(session, conversation_id)
    if takeover is not None:  # nobody can answer an erased chat
        takeover.status, takeover.ended_at, takeover.ended_by = "closed", session_now(session), "citizen"
    session.flush()


# --- notifications: messages the system starts, each at most once -------------------------------


def claim_notification(
    session: Session, *, kind: str, ref: str, conversation_id: str, channel: str,
    text: str, buttons: str | None, status: str = "sending",
) -> Notification | None:
    """Record a message before it is sent; None when (kind, ref) was claimed before."""
    note = Notification(kind=kind, ref=ref, conversation_id=conversation_id, channel=channel,
                        text=text, buttons=buttons, status=status)
    try:
        with session.begin_nested():
            session.add(note)
    except IntegrityError:
        return None
    return note


def notification_claimed(session: Session, kind: str, ref: str) -> bool:
    """Tell whether (kind, ref) was ever claimed."""
    query = select(Notification.id).where(Notification.kind == kind, Notification.ref == ref)
    return session.execute(query).first() is not None


def set_notification_status(session: Session, notification_id: int, status: str) -> None:
    """Mark a notification sent, delivered or failed."""
    note = session.get(Notification, notification_id)
    if note is not None:
        note.status = status
        note.sent_at = session_now(session)
        session.flush()


def queued_notifications(session: Session, conversation_id: str) -> list[Notification]:
    """Web messages waiting for the page to fetch them, oldest first."""
    query = (
        select(Notification)
        .where(Notification.conversation_id == conversation_id, Notification.status == "queued")
        .order_by(Notification.id)
    )
    return list(session.execute(query).scalars())


def notifications_for(session: Session, conversation_id: str) -> list[Notification]:
    """Every system-started message of a conversation that still has its text."""
    query = (
        select(Notification)
        .where(Notification.conversation_id == conversation_id, Notification.text.is_not(None))
        .order_by(Notification.id)
    )
    return list(session.execute(query).scalars())


# --- staff: accounts and the append-only access log -------------------------------------------


def add_staff_user(session: Session, *, username: str, password_hash: str, role: str) -> StaffUser:
    """Create a staff account; raise ValueError when the user name is taken."""
    user = StaffUser(username=username, password_hash=password_hash, role=role)
    try:
        with session.begin_nested():
            session.add(user)
    except IntegrityError as e:
        raise ValueError(f"user {username!r} exists") from e
    return user


def staff_user(session: Session, username: str) -> StaffUser | None:
    """The account with this user name, or None."""
    query = select(StaffUser).where(StaffUser.username == username)
    return session.execute(query).scalar_one_or_none()


def list_staff_users(session: Session) -> list[StaffUser]:
    """Every account, by user name."""
    return list(session.execute(select(StaffUser).order_by(StaffUser.username)).scalars())


def log_access(session: Session, *, username: str, action: str, target: str,
               reason: str | None = None) -> AccessLogEntry:
    """Append one row to the access log (the database forbids changing or deleting rows)."""
    entry = AccessLogEntry(username=username, action=action, target=target[:200],
                           reason=reason[:200] if reason else None)
    session.add(entry)
    session.flush()
    return entry


def access_log(session: Session, *, limit: int | None = None) -> list[AccessLogEntry]:
    """The access log, newest first."""
    query = select(AccessLogEntry).order_by(AccessLogEntry.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query).scalars())


def mark_reviewed(session: Session, conversation_id: str, username: str) -> None:
    """Record that a staff member has reviewed the conversation (the latest review counts)."""
    review = session.get(ConversationReview, conversation_id)
    if review is None:
        session.add(ConversationReview(conversation_id=conversation_id, reviewed_by=username))
    else:
        review.reviewed_by, review.reviewed_at = username, session_now(session)
    session.flush()


def review_of(session: Session, conversation_id: str) -> ConversationReview | None:
    """Who reviewed the conversation and when, or None."""
    return session.get(ConversationReview, conversation_id)


def reviewed_conversations(session: Session) -> set[str]:
    """Ids of every reviewed conversation."""
    return set(session.execute(select(ConversationReview.conversation_id)).scalars())


# --- staff pages: the visit calendar and the follow-up lists ------------------------------------


def get_visit(session: Session, visit_id: int) -> Visit | None:
    """The visit with this id (its slot and citizen loaded), or None."""
    return session.get(Visit, visit_id)


def schedule_between(
    session: Session, start: dt.datetime, end: dt.datetime, *, visitor: str | None = None
) -> list[tuple[Slot, Visit | None]]:
    """Slots starting in [start, end) (naive UTC), each with its visit that is not cancelled."""
    query = (
        select(Slot, Visit)
        .outerjoin(Visit, and_(Visit.slot_id == Slot.id, Visit.status != "cancelled"))
        .where(Slot.start >= start, Slot.start < end)
        .order_by(Slot.start, Slot.visitor, Slot.id)
    )
    if visitor is not None:
        query = query.where(Slot.visitor == visitor)
    return [(slot, visit) for slot, visit in session.execute(query)]


def slot_visitors(session: Session) -> list[str]:
    """Every visitor name that has a slot, sorted."""
    return sorted(session.execute(select(Slot.visitor).distinct()).scalars())


def complete_visit(
    session: Session, visit_id: int, *, referred: bool, interpreter_used: bool,
    joined_activity: bool, at: dt.datetime | None = None,
) -> Visit:
    """Mark a visit completed with its outcome (which also makes it due for feedback)."""
    visit = session.get(Visit, visit_id)
    if visit is None or visit.status not in ("booked", "completed", "no_show"):
        raise LookupError(f"no visit {visit_id} that can be completed")
    visit.status = "completed"
    visit.completed_at = at or session_now(session)
    visit.referred = referred
    visit.interpreter_used = interpreter_used
    visit.joined_activity = joined_activity
    session.flush()
    return visit


def mark_no_show(session: Session, visit_id: int) -> Visit:
    """Mark a visit as a no-show, clearing any outcome recorded before."""
    visit = session.get(Visit, visit_id)
    if visit is None or visit.status not in ("booked", "completed", "no_show"):
        raise LookupError(f"no visit {visit_id} that can be a no-show")
    visit.status = "no_show"
    visit.completed_at = visit.referred = visit.interpreter_used = None
    visit.joined_activity = None
    session.flush()
    return visit


def open_callbacks(session: Session) -> list[CallbackRequest]:
    """Call-back requests not handled yet, oldest first."""
    query = (
        select(CallbackRequest)
        .where(CallbackRequest.handled_at.is_(None))
        .order_by(CallbackRequest.created_at, CallbackRequest.id)
    )
    return list(session.execute(query).scalars())


def declines_due(session: Session, *, until: dt.date) -> list[Decline]:
    """Declines that want a visit later, due by `until` (overdue included), soonest first.

    Left out: a decline followed by a newer answer in the same conversation, and one whose
    conversation has booked a visit (not cancelled) since.
    """
    newer = aliased(Decline)
    has_newer = exists().where(
        and_(newer.conversation_id == Decline.conversation_id, newer.id > Decline.id)
    )
    booked_since = exists().where(
        and_(Visit.conversation_id == Decline.conversation_id,
             Visit.status != "cancelled", Visit.created_at >= Decline.created_at)
    )
    query = (
        select(Decline)
        .where(Decline.wants_later.is_(True), Decline.later_date.is_not(None),
               Decline.later_date <= until, ~has_newer, ~booked_since)
        .order_by(Decline.later_date, Decline.id)
    )
    return list(session.execute(query).scalars())


def decline_counts(session: Session) -> dict[str, int]:
    """How many declines there are of each reason."""
    query = select(Decline.reason, func.count(Decline.id)).group_by(Decline.reason)
    return {reason: int(count) for reason, count in session.execute(query)}


# --- live takeover: conversations that asked for a person ---------------------------------


def request_takeover(
    session: Session, *, conversation_id: str, channel: str, now: dt.datetime,
    deadline: dt.datetime,
) -> tuple[Takeover, bool]:
    """Put a conversation in the staff queue; (the open takeover, whether it is new).

    Asking again while waiting or while a person is already there adds nothing: the unique
    index on open takeovers makes that hold across processes too.
    """
    existing = open_takeover(session, conversation_id)
    if existing is not None:
        return existing, False
    takeover = Takeover(conversation_id=conversation_id, channel=channel, status="waiting",
                        requested_at=now, deadline=deadline)
    try:
        with session.begin_nested():
            session.add(takeover)
    except IntegrityError:  # asked twice at the same moment: the other one won
        existing = open_takeover(session, conversation_id)
        if existing is None:
            raise
        return existing, False
    return takeover, True


def open_takeover(session: Session, conversation_id: str) -> Takeover | None:
    """The waiting or active takeover of a conversation, if any."""
    query = select(Takeover).where(Takeover.conversation_id == conversation_id,
                                   Takeover.status.in_(OPEN_TAKEOVER))
    return session.execute(query).scalars().first()


def get_takeover(session: Session, takeover_id: int) -> Takeover | None:
    """One takeover by id."""
    return session.get(Takeover, takeover_id)


def waiting_takeovers(session: Session) -> int:
    """How many conversations wait for a person now."""
    query = select(func.count(Takeover.id)).where(Takeover.status == "waiting")
    return int(session.execute(query).scalar_one())


def takeover_queue(session: Session, *, since: dt.datetime) -> list[Takeover]:
    """What staff see: waiting and active takeovers, and those timed out since `since`
    that nobody has taken yet (unless the person has asked again since); waiting ones first,
    oldest first."""
    query = (
        select(Takeover)
        .where(
            (Takeover.status.in_(OPEN_TAKEOVER))
            | ((Takeover.status == "timed_out") & (Takeover.requested_at >= since))
        )
        .order_by(Takeover.requested_at, Takeover.id)
    )
    rows = list(session.execute(query).scalars())
    open_now = {t.conversation_id for t in rows if t.status in OPEN_TAKEOVER}
    rows = [t for t in rows if t.status in OPEN_TAKEOVER or t.conversation_id not in open_now]
    order = {"waiting": 0, "active": 1, "timed_out": 2}
    return sorted(rows, key=lambda t: order.get(str(t.status), 3))


def claim_takeover(session: Session, takeover_id: int, username: str,
                   now: dt.datetime) -> Takeover | None:
    """Take a waiting (or timed-out) conversation; None when someone else was first or it
    was handed back. The status check and the change are one UPDATE, so two staff members
    can never both take the same conversation."""
    try:
        with session.begin_nested():
            result = session.execute(
                update(Takeover)
                .where(Takeover.id == takeover_id,
                       Takeover.status.in_(("waiting", "timed_out")))
                .values(status="active", taken_by=username, taken_at=now, last_staff_at=now)
                .execution_options(synchronize_session=False)
            )
    except IntegrityError:  # an old timed-out request, and the person has asked again
        return None
    if result.rowcount != 1:
        return None
    session.flush()
    takeover = session.get(Takeover, takeover_id)
    if takeover is not None:
        session.refresh(takeover)
    return takeover


def release_takeover(session: Session, takeover_id: int, status: str = "waiting") -> None:
    """Undo a claim (Rasa could not be paused): back to the queue as it was."""
    takeover = session.get(Takeover, takeover_id)
    if takeover is not None and takeover.status == "active":
        takeover.status, takeover.taken_by, takeover.taken_at = status, None, None
        takeover.last_staff_at = None
        session.flush()


def end_takeover(session: Session, takeover_id: int, *, status: str, by: str,
                 now: dt.datetime, callback_id: int | None = None,
                 only_from: Sequence[str] = OPEN_TAKEOVER) -> Takeover | None:
    """Close a takeover (handed back, or timed out) when its status is one of `only_from`;
    None otherwise. The check and the change are one conditional UPDATE, so a timeout can
    never close a request a staff member took a moment before."""
    result = session.execute(
        update(Takeover)
        .where(Takeover.id == takeover_id, Takeover.status.in_(tuple(only_from)))
        .values(status=status, ended_at=now, ended_by=by)
        .execution_options(synchronize_session=False)
    )
    takeover = session.get(Takeover, takeover_id)
    if result.rowcount != 1 or takeover is None:
        return None
    session.refresh(takeover)
    if callback_id is not None:
        takeover.callback_id = callback_id
    session.flush()
    return takeover


def touch_takeover(session: Session, takeover_id: int, now: dt.datetime) -> None:
    """Record that staff wrote in this takeover just now (it is not idle)."""
    takeover = session.get(Takeover, takeover_id)
    if takeover is not None:
        takeover.last_staff_at = now
        session.flush()


def overdue_takeovers(session: Session, now: dt.datetime) -> list[Takeover]:
    """Waiting takeovers whose response time has run out."""
    query = (select(Takeover)
             .where(Takeover.status == "waiting", Takeover.deadline <= now)
             .order_by(Takeover.id))
    return list(session.execute(query).scalars())


def idle_takeovers(session: Session, before: dt.datetime) -> list[Takeover]:
    """Active takeovers where staff have written nothing since `before` (forgotten)."""
    query = (select(Takeover)
             .where(Takeover.status == "active", Takeover.last_staff_at <= before)
             .order_by(Takeover.id))
    return list(session.execute(query).scalars())


def known_phone(session: Session, conversation_id: str) -> tuple[str | None, str | None]:
    """The newest (name, phone) this conversation gave or is linked to, or (None, None).

    Looked for in call-back requests, bookings (the relative's number when a relative
    booked), declines, and the citizen linked by the invitation code.
    """
    callback = session.execute(
        select(CallbackRequest).where(CallbackRequest.conversation_id == conversation_id)
        .order_by(CallbackRequest.id.desc())).scalars().first()
    if callback is not None:
        return callback.name, callback.phone
    visit = session.execute(
        select(Visit).where(Visit.conversation_id == conversation_id)
        .order_by(Visit.id.desc())).scalars().first()
    if visit is not None:
        if visit.booked_by == "relative" and visit.relative_phone:
            return visit.relative_name, visit.relative_phone
        if visit.citizen is not None and visit.citizen.phone:
            return visit.citizen.name, visit.citizen.phone
    decline = session.execute(
        select(Decline).where(Decline.conversation_id == conversation_id,
                              Decline.phone.is_not(None))
        .order_by(Decline.id.desc())).scalars().first()
    if decline is not None:
        return decline.citizen_name, decline.phone
    citizen = linked_citizen(session, conversation_id)
    if citizen is not None and citizen.phone:
        return citizen.name, citizen.phone
    return None, None
