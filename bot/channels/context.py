"""What every channel needs, built once by the channel server and passed to each part."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy.exc import SQLAlchemyError

from bot.channels import texts
from bot.channels.open_takeovers import OpenTakeovers
from bot.channels.relay import RasaRelay, typed_code
from fhb.clock import Clock, naive_utc, system_clock
from fhb.db import citizens, leases, takeovers, visits
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.language.formatting import format_slot_time
from fhb.profile import Profile
from fhb.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class ChannelContext:
    """Settings, profile, the relay to Rasa, the visit database and the id key."""

    settings: Settings
    profile: Profile
    relay: RasaRelay
    key: bytes
    uow_factory: Callable[[], SqlAlchemyUnitOfWork] = field(default=None)  # type: ignore[assignment]
    clock: Clock = system_clock
    holder: str = field(default_factory=lambda: secrets.token_hex(8))  # this server, for leases
    open_takeovers: OpenTakeovers = field(default=None)  # type: ignore[assignment]

    def leads(self, round_name: str, ttl: dt.timedelta) -> bool:
        """Tell whether this channel server runs the round `round_name` now (blocking).

        However many channel servers share the visit database, one holds each round's lease
        and renews it each time; another takes over once it has run out (`fhb.db.leases`).
        """
        try:
            with self.uow_factory() as session:
                now = naive_utc(self.clock())
                return leases.claim(session, round_name, self.holder, now=now, ttl=ttl)
        except SQLAlchemyError as e:
            log.error("could not claim the %s lease: %s", round_name, type(e).__name__)
            return False

    def known_code(self, text: str | None) -> str | None:
        """The invitation code a person typed, when it is one on the visit list (blocking)."""
        code = typed_code(text)
        if code is None:
            return None
        with self.uow_factory() as session:
            return code if citizens.invitation_by_code(session, code) else None

    async def takeover_status(self, conversation: str) -> str | None:
        """'waiting' or 'active' while the conversation is in the staff queue or taken over
        by a person, else None (at most `open_takeovers`' age old; raises SQLAlchemyError)."""
        return await self.open_takeovers.status(conversation)

    def read_open_takeovers(self) -> dict[str, str]:
        """Every open takeover's status by conversation (blocking)."""
        with self.uow_factory() as session:
            return takeovers.open_takeover_statuses(session)

    def after_failure(self, conversation: str, since: dt.datetime) -> str:
        """What to tell a person whose message got no answer in time (blocking).

        Rasa may still finish the turn: a visit this conversation booked since the message
        was sent is confirmed; otherwise the person hears that we are not sure, never that
        nothing was registered.
        """
        try:
            with self.uow_factory() as session:
                visit = visits.visit_booked_since(session, conversation, naive_utc(since))
                if visit is not None:
                    return texts.visit_registered(
                        format_slot_time(visit.slot.start, self.profile.timezone),
                        visit.slot.visitor,
                        visit.citizen.address or "",
                    )
        except SQLAlchemyError as e:
            log.error("could not look up the visit after a failure: %s", type(e).__name__)
        return texts.unavailable(self.profile)

    def __post_init__(self) -> None:
        """Default to the settings' database."""
        if self.uow_factory is None:
            url = self.settings.database_url
            self.uow_factory = lambda: SqlAlchemyUnitOfWork(url, clock=self.clock)
        if self.open_takeovers is None:
            self.open_takeovers = OpenTakeovers(self.read_open_takeovers)
        # Rasa's reply says when the action server has just queued the conversation.
        self.relay.on_takeover_requested = self.open_takeovers.forget
