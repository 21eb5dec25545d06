"""Custom actions with trackers built in code, against a real SQLite database."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import utter
from actions.booking import (
    ActionAskVisitSlotId,
    ActionBookVisit,
    ActionCheckEligibility,
    ValidateSlotChoiceForm,
)
from actions.conversation import ActionAnswerFaq
from actions.existing_booking import ActionCancelVisit
from actions.followup import ActionSaveCallback, ActionSaveDecline, ActionSaveFeedback
from actions.forms import ValidateBookingForm, ValidateDeclineForm
from fhb.db import engine
from fhb.db import models as models_db
from fhb.db import slots as slots_db
from fhb.db import visits as visits_db
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.db.models import Decline, Feedback
from fhb.language.answers import FAQ_QUESTIONS
from tests.support import ROOT
from tests.support.clock import NOW, clock, frozen_uow
from tests.support.trackers import BOOKING_SLOTS, make_tracker, responses


def test_every_response_an_action_utters_is_in_the_domain(domain: dict[str, Any]) -> None:
    source = "\n".join(p.read_text() for p in (ROOT / "actions").glob("*.py"))
    used = set(re.findall(r'"(utter_[a-z_]+)"', source)) - {"utter_action"}  # a selector key
    assert used and used <= set(domain["responses"]), used - set(domain["responses"])


def test_every_profile_placeholder_is_filled(domain: dict[str, Any], profile: Any) -> None:
    values = profile.template_values()
    slot_names = set(domain["slots"])
    call_values = {
        "phone_pretty",
        "slot_label",
        "visitor",
        "address",
        "citizen_name",
        "later_label",
        "alternative_label",
        "offers",
        "first_name",
    }
    for name, variations in domain["responses"].items():
        for variation in variations:
            for field in re.findall(r"(?<!\{)\{([a-z_]+)\}(?!\})", variation.get("text", "")):
                assert field in values or field in slot_names or field in call_values, (name, field)


def test_each_response_gets_the_profile_values_it_uses(
    domain: dict[str, Any], profile: Any
) -> None:
    """Through `utter` and Rasa's own filling: every profile placeholder of every response
    is filled, and no other profile value travels with it (into the bot event for good)."""
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator

    values = profile.template_values()
    nlg = TemplatedNaturalLanguageGenerator(domain["responses"])
    unfilled = re.compile("|".join(rf"\{{{name}\}}" for name in values))
    for name, variations in domain["responses"].items():
        dispatcher = CollectingDispatcher()
        utter(dispatcher, profile, name)
        (message,) = dispatcher.messages
        sent = {k: v for k, v in message.items() if k in values}
        for variation in variations:
            # slots and the values an action passes itself: filled with a stand-in
            found = re.findall(r"{([^\n{}]+?)}", str(variation))
            others = {k: "x" for k in found if k not in values}
            filled = nlg._fill_response(copy.deepcopy(variation), others, **sent)
            assert not unfilled.search(str(filled)), (name, filled)
        assert set(sent) == {k for k in values if any("{" + k + "}" in str(v) for v in variations)}


async def test_faq_answer_uses_the_profile(domain: dict[str, Any], profile: Any) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        intent="faq",
        text="koster det noe?",
        response_selector={"faq": {"response": {"utter_action": "utter_faq/cost"}}},
    )
    await ActionAnswerFaq(clock=clock).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_faq/cost"]
    assert dispatcher.messages[0]["phone"] == "33 44 55 66"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Hva koster det, og hvor lenge varer besøket?", ["utter_faq/cost", "utter_faq/duration"]),
        ("Hva koster det? Jeg har liten pensjon.", ["utter_faq/cost"]),
    ],
)
async def test_a_message_with_two_questions_gets_both_answers(
    domain: dict[str, Any], text: str, said: list[str]
) -> None:
    """The response selector's ranking, as Rasa 3.6 sends it, gives the second answer."""
    ranking = [
        {"id": 1, "confidence": 0.63, "intent_response_key": "faq/cost"},
        {"id": 2, "confidence": 0.25, "intent_response_key": "faq/duration"},
        {"id": 3, "confidence": 0.03, "intent_response_key": "faq/topics"},
    ]
    selected = {"response": {"utter_action": "utter_faq/cost"}, "ranking": ranking}
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(intent="faq", text=text, response_selector={"faq": selected})
    await ActionAnswerFaq(clock=clock).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == said


async def test_an_unsure_answer_becomes_a_choice_of_questions(domain: dict[str, Any]) -> None:
    """ "Er det noen som kan hjelpe meg med å fylle ut dette": the selector's best guess is
    below UNSURE_FAQ_CONFIDENCE, so the bot offers its guesses (and a person) as buttons."""
    ranking = [
        {"id": 1, "confidence": 0.17, "intent_response_key": "faq/what_is"},
        {"id": 2, "confidence": 0.16, "intent_response_key": "faq/eligibility"},
        {"id": 3, "confidence": 0.15, "intent_response_key": "faq/who_visits"},
        {"id": 4, "confidence": 0.10, "intent_response_key": "faq/cost"},
    ]
    selected = {"response": {"utter_action": "utter_faq/what_is"}, "ranking": ranking}
    dispatcher = CollectingDispatcher()
    text = "er det noen som kan hjelpe meg med aa fylle ut dette"
    tracker = make_tracker(intent="faq", text=text, response_selector={"faq": selected})
    await ActionAnswerFaq(clock=clock).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_faq_unsure"]
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == [
        "Hva er forebyggende hjemmebesøk?",
        "Hvem kan få besøk?",
        "Hvem kommer på besøk?",
        "/request_human",
    ]


def test_every_faq_answer_has_a_question_a_button_can_send(domain: dict[str, Any]) -> None:
    answers = {name.removeprefix("utter_") for name in domain["responses"] if "faq/" in name}
    assert set(FAQ_QUESTIONS) == answers
    assert all(len(q.encode()) <= 64 for q in FAQ_QUESTIONS.values())  # Telegram's limit


async def test_faq_without_a_selection_asks_to_rephrase(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq(clock=clock).run(dispatcher, make_tracker(intent="faq"), domain)
    assert responses(dispatcher) == ["utter_rephrase"]


def test_misunderstandings_need_no_action_server(domain: dict[str, Any]) -> None:
    """The fallback is responses and rules only, so it works while actions are down."""
    assert "action_two_stage_fallback" not in domain["actions"]
    config = (ROOT / "config.yml").read_text(encoding="utf-8")
    assert "core_fallback_action_name: utter_rephrase" in config
    assert {"utter_rephrase", "utter_fallback_person"} <= set(domain["responses"])


@pytest.mark.parametrize(("year", "eligible"), [("1948", True), ("1955", False)])
async def test_eligibility(domain: dict[str, Any], year: str, eligible: bool) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionCheckEligibility(clock=clock).run(
        dispatcher, make_tracker(slots={"birth_year": year}), domain
    )
    assert events == [SlotSet("eligible", eligible)]
    assert responses(dispatcher) == ([] if eligible else ["utter_not_in_target_group"])


async def test_offer_shows_three_free_slots_as_buttons(uow, slots, domain) -> None:  # type: ignore[no-untyped-def]
    dispatcher = CollectingDispatcher()
    await ActionAskVisitSlotId(uow_factory=uow, clock=clock).run(dispatcher, make_tracker(), domain)
    buttons = dispatcher.messages[0]["buttons"]
    assert responses(dispatcher) == ["utter_offer_slots"]
    assert [b["title"] for b in buttons] == [
        "tirsdag 24. november kl. 09.00",
        "tirsdag 24. november kl. 10.30",
        "tirsdag 24. november kl. 12.00",
        "Vis flere tider",
    ]
    assert all(len(b["payload"].encode()) <= 64 for b in buttons)


async def test_offer_honours_a_typed_wish(uow, slots, domain) -> None:  # type: ignore[no-untyped-def]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={"time_wish": "neste onsdag etter kl 12"})
    await ActionAskVisitSlotId(uow_factory=uow, clock=clock).run(dispatcher, tracker, domain)
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]][:-1]
    assert responses(dispatcher) == ["utter_offer_slots_for_wish"]
    assert titles and all(t.startswith("onsdag 25. november kl. 1") for t in titles)


async def test_a_full_day_offers_the_same_weekday_in_the_weeks_after(  # type: ignore[no-untyped-def]
    uow, slots, domain
) -> None:
    """'onsdag ettermiddag' when that Wednesday afternoon is full: the next Wednesdays."""
    with uow() as session:
        for slot, _ in slots_db.list_slots(session):
            local = slot.start + dt.timedelta(hours=1)  # Oslo in winter
            if local.date() == NOW.date() + dt.timedelta(days=2) and local.hour >= 12:
                visits_db.book_visit(
                    session,
                    slot_id=slot.id,
                    citizen=visits_db.CitizenDetails(
                        name="Kari Nordmann", birth_year=1948, address="Storgata 5", phone=None
                    ),
                    conversation_id=f"full-{slot.id}",
                )
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={"time_wish": "onsdag ettermiddag"})
    await ActionAskVisitSlotId(uow_factory=uow, clock=clock).run(dispatcher, tracker, domain)
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]][:-1]
    assert responses(dispatcher) == ["utter_offer_slots_same_weekday_later"]
    assert titles and all(t.startswith("onsdag 2. desember kl. 1") for t in titles)


@pytest.mark.parametrize(
    ("intent", "text", "entities", "expected"),
    [
        (
            "choose_slot",
            '/choose_slot{"slot_id":"7"}',
            [{"entity": "slot_id", "value": "7"}],
            [SlotSet("visit_slot_id", "7")],
        ),
        ("more_slots", "vis flere tider", [], [SlotSet("slot_page", 1.0)]),
        (
            "inform",
            "neste tirsdag",
            [],
            [SlotSet("time_wish", "neste tirsdag"), SlotSet("slot_page", 0.0)],
        ),
        ("nlu_fallback", "blå banan", [], [SlotSet("slot_note", "utter_time_not_understood")]),
    ],
)
async def test_time_answers_are_understood(
    uow, slots, domain, intent, text, entities, expected
) -> None:  # type: ignore[no-untyped-def]
    if intent == "choose_slot":  # a real, free slot of the test database
        text = text.replace('"7"', f'"{slots[6]}"')
        entities = [{"entity": "slot_id", "value": str(slots[6])}]
        expected = [SlotSet("visit_slot_id", str(slots[6]))]
    tracker = make_tracker(
        intent=intent,
        text=text,
        entities=entities,
        slots={"requested_slot": "visit_slot_id"},
        active_loop="slot_choice_form",
    )
    action = ValidateSlotChoiceForm(uow_factory=uow, clock=clock)
    events = await action.run(CollectingDispatcher(), tracker, domain)
    # the whole run, as the action server does it: helper slots must survive validation
    assert [e for e in events if e["name"] != "failed_attempts"][: len(expected)] == expected


async def test_booking_writes_exactly_one_visit(uow, slots, domain) -> None:  # type: ignore[no-untyped-def]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        slots={**BOOKING_SLOTS, "visit_slot_id": str(slots[0])}, sender_id="chat-1"
    )
    events = await ActionBookVisit(uow_factory=uow, clock=clock).run(dispatcher, tracker, domain)
    assert SlotSet("booking_result", "booked") in events
    assert responses(dispatcher) == ["utter_booking_confirmed"]
    with uow() as session:
        visits = visits_db.list_visits(session)
    assert [(v.citizen.name, v.citizen.phone, v.booked_by, v.conversation_id) for v in visits] == [
        ("Kari Nordmann", "+4791555555", "self", "chat-1")
    ]


async def test_a_slot_taken_meanwhile_is_said_and_offered_again(uow, slots, domain) -> None:  # type: ignore[no-untyped-def]
    with uow() as session:
        visits_db.book_visit(
            session,
            slot_id=slots[0],
            conversation_id="someone-else",
            citizen=visits_db.CitizenDetails("Ola", 1947, "Vei 1", None),
        )
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={**BOOKING_SLOTS, "visit_slot_id": str(slots[0])})
    events = await ActionBookVisit(uow_factory=uow, clock=clock).run(dispatcher, tracker, domain)
    assert SlotSet("booking_result", "taken") in events
    assert SlotSet("visit_slot_id", None) in events
    assert responses(dispatcher) == ["utter_slot_taken"]


async def test_a_failed_write_is_never_reported_as_success(tmp_path: Path, domain) -> None:  # type: ignore[no-untyped-def]
    def broken() -> SqlAlchemyUnitOfWork:
        """A unit of work on a database that cannot be opened."""
        return frozen_uow(f"sqlite:///{tmp_path}/missing-dir/x.db")

    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={**BOOKING_SLOTS, "visit_slot_id": "1"})
    events = await ActionBookVisit(uow_factory=broken, clock=clock).run(dispatcher, tracker, domain)
    assert events == [SlotSet("booking_result", "error")]
    assert responses(dispatcher) == ["utter_action_error"]
    assert dispatcher.messages[0]["phone"] == "33 44 55 66"


async def test_relative_booking_is_marked(uow, slots, domain) -> None:  # type: ignore[no-untyped-def]
    tracker = make_tracker(
        slots={
            **BOOKING_SLOTS,
            "visit_slot_id": str(slots[1]),
            "on_behalf": True,
            "relation": "barn",
            "relative_name": "Per Nordmann",
            "relative_phone": "+4741234567",
        }
    )
    await ActionBookVisit(uow_factory=uow, clock=clock).run(CollectingDispatcher(), tracker, domain)
    with uow() as session:
        visit = visits_db.list_visits(session)[0]
    assert (visit.booked_by, visit.relation, visit.relative_name) == (
        "relative",
        "barn",
        "Per Nordmann",
    )


async def test_cancel_frees_the_slot(uow, slots, domain) -> None:  # type: ignore[no-untyped-def]
    tracker = make_tracker(
        slots={**BOOKING_SLOTS, "visit_slot_id": str(slots[0])}, sender_id="chat-2"
    )
    await ActionBookVisit(uow_factory=uow, clock=clock).run(CollectingDispatcher(), tracker, domain)
    dispatcher = CollectingDispatcher()
    await ActionCancelVisit(uow_factory=uow, clock=clock).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_visit_cancelled"]
    with uow() as session:
        assert slots_db.is_slot_free(session, slots[0])


async def test_cancel_from_another_conversation_reveals_nothing(uow, slots, domain) -> None:  # type: ignore[no-untyped-def]
    tracker = make_tracker(
        slots={**BOOKING_SLOTS, "visit_slot_id": str(slots[0])}, sender_id="owner"
    )
    await ActionBookVisit(uow_factory=uow, clock=clock).run(CollectingDispatcher(), tracker, domain)
    dispatcher = CollectingDispatcher()
    await ActionCancelVisit(uow_factory=uow, clock=clock).run(
        dispatcher, make_tracker(sender_id="stranger"), domain
    )
    assert responses(dispatcher) == ["utter_no_booking_found"]
    with uow() as session:
        assert not slots_db.is_slot_free(session, slots[0])


async def test_decline_is_stored_with_reason_and_later(uow, domain) -> None:  # type: ignore[no-untyped-def]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        slots={
            "decline_reason": "bad_timing",
            "wants_later": True,
            "later_when": "til våren",
            "citizen_name": "Ola Hansen",
            "decline_phone": "-",
        },
        sender_id="chat-3",
    )
    await ActionSaveDecline(uow_factory=uow, clock=clock).run(dispatcher, tracker, domain)
    with uow() as session:
        (decline,) = engine.list_rows(session, Decline)
    assert (decline.reason, decline.wants_later, decline.later_when, decline.phone) == (
        "bad_timing",
        True,
        "til våren",
        None,
    )
    assert decline.later_date is not None and decline.later_date > dt.date(2026, 11, 23)
    assert responses(dispatcher) == ["utter_decline_saved_later", "utter_decline_offers"]


async def test_feedback_is_linked_to_the_completed_visit(uow, slots, domain) -> None:  # type: ignore[no-untyped-def]
    with uow() as session:
        visit = visits_db.book_visit(
            session,
            slot_id=slots[0],
            conversation_id="chat-4",
            citizen=visits_db.CitizenDetails("Ola", 1947, "Vei 1", None),
        )
        visits_db.set_visit_status(session, visit.id, "completed")
        visit_id = visit.id
    tracker = make_tracker(
        slots={"rating": "5", "useful": "partly", "comment": "-"}, sender_id="chat-4"
    )
    dispatcher = CollectingDispatcher()
    await ActionSaveFeedback(uow_factory=uow, clock=clock).run(dispatcher, tracker, domain)
    with uow() as session:
        (feedback,) = engine.list_rows(session, Feedback)
    assert (feedback.visit_id, feedback.rating, feedback.useful, feedback.comment) == (
        visit_id,
        5,
        "partly",
        None,
    )


async def test_callback_is_stored(uow, domain) -> None:  # type: ignore[no-untyped-def]
    tracker = make_tracker(
        slots={
            "callback_name": "Kari Nordmann",
            "callback_phone": "+4791555555",
            "callback_topic": "-",
        }
    )
    dispatcher = CollectingDispatcher()
    await ActionSaveCallback(uow_factory=uow, clock=clock).run(dispatcher, tracker, domain)
    with uow() as session:
        rows = engine.list_rows(session, models_db.CallbackRequest)
    assert [(c.name, c.phone, c.topic) for c in rows] == [("Kari Nordmann", "+4791555555", None)]
    assert responses(dispatcher) == ["utter_callback_saved"]


async def test_three_bad_phone_numbers_offer_a_person(domain) -> None:  # type: ignore[no-untyped-def]
    action = ValidateBookingForm(clock=clock)
    action.profile = action.profile_loader()
    said: list[str] = []
    tries = 0.0
    for _ in range(3):
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(text="123", intent="inform", slots={"failed_attempts": tries})
        result = action.validate_phone("123", dispatcher, tracker, domain)
        tries = result["failed_attempts"]
        said += responses(dispatcher)
        assert result["phone"] is None
    assert said == ["utter_invalid_phone"] * 3 + ["utter_too_many_tries"]


async def test_a_real_name_is_accepted_whatever_the_intent(domain) -> None:  # type: ignore[no-untyped-def]
    action = ValidateBookingForm(clock=clock)
    action.profile = action.profile_loader()
    tracker = make_tracker(text="Ingrid Olsen", intent="on_behalf", confidence=0.95)
    assert (
        action.validate_citizen_name("Ingrid Olsen", CollectingDispatcher(), tracker, domain)[
            "citizen_name"
        ]
        == "Ingrid Olsen"
    )


async def test_a_confident_off_topic_message_is_not_taken_as_a_name(domain) -> None:  # type: ignore[no-untyped-def]
    action = ValidateBookingForm(clock=clock)
    action.profile = action.profile_loader()
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text="er du en robot", intent="bot_challenge", confidence=0.97)
    assert action.validate_citizen_name("er du en robot", dispatcher, tracker, domain) == {
        "citizen_name": None
    }
    assert responses(dispatcher) == ["utter_iamabot", "utter_in_form_hint"]


async def test_errors_are_logged_without_personal_data(tmp_path: Path, domain, caplog) -> None:  # type: ignore[no-untyped-def]
    def broken() -> SqlAlchemyUnitOfWork:
        """A unit of work on a database that cannot be opened."""
        return frozen_uow(f"sqlite:///{tmp_path}/missing-dir/x.db")

    tracker = make_tracker(slots={**BOOKING_SLOTS, "visit_slot_id": "1"})
    await ActionBookVisit(uow_factory=broken, clock=clock).run(
        CollectingDispatcher(), tracker, domain
    )
    logged = caplog.text
    assert "action_book_visit failed with OperationalError" in logged
    assert "Kari" not in logged and "91555555" not in logged and "Storgata" not in logged


async def test_greeting_asks_for_feedback_after_a_completed_visit(uow, slots, domain) -> None:  # type: ignore[no-untyped-def]
    from actions.conversation import ActionGreet

    greet = ActionGreet(uow_factory=uow, clock=clock)
    dispatcher = CollectingDispatcher()
    await greet.run(dispatcher, make_tracker(sender_id="chat-5"), domain)
    assert responses(dispatcher) == ["utter_greet"]
    with uow() as session:
        visit = visits_db.book_visit(
            session,
            slot_id=slots[0],
            conversation_id="chat-5",
            citizen=visits_db.CitizenDetails("Ola", 1947, "Vei 1", None),
        )
        visits_db.set_visit_status(session, visit.id, "completed")
    dispatcher = CollectingDispatcher()
    await greet.run(dispatcher, make_tracker(sender_id="chat-5"), domain)
    assert responses(dispatcher) == ["utter_greet_after_visit"]
    tracker = make_tracker(
        slots={"rating": "4", "useful": "yes", "comment": "-"}, sender_id="chat-5"
    )
    await ActionSaveFeedback(uow_factory=uow, clock=clock).run(
        CollectingDispatcher(), tracker, domain
    )
    dispatcher = CollectingDispatcher()
    await greet.run(dispatcher, make_tracker(sender_id="chat-5"), domain)
    assert responses(dispatcher) == ["utter_greet"]


async def test_booking_again_in_the_same_chat_shows_the_visit(uow, slots, domain) -> None:  # type: ignore[no-untyped-def]
    from actions.booking import ActionStartBooking

    start = ActionStartBooking(uow_factory=uow, clock=clock)
    assert await start.run(CollectingDispatcher(), make_tracker(sender_id="chat-6"), domain) == [
        SlotSet("for_whom", "self"),
        SlotSet("has_booking", False),
    ]
    tracker = make_tracker(
        slots={**BOOKING_SLOTS, "visit_slot_id": str(slots[0])}, sender_id="chat-6"
    )
    events = await ActionBookVisit(uow_factory=uow, clock=clock).run(
        CollectingDispatcher(), tracker, domain
    )
    assert SlotSet("citizen_name", None) in events and SlotSet("phone", None) in events
    dispatcher = CollectingDispatcher()
    assert await start.run(dispatcher, make_tracker(sender_id="chat-6"), domain) == [
        SlotSet("for_whom", "self"),
        SlotSet("has_booking", True),
    ]
    assert responses(dispatcher) == ["utter_already_booked"]


async def test_moving_keeps_the_wish_and_never_offers_the_same_time(uow, slots, domain) -> None:  # type: ignore[no-untyped-def]
    from actions.existing_booking import ActionStartReschedule

    with uow() as session:  # Tuesday 24 November 09.00 in Oslo, the first time offered
        tuesday_nine = next(
            s.id
            for s, _ in slots_db.list_slots(session)
            if s.start == dt.datetime(2026, 11, 24, 8, 0)
        )
    tracker = make_tracker(
        slots={**BOOKING_SLOTS, "visit_slot_id": str(tuesday_nine)}, sender_id="chat-7"
    )
    await ActionBookVisit(uow_factory=uow, clock=clock).run(CollectingDispatcher(), tracker, domain)
    move = make_tracker(
        sender_id="chat-7",
        intent="reschedule_visit",
        text="kan vi flytte besøket til en torsdag etter kl 12?",
    )
    events = await ActionStartReschedule(uow_factory=uow, clock=clock).run(
        CollectingDispatcher(), move, domain
    )
    assert SlotSet("time_wish", "en torsdag etter kl 12") in events  # the wish only
    dispatcher = CollectingDispatcher()
    await ActionAskVisitSlotId(uow_factory=uow, clock=clock).run(
        dispatcher, make_tracker(sender_id="chat-7", slots={"rescheduling": True}), domain
    )
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]][:-1]
    assert titles[0] == "tirsdag 24. november kl. 10.30"  # 09.00 is the visit being moved


async def test_stop_says_what_happened(domain) -> None:  # type: ignore[no-untyped-def]
    from rasa_sdk import Tracker

    from actions.conversation import ActionStopFlow

    stop = ActionStopFlow(clock=clock)
    dispatcher = CollectingDispatcher()
    await stop.run(dispatcher, make_tracker(), domain)
    assert responses(dispatcher) == ["utter_nothing_to_stop"]
    in_form = Tracker(
        "c", {}, {"intent": {"name": "stop"}}, [], False, None, {}, "action_deactivate_loop"
    )
    dispatcher = CollectingDispatcher()
    events = await stop.run(dispatcher, in_form, domain)
    assert responses(dispatcher) == ["utter_stopped"]
    assert SlotSet("citizen_name", None) in events


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        ("neste år", "skip", [SlotSet("later_when", "neste år")]),  # the button's own words
        ("til våren en gang", "inform", [SlotSet("later_when", "til våren")]),
        # Only the time's words are kept, never the health details around them.
        (
            "Jeg har nettopp operert hofta, spør meg til våren",
            "postpone_visit",
            [SlotSet("later_when", "til våren")],
        ),
        ("/skip", "skip", []),  # "Hopp over"
        ("det vet jeg ikke", "inform", []),  # not a time: the domain's mapping decides
    ],
)
async def test_a_typed_later_time_answers_when_whatever_the_intent(  # type: ignore[no-untyped-def]
    domain, text: str, intent: str, expected: list[dict[str, Any]]
) -> None:
    action = ValidateDeclineForm(clock=clock)
    tracker = make_tracker(
        text=text,
        intent=intent,
        confidence=0.97,
        slots={"requested_slot": "later_when", "wants_later": True},
        active_loop="decline_form",
    )
    action.profile = action.profile_loader()
    extracted = await action.extract_later_when(CollectingDispatcher(), tracker, domain)
    assert [SlotSet(k, v) for k, v in extracted.items()] == expected
