"""Shared bases: every action answers with a Norwegian apology instead of failing."""

from __future__ import annotations

import abc
import datetime as dt
import functools
import logging
import traceback
from typing import Any, Callable
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from fhb.clock import Clock, system_clock
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.placeholders import response_placeholders, values_for
from fhb.profile import Profile, load_profile
from fhb.settings import get_settings

logger = logging.getLogger(__name__)

# The types of every action's and validator's signature (rasa_sdk's own, named once).
Dispatcher = CollectingDispatcher
Events = list[dict[str, Any]]


def utter(dispatcher: CollectingDispatcher, profile: Profile, response: str, **values: Any) -> None:
    """Utter a domain response by name, with the profile values it uses (see
    fhb.placeholders: the values stay in the bot event for good) and `values`."""
    used = values_for(response, profile.template_values(), response_placeholders())
    dispatcher.utter_message(response=response, **{**used, **values})


def default_uow_factory(clock: Clock) -> Callable[[], SqlAlchemyUnitOfWork]:
    """Units of work on the configured database. The URL is read once, when rasa_sdk makes
    the action at the action server's start (its environment is fixed then): reading the
    settings at every call was 4 % of the action server's CPU under load (issue 12)."""
    url = get_settings().database_url
    return lambda: SqlAlchemyUnitOfWork(url, clock=clock)


def default_profile_loader() -> Callable[[], Profile]:
    """The configured profile file's contents (path read once, as above; an edit of the
    file still applies at the next call)."""
    return functools.partial(load_profile, get_settings().profile_path)


def local_today(profile: Profile, clock: Clock) -> dt.date:
    """Today's date in the municipality's time zone."""
    return clock().astimezone(ZoneInfo(profile.timezone)).date()


class SafeAction(Action, abc.ABC):
    """An action that loads the profile, uses the database, and never crashes.

    Subclasses implement `act`; any error is logged (type and action only, no
    personal data) and the user gets `utter_action_error` with the phone number.
    """

    def __init__(
        self,
        uow_factory: Callable[[], SqlAlchemyUnitOfWork] | None = None,
        profile_loader: Callable[[], Profile] | None = None,
        clock: Clock = system_clock,
    ) -> None:
        self.uow_factory = uow_factory or default_uow_factory(clock)
        self.profile_loader = profile_loader or default_profile_loader()
        self.clock = clock

    @abc.abstractmethod
    def name(self) -> str:
        """The action's name in the domain."""

    @abc.abstractmethod
    async def act(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        profile: Profile,
    ) -> list[dict[str, Any]]:
        """Do the work and return the events."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Run `act`; on any error apologise in Norwegian and give the phone number."""
        try:
            profile = self.profile_loader()
        except Exception as e:  # noqa: BLE001 - a broken profile file: still answer kindly
            logger.error("%s: profile could not be loaded: %s", self.name(), type(e).__name__)
            dispatcher.utter_message(response="utter_default")
            return []
        try:
            return await self.act(dispatcher, tracker, domain, profile)
        except Exception as e:  # noqa: BLE001 - an action never crashes: apologise instead
            log_error(self.name(), e, tracker.sender_id)
            utter(dispatcher, profile, "utter_action_error")
            return self.on_error_events()

    def on_error_events(self) -> list[dict[str, Any]]:
        """Events to return after an error (none by default)."""
        return []


def log_error(action: str, error: BaseException, conversation_id: str) -> None:
    """Log where an action failed, without the message (it may hold personal data)."""
    frames = "".join(traceback.format_tb(error.__traceback__)[-3:])
    logger.error("%s failed with %s\n%s", action, type(error).__name__, frames)
    # The conversation id finds the person's visit through Rasa's API: only at DEBUG.
    logger.debug("%s failed in conversation %s", action, conversation_id)


def latest_intent(tracker: Tracker) -> tuple[str | None, float]:
    """Name and confidence of the latest user message's intent."""
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def events_this_turn(tracker: Tracker) -> list[dict[str, Any]]:
    """The events after the person's latest message: the only ones Rasa sends an action
    (bot/rasa_patches.py); with earlier_texts, the only reader of tracker.events."""
    turn: list[dict[str, Any]] = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        turn.append(event)
    return turn[::-1]


def earlier_texts(tracker: Tracker) -> list[str]:
    """The words of the person's earlier messages in this session, oldest first, without
    button presses and without the latest message (Rasa sends an action their text only,
    bot/rasa_patches.py; with events_this_turn, the only reader of tracker.events)."""
    texts = [event.get("text") or "" for event in tracker.events if event.get("event") == "user"]
    return [text for text in texts[:-1] if text.strip() and not text.startswith("/")]


def latest_text(tracker: Tracker) -> str:
    """The latest user message's text ('' when none)."""
    return tracker.latest_message.get("text") or ""
