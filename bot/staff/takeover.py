"""Live takeover: a staff member answers in the chat while the bot waits.

The action server puts a conversation that asks for a person in the queue (`takeovers`,
status `waiting`; see `actions.conversation.ActionHumanHandoff`). From the dashboard a staff
member takes it: the claim is one conditional UPDATE (two people can never both take it),
then Rasa pauses the conversation through its HTTP API, so the bot stays silent while the
person's messages are still recorded. Staff replies, and the notices that a person has joined
and left, go out through the channel the person used, like every message the system starts
(`Scheduler.deliver`: sent on Telegram, queued for the web page). Handing back resumes Rasa.

Every scheduler round also checks the clock: a request nobody took within the profile's
response time gets the phone number and a call-back (registered at once when the chat already
gave a phone number, else a button that starts the call-back form); a takeover where staff
wrote nothing for `IDLE_HANDBACK` is handed back, so the bot is never left paused by mistake.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.channels.context import ChannelContext
from bot.channels.relay import Button, RasaUnavailable, check_text
from bot.outreach import notices
from bot.outreach.scheduler import Due, Planned
from fhb.clock import naive_utc
from fhb.db import answers as answers_db
from fhb.db import citizens, contacts
from fhb.db import staff as staff_db
from fhb.db import takeovers as takeovers_db
from fhb.db.models import NotificationStatus, Takeover, TakeoverStatus

if TYPE_CHECKING:
    from bot.outreach.scheduler import Scheduler

log = logging.getLogger(__name__)

IDLE_HANDBACK = dt.timedelta(minutes=30)
TAKEOVER_REASON = "Innbyggeren ba om kontakt"
TIMEOUT_CHECK_EVERY = 15.0
MAX_STAFF_MESSAGE = 2000


class TakeoverError(Exception):
    """What went wrong, in Norwegian, for the staff member who tried."""


@dataclass(frozen=True)
class Sent:
    """How a message to the person went: `status` is queued, sent or failed."""

    status: str


class LiveChat:
    """Take over, write, hand back, and the clock's timeouts (used by dashboard and scheduler)."""

    def __init__(self, ctx: ChannelContext, scheduler: Scheduler) -> None:
        self.ctx = ctx
        self.scheduler = scheduler

    # --- staff actions ------------------------------------------------------------------

    async def take(self, takeover_id: int, username: str) -> Takeover:
        """Take a waiting conversation: claim it, pause the bot, tell the person."""
        now = naive_utc(self.ctx.clock())

        def claim() -> tuple[Takeover | None, str]:
            with self.ctx.uow_factory() as session:
                before = takeovers_db.get_takeover(session, takeover_id)
                previous = str(before.status) if before is not None else TakeoverStatus.WAITING
                taken = takeovers_db.claim_takeover(session, takeover_id, username, now)
                if taken is not None:  # taking over opens the transcript: log it
                    staff_db.log_access(
                        session,
                        username=username,
                        action="takeover",
                        target=taken.conversation_id,
                        reason=TAKEOVER_REASON,
                    )
                return taken, previous

        takeover, previous = await asyncio.to_thread(claim)
        self.ctx.open_takeovers.forget()
        if takeover is None and previous == TakeoverStatus.TIMED_OUT:
            raise TakeoverError(
                "Innbyggeren har bedt om en person på nytt. "
                "Ta over den nyeste forespørselen i køen."
            )
        if takeover is None:
            raise TakeoverError("Noen andre har allerede tatt samtalen, eller den er avsluttet.")
        try:
            await self.ctx.relay.pause(takeover.conversation_id)
        except RasaUnavailable:
            await asyncio.to_thread(self._release, takeover_id, previous)
            self.ctx.open_takeovers.forget()
            raise TakeoverError(
                "Boten kunne ikke settes på pause (Rasa svarer ikke). "
                "Samtalen står fortsatt i køen. Prøv igjen."
            ) from None
        await self._send(
            takeover,
            "takeover_joined",
            str(takeover.id),
            notices.takeover_joined_text(self.ctx.profile),
        )
        log.info("takeover %d: taken by %s", takeover.id, username)
        return takeover

    def _release(self, takeover_id: int, status: str) -> None:
        """Put a claim back (runs in a thread)."""
        with self.ctx.uow_factory() as session:
            takeovers_db.release_takeover(session, takeover_id, status)

    async def say(self, takeover_id: int, username: str, text: str) -> Sent:
        """Send a staff member's message to the person through their channel."""
        checked = check_text(text, max_chars=MAX_STAFF_MESSAGE)
        if checked.text is None:
            raise TakeoverError("Skriv en melding først (høyst 2000 tegn).")
        takeover = await asyncio.to_thread(self._own_active, takeover_id, username)
        return await self._send(
            takeover,
            "staff_message",
            f"{takeover.id}:{uuid.uuid4().hex[:16]}",
            notices.STAFF_PREFIX + checked.text,
            touch=True,
        )

    def _own_active(self, takeover_id: int, username: str) -> Takeover:
        """The active takeover, if it is this staff member's (runs in a thread)."""
        with self.ctx.uow_factory() as session:
            takeover = takeovers_db.get_takeover(session, takeover_id)
            if takeover is None or takeover.status != TakeoverStatus.ACTIVE:
                raise TakeoverError("Samtalen er ikke tatt over lenger. Boten svarer igjen.")
            if takeover.taken_by != username:
                raise TakeoverError(f"Samtalen er tatt over av {takeover.taken_by}.")
            return takeover

    async def hand_back(self, takeover_id: int, username: str) -> Takeover:
        """Resume the bot and tell the person (any staff member may hand back)."""
        takeover = await asyncio.to_thread(self._active, takeover_id)
        return await self._hand_back(takeover, by=username)

    def _active(self, takeover_id: int) -> Takeover:
        """The active takeover (runs in a thread)."""
        with self.ctx.uow_factory() as session:
            takeover = takeovers_db.get_takeover(session, takeover_id)
            if takeover is None or takeover.status != TakeoverStatus.ACTIVE:
                raise TakeoverError("Samtalen er allerede gitt tilbake til boten.")
            return takeover

    async def _hand_back(self, takeover: Takeover, *, by: str) -> Takeover:
        """Resume in Rasa first (if that fails the bot is still paused: keep it active)."""
        try:
            await self.ctx.relay.resume(takeover.conversation_id)
        except RasaUnavailable:
            raise TakeoverError(
                "Boten kunne ikke starte igjen (Rasa svarer ikke). "
                "Samtalen er fortsatt din. Prøv igjen om litt."
            ) from None
        now = naive_utc(self.ctx.clock())

        def close() -> Takeover | None:
            with self.ctx.uow_factory() as session:
                return takeovers_db.end_takeover(
                    session,
                    takeover.id,
                    status=TakeoverStatus.CLOSED,
                    by=by,
                    now=now,
                    only_from=(TakeoverStatus.ACTIVE,),
                )

        ended = await asyncio.to_thread(close)
        self.ctx.open_takeovers.forget()
        if ended is None:
            raise TakeoverError("Samtalen er allerede gitt tilbake til boten.")
        await self._send(
            ended, "takeover_left", str(ended.id), notices.takeover_left_text(self.ctx.profile)
        )
        log.info("takeover %d: handed back by %s", ended.id, by)
        return ended

    # --- the clock ----------------------------------------------------------------------

    async def run_forever(self, interval: float = TIMEOUT_CHECK_EVERY) -> None:
        """Check the timeouts every `interval` seconds until cancelled; never die. With
        several channel servers only the one holding the "takeover" lease checks."""
        lease = dt.timedelta(seconds=3 * interval)
        while True:
            try:
                if await asyncio.to_thread(self.ctx.leads, "takeover", lease):
                    await self.run_timeouts()
            except Exception as e:  # noqa: BLE001 - the loop must survive any round
                log.error("takeover timeout round failed: %s", type(e).__name__)
            await asyncio.sleep(interval)

    async def run_timeouts(self) -> int:
        """Time out requests nobody took; hand back forgotten takeovers. Returns how many."""
        now = naive_utc(self.ctx.clock())

        def due() -> tuple[list[Takeover], list[Takeover]]:
            with self.ctx.uow_factory() as session:
                return (
                    takeovers_db.overdue_takeovers(session, now),
                    takeovers_db.idle_takeovers(session, now - IDLE_HANDBACK),
                )

        overdue, idle = await asyncio.to_thread(due)
        done = 0
        for takeover in overdue:
            done += await self._time_out(takeover, now)
        for takeover in idle:
            try:
                await self._hand_back(takeover, by="system")
                done += 1
            except TakeoverError as e:
                log.warning("takeover %d: idle hand-back failed: %s", takeover.id, e)
        return done

    async def _time_out(self, takeover: Takeover, now: dt.datetime) -> int:
        """Nobody came: register a call-back where a phone number is known, tell the person."""
        minutes = self.ctx.profile.chat_response_minutes

        def expire() -> tuple[bool, str | None]:
            with self.ctx.uow_factory() as session:
                ended = takeovers_db.end_takeover(
                    session,
                    takeover.id,
                    status=TakeoverStatus.TIMED_OUT,
                    by="system",
                    now=now,
                    only_from=(TakeoverStatus.WAITING,),
                )
                if ended is None:  # taken (or handed back) meanwhile
                    return False, None
                name, phone = citizens.known_phone(session, takeover.conversation_id)
                if phone:
                    ended.callback_id = answers_db.add_callback(
                        session,
                        name=name,
                        phone=phone,
                        conversation_id=takeover.conversation_id,
                        topic=f"Ba om å snakke med en ansatt i chatten. Ingen svarte innen "
                        f"{minutes} minutter.",
                    ).id
                return True, phone

        expired, phone = await asyncio.to_thread(expire)
        self.ctx.open_takeovers.forget()
        if not expired:
            return 0
        text = notices.takeover_timeout_text(self.ctx.profile, callback_phone=phone)
        buttons = () if phone else notices.CALLBACK_BUTTONS
        await self._send(takeover, "handoff_timeout", str(takeover.id), text, buttons=buttons)
        log.info(
            "takeover %d: nobody answered in time (call-back %s)",
            takeover.id,
            "registered" if phone else "offered",
        )
        return 1

    # --- delivery -----------------------------------------------------------------------

    async def _send(
        self,
        takeover: Takeover,
        kind: str,
        ref: str,
        text: str,
        *,
        buttons: tuple[Button, ...] = (),
        touch: bool = False,
    ) -> Sent:
        """Deliver through the conversation's channel; a staff message that cannot go out
        raises, so the staff member sees it was not sent."""
        conversation = takeover.conversation_id

        def contact() -> tuple[str, str] | None:
            with self.ctx.uow_factory() as session:
                found = contacts.contact_for(session, conversation)
                if touch:
                    takeovers_db.touch_takeover(session, takeover.id, naive_utc(self.ctx.clock()))
                return (found.channel, found.address) if found is not None else None

        where = await asyncio.to_thread(contact)
        if where is None:
            log.warning("takeover %d: the conversation has no channel contact", takeover.id)
            if kind == "staff_message":
                raise TakeoverError("Meldingen ble ikke sendt: samtalen er slettet.")
            return Sent(NotificationStatus.FAILED)
        item = Planned(Due(kind, ref, conversation, text, buttons), *where)
        _, status = await self.scheduler.deliver(item)
        if kind == "staff_message" and status not in (
            NotificationStatus.SENT,
            NotificationStatus.QUEUED,
        ):
            raise TakeoverError(
                "Meldingen ble ikke sendt: Telegram svarer ikke. "
                "Prøv igjen, eller ring innbyggeren."
            )
        return Sent(status)
