"""Messages the system starts: reminders, feedback requests and new offers.

Everything is planned from the visit database on each round (not from Rasa's in-memory
reminders), so a restart loses nothing. Each message is claimed in the notifications table,
whose (kind, ref) is unique, in its own committed transaction BEFORE it is sent: two
schedulers, or one that restarts half-way, can never send the same message twice. A message
that fails is marked failed and not retried; at most once beats twice.

Messages go out by day only (local 09:00–20:00), and only to conversations that have a
channel contact; the municipality phones the others.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from bot.channels.context import ChannelContext
from bot.channels.relay import Button
from bot.outreach import notices
from fhb.clock import naive_utc
from fhb.db import contacts
from fhb.db import notifications as notifications_db
from fhb.db.models import Feedback, NotificationStatus, Slot, Visit, VisitStatus
from fhb.language.formatting import format_slot_time, to_utc_naive
from fhb.profile import Profile
from fhb.read import followup as followup_read

log = logging.getLogger(__name__)

DAY_START = dt.time(9, 0)
DAY_END = dt.time(20, 0)
REMINDER_QUIET = dt.timedelta(hours=2)  # no reminder right on top of a confirmation
FEEDBACK_WITHIN = dt.timedelta(days=14)
NEW_OFFER_WITHIN = dt.timedelta(days=30)


@dataclass(frozen=True)
class Due:
    """One message that should go out now, if it was not claimed before."""

    kind: str
    ref: str
    conversation_id: str
    text: str
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class Planned:
    """A due message and where its conversation can be reached."""

    due: Due
    channel: str
    address: str


def local_now(now_utc: dt.datetime, profile: Profile) -> dt.datetime:
    """The time in the kommune."""
    return now_utc.astimezone(ZoneInfo(profile.timezone))


def is_daytime(now_utc: dt.datetime, profile: Profile) -> bool:
    """Tell whether messages may go out now (local 09:00–20:00; no night messages)."""
    return DAY_START <= local_now(now_utc, profile).time() < DAY_END


def _local_day_bounds(day: dt.date, profile: Profile) -> tuple[dt.datetime, dt.datetime]:
    """The start and end of a local day, in naive UTC."""
    zone = ZoneInfo(profile.timezone)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    return to_utc_naive(start), to_utc_naive(end)


def _booked_for(visit: Visit) -> str | None:
    """The citizen's name when a relative booked (the chat is the relative's), else None."""
    if visit.booked_by == "relative" and visit.citizen is not None:
        return str(visit.citizen.name)
    return None


def _reminders(session: Session, now: dt.datetime, profile: Profile) -> list[Due]:
    """Booked visits on the local day after today, booked or moved at least 2 hours ago."""
    tomorrow = local_now(now, profile).date() + dt.timedelta(days=1)
    start, end = _local_day_bounds(tomorrow, profile)
    query = (
        select(Visit)
        .join(Slot, Visit.slot_id == Slot.id)
        .where(
            Visit.status == VisitStatus.BOOKED,
            Visit.conversation_id.is_not(None),
            Slot.start >= start,
            Slot.start < end,
            Visit.updated_at <= naive_utc(now) - REMINDER_QUIET,
        )
        .order_by(Slot.start, Visit.id)
    )
    return [
        Due(
            kind="reminder",
            ref=f"{visit.id}:{visit.slot_id}",
            conversation_id=visit.conversation_id,
            text=notices.reminder_text(
                profile,
                slot_label=format_slot_time(visit.slot.start, profile.timezone),
                visitor=visit.slot.visitor,
                address=visit.citizen.address if visit.citizen else None,
                for_name=_booked_for(visit),
            ),
            buttons=notices.REMINDER_BUTTONS,
        )
        for visit in session.execute(query).scalars()
    ]


def _feedback_requests(session: Session, now: dt.datetime, profile: Profile) -> list[Due]:
    """Visits marked completed in the last 14 days that have no feedback yet."""
    has_feedback = exists().where(Feedback.visit_id == Visit.id)
    query = (
        select(Visit)
        .where(
            Visit.status == VisitStatus.COMPLETED,
            Visit.conversation_id.is_not(None),
            Visit.updated_at >= naive_utc(now) - FEEDBACK_WITHIN,
            ~has_feedback,
        )
        .order_by(Visit.id)
    )
    return [
        Due(
            kind="feedback_request",
            ref=str(visit.id),
            conversation_id=visit.conversation_id,
            text=notices.feedback_request_text(
                profile,
                visitor=visit.slot.visitor if visit.slot else None,
                for_name=_booked_for(visit),
            ),
            buttons=notices.FEEDBACK_BUTTONS,
        )
        for visit in session.execute(query).scalars()
    ]


def _new_offers(session: Session, now: dt.datetime, profile: Profile) -> list[Due]:
    """Postponed offers that are due (the follow-up page's own definition), offered again in
    the chat they came from: only those from a chat, and none more than 30 days overdue."""
    today = local_now(now, profile).date()
    return [
        Due(
            kind="new_offer",
            ref=str(decline.id),
            conversation_id=decline.conversation_id,
            text=notices.new_offer_text(profile),
            buttons=notices.NEW_OFFER_BUTTONS,
        )
        for decline in followup_read.declines_due(
            session, until=today, since=today - NEW_OFFER_WITHIN
        )
        if decline.conversation_id is not None
    ]


def due_messages(session: Session, now_utc: dt.datetime, profile: Profile) -> list[Due]:
    """Every message that is due at `now_utc` and was not claimed before (no sending)."""
    candidates = (
        _reminders(session, now_utc, profile)
        + _feedback_requests(session, now_utc, profile)
        + _new_offers(session, now_utc, profile)
    )
    return [
        d for d in candidates if not notifications_db.notification_claimed(session, d.kind, d.ref)
    ]


def buttons_json(buttons: tuple[Button, ...]) -> str:
    """Buttons as stored with a notification: [{"title": ..., "payload": ...}]."""
    return json.dumps(
        [{"title": b.title, "payload": b.payload} for b in buttons], ensure_ascii=False
    )


class Scheduler:
    """Plans due messages from the database every few seconds and sends each at most once."""

    def __init__(self, ctx: ChannelContext, telegram: Any | None = None) -> None:
        """`telegram` has `async send_notification(chat_id, text, buttons) -> bool`."""
        self._ctx = ctx
        self._telegram = telegram

    async def run_forever(self) -> None:
        """Run a round every `scheduler_interval` seconds until cancelled; never die. With
        several channel servers only the one holding the "scheduler" lease runs it."""
        interval = self._ctx.settings.scheduler_interval
        lease = dt.timedelta(seconds=3 * interval)  # renewed each round; lost after 3 missed
        while True:
            try:
                if await asyncio.to_thread(self._ctx.leads, "scheduler", lease):
                    await self.run_once()
            except Exception as e:  # noqa: BLE001 - the loop must survive any round
                log.error("scheduler round failed: %s", type(e).__name__)
            await asyncio.sleep(interval)

    async def run_once(self) -> list[int]:
        """One round: plan, claim and send; return the ids of the notifications created."""
        now = self._ctx.clock()
        if not is_daytime(now, self._ctx.profile):
            return []
        planned = await asyncio.to_thread(self._plan, now)
        created: list[int] = []
        for item in planned:
            note_id, _ = await self.deliver(item)
            if note_id is not None:
                created.append(note_id)
        if created:
            log.info("scheduler created %d notification(s)", len(created))
        return created

    def _plan(self, now: dt.datetime) -> list[Planned]:
        """Due messages whose conversation has a channel contact (runs in a thread)."""
        with self._ctx.uow_factory() as session:
            planned = []
            for due in due_messages(session, now, self._ctx.profile):
                contact = contacts.contact_for(session, due.conversation_id)
                reachable = ("telegram", "web") if self._telegram_ready() else ("web",)
                if contact is not None and contact.channel in reachable:
                    planned.append(Planned(due, contact.channel, contact.address))
            return planned

    def _telegram_ready(self) -> bool:
        """Telegram is configured and connected."""
        return self._telegram is not None and bool(getattr(self._telegram, "ready", True))

    def _claim(self, item: Planned, status: str) -> int | None:
        """Claim the message in its own committed transaction; None if claimed before."""
        due = item.due
        with self._ctx.uow_factory() as session:
            note = notifications_db.claim_notification(
                session,
                kind=due.kind,
                ref=due.ref,
                conversation_id=due.conversation_id,
                channel=item.channel,
                text=due.text,
                buttons=buttons_json(due.buttons),
                status=status,
            )
            return None if note is None else int(note.id)

    def _set_status(self, note_id: int, status: str) -> None:
        """Record how the sending went (runs in a thread)."""
        with self._ctx.uow_factory() as session:
            notifications_db.set_notification_status(session, note_id, status)

    async def deliver(self, item: Planned) -> tuple[int | None, str]:
        """Claim, then send on Telegram or queue for the web page.

        Returns the notification's id (None when nothing was claimed) and how it went:
        queued, sent, failed, claimed (someone claimed it before) or offline (Telegram is
        not connected: nothing claimed, so a scheduled message is tried again later).
        """
        if item.channel == "web":
            note_id = await asyncio.to_thread(self._claim, item, NotificationStatus.QUEUED)
            return note_id, NotificationStatus.QUEUED if note_id is not None else "claimed"
        telegram = self._telegram
        if telegram is None or not self._telegram_ready():  # off or not connected: keep it
            return None, "offline"
        note_id = await asyncio.to_thread(self._claim, item, NotificationStatus.SENDING)
        if note_id is None:
            return None, "claimed"
        try:
            ok = bool(
                await telegram.send_notification(
                    item.address, item.due.text, list(item.due.buttons)
                )
            )
        except Exception as e:  # noqa: BLE001 - a failed send must not stop the round
            log.warning("telegram notification %d failed: %s", note_id, type(e).__name__)
            ok = False
        status = NotificationStatus.SENT if ok else NotificationStatus.FAILED
        await asyncio.to_thread(self._set_status, note_id, status)
        return note_id, status
