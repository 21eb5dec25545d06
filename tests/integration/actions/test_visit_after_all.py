"""A person who starts to say no, or to ask for a call-back, and then wants a visit after all;
and the free-text reason of a no, which staff read, never holds the person's details.

Once, "nei da vil jeg heller bestille besok" started a no; the person's next message (her
name, birth year, address and phone) was stored as the reason, and a decline was written for
someone who wanted a visit. Real validators and actions, trackers built in code, the real
SQLite database."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.followup import (
    CALLBACK_SLOTS,
    DECLINE_SLOTS,
    ActionBookAfterAll,
    ActionSaveDecline,
    ActionStartDecline,
)
from actions.forms import ValidateCallbackForm, ValidateDeclineForm
from fhb.db import engine
from fhb.db.models import CallbackRequest, Decline
from tests.support.clock import clock
from tests.support.trackers import make_tracker, responses

DETAILS = "Ragnhild Solberg fodt 1947 bor i Kirkeveien 3 tlf 93456789"


def slot_values(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots an action set (the last value wins)."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def at_reason_question(text: str, intent: str = "inform") -> Any:
    """`text` typed to "Vil du fortelle hvorfor?", raw in the slot as Rasa's from_text
    mapping puts it."""
    return make_tracker(
        text=text,
        intent=intent,
        confidence=0.9,
        slots={"requested_slot": "decline_reason", "decline_reason": text, "postponing": False},
        events=[{"event": "slot", "name": "decline_reason", "value": text}],
        active_loop="decline_form",
    )


async def test_details_alone_are_no_reason_but_are_kept(domain: dict[str, Any]) -> None:
    events = await ValidateDeclineForm(clock=clock).run(
        CollectingDispatcher(), at_reason_question(DETAILS), domain
    )
    values = slot_values(events)
    assert values.get("decline_reason") is None  # asked again
    assert "reason_text" not in values
    details = ("citizen_name", "decline_phone", "birth_year", "address")
    assert {k: values.get(k) for k in details} == {
        "citizen_name": "Ragnhild Solberg",
        "decline_phone": "+4793456789",
        "birth_year": "1947",
        "address": "Kirkeveien 3",
    }


@pytest.mark.parametrize(
    ("text", "reason", "kept"),
    [
        (
            "Jeg heter Kari Nordmann og jeg flytter til Spania. tlf 91234567",
            "other",
            "jeg flytter til Spania",
        ),
        ("jeg klarer meg fint selv, mvh Olav Berg", "no_need", "jeg klarer meg fint selv"),
        ("jeg flytter til datteren min i Bergen", "other", "jeg flytter til datteren min i Bergen"),
    ],
)
async def test_a_typed_reason_is_kept_without_the_persons_details(
    domain: dict[str, Any], text: str, reason: str, kept: str
) -> None:
    action = ValidateDeclineForm(clock=clock)
    action.profile = action.profile_loader()
    tracker = at_reason_question(text)
    result = action.validate_decline_reason(text, CollectingDispatcher(), tracker, domain)
    assert (result["decline_reason"], result["reason_text"]) == (reason, kept)


async def test_the_free_text_reason_drops_the_details(domain: dict[str, Any]) -> None:
    action = ValidateDeclineForm(clock=clock)
    action.profile = action.profile_loader()
    tracker = make_tracker(text=DETAILS, slots={"requested_slot": "reason_text"})
    assert action.validate_reason_text(DETAILS, CollectingDispatcher(), tracker, domain) == {
        "reason_text": "-"
    }


async def test_a_no_with_a_reason_and_a_phone_keeps_only_the_reason(
    domain: dict[str, Any], uow: Any
) -> None:
    text = "Nei takk, jeg har hjemmesykepleie allerede. Ring meg gjerne på 934 56 789"
    events = await ActionStartDecline(uow_factory=uow, clock=clock).run(
        CollectingDispatcher(), make_tracker(text=text, intent="decline_visit"), domain
    )
    values = slot_values(events)
    assert values["decline_reason"] == "has_services"
    assert "934" not in values["reason_text"] and "hjemmesykepleie" in values["reason_text"]


def in_the_no(text: str, asked: str, **slots: Any) -> Any:
    """`text`, read as book_visit, typed to the decline form's question for `asked`."""
    return make_tracker(
        text=text,
        intent="book_visit",
        active_loop="decline_form",
        slots={"requested_slot": asked, **slots},
    )


async def after_all(tracker: Any, uow: Any, domain: dict[str, Any]) -> tuple[Any, list[str]]:
    """The slots action_book_after_all set, and what it said."""
    dispatcher = CollectingDispatcher()
    events = await ActionBookAfterAll(uow_factory=uow, clock=clock).run(dispatcher, tracker, domain)
    return slot_values(events), responses(dispatcher)


async def test_a_visit_after_all_stores_nothing_and_keeps_name_and_phone(
    domain: dict[str, Any], uow: Any
) -> None:
    tracker = in_the_no(
        "jeg vil ikke si nei, jeg vil ha besok!",
        "wants_later",
        postponing=False,
        decline_reason="other",
        reason_text="-",
        citizen_name="Ragnhild Solberg",
        decline_phone="+4793456789",
        failed_attempts=1.0,
    )
    values, said = await after_all(tracker, uow, domain)
    assert said == ["utter_no_decline_noted"]
    assert values["visit_after_all"] is True
    assert all(values[slot] is None for slot in (*DECLINE_SLOTS, *CALLBACK_SLOTS))
    assert values["phone"] == "+4793456789"
    assert "citizen_name" not in values  # the booking asks for it no more
    with uow() as session:
        assert engine.list_rows(session, Decline) == []


async def test_a_visit_instead_of_a_call_back(domain: dict[str, Any], uow: Any) -> None:
    tracker = make_tracker(
        text="nei, ikke ring meg. jeg vil heller ha besok",
        intent="book_visit",
        active_loop="callback_form",
        slots={
            "requested_slot": "callback_phone",
            "callback_name": "Ragnhild Solberg",
            "phone": "+4790000000",
        },
    )
    values, said = await after_all(tracker, uow, domain)
    assert said == ["utter_no_callback"]
    assert values["visit_after_all"] is True
    assert values["callback_name"] is None and "phone" not in values
    with uow() as session:
        assert engine.list_rows(session, CallbackRequest) == []


@pytest.mark.parametrize(
    ("asked", "text", "visit"),
    [
        # Answers to the no's own questions that speak of a visit: the form takes them.
        ("wants_later", "ja, til våren vil jeg gjerne ha besøk", False),
        ("later_when", "spør meg neste år, da vil jeg nok ha besøk", False),
        ("alternative", "jeg vil heller ha besøk på kontoret", False),
        ("alternative", "nei, jeg vil heller ha en samtale på telefon", False),
        # Details the classifier read as a wish for a visit: the answer.
        ("citizen_name", "jeg heter Terje Amundsen", False),
        ("decline_phone", "Terje Amundsen, 934 56 789", False),
        # A visit after all.
        ("wants_later", "jeg vil ikke si nei, jeg vil ha besok!", True),
        ("alternative", "nei, jeg vil ha besøk hjemme likevel", True),
        ("decline_reason", "nei da vil jeg heller bestille besok neste uke", True),
        ("citizen_name", "vent, jeg vil ha besøk likevel", True),
    ],
)
async def test_the_question_asked_decides_whether_it_is_a_visit_after_all(
    domain: dict[str, Any], uow: Any, asked: str, text: str, visit: bool
) -> None:
    tracker = in_the_no(text, asked, postponing=True, decline_reason="bad_timing")
    values, said = await after_all(tracker, uow, domain)
    assert values["visit_after_all"] is visit
    assert said == (["utter_no_decline_noted"] if visit else [])
    assert ("decline_reason" in values) is visit  # the no's answers dropped, or kept


async def test_a_no_after_a_visit_after_all_starts_empty(domain: dict[str, Any], uow: Any) -> None:
    """What the first no had answered is not carried into a later one."""
    before = {
        "postponing": True,
        "decline_reason": "bad_timing",
        "wants_later": True,
        "later_when": "til våren",
    }
    values, _ = await after_all(
        in_the_no("jeg vil ha besøk", "citizen_name", **before), uow, domain
    )
    later_no = {**before, **values, "citizen_name": "Ola Hansen"}
    await ActionSaveDecline(uow_factory=uow, clock=clock).run(
        CollectingDispatcher(), make_tracker(slots=later_no), domain
    )
    with uow() as session:
        (decline,) = engine.list_rows(session, Decline)
    assert (decline.reason, decline.wants_later, decline.later_when) == ("other", False, None)


async def test_a_name_read_as_a_visit_wish_answers_the_call_back(
    domain: dict[str, Any], uow: Any
) -> None:
    tracker = make_tracker(
        text="jeg heter Terje Amundsen",
        intent="book_visit",
        active_loop="callback_form",
        slots={"requested_slot": "callback_name"},
    )
    values, said = await after_all(tracker, uow, domain)
    assert (values, said) == ({"visit_after_all": False}, [])


@pytest.mark.parametrize(
    ("form", "asked"), [("decline_form", "decline_reason"), ("callback_form", "callback_phone")]
)
async def test_a_visit_wish_takes_nothing_until_action_book_after_all_has_decided(
    domain: dict[str, Any], form: str, asked: str
) -> None:
    """The form is rejected first, whatever details the message holds, so the rule for a
    visit after all is reached; once the action has found an answer instead (and the form
    runs again), the details are taken."""
    validator = {"decline_form": ValidateDeclineForm, "callback_form": ValidateCallbackForm}[form]
    tracker = make_tracker(
        text="nei, jeg vil heller bestille besok. jeg heter Terje Amundsen, tlf 934 56 789",
        intent="book_visit",
        confidence=0.95,
        active_loop=form,
        slots={"requested_slot": asked, "postponing": False},
        events=[{"event": "user", "text": "...", "parse_data": {}}],
    )
    first = await validator(clock=clock).run(CollectingDispatcher(), tracker, domain)
    assert first == []  # rejected: Rasa's rules run action_book_after_all
    # As Rasa calls it after the rule's action: the form as the latest action.
    tracker.events += [
        {"event": "action", "name": "action_book_after_all"},
        {"event": "slot", "name": "visit_after_all", "value": False},
        {"event": "action", "name": form},
    ]
    tracker.latest_action_name = form
    again = slot_values(await validator(clock=clock).run(CollectingDispatcher(), tracker, domain))
    assert "+4793456789" in again.values()
    assert "Terje Amundsen" in again.values()
