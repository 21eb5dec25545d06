"""What every channel needs, built once by the channel server and passed to each part."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from bot.channels.relay import RasaRelay, typed_code
from fhb.clock import Clock, system_clock
from fhb.db import citizens, takeovers
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.profile import Profile
from fhb.settings import Settings


@dataclass
class ChannelContext:
    """Settings, profile, the relay to Rasa, the visit database and the id key."""

    settings: Settings
    profile: Profile
    relay: RasaRelay
    key: bytes
    uow_factory: Callable[[], SqlAlchemyUnitOfWork] = field(default=None)  # type: ignore[assignment]
    clock: Clock = system_clock

    def known_code(self, text: str | None) -> str | None:
        """The invitation code a person typed, when it is one on the visit list (blocking)."""
        code = typed_code(text)
        if code is None:
            return None
        with self.uow_factory() as session:
            return code if citizens.invitation_by_code(session, code) else None

    def takeover_status(self, conversation: str) -> str | None:
        """'waiting' or 'active' while the conversation is in the staff queue or taken over
        by a person, else None (blocking)."""
        with self.uow_factory() as session:
            takeover = takeovers.open_takeover(session, conversation)
            return str(takeover.status) if takeover is not None else None

    def __post_init__(self) -> None:
        """Default to the settings' database."""
        if self.uow_factory is None:
            url = self.settings.database_url
            self.uow_factory = lambda: SqlAlchemyUnitOfWork(url, clock=self.clock)
