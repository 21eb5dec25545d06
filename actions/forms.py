"""Form validation: kind re-asks with an example, and a person offered after three tries."""

from __future__ import annotations

import abc
import dataclasses
import logging
from typing import Any, Callable

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from rasa_sdk.utils import call_potential_coroutine

from actions.base import (
    Clock,
    Dispatcher,
    Events,
    default_profile_loader,
    earlier_texts,
    events_this_turn,
    latest_intent,
    latest_text,
    local_today,
    log_error,
    system_clock,
    utter,
)
from fhb.language.answers import YES, is_plain_answer, is_refusal, yes_no
from fhb.language.dates import later_when_expression
from fhb.language.facts import Facts, extract_facts, own_words, without_phone_and_year
from fhb.language.understanding import (
    RELATIONS,
    alternative_from_text,
    fold,
    means_writers_number,
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
from fhb.profile import Profile

logger = logging.getLogger(__name__)

MAX_TRIES = 3
SKIPPED = "-"
# The optional questions ("Du kan også trykke «Hopp over»"): the slots with a skip mapping
# in domain.yml. "Nei takk" to one of them skips it too.
SKIPPABLE = frozenset(
    ("decline_phone", "decline_reason", "reason_text", "later_when", "comment", "callback_topic")
)


def skipped_or(value: Any) -> str:
    """The answer as text, or SKIPPED when it declines the optional question."""
    text = str(value)
    return SKIPPED if is_refusal(text) else text


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
# Intents whose slot mappings refuse the text (so a name read as "faq" was lost, and the
# form asked again and again): a plain answer to the question is taken all the same.
REFUSED_BY_MAPPINGS = (
    "faq",
    "more_slots",
    "choose_slot",
    "nlu_fallback",
    "out_of_scope",
    "book_visit",  # refused where a book_visit inside a form may be a visit after all
)
# Slots a form asks for with a typed answer (not a yes/no or a button choice).
TYPED_SLOTS = frozenset(
    (
        "citizen_name",
        "birth_year",
        "address",
        "phone",
        "relation",
        "relative_name",
        "relative_phone",
        "decline_phone",
        "callback_name",
        "callback_phone",
    )
)
# Questions with a few possible answers, and how typed words are read as one of them.
CHOICE_READERS: dict[str, Callable[[str], object]] = {
    "alternative": alternative_from_text,
    "rating": rating_from_text,
    "useful": useful_from_text,
    "decline_reason": lambda text: reason_from_text(text) != "other",
}
# Slots whose setting is no answer to the question asked.
NOT_PROGRESS = frozenset(("failed_attempts", "requested_slot", "slot_note"))
# A 'when?' answer without a known date is kept only when it is this short.
SHORT_ANSWER_WORDS = 6
# Which fact of a message fills which slot, per form. Only empty slots are filled; the
# form then asks only for what is still missing.
FACT_SLOTS: dict[str, dict[str, str]] = {
    "booking_form": {
        "name": "citizen_name",
        "birth_year": "birth_year",
        "address": "address",
        "phone": "phone",
    },
    "relative_form": {
        "name": "relative_name",
        "own_phone": "relative_phone",
        "other_phone": "phone",
        "other_name": "citizen_name",
        "birth_year": "birth_year",
        "address": "address",
    },
    "callback_form": {"name": "callback_name", "phone": "callback_phone"},
    # Birth year and address too: they are not asked here, but a person who wants a visit
    # after all (action_book_after_all) is then not asked for them again.
    "decline_form": {
        "name": "citizen_name",
        "phone": "decline_phone",
        "birth_year": "birth_year",
        "address": "address",
    },
}

# Forms a book_visit may leave for a booking (action_book_after_all; scripts/gen_rules.py).
VISIT_AFTER_ALL_FORMS = frozenset(("decline_form", "callback_form"))

# Intents with a rule inside every form (answer, then ask again); see scripts/gen_rules.py.
DIGRESSIONS = frozenset(
    ("faq", "more_slots", "choose_slot", "stop", "request_human", "link_citizen")
)

Result = dict[str, Any]

# How many of the person's earlier messages a starting form reads for details.
EARLIER_MESSAGES = 8


def count_no_progress(dispatcher: Dispatcher, tracker: Tracker, profile: Profile) -> Events:
    """One more turn without an answer to the form's question; the third offers a call-back,
    a person and the phone number (and the count starts again)."""
    tries = int(tracker.get_slot("failed_attempts") or 0) + 1
    if tries >= MAX_TRIES:
        utter(dispatcher, profile, "utter_too_many_tries")
        tries = 0
    return [SlotSet("failed_attempts", float(tries))]


def message_facts(tracker: Tracker, profile: Profile, clock: Clock) -> Facts:
    """The facts in the latest user message (none for a button press)."""
    return message_facts_of(latest_text(tracker), profile, clock)


def message_facts_of(text: str, profile: Profile, clock: Clock) -> Facts:
    """The facts in a text, with ages counted from the municipality's today."""
    return extract_facts(text, this_year=local_today(profile, clock).year)


def fact_slots(form: str, facts: Facts, slots: dict[str, Any]) -> Result:
    """Slot values for the facts a message holds, where the slot is still empty."""
    found = facts.values()
    if facts.other_name:
        found["other_name"] = facts.other_name
    # A relative's message may hold her own number or the citizen's: only a number marked
    # as the writer's ("mitt nummer er …") is hers; one in the citizen's details is theirs.
    about_other = facts.other_name or facts.birth_year or facts.address
    if facts.phone and facts.phone_owner == "self":
        found["own_phone"] = facts.phone
    elif facts.phone and (facts.phone_owner == "other" or about_other):
        found["other_phone"] = facts.phone
    mapping = FACT_SLOTS.get(form, {})
    values: Result = {}
    for fact, slot in mapping.items():
        if fact in found and slots.get(slot) in (None, ""):
            values[slot] = found[fact]
    # The citizen's name is only taken from a relative's message when it names them.
    if form == "booking_form" and slots.get("on_behalf") and "citizen_name" in values:
        values["citizen_name"] = facts.other_name or values["citizen_name"]
        if not facts.other_name:
            values.pop("citizen_name")
    return values


def earlier_fact_slots(form: str, earlier: list[Facts], slots: dict[str, Any]) -> Result:
    """Slot values, for a form that starts, from the facts of the person's earlier messages
    (oldest first; a later message's fact wins): "Jeg heter Kari Vik, født 1946. Hva koster
    det?" and then "da vil jeg ha besøk" asks no more for the name or the year.

    A message about someone else (a family word, another person's name) only fills the
    relative's questions, which tell the two apart; one about the writer gives a relative
    only their own name and number (a relative's age is not the citizen's). A booking for
    someone else takes nothing here: the relative's questions came first."""
    values: Result = {}
    for facts in earlier:
        about_other = bool(facts.relation or facts.other_name)
        if form == "relative_form":
            if not about_other:
                facts = dataclasses.replace(facts, birth_year=None, age=None, address=None)
        elif about_other or slots.get("on_behalf"):
            continue
        values.update(fact_slots(form, facts, slots))
    return values


class BaseFormValidation(FormValidationAction, abc.ABC):
    """Shared validators; subclasses only name their form (rasa_sdk skips this class)."""

    def __init__(
        self,
        profile_loader: Callable[[], Profile] | None = None,
        clock: Clock = system_clock,
    ) -> None:
        self.profile_loader = profile_loader or default_profile_loader()
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
            if self._steps_aside_for_a_visit(tracker):
                return []
            requested = tracker.get_slot("requested_slot")
            extraction = self._facts_and_plain_answer(tracker, requested)
            extraction += await self.get_extraction_events(dispatcher, tracker, domain)
            tracker.add_slots(extraction)
            validation = await self._extract_validation_events(dispatcher, tracker, domain)
            # rasa_sdk keeps only required slots; keep our helper slots (page, wish, note)
            # too, or Rasa sees nothing extracted and rejects the form.
            validated = {e["name"] for e in validation if e.get("event") == "slot"}
            events = [e for e in extraction if e["name"] not in validated] + validation
            events += await self._validate_unasked(tracker, domain, events)
            return events + self._no_progress(dispatcher, tracker, requested, events)
        except Exception as e:  # noqa: BLE001 - a validator never crashes: ask again
            log_error(self.name(), e, tracker.sender_id)
            dispatcher.utter_message(response="utter_default")
            return []

    # --- helpers -----------------------------------------------------------------------
    def _steps_aside_for_a_visit(self, tracker: Tracker) -> bool:
        """A message read as book_visit in the middle of a no or a call-back ("nei, jeg vil
        heller bestille besøk") takes nothing here at first: the form is rejected, and
        action_book_after_all decides whether it is a visit after all. When it finds an
        answer to the question instead, the form runs again, and takes it then."""
        intent, _ = latest_intent(tracker)
        if intent != "book_visit" or self.form_name() not in VISIT_AFTER_ALL_FORMS:
            return False
        # Not tracker.latest_action_name: Rasa calls a validator with the form as the
        # latest action. The events of this turn tell.
        return not any(
            event.get("event") == "action" and event.get("name") == "action_book_after_all"
            for event in events_this_turn(tracker)
        )

    def _facts_and_plain_answer(self, tracker: Tracker, requested: str | None) -> Events:
        """Every fact the message holds, and the plain answer to the question asked.

        A name or a number the classifier took for a question ("faq") or a button
        ("more_slots") is still the answer, unless the message really asks something.
        """
        text = latest_text(tracker)
        values: Result = {}
        if requested is None and self._starts(tracker):  # the details given before it
            texts = earlier_texts(tracker)[-EARLIER_MESSAGES:]
            earlier = [message_facts_of(t, self.profile, self.clock) for t in texts]
            values = earlier_fact_slots(self.form_name(), earlier, tracker.slots)
        if text and not text.startswith("/"):
            facts = message_facts(tracker, self.profile, self.clock)
            values.update(fact_slots(self.form_name(), facts, tracker.slots))
        intent, _ = latest_intent(tracker)
        unanswered = requested not in values and tracker.slots_to_validate().get(requested) is None
        if (
            unanswered
            and requested in TYPED_SLOTS
            and intent in REFUSED_BY_MAPPINGS
            and is_plain_answer(text)
        ):
            values[requested] = text
        elif unanswered and requested == "phone" and means_writers_number(text):
            values[requested] = text  # "bruk mitt nummer": validate_phone decides
        elif unanswered and requested in CHOICE_READERS and not text.startswith("/"):
            # "På telefon" to "where should we talk?" is the answer, whatever the
            # classifier thought (a request for a person, a question).
            if CHOICE_READERS[requested](text):
                values[requested] = text
        return [SlotSet(slot, value) for slot, value in values.items()]

    def _starts(self, tracker: Tracker) -> bool:
        """Whether the form starts in this turn (Rasa validates it once as it starts)."""
        return any(
            event.get("event") == "active_loop" and event.get("name") == self.form_name()
            for event in events_this_turn(tracker)
        )

    async def _validate_unasked(
        self, tracker: Tracker, domain: DomainDict, events: Events
    ) -> Events:
        """Validate, silently, a form slot the message filled but the form no longer asks
        for; rasa_sdk skips those and Rasa keeps the raw text. (A birth year outside the
        target group ends the booking questions, and "jeg er fodt 1944" to "Hva heter du?"
        stayed the name, and became the name of a call-back.)"""
        done = {e["name"] for e in events if e.get("event") == "slot"}
        form_slots = set(self.domain_slots(domain))
        fixed: Events = []
        for slot, value in tracker.slots_to_validate().items():
            if slot in done or slot not in form_slots or value is None:
                continue
            validate = getattr(self, f"validate_{slot}", None)
            if validate is None:
                continue
            result = await call_potential_coroutine(
                validate(value, CollectingDispatcher(), tracker, domain)
            )
            if isinstance(result, dict) and slot in result:
                fixed.append(SlotSet(slot, result[slot]))
        return fixed

    def _no_progress(
        self, dispatcher: Dispatcher, tracker: Tracker, requested: str | None, events: Events
    ) -> Events:
        """Count turns that did not answer the question; the third offers other ways.

        Validators count their own rejections; this counts what they never saw (a question
        answered instead, a message read as something else).
        """
        set_here = {e["name"]: e.get("value") for e in events if e.get("event") == "slot"}
        progress = any(
            value is not None and name not in NOT_PROGRESS for name, value in set_here.items()
        )
        if progress and "failed_attempts" not in set_here and tracker.get_slot("failed_attempts"):
            return [SlotSet("failed_attempts", 0.0)]  # each question starts its own count
        intent, _ = latest_intent(tracker)
        if not requested or progress or "failed_attempts" in set_here or intent in DIGRESSIONS:
            # A digression sets nothing here, so the form steps aside and its rule answers
            # (action_answer_in_form counts that turn).
            return []
        return count_no_progress(dispatcher, tracker, self.profile)

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
        facts = message_facts_of(str(value), self.profile, self.clock)
        own = None if slot == "citizen_name" and tracker.get_slot("on_behalf") else facts.name
        other = facts.other_name if slot == "citizen_name" else None
        name = own or other or clean_name(str(value)) or self._name_entity(slot, tracker)
        if name is None:
            if self._off_topic(dispatcher, tracker):
                return {slot: None}
            return self._reject(dispatcher, tracker, slot, "utter_invalid_name")
        return self._accept(slot, name)

    @staticmethod
    def _name_entity(slot: str, tracker: Tracker) -> str | None:
        """The one name the classifier found in the message, when the wording gave none
        ("jeg er solveig berg og fodt 1948 …"). A relative's message may name two people,
        so for the citizen's name on someone's behalf only the wording counts."""
        if slot == "citizen_name" and tracker.get_slot("on_behalf"):
            return None
        text = fold(latest_text(tracker)).lower()
        names = {
            str(e.get("value") or "")
            for e in tracker.latest_message.get("entities") or []
            if e.get("entity") == "name"
        }
        if len(names) != 1:
            return None
        value = names.pop()
        if fold(value).lower() not in text or relation_from_text(value):
            return None
        return clean_name(value)

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

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: Dispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Stop asking once a birth year outside the target group is known: the age check
        that follows the form explains it at once, before name, address and phone."""
        try:
            year = int(str(tracker.get_slot("birth_year")))
        except ValueError:
            return domain_slots
        today = local_today(self.profile, self.clock)
        return domain_slots if self.profile.in_target_group(year, today) else ["birth_year"]

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
        year = (
            message_facts_of(str(value), self.profile, self.clock).birth_year
            or parse_birth_year(str(value), this_year=this_year)
            or parse_age_as_birth_year(str(value), this_year=this_year)
        )
        if year is None:
            if self._off_topic(dispatcher, tracker):
                return {"birth_year": None}
            return self._reject(dispatcher, tracker, "birth_year", "utter_invalid_birth_year")
        return self._accept("birth_year", str(year))

    def validate_address(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """A street address ("fodt 1947" to the address question is no address: what is
        left once the other facts are taken out must be one)."""
        text = str(value)
        facts = message_facts_of(text, self.profile, self.clock)
        if facts.birth_year or facts.phone:
            text = without_phone_and_year(
                text, this_year=local_today(self.profile, self.clock).year
            )
        address = facts.address or clean_address(text)
        if address is None:
            if self._off_topic(dispatcher, tracker):
                return {"address": None}
            return self._reject(dispatcher, tracker, "address", "utter_invalid_address")
        return self._accept("address", address)

    def validate_phone(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """The citizen's phone; a relative's "han har ikke telefon, bruk mitt nummer" is
        the relative's (the summary shows it)."""
        own = tracker.get_slot("relative_phone")
        if tracker.get_slot("on_behalf") and own and means_writers_number(str(value)):
            return self._accept("phone", own)
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

    async def extract_citizen_consent(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """Consent only from an unambiguous yes; no, unsure and "not yet" are no consent.
        A question leaves it open (it is answered, and the question asked again)."""
        if tracker.get_slot("requested_slot") != "citizen_consent":
            return {}
        answer = yes_no(latest_text(tracker))
        if answer is None:
            return {}
        return {"citizen_consent": answer == YES}

    def validate_citizen_consent(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """Only the value True (set from an explicit yes) is consent."""
        return {"citizen_consent": value is True}

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
        return {"callback_topic": clean_free_text(skipped_or(value), limit=500) or SKIPPED}


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
        """A button's category, or free text mapped to one (the text is kept, without the
        person's details). A message of details only ("Ragnhild Solberg, tlf …") is no
        reason: its details are taken, and the question is asked again."""
        text = skipped_or(value)
        if text == SKIPPED:
            return {"decline_reason": "other", "reason_text": SKIPPED, "alternative": "none"}
        reason = reason_from_text(text)
        words = self._own_words(text)
        if reason == "other" and not words:
            return {"decline_reason": None}
        # Questions that do not apply are answered here, so they are never asked.
        result: Result = {"decline_reason": reason}
        if reason != "not_at_home":
            result["alternative"] = "none"
        if text != reason:
            result["reason_text"] = clean_free_text(words, limit=500) or SKIPPED
        elif reason != "other" and not tracker.get_slot("reason_text"):
            result["reason_text"] = SKIPPED
        return result

    def validate_reason_text(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """The reason in the user's own words; the name, phone, address and birth year a
        message holds go to their own slots, never into the free text staff read."""
        words = self._own_words(skipped_or(value))
        return {"reason_text": clean_free_text(words, limit=500) or SKIPPED}

    def _own_words(self, text: str) -> str:
        """The text without the person's details (fhb.language.facts.own_words)."""
        return own_words(text, this_year=local_today(self.profile, self.clock).year)

    def validate_alternative(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """Office, group meeting, phone, or none."""
        return {"alternative": alternative_from_text(str(value)) or "none"}

    async def extract_wants_later(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """Yes only from an explicit yes or a time ("neste år" means yes, then); no, unsure
        and anything unclear mean we do not contact them again."""
        if tracker.get_slot("requested_slot") != "wants_later":
            return {}
        text = latest_text(tracker)
        later = None if text.startswith("/") else self._later(text)
        if later:
            return {"wants_later": True, "later_when": later}
        answer = yes_no(text)
        if answer is None:
            return {}
        return {"wants_later": answer == YES}

    def validate_wants_later(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """Only True (from an explicit yes or a time) is a yes; after a no, 'when?' is not
        asked."""
        if value is True:
            return {"wants_later": True}
        return {"wants_later": False, "later_when": SKIPPED}

    def _later(self, text: str) -> str | None:
        """Only the words of a later-contact time ("til våren"), never the rest of the
        message (it may tell of an operation or an illness)."""
        found = later_when_expression(text, today=local_today(self.profile, self.clock))
        return found[0] if found else None

    async def extract_later_when(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """A typed time ("neste år", "til våren") answers 'when?' whatever intent the NLU
        guessed: the "Neste år" button sends the same words, which read as 'skip'."""
        text = latest_text(tracker)
        if tracker.get_slot("requested_slot") != "later_when" or text.startswith("/"):
            return {}
        later = self._later(text)
        return {"later_when": later} if later else {}

    def validate_later_when(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """When to ask again: the time's words only. A short answer without a date the bot
        knows ("når barna har vært her") is kept as typed; a long one is asked again."""
        text = clean_free_text(skipped_or(value), limit=200) or SKIPPED
        if text == SKIPPED:
            return {"later_when": SKIPPED}
        later = self._later(text)
        if later:
            return {"later_when": later}
        if len(text.split()) <= SHORT_ANSWER_WORDS:
            return {"later_when": text}
        return {"later_when": None}

    def validate_citizen_name(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """The name of the person who declines."""
        return self._validate_name("citizen_name", value, dispatcher, tracker)

    def validate_decline_phone(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        """Optional, unless an alternative talk must be arranged."""
        if skipped_or(value) == SKIPPED:
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
        return {"comment": clean_free_text(skipped_or(value)) or SKIPPED}


def is_skipped(value: str | None) -> bool:
    """Tell whether an optional answer was skipped."""
    return value in (None, "", SKIPPED)
