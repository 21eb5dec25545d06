"""Invitation codes and channel records: the linking action and the repository functions,
against a real SQLite file (and PostgreSQL where configured)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import ActionBookVisit, ActionStartBooking
from actions.conversation import ActionGreet
from actions.followup import ActionStartDecline
from actions.linking import ActionLinkCitizen
from fhb.db import citizens, contacts, notifications
from fhb.db import slots as slots_db
from fhb.db import visits as visits_db
from fhb.db.models import Citizen, Notification
from fhb.invitation_codes import normalise_code
from fhb.slot_plan import plan_slots
from tests.support.clock import NOW, clock, frozen_uow
from tests.support.trackers import make_tracker, responses

CODE = "ABCD234567"


@pytest.fixture
def invited(uow) -> int:  # type: ignore[no-untyped-def]
    """One imported citizen with an invitation code; returns the citizen id."""
    with uow() as session:
        citizens.import_citizens(
            session,
            [
                visits_db.CitizenDetails(
                    "Kari Nordmann", NOW.year - 78, "Storgata 5, 3000 Fjellvik", "+4791555555"
                )
            ],
        )
        citizen = session.query(Citizen).one()
        citizens.add_invitation(session, citizen.id, CODE)
        return int(citizen.id)


def link_tracker(code: str, sender: str = "tg-abc") -> Any:
    """The tracker right after a deep link was opened."""
    return make_tracker(
        sender_id=sender,
        intent="link_citizen",
        text=f'/link_citizen{{"invite_code":"{code}"}}',
        entities=[{"entity": "invite_code", "value": code}],
    )


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("ABCD234567", CODE),
        ("abcd-2345-67", CODE),
        (" ABCD 2345 67 ", CODE),
        ("ABCD23456", None),
        ("ABCD2345670", None),
        ("ABCD23456O", None),
        ("", None),
        (None, None),
        ("'; DROP TABLE--", None),
    ],
)
def test_codes_are_normalised_or_refused(raw: str | None, expected: str | None) -> None:
    assert normalise_code(raw) == expected


async def test_a_deep_link_greets_by_first_name_and_fills_the_details(uow, invited, domain) -> None:  # type: ignore[no-untyped-def]
    dispatcher = CollectingDispatcher()
    events = await ActionLinkCitizen(uow_factory=uow, clock=clock).run(
        dispatcher, link_tracker("abcd-2345-67"), domain
    )
    assert responses(dispatcher) == ["utter_greet_linked"]
    assert dispatcher.messages[0]["first_name"] == "Kari"
    assert SlotSet("citizen_name", "Kari Nordmann") in events
    assert SlotSet("birth_year", str(NOW.year - 78)) in events
    assert SlotSet("phone", "+4791555555") in events
    with uow() as session:
        assert citizens.linked_citizen(session, "tg-abc").id == invited


async def test_an_unknown_code_is_said_kindly_and_the_menu_follows(uow, invited, domain) -> None:  # type: ignore[no-untyped-def]
    dispatcher = CollectingDispatcher()
    events = await ActionLinkCitizen(uow_factory=uow, clock=clock).run(
        dispatcher, link_tracker("ZZZZ999999"), domain
    )
    assert responses(dispatcher) == ["utter_code_not_found", "utter_greet"]
    assert events == []
    with uow() as session:
        assert citizens.linked_citizen(session, "tg-abc") is None


async def test_a_linked_chat_books_for_the_citizen_on_the_list(
    uow, invited, domain, profile
) -> None:  # type: ignore[no-untyped-def]
    await ActionLinkCitizen(uow_factory=uow, clock=clock).run(
        CollectingDispatcher(), link_tracker(CODE), domain
    )
    start = await ActionStartBooking(uow_factory=uow, clock=clock).run(
        CollectingDispatcher(),
        make_tracker(sender_id="tg-abc", intent="book_visit", text="/book_visit"),
        domain,
    )
    filled = {e["name"]: e["value"] for e in start if e["event"] == "slot"}
    assert filled["citizen_name"] == "Kari Nordmann" and filled["address"].startswith("Storgata")
    with uow() as session:
        slots_db.add_slots(session, plan_slots(profile, start=NOW.date(), weeks=1))
        slot_id = slots_db.free_slots(session, after=NOW.replace(tzinfo=None))[0].id
    slots = {
        k: v for k, v in filled.items() if k in ("citizen_name", "birth_year", "address", "phone")
    }
    tracker = make_tracker(sender_id="tg-abc", slots={**slots, "visit_slot_id": str(slot_id)})
    events = await ActionBookVisit(uow_factory=uow, clock=clock).run(
        CollectingDispatcher(), tracker, domain
    )
    assert SlotSet("booking_result", "booked") in events
    with uow() as session:
        visits = visits_db.list_visits(session)
        assert [(v.citizen_id, v.conversation_id) for v in visits] == [(invited, "tg-abc")]
        assert session.query(Citizen).count() == 1  # no duplicate citizen


async def test_later_greetings_and_declines_use_the_link(uow, invited, domain) -> None:  # type: ignore[no-untyped-def]
    await ActionLinkCitizen(uow_factory=uow, clock=clock).run(
        CollectingDispatcher(), link_tracker(CODE), domain
    )
    dispatcher = CollectingDispatcher()
    await ActionGreet(uow_factory=uow, clock=clock).run(
        dispatcher, make_tracker(sender_id="tg-abc", intent="greet", text="hei"), domain
    )
    assert responses(dispatcher) == ["utter_greet_linked"]
    events = await ActionStartDecline(uow_factory=uow, clock=clock).run(
        CollectingDispatcher(),
        make_tracker(sender_id="tg-abc", intent="decline_visit", text="nei takk"),
        domain,
    )
    assert SlotSet("decline_phone", "+4791555555") in events
    assert SlotSet("citizen_name", "Kari Nordmann") in events


def test_forgetting_unlinks_but_keeps_bookings(uow, invited, profile) -> None:  # type: ignore[no-untyped-def]
    with uow() as session:
        citizens.link_invitation(session, CODE, "tg-abc")
        contacts.touch_contact(session, "tg-abc", "telegram", "12345")
        slots_db.add_slots(session, plan_slots(profile, start=NOW.date(), weeks=1))
        slot = slots_db.free_slots(session, after=NOW.replace(tzinfo=None))[0]
        visits_db.book_visit(
            session,
            slot_id=slot.id,
            conversation_id="tg-abc",
            citizen=visits_db.CitizenDetails("Kari Nordmann", None, None, None),
            citizen_id=invited,
        )
        notifications.claim_notification(
            session,
            kind="reminder",
            ref="1:1",
            conversation_id="tg-abc",
            channel="telegram",
            text="Husk besøket",
            buttons=None,
        )
    with uow() as session:
        contacts.forget_conversation(session, "tg-abc")
    with uow() as session:
        assert contacts.contact_for(session, "tg-abc") is None
        assert citizens.linked_citizen(session, "tg-abc") is None
        assert len(visits_db.list_visits(session)) == 1
        note = session.query(Notification).one()
        assert note.text is None and note.kind == "reminder"
        # the code still works for a new chat
        assert citizens.link_invitation(session, CODE, "web-new").id == invited


def claim_twice(url: str) -> list[bool]:
    """Claim the same notification in two transactions; which succeeded."""
    results = []
    for _ in range(2):
        with frozen_uow(url) as session:
            note = notifications.claim_notification(
                session,
                kind="reminder",
                ref="7:9",
                conversation_id="tg-x",
                channel="telegram",
                text="Husk besøket i morgen",
                buttons="[]",
            )
            results.append(note is not None)
    return results


def test_a_notification_is_claimed_once(db_url: str) -> None:
    assert claim_twice(db_url) == [True, False]


def test_a_notification_is_claimed_once_on_postgresql(pg_url: str) -> None:
    assert claim_twice(pg_url) == [True, False]


def test_contacts_are_refreshed_not_duplicated(uow) -> None:  # type: ignore[no-untyped-def]
    with uow() as session:
        contacts.touch_contact(session, "web-1", "web", "web")
        contacts.touch_contact(session, "web-1", "telegram", "42")
    with uow() as session:
        contact = contacts.contact_for(session, "web-1")
        assert (contact.channel, contact.address) == ("telegram", "42")
