"""Session start, FAQ answers, fallback, hand-over to a person, and stop."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, FollowupAction, SessionStarted, SlotSet
from rasa_sdk.types import DomainDict

from actions.base import Dispatcher, Events, SafeAction, latest_intent, latest_text, utter
from actions.booking import PERSON_SLOTS, summary_correction
from actions.forms import count_no_progress
from actions.linking import first_name
from fhb.clock import naive_utc
from fhb.db import citizens, takeovers, visits
from fhb.language.answers import (
    count_questions,
    extra_answers,
    looks_like_noise,
    unsure_choices,
    wants_call_back,
)
from fhb.profile import Profile, format_phone_display

logger = logging.getLogger(__name__)


# Slots that belong to a flow in progress; reset when the user stops.
FLOW_SLOTS = (
    *PERSON_SLOTS,
    "visit_slot_id",
    "slot_page",
    "time_wish",
    "slot_note",
    "rescheduling",
    "postponing",
    "booking_result",
    "decline_reason",
    "reason_text",
    "alternative",
    "wants_later",
    "later_when",
    "decline_phone",
    "rating",
    "useful",
    "comment",
    "callback_name",
    "callback_phone",
    "callback_topic",
    "failed_attempts",
    "requested_slot",
)


class ActionSessionStart(SafeAction):
    """Start a session with the profile's name and phone in slots."""

    def name(self) -> str:
        """Domain name."""
        return "action_session_start"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """SessionStarted, the profile slots, then listen."""
        return [
            SessionStarted(),
            SlotSet("kommune", profile.name),
            SlotSet("kommune_phone", format_phone_display(profile.phone)),
            ActionExecuted("action_listen"),
        ]

    def on_error_events(self) -> list[dict[str, Any]]:
        """Even on error the session must start."""
        return [SessionStarted(), ActionExecuted("action_listen")]


class ActionGreet(SafeAction):
    """Welcome with the menu; after a completed visit, ask for feedback first."""

    def name(self) -> str:
        """Domain name."""
        return "action_greet"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Utter the menu, or the feedback invitation."""
        with self.uow_factory() as session:
            visit = visits.visit_awaiting_feedback(session, tracker.sender_id)
            citizen = citizens.linked_citizen(session, tracker.sender_id)
            name = first_name(citizen) if citizen else ""
        if visit:
            utter(dispatcher, profile, "utter_greet_after_visit")
        elif name:
            utter(dispatcher, profile, "utter_greet_linked", first_name=name)
        else:
            utter(dispatcher, profile, "utter_greet")
        return []

    def on_error_events(self) -> list[dict[str, Any]]:
        """Without the database the menu still works."""
        return []


class ActionAnswerFaq(SafeAction):
    """Answer a `faq/...` question with the profile's values filled in."""

    def name(self) -> str:
        """Domain name."""
        return "action_answer_faq"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Utter the response the ResponseSelector chose; ask to rephrase if none. At the
        summary, "navnet skal være Ragnhild Øverland" read as a question corrects instead."""
        corrected = summary_correction(tracker, profile, self.clock)
        if corrected:
            return corrected
        answer_faq(dispatcher, tracker, domain, profile)
        return []


def answer_faq(
    dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
) -> None:
    """Utter the FAQ answer the ResponseSelector chose, or ask to rephrase (always for
    keyboard noise, however sure the classifier was)."""
    if looks_like_noise(latest_text(tracker)):
        utter(dispatcher, profile, "utter_rephrase")
        return
    selector = tracker.latest_message.get("response_selector") or {}
    selected = selector.get("faq") or selector.get("default") or {}
    chosen = selected.get("response") or {}
    response = chosen.get("utter_action")
    if not response and chosen.get("intent_response_key"):
        response = f"utter_{chosen['intent_response_key']}"
    if not response or response not in domain.get("responses", {}):
        utter(dispatcher, profile, "utter_rephrase")
        return
    keys = [
        (r["intent_response_key"], float(r.get("confidence") or 0.0))
        for r in selected.get("ranking") or ()
        if r.get("intent_response_key")
    ]
    choices = unsure_choices(keys)
    if choices:
        # "Er det noen som kan hjelpe meg med å fylle ut dette": which question was it?
        buttons = [{"title": question, "payload": question} for question in choices]
        buttons.append({"title": "Snakke med en person", "payload": "/request_human"})
        utter(dispatcher, profile, "utter_faq_unsure", buttons=buttons)
        return
    utter(dispatcher, profile, response)
    # "Hva koster det, og hvor lenge varer besøket?": the second question is answered too.
    ranking = [(f"utter_{key}", confidence) for key, confidence in keys]
    for extra in extra_answers(ranking, response, count_questions(latest_text(tracker))):
        if extra in domain.get("responses", {}):
            utter(dispatcher, profile, extra)


class ActionAnswerInForm(SafeAction):
    """A message inside a form that the classifier read as a question or a button.

    The form steps aside only when the message did not answer its question (a plain
    answer such as "Oddny Berg" read as faq is taken by the form itself): a question is
    answered, an old button is said to be old, and the turn is counted, so the third one
    offers a call-back, a person and the phone number.
    """

    def name(self) -> str:
        """Domain name."""
        return "action_answer_in_form"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Answer or explain the button, and count the turn."""
        text = latest_text(tracker)
        intent, _ = latest_intent(tracker)
        if text.startswith("/") and intent in ("more_slots", "choose_slot"):
            utter(dispatcher, profile, "utter_old_button")
        elif intent == "faq":
            answer_faq(dispatcher, tracker, domain, profile)
        # The form asks its question again next; this turn did not answer it.
        return count_no_progress(dispatcher, tracker, profile)


LIVE_CHANNELS = ("telegram", "web")


class ActionHumanHandoff(SafeAction):
    """Hand over to a person.

    In opening hours, in a chat channel staff can write into, and when the profile sets a
    response time: put the conversation in the staff queue (live takeover) and say so.
    Otherwise: give the phone number and opening hours, and offer a call-back.
    """

    def name(self) -> str:
        """Domain name."""
        return "action_human_handoff"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Queue for a person, or say how to reach one."""
        if wants_call_back(latest_text(tracker)):
            # "Kan dere ringe meg?": a call-back request, not a chat with a person.
            return [FollowupAction("action_prepare_callback")]
        channel = tracker.get_latest_input_channel()
        now = self.clock()
        local = now.astimezone(ZoneInfo(profile.timezone))
        if not (profile.live_chat and channel in LIVE_CHANNELS and profile.is_open(local)):
            utter(dispatcher, profile, "utter_human_contact")
            return []
        at = naive_utc(now)
        with self.uow_factory() as session:
            _, new = takeovers.request_takeover(
                session,
                conversation_id=tracker.sender_id,
                channel=channel,
                now=at,
                deadline=at + dt.timedelta(minutes=profile.chat_response_minutes),
            )
        logger.info("a conversation %s the staff queue", "joined" if new else "is already in")
        utter(dispatcher, profile, "utter_handoff_queued" if new else "utter_handoff_waiting")
        # The channel server reads the staff queue again for this message's live flag.
        dispatcher.utter_message(json_message={takeovers.TAKEOVER_REQUESTED: True})
        return []


class ActionStopFlow(SafeAction):
    """Leave whatever was going on, cleanly."""

    def name(self) -> str:
        """Domain name."""
        return "action_stop_flow"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Reset the flow's slots; say whether anything was stopped."""
        busy = tracker.latest_action_name == "action_deactivate_loop" or any(
            tracker.get_slot(s) not in (None, False, 0, 0.0)
            for s in FLOW_SLOTS
            if s != "booking_result"
        )
        utter(dispatcher, profile, "utter_stopped" if busy else "utter_nothing_to_stop")
        return [SlotSet(slot, None) for slot in FLOW_SLOTS]
