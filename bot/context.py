"""What every channel needs, built once by the channel server and passed to each part."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from actions.db import SqlAlchemyUnitOfWork
from actions.profile import Profile
from actions.settings import Settings
from bot.relay import RasaRelay


def utc_now() -> dt.datetime:
    """The current time, aware, in UTC (tests pass a frozen clock instead)."""
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class ChannelContext:
    """Settings, profile, the relay to Rasa, the visit database and the id key."""

    settings: Settings
    profile: Profile
    relay: RasaRelay
    key: bytes
    uow_factory: Callable[[], SqlAlchemyUnitOfWork] = field(default=None)  # type: ignore[assignment]
    clock: Callable[[], dt.datetime] = utc_now

    def __post_init__(self) -> None:
        """Default to the settings' database."""
        if self.uow_factory is None:
            url = self.settings.database_url
            self.uow_factory = lambda: SqlAlchemyUnitOfWork(url)
