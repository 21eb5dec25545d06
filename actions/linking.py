"""Invitation codes: a chat opened from the letter is linked to that citizen.

The channel sends `/link_citizen{"invite_code": "..."}` when someone opens the deep link
(`t.me/<bot>?start=<code>`) or the web address with `?kode=`. The action links the
conversation, greets by first name, and the booking and decline flows then take the name,
birth year, address and phone from the visit list instead of asking for them.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.types import DomainDict

from actions.base import Dispatcher, Events, SafeAction, utter
from fhb.db import citizens
from fhb.db.models import Citizen
from fhb.invitation_codes import normalise_code
from fhb.profile import Profile

logger = logging.getLogger(__name__)


BOOKING_PERSON_SLOTS = ("citizen_name", "birth_year", "address", "phone")


def first_name(citizen: Citizen) -> str:
    """The first word of the citizen's name."""
    return (citizen.name or "").split()[0] if citizen.name else ""


def person_values(citizen: Citizen) -> dict[str, str | None]:
    """The citizen's details as the booking and decline slots hold them."""
    return {
        "citizen_name": citizen.name,
        "birth_year": str(citizen.birth_year) if citizen.birth_year else None,
        "address": citizen.address,
        "phone": citizen.phone,
        "decline_phone": citizen.phone,
    }


def linked_person_events(
    uow_factory: Callable[[], Any], tracker: Tracker, slots: tuple[str, ...]
) -> Events:
    """SlotSets for the empty `slots` from the linked citizen (none when not linked)."""
    with uow_factory() as session:
        citizen = citizens.linked_citizen(session, tracker.sender_id)
        values = person_values(citizen) if citizen else {}
    return [
        SlotSet(name, values[name])
        for name in slots
        if values.get(name) and not tracker.get_slot(name)
    ]


class ActionLinkCitizen(SafeAction):
    """Link this chat to the citizen whose letter holds the code, then greet by first name."""

    def name(self) -> str:
        """Domain name."""
        return "action_link_citizen"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Greet by first name with the details filled in, or say the code was not found."""
        raw = next(tracker.get_latest_entity_values("invite_code"), None)
        code = normalise_code(raw)
        citizen_values: dict[str, str | None] = {}
        name = ""
        if code:
            with self.uow_factory() as session:
                citizen = citizens.link_invitation(session, code, tracker.sender_id)
                if citizen is not None:
                    citizen_values = person_values(citizen)
                    name = first_name(citizen)
        if not citizen_values:
            logger.info("invitation code not found")
            utter(dispatcher, profile, "utter_code_not_found")
            utter(dispatcher, profile, "utter_greet")
            return []
        logger.info("conversation linked to an invited citizen")
        utter(dispatcher, profile, "utter_greet_linked", first_name=name)
        return [
            SlotSet(slot, value)
            for slot, value in citizen_values.items()
            if slot in BOOKING_PERSON_SLOTS and value
        ]
