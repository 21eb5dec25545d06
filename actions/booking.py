"""Booking, choosing a time, confirming, and the age check."""

from __future__ import annotations

import logging
from typing import Any, Callable

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.base import (
    Clock,
    Dispatcher,
    Events,
    SafeAction,
    default_uow_factory,
    latest_intent,
    latest_text,
    local_today,
    system_clock,
    utter,
)
from actions.forms import BaseFormValidation, fact_slots, message_facts
from actions.linking import BOOKING_PERSON_SLOTS, linked_person_events
from fhb.clock import aware_utc
from fhb.db import citizens, visits
from fhb.db import slots as slots_db
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.language.answers import is_question, who_for
from fhb.language.dates import choose_offered, parse_time_wish, wish_in_request
from fhb.language.facts import without_facts
from fhb.language.formatting import format_slot_time
from fhb.profile import Profile, format_phone_display
from fhb.slot_offer import make_offer, slot_buttons

logger = logging.getLogger(__name__)


def _slot_id(value: Any) -> int | None:
    """Parse a slot id from a slot value or entity ('42' → 42)."""
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


# The person's details: cleared after a booking, so a next booking (for someone else)
# asks again instead of silently reusing them.
PERSON_SLOTS = (
    "citizen_name",
    "birth_year",
    "address",
    "phone",
    "relation",
    "relative_name",
    "relative_phone",
    "citizen_consent",
    "consent_given",
    "on_behalf",
    "for_whom",
    "eligible",
)


class ActionStartBooking(SafeAction):
    """Before booking: does this conversation already have a visit?"""

    def name(self) -> str:
        """Domain name."""
        return "action_start_booking"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Show the existing visit and the choices, or let the booking form start."""
        if self._no_request(tracker, profile):
            # Details out of the blue ("Oddny Berg") with no question open: say what we can do.
            utter(dispatcher, profile, "utter_what_now")
            return [SlotSet("for_whom", None), SlotSet("has_booking", None)]
        if who_for(latest_text(tracker)) == "other" and not tracker.get_slot("on_behalf"):
            # "Jeg vil bestille besøk til mor": the relative's questions and consent first
            # (the rule runs action_start_on_behalf next).
            return [SlotSet("for_whom", "other"), SlotSet("has_booking", None)]
        values = booked_visit_values(self.uow_factory, tracker.sender_id, profile)
        if values is None:
            facts = fact_slots(
                "booking_form", message_facts(tracker, profile, self.clock), tracker.slots
            )
            linked = linked_person_events(self.uow_factory, tracker, BOOKING_PERSON_SLOTS)
            return [
                SlotSet("for_whom", "self"),
                SlotSet("has_booking", False),
                *wish_in_message(tracker, profile, self.clock),
                *[SlotSet(slot, value) for slot, value in facts.items()],
                *[e for e in linked if e["name"] not in facts],
            ]
        utter(dispatcher, profile, "utter_already_booked", **values)
        return [SlotSet("for_whom", "self"), SlotSet("has_booking", True)]

    def _no_request(self, tracker: Tracker, profile: Profile) -> bool:
        """An `inform` starts a booking only when it holds a booking's details (two or more,
        as in "jeg heter Oddny Berg, født 1947, ...") or answers "deg selv eller andre?"."""
        intent, _ = latest_intent(tracker)
        if intent != "inform" or tracker.get_slot("for_whom") == "ask":
            return False
        facts = fact_slots("booking_form", message_facts(tracker, profile, self.clock), {})
        return len(facts) < 2


class ActionCheckEligibility(SafeAction):
    """Is the person in this year's target group? If not, offer a call-back kindly."""

    def name(self) -> str:
        """Domain name."""
        return "action_check_eligibility"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Set `eligible`; explain and offer a call-back when outside the group."""
        year = int(tracker.get_slot("birth_year"))
        if profile.in_target_group(year, local_today(profile, self.clock)):
            return [SlotSet("eligible", True)]
        utter(dispatcher, profile, "utter_not_in_target_group")
        return [SlotSet("eligible", False)]


class ActionAskVisitSlotId(SafeAction):
    """Offer free times as buttons (the question of slot_choice_form)."""

    def name(self) -> str:
        """Domain name."""
        return "action_ask_visit_slot_id"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Say the note set by extraction, then the slots for the current page."""
        note = tracker.get_slot("slot_note")
        if note:
            utter(dispatcher, profile, note)
        with self.uow_factory() as session:
            current = (
                visits.booked_visit_for_conversation(session, tracker.sender_id)
                if tracker.get_slot("rescheduling")
                else None
            )
            offer = make_offer(
                session,
                profile,
                now=self.clock(),
                wish_text=tracker.get_slot("time_wish"),
                page=int(tracker.get_slot("slot_page") or 0),
                exclude_start=current.slot.start if current else None,
            )
            buttons = slot_buttons(offer.slots, profile.timezone)
        if not offer.slots:
            utter(dispatcher, profile, "utter_no_slots_left")
            return [SlotSet("slot_note", None)]
        utter(dispatcher, profile, offer.note, buttons=buttons)
        return [SlotSet("slot_note", None), SlotSet("slot_page", float(offer.page))]


class ValidateSlotChoiceForm(BaseFormValidation):
    """Understand a pressed time button, 'Vis flere tider', or a typed wish."""

    def __init__(
        self,
        uow_factory: Callable[[], SqlAlchemyUnitOfWork] | None = None,
        profile_loader: Callable[[], Profile] | None = None,
        clock: Clock = system_clock,
    ) -> None:
        super().__init__(profile_loader=profile_loader, clock=clock)
        self.uow_factory = uow_factory or default_uow_factory(clock)

    def name(self) -> str:
        """Domain name."""
        return "validate_slot_choice_form"

    async def extract_visit_slot_id(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Read the user's answer to the time question."""
        if tracker.get_slot(REQUESTED_SLOT) != "visit_slot_id":
            return {}
        text = latest_text(tracker)
        if text and not text.startswith("/"):
            # "den andre", "torsdag passer": a typed pointer at a shown time wins over the
            # intent the classifier guessed ("den andre" reads as "more times").
            chosen = self._pointed_at(tracker, text)
            if chosen is not None:
                return {"visit_slot_id": str(chosen)}
        intent, _ = latest_intent(tracker)
        if intent == "choose_slot":
            chosen = next(
                (
                    e.get("value")
                    for e in tracker.latest_message.get("entities", [])
                    if e.get("entity") == "slot_id"
                ),
                None,
            )
            return {"visit_slot_id": str(chosen)} if _slot_id(chosen) else {}
        if intent == "more_slots":
            page = int(tracker.get_slot("slot_page") or 0) + 1
            return {"slot_page": float(page)}
        if intent == "deny":  # "none of these suit me"
            page = int(tracker.get_slot("slot_page") or 0) + 1
            return {"slot_page": float(page)}
        today = local_today(self.profile, self.clock)
        if text.startswith("/"):
            return {}
        if parse_time_wish(text, today=today) is not None:
            return {"time_wish": text[:200], "slot_page": 0.0}
        if is_question(text):  # answered as a question; the times are shown again
            return {}
        return {"slot_note": "utter_time_not_understood"}

    def _pointed_at(self, tracker: Tracker, text: str) -> int | None:
        """The shown time a typed answer points at (the same offer as the buttons)."""
        with self.uow_factory() as session:
            current = (
                visits.booked_visit_for_conversation(session, tracker.sender_id)
                if tracker.get_slot("rescheduling")
                else None
            )
            offer = make_offer(
                session,
                self.profile,
                now=self.clock(),
                wish_text=tracker.get_slot("time_wish"),
                page=int(tracker.get_slot("slot_page") or 0),
                exclude_start=current.slot.start if current else None,
            )
            shown = [(slot.id, aware_utc(slot.start)) for slot in offer.slots]
        return choose_offered(text, shown, self.profile.timezone)

    async def validate_visit_slot_id(
        self, value: Any, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The chosen slot must still be free."""
        slot_id = _slot_id(value)
        if slot_id is None:
            return {"visit_slot_id": None}
        with self.uow_factory() as session:
            free = slots_db.is_slot_free(session, slot_id)
        if not free:
            self._say(dispatcher, "utter_slot_taken")
            return {"visit_slot_id": None, "slot_page": 0.0}
        return {"visit_slot_id": str(slot_id)}


def _slot_values(slot: Any, profile: Profile) -> dict[str, str]:
    """Label and visitor of a slot, for responses."""
    return {"slot_label": format_slot_time(slot.start, profile.timezone), "visitor": slot.visitor}


def booked_visit_values(
    uow_factory: Callable[[], SqlAlchemyUnitOfWork], conversation_id: str, profile: Profile
) -> dict[str, str] | None:
    """Time, visitor and address of this conversation's next booked visit, or None."""
    with uow_factory() as session:
        visit = visits.booked_visit_for_conversation(session, conversation_id)
        if visit is None:
            return None
        return {**_slot_values(visit.slot, profile), "address": visit.citizen.address}


class ActionBookingSummary(SafeAction):
    """Summarise what will be booked (or moved) and ask for confirmation."""

    def name(self) -> str:
        """Domain name."""
        return "action_booking_summary"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Nothing is written here: only the summary and the question."""
        with self.uow_factory() as session:
            slot = slots_db.get_slot(session, int(tracker.get_slot("visit_slot_id")))
            values = _slot_values(slot, profile)
        if tracker.get_slot("rescheduling"):
            utter(dispatcher, profile, "utter_move_summary", **values)
        else:
            utter(
                dispatcher,
                profile,
                "utter_booking_summary",
                phone_pretty=format_phone_display(tracker.get_slot("phone") or ""),
                birth_year=tracker.get_slot("birth_year") or "",
                **values,
            )
        return []


class ActionBookVisit(SafeAction):
    """Write the confirmed booking (or move) in one transaction."""

    def name(self) -> str:
        """Domain name."""
        return "action_book_visit"

    def on_error_events(self) -> list[dict[str, Any]]:
        """A failed write is never reported as a success."""
        return [SlotSet("booking_result", "error")]

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Book or move; when the slot was taken meanwhile, say so and choose again. "Ja,
        men navnet er feil, det er Sigrid Vang" books nothing: the summary comes back with
        the new name, to be confirmed again."""
        corrected = summary_correction(tracker, profile, self.clock)
        if corrected:
            return corrected
        slot_id = int(tracker.get_slot("visit_slot_id"))
        try:
            with self.uow_factory() as session:
                if tracker.get_slot("rescheduling"):
                    current = visits.booked_visit_for_conversation(session, tracker.sender_id)
                    if current is None:
                        utter(dispatcher, profile, "utter_no_booking_found")
                        return [SlotSet("booking_result", "error"), *reset_choice()]
                    visit = visits.move_visit(session, current.id, slot_id)
                    response = "utter_visit_moved"
                elif (
                    done := visits.booked_visit_at(session, tracker.sender_id, slot_id)
                ) is not None:
                    # The same "Ja" again (a retry after a timeout, a double press): the
                    # visit is in the database once, and the person is told so.
                    visit = done
                    response = "utter_booking_confirmed"
                else:
                    citizen = citizen_from(tracker)
                    linked = citizens.linked_citizen(session, tracker.sender_id)
                    same_person = (
                        linked is not None
                        and linked.name.casefold() == (citizen.name or "").casefold()
                    )
                    visit = visits.book_visit(
                        session,
                        slot_id=slot_id,
                        citizen=citizen,
                        conversation_id=tracker.sender_id,
                        relative=relative_from(tracker),
                        citizen_id=linked.id if linked is not None and same_person else None,
                    )
                    response = "utter_booking_confirmed"
                values = {**_slot_values(visit.slot, profile), "address": visit.citizen.address}
        except visits.SlotTaken:
            utter(dispatcher, profile, "utter_slot_taken")
            return [SlotSet("booking_result", "taken"), *reset_choice()]
        logger.info(
            "visit %s %s", visit.id, "moved" if tracker.get_slot("rescheduling") else "booked"
        )
        utter(dispatcher, profile, response, **values)
        return [
            SlotSet("booking_result", "booked"),
            SlotSet("rescheduling", False),
            *reset_choice(),
            *[SlotSet(name, None) for name in PERSON_SLOTS],
        ]


def citizen_from(tracker: Tracker) -> visits.CitizenDetails:
    """The citizen's details collected by booking_form."""
    year = tracker.get_slot("birth_year")
    return visits.CitizenDetails(
        name=tracker.get_slot("citizen_name"),
        birth_year=int(year) if year else None,
        address=tracker.get_slot("address"),
        phone=tracker.get_slot("phone"),
    )


def relative_from(tracker: Tracker) -> visits.RelativeDetails | None:
    """The relative's details, when someone books on the citizen's behalf."""
    if not tracker.get_slot("on_behalf"):
        return None
    return visits.RelativeDetails(
        relation=tracker.get_slot("relation"),
        name=tracker.get_slot("relative_name"),
        phone=tracker.get_slot("relative_phone"),
    )


def wish_in_message(tracker: Tracker, profile: Profile, clock: Clock) -> Events:
    """'Kan dere komme neste tirsdag?': keep a time wish given with the request itself."""
    text = latest_text(tracker)
    if text.startswith("/"):
        return []
    today = local_today(profile, clock)
    # Without the facts: "Eg er fødd i 1948. Kan de kome i neste veke?" is about next week.
    wish = wish_in_request(without_facts(text, this_year=today.year), today=today)
    return [SlotSet("time_wish", wish[:200])] if wish else []


def reset_choice() -> list[dict[str, Any]]:
    """Forget the chosen time so slot_choice_form asks again."""
    return [
        SlotSet("visit_slot_id", None),
        SlotSet("time_wish", None),
        SlotSet("slot_page", 0.0),
        SlotSet("slot_note", None),
    ]


def corrected_person(tracker: Tracker, profile: Profile, clock: Clock) -> Events:
    """New values for the details a message corrects ("telefonen er 91 23 45 67")."""
    facts = message_facts(tracker, profile, clock)
    found = fact_slots("booking_form", facts, {})
    if tracker.get_slot("on_behalf"):
        found.pop("phone", None)  # the number in the summary is the citizen's own
    # "Ja, det stemmer. Hilsen Kari" signs with a part of the name shown: no correction.
    shown = set((tracker.get_slot("citizen_name") or "").casefold().split())
    if shown and set(str(found.get("citizen_name", "")).casefold().split()) <= shown:
        found.pop("citizen_name", None)
    return [SlotSet(slot, value) for slot, value in found.items()]


def after_correction(events: Events, profile: Profile, clock: Clock) -> str:
    """What follows a correction at the summary: the summary again, or, when the corrected
    birth year is outside this year's target group, the eligibility check (which says so
    and offers a call-back) instead of a booking for someone the visits are not for."""
    year = next((e["value"] for e in events if e.get("name") == "birth_year"), None)
    if year is not None and not profile.in_target_group(int(year), local_today(profile, clock)):
        return "action_check_eligibility"
    return "action_booking_summary"


def summary_correction(tracker: Tracker, profile: Profile, clock: Clock) -> Events:
    """At a booking's summary (a time chosen, no form asking): the details the message
    changes and what follows them, whatever the classifier took the message for ("ja, men
    navnet er feil, det er Ragnhild Øverland" read as someone else, "navnet skal være …" as
    a question); [] anywhere else, or when it changes nothing."""
    if (
        not tracker.get_slot("visit_slot_id")
        or tracker.active_loop_name
        or tracker.get_slot("rescheduling")
    ):
        return []
    changed = [
        event
        for event in corrected_person(tracker, profile, clock)
        if tracker.get_slot(event["name"]) != event["value"]
    ]
    if not changed:
        return []
    return [*changed, FollowupAction(after_correction(changed, profile, clock))]


class ActionCorrectSummary(SafeAction):
    """A detail typed at the summary replaces the one shown, and the summary comes back."""

    def name(self) -> str:
        """Domain name."""
        return "action_correct_summary"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Take what the message corrects; ask what is wrong when it holds nothing."""
        events = corrected_person(tracker, profile, self.clock)
        if not events:
            utter(dispatcher, profile, "utter_what_to_correct")
            return []
        following = after_correction(events, profile, self.clock)
        if following != "action_booking_summary":
            return [*events, FollowupAction(following)]
        return events  # the rule shows the summary again


class ActionChooseAgain(SafeAction):
    """The user wants another time: forget the choice."""

    def name(self) -> str:
        """Domain name."""
        return "action_choose_again"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Reset the choice; the rule then runs slot_choice_form again. "Nei, adressen er
        Bakkeveien 5" corrects the address instead, and shows the summary again."""
        if not tracker.get_slot("rescheduling"):
            corrected = corrected_person(tracker, profile, self.clock)
            if corrected:
                return [
                    *corrected,
                    FollowupAction(after_correction(corrected, profile, self.clock)),
                ]
        return [*reset_choice(), SlotSet("booking_result", None), SlotSet(REQUESTED_SLOT, None)]
