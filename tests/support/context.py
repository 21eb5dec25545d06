"""Settings and a channel context for the tests: the example profile, no ports of their own."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from bot.channels.context import ChannelContext
from bot.channels.relay import RasaRelay
from fhb.profile import Profile
from fhb.settings import Settings
from tests.support import ROOT
from tests.support.clock import clock as frozen_clock

RASA_URL = "http://rasa.test"


def settings_for(db_url: str, tracker_url: str, **overrides: Any) -> Settings:
    """Settings on the given databases, with the example profile and an unreachable Rasa."""
    values: dict[str, Any] = {
        "database_url": db_url,
        "tracker_url": tracker_url,
        "profile_path": ROOT / "data" / "kommune.yml",
        "rasa_url": RASA_URL,
        "action_port": 0,
        "rasa_port": 0,
        "host": "127.0.0.1",
    }
    return Settings(**{**values, **overrides})


def channel_context(
    settings: Settings,
    profile: Profile,
    *,
    key: bytes,
    relay: RasaRelay | None = None,
    clock: Callable[[], dt.datetime] = frozen_clock,
    **more: Any,
) -> ChannelContext:
    """A channel context on `settings` with the frozen clock (or `clock`); the relay goes to
    `settings.rasa_url` unless one is given."""
    return ChannelContext(
        settings=settings,
        profile=profile,
        key=key,
        relay=relay or RasaRelay(settings.rasa_url),
        clock=clock,
        **more,
    )
