"""Forms take every fact of a message, consent is never guessed, nothing loops (issue 10).

Real validators and actions, trackers built in code, the real SQLite database."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import (
    ActionBookVisit,
    ActionChooseAgain,
    ActionCorrectSummary,
    ActionStartBooking,
)
from actions.conversation import ActionAnswerFaq, ActionAnswerInForm
from actions.followup import ActionStartOnBehalf
from actions.forms import (
    SKIPPABLE,
    SKIPPED,
    ValidateBookingForm,
    ValidateCallbackForm,
    ValidateDeclineForm,
    ValidateFeedbackForm,
    ValidateRelativeForm,
)
from fhb.db import engine
from fhb.db.models import Visit
from tests.support.clock import NOW, clock
from tests.support.trackers import BOOKING_SLOTS, make_tracker, responses

FIRST_MESSAGE = (
    "Hei, jeg heter Oddny Berg, født 1947, bor i Bakkeveien 3 og telefonen min er "
    "90 12 34 56. Kan dere komme på besøk etter nyttår?"
)


def slot_values(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots an action set (the last value wins)."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def followups(events: list[dict[str, Any]]) -> list[str]:
    return [e["name"] for e in events if e.get("event") == "followup"]


def typed_answer(slot: str, text: str, **slots: Any) -> Any:
    """A tracker where `text` was typed to the booking form's question for `slot`, and
    Rasa's from_text mapping put it there raw (the validator's input)."""
    return make_tracker(
        text=text,
        intent="inform",
        entities=slots.pop("entities", None),
        slots={"requested_slot": slot, slot: text, **slots},
        events=[{"event": "slot", "name": slot, "value": text}],
        active_loop="booking_form",
    )


async def test_every_fact_of_the_first_message_is_kept_when_booking_starts(
    domain: dict[str, Any], uow: Any
) -> None:
    tracker = make_tracker(text=FIRST_MESSAGE, intent="book_visit")
    events = await ActionStartBooking(uow_factory=uow, clock=clock).run(
        CollectingDispatcher(), tracker, domain
    )
    values = slot_values(events)
    assert {k: values.get(k) for k in ("citizen_name", "birth_year", "address", "phone")} == {
        "citizen_name": "Oddny Berg",
        "birth_year": "1947",
        "address": "Bakkeveien 3",
        "phone": "+4790123456",
    }
    assert values["has_booking"] is False
    assert values.get("time_wish")


async def test_booking_for_mother_goes_to_the_relatives_questions(
    domain: dict[str, Any], uow: Any
) -> None:
    tracker = make_tracker(text="jeg vil bestille besøk til mor mi", intent="book_visit")
    events = await ActionStartBooking(uow_factory=uow, clock=clock).run(
        CollectingDispatcher(), tracker, domain
    )
    assert slot_values(events) == {"for_whom": "other", "has_booking": None}


async def test_a_form_takes_every_fact_and_asks_only_for_what_is_missing(
    domain: dict[str, Any],
) -> None:
    year = NOW.year - 79  # in the example profile's target group (77 to 80 this year)
    tracker = make_tracker(
        text=f"jeg heter Per Hansen og er født {year}, tlf 901 23 456",
        intent="inform",
        slots={"requested_slot": "citizen_name", "citizen_name": "jeg heter Per Hansen og er"},
        events=[{"event": "slot", "name": "citizen_name", "value": "jeg heter Per Hansen og er"}],
    )
    events = await ValidateBookingForm(clock=clock).run(CollectingDispatcher(), tracker, domain)
    values = slot_values(events)
    assert values["citizen_name"] == "Per Hansen"
    assert values["birth_year"] == str(year)
    assert values["phone"] == "+4790123456"
    assert "address" not in values  # still missing: the form asks for it next


async def test_a_name_that_opens_four_facts_answers_the_name_question(
    domain: dict[str, Any],
) -> None:
    year = NOW.year - 78
    text = f"Solveig Berg fodt {year}, bor i Storgata 5 og tlf 98765432"
    tracker = typed_answer("citizen_name", text)
    dispatcher = CollectingDispatcher()
    events = await ValidateBookingForm(clock=clock).run(dispatcher, tracker, domain)
    values = slot_values(events)
    assert {k: values.get(k) for k in ("citizen_name", "birth_year", "address", "phone")} == {
        "citizen_name": "Solveig Berg",
        "birth_year": str(year),
        "address": "Storgata 5",
        "phone": "+4798765432",
    }
    assert responses(dispatcher) == []


@pytest.mark.parametrize(
    ("on_behalf", "entities", "name"),
    [
        (None, [{"entity": "name", "value": "solveig berg"}], "Solveig Berg"),
        # Whose name it is cannot be told on someone's behalf: ask.
        (True, [{"entity": "name", "value": "solveig berg"}], None),
        # Two names, or a name the message does not hold: ask.
        (None, [{"entity": "name", "value": "solveig"}, {"entity": "name", "value": "per"}], None),
        (None, [{"entity": "name", "value": "Kari Nordmann"}], None),
        (None, [{"entity": "name", "value": "mor"}], None),
    ],
)
async def test_the_classifiers_name_is_used_only_when_it_is_clearly_the_one(
    domain: dict[str, Any], on_behalf: bool | None, entities: list[dict[str, Any]], name: str | None
) -> None:
    text = "ja jeg er solveig berg og mor til per"
    tracker = typed_answer("citizen_name", text, entities=entities, on_behalf=on_behalf)
    events = await ValidateBookingForm(clock=clock).run(CollectingDispatcher(), tracker, domain)
    assert slot_values(events)["citizen_name"] == name


async def test_an_age_outside_the_target_group_ends_the_questions_at_once(
    domain: dict[str, Any],
) -> None:
    tracker = make_tracker(
        text="jeg er 71 år",
        intent="inform",
        slots={"requested_slot": "citizen_name"},
        events=[{"event": "user", "text": "jeg er 71 år"}],
    )
    events = await ValidateBookingForm(clock=clock).run(CollectingDispatcher(), tracker, domain)
    values = slot_values(events)
    assert values["birth_year"] == str(NOW.year - 71)
    assert values["requested_slot"] is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("jeg er fodt {year}", None),
        ("Ragnar Vik, fodt {year}", "Ragnar Vik"),
    ],
)
async def test_a_name_answer_the_form_stops_asking_for_is_still_validated(
    domain: dict[str, Any], text: str, name: str | None
) -> None:
    """A year outside the target group ends the questions; the raw answer to "Hva heter
    du?" must not stay as the name (it became the name of a call-back)."""
    text = text.format(year=NOW.year - 82)
    tracker = typed_answer("citizen_name", text)
    dispatcher = CollectingDispatcher()
    events = await ValidateBookingForm(clock=clock).run(dispatcher, tracker, domain)
    values = slot_values(events)
    assert values["birth_year"] == str(NOW.year - 82)
    assert values["citizen_name"] == name
    assert values["requested_slot"] is None
    assert responses(dispatcher) == []


@pytest.mark.parametrize(
    ("text", "address", "said"),
    [
        ("fodt 1947", None, ["utter_invalid_address"]),
        ("93 44 55 66", None, ["utter_invalid_address"]),
        ("Lia 4b", "Lia 4b", []),
        ("Haug 4, tlf 93445566", "Haug 4", []),
    ],
)
async def test_a_birth_year_or_a_phone_is_no_address(
    domain: dict[str, Any], text: str, address: str | None, said: list[str]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = typed_answer("address", text, citizen_name="Astrid Holm")
    events = await ValidateBookingForm(clock=clock).run(dispatcher, tracker, domain)
    assert slot_values(events)["address"] == address
    assert responses(dispatcher) == said


@pytest.mark.parametrize(
    ("text", "consent"),
    [
        ("ja", True),
        ("/affirm", True),
        ("ja, hun har sagt ja", True),
        ("nei, hun vet ikke om det ennå", False),
        ("vet ikke", False),
        ("ja, men jeg må spørre henne først", False),
        ("/deny", False),
        ("hva betyr det?", None),
    ],
)
async def test_consent_only_from_an_explicit_yes(
    domain: dict[str, Any], text: str, consent: bool | None
) -> None:
    tracker = make_tracker(
        text=text,
        intent="deny",
        slots={
            "requested_slot": "citizen_consent",
            "relation": "barn",
            "relative_name": "Per",
            "relative_phone": "+4790123456",
        },
    )
    events = await ValidateRelativeForm(clock=clock).run(CollectingDispatcher(), tracker, domain)
    assert slot_values(events).get("citizen_consent") is consent


async def test_a_typed_time_is_a_yes_to_a_later_contact(domain: dict[str, Any]) -> None:
    tracker = make_tracker(
        text="neste år",
        intent="skip",
        slots={"requested_slot": "wants_later", "decline_reason": "bad_timing"},
    )
    events = await ValidateDeclineForm(clock=clock).run(CollectingDispatcher(), tracker, domain)
    values = slot_values(events)
    assert values["wants_later"] is True
    assert values["later_when"]


@pytest.mark.parametrize(
    ("text", "whom", "said"),
    [
        (
            "Datteren min sa jeg skulle prøve denne chatten, jeg vil gjerne ha besøk",
            "self",
            [],
        ),
        ("Jeg er sønnen hennes og vil bestille besøk til henne", "other", ["utter_relative_intro"]),
        ("/on_behalf", "other", ["utter_relative_intro"]),
        ("hei, det gjelder et besøk i familien", "ask", ["utter_ask_who_for"]),
    ],
)
async def test_who_the_visit_is_for(
    domain: dict[str, Any], uow: Any, text: str, whom: str, said: list[str]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text=text, intent="on_behalf")
    events = await ActionStartOnBehalf(uow_factory=uow, clock=clock).run(
        dispatcher, tracker, domain
    )
    assert slot_values(events)["for_whom"] == whom
    assert responses(dispatcher) == said


async def test_a_name_read_as_a_question_is_still_the_answer(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        text="Oddny Berg",
        intent="faq",
        confidence=1.0,
        slots={"requested_slot": "citizen_name"},
        active_loop="booking_form",
    )
    events = await ValidateBookingForm(clock=clock).run(dispatcher, tracker, domain)
    assert slot_values(events)["citizen_name"] == "Oddny Berg"
    assert responses(dispatcher) == []


async def test_a_real_question_makes_the_form_step_aside(domain: dict[str, Any]) -> None:
    """No slot set: Rasa lets the digression rule answer the question."""
    tracker = make_tracker(
        text="hvor lenge varer besøket",
        intent="faq",
        slots={"requested_slot": "phone", "failed_attempts": 1.0},
        active_loop="booking_form",
    )
    events = await ValidateBookingForm(clock=clock).run(CollectingDispatcher(), tracker, domain)
    assert slot_values(events) == {}


async def test_an_old_button_inside_a_form_is_explained(domain: dict[str, Any], uow: Any) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        text="/more_slots",
        intent="more_slots",
        slots={"requested_slot": "citizen_name"},
        active_loop="booking_form",
    )
    await ActionAnswerInForm(uow_factory=uow, clock=clock).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_old_button"]


async def test_the_third_turn_without_an_answer_offers_other_ways(
    domain: dict[str, Any], uow: Any
) -> None:
    """Two questions answered in the middle of a form, then a greeting: the third turn
    without an answer offers a call-back, a person and the phone number."""
    said: list[str] = []
    tries = 0.0
    turns = [
        (ActionAnswerInForm(uow_factory=uow, clock=clock), "hvor lang tid tar det?", "faq"),
        (ActionAnswerInForm(uow_factory=uow, clock=clock), "koster det noe?", "faq"),
        (ValidateBookingForm(clock=clock), "hei hei", "greet"),
    ]
    for action, text, intent in turns:
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(
            text=text,
            intent=intent,
            confidence=0.5,
            slots={"requested_slot": "citizen_name", "failed_attempts": tries},
            active_loop="booking_form",
        )
        events = await action.run(dispatcher, tracker, domain)
        tries = slot_values(events)["failed_attempts"]
        said += [r for r in responses(dispatcher) if r != "utter_invalid_name"]
    assert said == ["utter_rephrase", "utter_rephrase", "utter_too_many_tries"]
    assert tries == 0.0


async def test_a_correction_at_the_summary_replaces_one_detail(
    domain: dict[str, Any], uow: Any
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        text="nei, telefonen er 91 23 45 67",
        intent="deny",
        slots={"phone": "+4790123456", "citizen_name": "Oddny Berg", "visit_slot_id": "3"},
    )
    for action, then in (
        (ActionCorrectSummary, []),
        (ActionChooseAgain, ["action_booking_summary"]),
    ):
        events = await action(uow_factory=uow, clock=clock).run(dispatcher, tracker, domain)
        assert slot_values(events) == {"phone": "+4791234567"}
        assert followups(events) == then


async def test_a_yes_that_corrects_a_detail_books_nothing_and_shows_the_summary_again(
    domain: dict[str, Any], uow: Any, slots: list[int]
) -> None:
    booking = {**BOOKING_SLOTS, "citizen_name": "Sigrid Vik", "visit_slot_id": str(slots[0])}
    said = CollectingDispatcher()
    tracker = make_tracker(
        text="ja, men navnet er feil, det er sigrid vang", intent="affirm", slots=booking
    )
    events = await ActionBookVisit(uow_factory=uow, clock=clock).run(said, tracker, domain)
    assert slot_values(events) == {"citizen_name": "Sigrid Vang"}
    assert followups(events) == ["action_booking_summary"]
    assert responses(said) == []
    with uow() as session:
        assert engine.list_rows(session, Visit) == []
    # A yes that repeats what the summary shows, or signs with a part of it, books as usual.
    tracker = make_tracker(text="Ja, det stemmer. Hilsen Sigrid", intent="affirm", slots=booking)
    events = await ActionBookVisit(uow_factory=uow, clock=clock).run(said, tracker, domain)
    assert slot_values(events)["booking_result"] == "booked"


@pytest.mark.parametrize(
    ("text", "intent", "action", "corrected", "then"),
    [
        (
            "nei, navn er feil, det er sigrid vang",
            "deny",
            ActionChooseAgain,
            {"citizen_name": "Sigrid Vang"},
            ["action_booking_summary"],
        ),
        (
            "navnet er feil. Det skal være Sigrid Vang",
            "inform",
            ActionCorrectSummary,
            {"citizen_name": "Sigrid Vang"},
            [],  # the rule shows the summary again
        ),
        # A birth year outside this year's target group: the eligibility check, no booking.
        (
            "nei, jeg er født i 1960",
            "deny",
            ActionChooseAgain,
            {"birth_year": "1960"},
            ["action_check_eligibility"],
        ),
        (
            "født 1948 er feil, det skal være 1960",
            "inform",
            ActionCorrectSummary,
            {"birth_year": "1960"},
            ["action_check_eligibility"],
        ),
    ],
)
async def test_a_correction_at_the_summary_and_what_follows(
    domain: dict[str, Any],
    uow: Any,
    text: str,
    intent: str,
    action: Any,
    corrected: dict[str, str],
    then: list[str],
) -> None:
    tracker = make_tracker(
        text=text,
        intent=intent,
        slots={"citizen_name": "Sigrid Vik", "birth_year": "1948", "visit_slot_id": "3"},
    )
    events = await action(uow_factory=uow, clock=clock).run(CollectingDispatcher(), tracker, domain)
    assert slot_values(events) == corrected
    assert followups(events) == then


@pytest.mark.parametrize(
    ("text", "intent", "action"),
    [
        ("ja, men navnet er feil, det er Ragnhild Øverland", "on_behalf", ActionStartOnBehalf),
        ("navnet skal være Ragnhild Øverland", "faq", ActionAnswerFaq),
    ],
)
async def test_a_correction_at_the_summary_whatever_the_classifier_thought(
    domain: dict[str, Any], uow: Any, text: str, intent: str, action: Any
) -> None:
    summary = {"citizen_name": "Ragnhild Oeverland", "birth_year": "1947", "visit_slot_id": "3"}
    said = CollectingDispatcher()
    tracker = make_tracker(text=text, intent=intent, slots=summary)
    events = await action(uow_factory=uow, clock=clock).run(said, tracker, domain)
    assert slot_values(events) == {"citizen_name": "Ragnhild Øverland"}
    assert followups(events) == ["action_booking_summary"]
    assert responses(said) == []
    # Away from the summary (no time chosen), the same action does its own work.
    tracker = make_tracker(text=text, intent=intent, slots={**summary, "visit_slot_id": None})
    events = await action(uow_factory=uow, clock=clock).run(said, tracker, domain)
    assert followups(events) == []


async def test_a_summary_correction_without_a_detail_asks_what_is_wrong(
    domain: dict[str, Any], uow: Any
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text="det er feil", intent="inform")
    events = await ActionCorrectSummary(uow_factory=uow, clock=clock).run(
        dispatcher, tracker, domain
    )
    assert responses(dispatcher) == ["utter_what_to_correct"]
    assert events == []


async def test_a_relatives_first_message_keeps_the_citizens_number_apart(
    domain: dict[str, Any],
) -> None:
    text = (
        "Hei, jeg vil bestille besøk til mamma, Gerd Lie, født 1946, Lindeveien 5, "
        "tlf 55 12 34 56. Hun har sagt ja til det."
    )
    tracker = make_tracker(text=text, intent="on_behalf", slots={"relation": "barn"})
    events = await ValidateRelativeForm(clock=clock).run(CollectingDispatcher(), tracker, domain)
    values = slot_values(events)
    assert "relative_phone" not in values  # asked: it is the mother's number
    assert values["phone"] == "+4755123456"
    assert values["citizen_name"] == "Gerd Lie"
    assert "citizen_consent" not in values  # consent only as the answer to its question


async def test_the_same_confirmation_twice_books_once(
    domain: dict[str, Any], uow: Any, slots: list[int]
) -> None:
    """A retried "Ja" (after a timeout, or pressed twice) confirms the one visit again."""
    tracker = make_tracker(
        sender_id="chat-twice", slots={**BOOKING_SLOTS, "visit_slot_id": str(slots[0])}
    )
    said: list[str] = []
    for _ in range(2):
        dispatcher = CollectingDispatcher()
        events = await ActionBookVisit(uow_factory=uow, clock=clock).run(
            dispatcher, tracker, domain
        )
        said += responses(dispatcher)
        assert slot_values(events)["booking_result"] == "booked"
    assert said == ["utter_booking_confirmed"] * 2
    with uow() as session:
        assert len(engine.list_rows(session, Visit)) == 1


@pytest.mark.parametrize(("text", "intent"), [("den andre", "more_slots"), ("nummer to", "inform")])
async def test_pointing_at_a_shown_time_wins_over_the_guessed_intent(
    domain: dict[str, Any], uow: Any, slots: list[int], text: str, intent: str
) -> None:
    from actions.booking import ActionAskVisitSlotId, ValidateSlotChoiceForm

    dispatcher = CollectingDispatcher()
    await ActionAskVisitSlotId(uow_factory=uow, clock=clock).run(dispatcher, make_tracker(), domain)
    shown = [b["payload"] for b in dispatcher.messages[0]["buttons"]][:-1]
    action = ValidateSlotChoiceForm(uow_factory=uow, clock=clock)
    action.profile = action.profile_loader()
    tracker = make_tracker(text=text, intent=intent, slots={"requested_slot": "visit_slot_id"})
    extracted = await action.extract_visit_slot_id(CollectingDispatcher(), tracker, domain)
    assert f'"slot_id":"{extracted["visit_slot_id"]}"' in shown[1]


async def test_a_birth_year_in_the_first_message_is_no_time_wish(
    domain: dict[str, Any], uow: Any
) -> None:
    text = (
        "Hei! Eg heiter Jorunn Vik og er fødd i 1948. Adressa mi er Strandvegen 4. "
        "Telefon 41 22 33 44. Kan de kome ein dag i neste veke, helst ikkje mandag?"
    )
    events = await ActionStartBooking(uow_factory=uow, clock=clock).run(
        CollectingDispatcher(), make_tracker(text=text, intent="book_visit"), domain
    )
    assert slot_values(events)["time_wish"] == "i neste veke, helst ikkje mandag"


def starting_form(form: str, earlier: list[str], text: str, **slots: Any) -> Any:
    """A tracker where `form` starts after the person's messages `earlier` and `text`."""
    events = [{"event": "user", "text": t} for t in earlier]
    events += [
        {"event": "user", "text": text},
        {"event": "active_loop", "name": form},
        {"event": "slot", "name": "requested_slot", "value": None},
        {"event": "action", "name": form},
    ]
    return make_tracker(
        text=text, intent="book_visit", slots=slots, events=events, active_loop=form
    )


@pytest.mark.parametrize(
    ("earlier", "text", "expected"),
    [
        # Details given with a question before the booking starts are not asked again.
        (
            ["Hei, jeg heter Kari Vik og er fodt {year}. Hva koster det?", "/affirm"],
            "da vil jeg gjerne ha besok",
            {"citizen_name": "Kari Vik", "birth_year": "{year}"},
        ),
        # A later message's detail wins over an earlier one's.
        (
            ["jeg heter Kari Vik", "tlf 91 23 45 67"],
            "Jeg heter Kari Vang og vil ha besøk",
            {"citizen_name": "Kari Vang", "phone": "+4791234567"},
        ),
        # A message about someone else gives nothing to the writer's own booking.
        (["Min mor Gerd Lie er 91 år. Hva er dette?"], "jeg vil bestille til meg selv", {}),
    ],
)
async def test_a_booking_that_starts_takes_the_details_given_before_it(
    domain: dict[str, Any], earlier: list[str], text: str, expected: dict[str, str]
) -> None:
    year = NOW.year - 80
    earlier = [t.format(year=year) for t in earlier]
    tracker = starting_form("booking_form", earlier, text)
    events = await ValidateBookingForm(clock=clock).run(CollectingDispatcher(), tracker, domain)
    values = slot_values(events)
    person = {k: values[k] for k in BOOKING_SLOTS if k in values}
    assert person == {k: v.format(year=year) for k, v in expected.items()}


@pytest.mark.parametrize("requested", ["citizen_name", None])
async def test_earlier_details_are_read_only_when_the_form_starts(
    domain: dict[str, Any], requested: str | None
) -> None:
    tracker = make_tracker(
        text="Kari Vik",
        intent="inform",
        slots={"requested_slot": requested, "citizen_name": "Kari Vik"},
        events=[
            {"event": "user", "text": f"jeg er fodt {NOW.year - 80}"},
            {"event": "user", "text": "Kari Vik"},
            {"event": "slot", "name": "citizen_name", "value": "Kari Vik"},
        ],
        active_loop="booking_form",
    )
    events = await ValidateBookingForm(clock=clock).run(CollectingDispatcher(), tracker, domain)
    assert "birth_year" not in slot_values(events)


async def test_a_relative_gives_her_own_name_and_the_citizens_details_before_the_questions(
    domain: dict[str, Any],
) -> None:
    year = NOW.year - 84
    earlier = ["Jeg heter Geir Vik og er 55 år", f"mor mi heter Kari Vik og er fodt {year}"]
    tracker = starting_form("relative_form", earlier, "kan dere komme til henne?", on_behalf=True)
    events = await ValidateRelativeForm(clock=clock).run(CollectingDispatcher(), tracker, domain)
    values = slot_values(events)
    assert values.get("relative_name") == "Geir Vik"
    assert values.get("citizen_name") == "Kari Vik"
    assert values.get("birth_year") == str(year)  # hers, not her son's 55 years


async def test_a_booking_for_someone_else_takes_nothing_from_earlier_messages(
    domain: dict[str, Any],
) -> None:
    earlier = ["Jeg heter Geir Vik og er 55 år"]
    tracker = starting_form("booking_form", earlier, "ja", on_behalf=True)
    events = await ValidateBookingForm(clock=clock).run(CollectingDispatcher(), tracker, domain)
    assert not {"citizen_name", "birth_year"} & set(slot_values(events))


@pytest.mark.parametrize(
    ("text", "on_behalf", "phone"),
    [
        ("han har ikke telefon, bruk mitt nummer", True, "+4791234567"),
        ("ring meg heller", True, "+4791234567"),
        ("ring meg heller", None, None),  # her own booking: her number is asked for
    ],
)
@pytest.mark.parametrize("mapped", [True, False])  # Rasa's from_text mapping took it, or not
async def test_a_relative_may_give_her_own_number_for_the_citizen(
    domain: dict[str, Any], text: str, on_behalf: bool | None, phone: str | None, mapped: bool
) -> None:
    slots = {"requested_slot": "phone", "on_behalf": on_behalf, "relative_phone": "+4791234567"}
    tracker = make_tracker(
        text=text,
        intent="inform" if mapped else "deny",
        slots={**slots, "phone": text} if mapped else slots,
        events=[{"event": "slot", "name": "phone", "value": text}] if mapped else [],
        active_loop="booking_form",
    )
    events = await ValidateBookingForm(clock=clock).run(CollectingDispatcher(), tracker, domain)
    assert slot_values(events).get("phone") == phone


def test_the_skippable_slots_are_those_with_a_skip_mapping(domain: dict[str, Any]) -> None:
    with_skip = {
        name
        for name, slot in domain["slots"].items()
        for mapping in slot.get("mappings", [])
        if mapping.get("intent") == "skip"
    }
    assert with_skip == SKIPPABLE


@pytest.mark.parametrize(
    ("form", "slot", "text", "intent", "expected"),
    [
        # Rasa's from_text mapping took the words; the validator reads them as a skip.
        ("decline_form", "decline_phone", "nei takk", "deny", SKIPPED),
        ("decline_form", "decline_phone", "har ikke telefon", "inform", SKIPPED),
        ("feedback_form", "comment", "Nei, ellers takk!", "deny", SKIPPED),
        ("feedback_form", "comment", "Nei, alt var fint", "deny", "Nei, alt var fint"),
        ("callback_form", "callback_topic", "nei", "deny", SKIPPED),
    ],
)
async def test_nei_takk_to_an_optional_question_skips_it(
    domain: dict[str, Any], form: str, slot: str, text: str, intent: str, expected: str
) -> None:
    validator = {
        "decline_form": ValidateDeclineForm,
        "feedback_form": ValidateFeedbackForm,
        "callback_form": ValidateCallbackForm,
    }[form]
    tracker = make_tracker(
        text=text,
        intent=intent,
        slots={"requested_slot": slot, slot: text},
        events=[{"event": "slot", "name": slot, "value": text}],
        active_loop=form,
    )
    events = await validator(clock=clock).run(CollectingDispatcher(), tracker, domain)
    assert slot_values(events).get(slot) == expected
