"""Form validation: kind re-asks with an example, and a person offered after three tries."""

from __future__ import annotations

import abc
import logging
from typing import Any, Callable

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import (
    Clock,
    Dispatcher,
    latest_intent,
    latest_text,
    local_today,
    log_error,
    system_clock,
    utter,
)
from fhb.language.dates import parse_later_when
from fhb.language.understanding import (
    RELATIONS,
    alternative_from_text,
    rating_from_text,
    reason_from_text,
    relation_from_text,
    useful_from_text,
)
from fhb.language.validation import (
    clean_address,
    clean_free_text,
    clean_name,
    contains_national_id,
    normalize_phone,
    parse_age_as_birth_year,
    parse_birth_year,
)
from fhb.profile import Profile, load_profile

logger = logging.getLogger(__name__)

MAX_TRIES = 3
SKIPPED = "-"
# Intents that, said with confidence, are not an answer to a question about a name,
# a year, an address or a phone number.
NOT_AN_ANSWER = {
    "greet",
    "goodbye",
    "thank",
    "help",
    "bot_challenge",
    "out_of_scope",
    "affirm",
    "deny",
    "book_visit",
    "decline_visit",
    "postpone_visit",
    "cancel_visit",
    "reschedule_visit",
    "check_booking",
    "give_feedback",
    "on_behalf",
}
GUARD_CONFIDENCE = 0.8

Result = dict[str, Any]


class BaseFormValidation(FormValidationAction, abc.ABC):
    """Shared validators; subclasses only name their form (rasa_sdk skips this class)."""

    def __init__(
        self,
        profile_loader: Callable[[], Profile] = load_profile,
        clock: Clock = system_clock,
    ) -> None:
        self.profile_loader = profile_loader
        self.clock = clock

    @abc.abstractmethod
    def name(self) -> str:
        """Subclasses return 'validate_<form>'."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Validate; an unexpected error becomes an apology, never a crash."""
        try:
            self.profile = self.profile_loader()
            extraction = await self.get_extraction_events(dispatcher, tracker, domain)
            tracker.add_slots(extraction)
            validation = await self._extract_validation_events(dispatcher, tracker, domain)
            # rasa_sdk keeps only required slots; keep our helper slots (page, wish, note)
            # too, or Rasa sees nothing extracted and rejects the form.
            validated = {e["name"] for e in validation if e.get("event") == "slot"}
            return [e for e in extraction if e["name"] not in validated] + validation
        except Exception as e:  # noqa: BLE001 - a validator never crashes: ask again
            log_error(self.name(), e, tracker.sender_id)
            dispatcher.utter_message(response="utter_default")
            return []

    # --- helpers -----------------------------------------------------------------------
    def _say(self, dispatcher: CollectingDispatcher, response: str, **values: Any) -> None:
        """Utter a response with the profile values."""
        utter(dispatcher, self.profile, response, **values)

    def _off_topic(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
        """Answer a message that is clearly not an answer; tell whether it was one."""
        intent, confidence = latest_intent(tracker)
        if intent in NOT_AN_ANSWER and confidence >= GUARD_CONFIDENCE:
            if intent == "bot_challenge":
                self._say(dispatcher, "utter_iamabot")
            self._say(dispatcher, "utter_in_form_hint")
            return True
        return False

    def _reject(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, response: str
    ) -> Result:
        """Re-ask kindly; after three failed tries also offer a person."""
        tries = int(tracker.get_slot("failed_attempts") or 0) + 1
        if contains_national_id(latest_text(tracker)):
            self._say(dispatcher, "utter_fnr_warning")
        self._say(dispatcher, response)
        if tries >= MAX_TRIES:
            self._say(dispatcher, "utter_too_many_tries")
            tries = 0
        return {slot: None, "failed_attempts": float(tries)}

    @staticmethod
    def _accept(slot: str, value: Any, **more: Any) -> Result:
        """Accept a value and reset the try counter."""
        return {slot: value, "failed_attempts": 0.0, **more}

    def _validate_name(
        self, slot: str, value: Any, dispatcher: Dispatcher, tracker: Tracker
    ) -> Result:
        """A person's name (the value decides; the intent only picks the message)."""
        name = clean_name(str(value))
        if name is None:
            if self._off_topic(dispatcher, tracker):
                return {slot: None}
            return self._reject(dispatcher, tracker, slot, "utter_invalid_name")
        return self._accept(slot, name)

    def _validate_phone(
        self, slot: str, value: Any, dispatcher: Dispatcher, tracker: Tracker
    ) -> Result:
        """A Norwegian phone number, stored as E.164."""
        phone = normalize_phone(str(value))
        if phone is None:
            if self._off_topic(dispatcher, tracker):
                return {slot: None}
            return self._reject(dispatcher, tracker, slot, "utter_invalid_phone")
        return self._accept(slot, phone)


class ValidateBookingForm(BaseFormValidation):
    """Name, birth year, address and phone of the person who gets the visit."""

    def name(self) -> str:
        """Domain name."""
        return "validate_booking_form"

    def validate_citizen_name(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """Full name."""
        return self._validate_name("citizen_name", value, dispatcher, tracker)

    def validate_birth_year(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """A plausible birth year ('1948', 'født i 1948', 'jeg er 78 år')."""
        this_year = local_today(self.profile, self.clock).year
        year = parse_birth_year(str(value), this_year=this_year) or parse_age_as_birth_year(
            str(value), this_year=this_year
        )
        if year is None:
            if self._off_topic(dispatcher, tracker):
                return {"birth_year": None}
            return self._reject(dispatcher, tracker, "birth_year", "utter_invalid_birth_year")
        return self._accept("birth_year", str(year))

    def validate_address(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """A street address."""
        address = clean_address(str(value))
        if address is None:
            if self._off_topic(dispatcher, tracker):
                return {"address": None}
            return self._reject(dispatcher, tracker, "address", "utter_invalid_address")
        return self._accept("address", address)

    def validate_phone(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """The citizen's phone."""
        return self._validate_phone("phone", value, dispatcher, tracker)


class ValidateRelativeForm(BaseFormValidation):
    """Who the relative is, their name and phone, and whether the citizen agrees."""

    def name(self) -> str:
        """Domain name."""
        return "validate_relative_form"

    def validate_relation(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """Map the relation to a stored value; anything else is 'annen'."""
        text = str(value)
        relation = text if text in RELATIONS else relation_from_text(text) or "annen"
        return self._accept("relation", relation)

    def validate_relative_name(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """The relative's own name."""
        return self._validate_name("relative_name", value, dispatcher, tracker)

    def validate_relative_phone(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """The relative's phone."""
        return self._validate_phone("relative_phone", value, dispatcher, tracker)


class ValidateCallbackForm(BaseFormValidation):
    """Name, phone and topic of a call-back request."""

    def name(self) -> str:
        """Domain name."""
        return "validate_callback_form"

    def validate_callback_name(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """Who we call."""
        return self._validate_name("callback_name", value, dispatcher, tracker)

    def validate_callback_phone(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """Which number we call."""
        return self._validate_phone("callback_phone", value, dispatcher, tracker)

    def validate_callback_topic(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """What it is about (may be skipped)."""
        return {"callback_topic": clean_free_text(str(value), limit=500) or SKIPPED}


class ValidateDeclineForm(BaseFormValidation):
    """Reason, alternatives, a later visit, name and an optional phone."""

    def name(self) -> str:
        """Domain name."""
        return "validate_decline_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: Dispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Ask for the free text, the alternative and 'when' only where they apply."""
        slots = ["decline_reason"]
        if tracker.get_slot("decline_reason") == "other":
            slots.append("reason_text")
        if tracker.get_slot("decline_reason") == "not_at_home":
            slots.append("alternative")
        slots.append("wants_later")
        if tracker.get_slot("wants_later"):
            slots.append("later_when")
        return slots + ["citizen_name", "decline_phone"]

    def validate_decline_reason(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """A button's category, or free text mapped to one (the text is kept)."""
        text = str(value)
        if text == SKIPPED:
            return {"decline_reason": "other", "reason_text": SKIPPED}
        reason = reason_from_text(text)
        if text == reason:
            return {"decline_reason": reason}
        return {"decline_reason": reason, "reason_text": clean_free_text(text, limit=500)}

    def validate_reason_text(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """The reason in the user's own words."""
        return {"reason_text": clean_free_text(str(value), limit=500) or SKIPPED}

    def validate_alternative(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """Office, group meeting, phone, or none."""
        return {"alternative": alternative_from_text(str(value)) or "none"}

    async def extract_later_when(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """A typed time ("neste år", "til våren") answers 'when?' whatever intent the NLU
        guessed: the "Neste år" button sends the same words, which read as 'skip'."""
        text = latest_text(tracker)
        if tracker.get_slot("requested_slot") != "later_when" or text.startswith("/"):
            return {}
        if parse_later_when(text, today=local_today(self.profile, self.clock)) is None:
            return {}
        return {"later_when": text}

    def validate_later_when(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """When to ask again, as the user said it."""
        return {"later_when": clean_free_text(str(value), limit=200) or SKIPPED}

    def validate_citizen_name(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """The name of the person who declines."""
        return self._validate_name("citizen_name", value, dispatcher, tracker)

    def validate_decline_phone(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """Optional, unless an alternative talk must be arranged."""
        if str(value) == SKIPPED:
            if tracker.get_slot("alternative") in ("office", "group", "phone"):
                self._say(dispatcher, "utter_phone_needed")
                return {"decline_phone": None}
            return {"decline_phone": SKIPPED}
        return self._validate_phone("decline_phone", value, dispatcher, tracker)


class ValidateFeedbackForm(BaseFormValidation):
    """Rating 1–5, usefulness and an optional comment."""

    def name(self) -> str:
        """Domain name."""
        return "validate_feedback_form"

    def validate_rating(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """A whole number from 1 to 5."""
        rating = rating_from_text(str(value))
        if rating is None:
            return self._reject(dispatcher, tracker, "rating", "utter_invalid_rating")
        return self._accept("rating", str(rating))

    def validate_useful(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """yes / partly / no."""
        useful = useful_from_text(str(value))
        if useful is None:
            return self._reject(dispatcher, tracker, "useful", "utter_invalid_useful")
        return self._accept("useful", useful)

    def validate_comment(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """Free text, or skipped."""
        return {"comment": clean_free_text(str(value)) or SKIPPED}


def is_skipped(value: str | None) -> bool:
    """Tell whether an optional answer was skipped."""
    return value in (None, "", SKIPPED)
