"""Relatives, call-back requests, declines and feedback: the writes besides booking."""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.types import DomainDict

from actions.base import Dispatcher, Events, SafeAction, latest_text, local_today, utter
from actions.booking import summary_correction
from actions.forms import SKIPPED, is_skipped
from actions.linking import linked_person_events
from fhb.db import answers, visits
from fhb.language.answers import who_for
from fhb.language.dates import later_when_expression, parse_later_when
from fhb.language.facts import own_words
from fhb.language.understanding import (
    alternative_from_text,
    reason_from_text,
    relative_relation,
    speaks_of_a_visit,
)
from fhb.language.validation import clean_free_text
from fhb.profile import Profile, format_offers, format_phone_display

logger = logging.getLogger(__name__)


ALTERNATIVE_LABELS = {
    "office": "en samtale på kontoret",
    "group": "et gruppemøte",
    "phone": "en samtale på telefon",
}
DECLINE_SLOTS = (
    "decline_reason",
    "reason_text",
    "alternative",
    "wants_later",
    "later_when",
    "decline_phone",
    "postponing",
    "failed_attempts",
)
FEEDBACK_SLOTS = ("rating", "useful", "comment", "failed_attempts")
CALLBACK_SLOTS = ("callback_name", "callback_phone", "callback_topic", "failed_attempts")


def _value(text: str | None) -> str | None:
    """None for a skipped answer, else the text."""
    return None if is_skipped(text) else text


class ActionStartOnBehalf(SafeAction):
    """Someone mentions another person: find out whom the visit is for.

    A family word alone is no request on someone's behalf ("datteren min sa jeg skulle
    prøve chatten"): when the message does not say, ask "Gjelder det deg selv eller noen
    andre?".
    """

    def name(self) -> str:
        """Domain name."""
        return "action_start_on_behalf"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Set `for_whom` (self / other / ask); for another person also `on_behalf` and
        `relation` from the message when present."""
        corrected = summary_correction(tracker, profile, self.clock)
        if corrected:  # "ja, men navnet er feil, det er …" at the summary
            return corrected
        text = latest_text(tracker)
        whom = "other" if text.startswith("/") else who_for(text)
        if whom == "self":
            return [SlotSet("for_whom", "self"), SlotSet("on_behalf", False)]
        if whom is None:
            utter(dispatcher, profile, "utter_ask_who_for")
            return [SlotSet("for_whom", "ask")]
        utter(dispatcher, profile, "utter_relative_intro")
        events: Events = [SlotSet("for_whom", "other"), SlotSet("on_behalf", True)]
        entity = next(
            (
                e.get("value")
                for e in tracker.latest_message.get("entities", [])
                if e.get("entity") == "relation"
            ),
            None,
        )
        relation = relative_relation(entity, text) if not text.startswith("/") else None
        if relation:
            events.append(SlotSet("relation", relation))
        return events


class ActionCheckConsent(SafeAction):
    """After the relative's questions: book with consent, else arrange a call to the citizen."""

    def name(self) -> str:
        """Domain name."""
        return "action_check_consent"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Set `consent_given`; explain kindly when there is none."""
        consent = bool(tracker.get_slot("citizen_consent"))
        if not consent:
            utter(dispatcher, profile, "utter_no_consent")
        return [SlotSet("consent_given", consent)]


class ActionPrepareCallback(SafeAction):
    """Fill in what we already know before asking for a call-back."""

    def name(self) -> str:
        """Domain name."""
        return "action_prepare_callback"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Reuse name and phone from this chat; set the topic where it is known."""
        events: Events = []
        if tracker.get_slot("citizen_name"):
            events.append(SlotSet("callback_name", tracker.get_slot("citizen_name")))
        phone = tracker.get_slot("phone") or _value(tracker.get_slot("decline_phone"))
        if phone:
            events.append(SlotSet("callback_phone", phone))
        if tracker.get_slot("on_behalf") and tracker.get_slot("citizen_consent") is False:
            topic = (
                f"Pårørende ({tracker.get_slot('relation') or 'ukjent relasjon'}) "
                f"{tracker.get_slot('relative_name') or ''}, tlf. "
                f"{tracker.get_slot('relative_phone') or 'ukjent'}, ber kommunen kontakte "
                "personen om forebyggende hjemmebesøk."
            )
            events.append(SlotSet("callback_topic", topic))
        elif tracker.get_slot("eligible") is False:
            events.append(
                SlotSet("callback_topic", "Ønsker kontakt; er ikke i årets aldersgruppe for FHB.")
            )
        return events


class ActionSaveCallback(SafeAction):
    """Store the call-back request."""

    def name(self) -> str:
        """Domain name."""
        return "action_save_callback"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Write it, then confirm with the number we will call."""
        phone = tracker.get_slot("callback_phone")
        with self.uow_factory() as session:
            callback = answers.add_callback(
                session,
                name=tracker.get_slot("callback_name"),
                phone=phone,
                topic=_value(tracker.get_slot("callback_topic")),
                conversation_id=tracker.sender_id,
            )
        logger.info("call-back request %s stored", callback.id)
        utter(dispatcher, profile, "utter_callback_saved", phone_pretty=format_phone_display(phone))
        return [SlotSet(s, None) for s in CALLBACK_SLOTS]


class ActionStartDecline(SafeAction):
    """Accept the no; keep a reason the user already gave."""

    def name(self) -> str:
        """Domain name."""
        return "action_start_decline"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Acknowledge respectfully and prefill the reason when the message holds one."""
        utter(dispatcher, profile, "utter_decline_ack")
        events: Events = [
            SlotSet("postponing", False),
            *linked_person_events(self.uow_factory, tracker, ("citizen_name", "decline_phone")),
        ]
        text = latest_text(tracker)
        reason = reason_from_text(text)
        if reason != "other" and not text.startswith("/"):
            words = own_words(text, this_year=local_today(profile, self.clock).year)
            events += [
                SlotSet("decline_reason", reason),
                SlotSet("reason_text", clean_free_text(words, limit=500) or SKIPPED),
            ]
        return events


class ActionBookAfterAll(SafeAction):
    """A visit after all, in the middle of saying no or of a call-back's questions ("nei,
    jeg vil heller bestille besøk"): say that nothing of it was noted, and drop its answers.
    The booking starts next (action_start_booking); a name and a phone number the person
    gave are kept for it.

    Other messages read as book_visit stay with the form (visit_after_all false): one that
    does not speak of a visit at all (a name: "jeg heter Terje Amundsen"), and, in a no,
    one that answers its question: a time, to "shall we ask you again later?" and "when?"
    ("ja, til våren vil jeg gjerne ha besøk"), or a way to talk, to "would another way
    suit you?" ("jeg vil heller ha besøk på kontoret")."""

    def name(self) -> str:
        """Domain name."""
        return "action_book_after_all"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Nothing is stored here; the slots of the errand left are emptied."""
        if self._answers_the_question(tracker, profile):
            return [SlotSet("visit_after_all", False)]
        declining = tracker.active_loop.get("name") == "decline_form"
        utter(dispatcher, profile, "utter_no_decline_noted" if declining else "utter_no_callback")
        slots = dict.fromkeys((*DECLINE_SLOTS, *CALLBACK_SLOTS))
        events: Events = [SlotSet(slot, None) for slot in slots]
        phone = _value(tracker.get_slot("decline_phone"))
        if phone and not tracker.get_slot("phone"):
            events.append(SlotSet("phone", phone))
        return [*events, SlotSet("visit_after_all", True)]

    def _answers_the_question(self, tracker: Tracker, profile: Profile) -> bool:
        """Whether the message is an answer to the form's question after all."""
        text = latest_text(tracker)
        today = local_today(profile, self.clock)
        if not speaks_of_a_visit(own_words(text, this_year=today.year)):
            return True
        if tracker.active_loop.get("name") != "decline_form":
            return False
        asked = tracker.get_slot("requested_slot")
        if asked == "alternative":
            return alternative_from_text(text) in ("office", "group", "phone")
        if asked in ("wants_later", "later_when"):
            return later_when_expression(text, today=today) is not None
        return False


class ActionStartPostpone(SafeAction):
    """'Not now, maybe later': a decline with wants_later."""

    def name(self) -> str:
        """Domain name."""
        return "action_start_postpone"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Preset the reason; when the message names a time ("til våren"), a later contact
        and that time (its words only). Without a time, the form asks whether they want one.
        """
        utter(dispatcher, profile, "utter_postpone_ack")
        text = latest_text(tracker)
        events: Events = [
            SlotSet("postponing", True),
            SlotSet("decline_reason", "bad_timing"),
            *linked_person_events(self.uow_factory, tracker, ("citizen_name", "decline_phone")),
        ]
        later = (
            None
            if text.startswith("/")
            else later_when_expression(text, today=local_today(profile, self.clock))
        )
        if later:
            events += [SlotSet("wants_later", True), SlotSet("later_when", later[0])]
        return events


class ActionSaveDecline(SafeAction):
    """Store the decline, thank the user, and give the phone and local offers."""

    def name(self) -> str:
        """Domain name."""
        return "action_save_decline"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Write one row; then say what happens next."""
        reason = tracker.get_slot("decline_reason") or "other"
        alternative = tracker.get_slot("alternative")
        alternative = alternative if alternative in ALTERNATIVE_LABELS else None
        later_when = _value(tracker.get_slot("later_when"))
        wants_later = bool(tracker.get_slot("wants_later"))
        today = local_today(profile, self.clock)
        later_date = parse_later_when(later_when, today=today) if later_when else None
        with self.uow_factory() as session:
            decline = answers.add_decline(
                session,
                citizen_name=tracker.get_slot("citizen_name"),
                phone=_value(tracker.get_slot("decline_phone")),
                reason=reason,
                reason_text=_value(tracker.get_slot("reason_text")),
                alternative=alternative,
                wants_later=wants_later,
                later_when=later_when,
                later_date=later_date,
                conversation_id=tracker.sender_id,
            )
        logger.info("decline %s stored", decline.id)
        if alternative:
            utter(
                dispatcher,
                profile,
                "utter_alternative_saved",
                alternative_label=ALTERNATIVE_LABELS[alternative],
            )
        elif wants_later and later_when:
            utter(dispatcher, profile, "utter_decline_saved_later", later_label=later_when)
        else:
            utter(dispatcher, profile, "utter_decline_saved")
        offers = format_offers(profile.offers_for(reason, limit=2))
        utter(dispatcher, profile, "utter_decline_offers", offers=offers)
        return [SlotSet(s, None) for s in DECLINE_SLOTS]


class ActionSaveFeedback(SafeAction):
    """Store the evaluation, linked to this conversation's completed visit when known."""

    def name(self) -> str:
        """Domain name."""
        return "action_save_feedback"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Write one row and thank the user."""
        with self.uow_factory() as session:
            visit = visits.completed_visit_for_conversation(session, tracker.sender_id)
            feedback = answers.add_feedback(
                session,
                visit_id=visit.id if visit else None,
                rating=int(tracker.get_slot("rating")),
                useful=tracker.get_slot("useful"),
                comment=_value(tracker.get_slot("comment")),
                conversation_id=tracker.sender_id,
            )
        logger.info("feedback %s stored", feedback.id)
        utter(dispatcher, profile, "utter_feedback_saved")
        return [SlotSet(s, None) for s in FEEDBACK_SLOTS]
