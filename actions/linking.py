"""Invitation codes: a chat opened from the letter is linked to that citizen.

The channel sends `/link_citizen{"invite_code": "..."}` when someone opens the deep link
(`t.me/<bot>?start=<code>`) or the web address with `?kode=`. The action links the
conversation, greets by first name, and the booking and decline flows then take the name,
birth year, address and phone from the visit list instead of asking for them.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Callable

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions import repository
from actions.base import SafeAction, utter
from actions.models import Citizen

logger = logging.getLogger(__name__)

Events = list[dict[str, Any]]

# No 0/O, 1/I/L: a code is read off paper by older eyes. 31 symbols, 10 of them: ~49 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
_NOT_CODE = re.compile(f"[^{CODE_ALPHABET}]")

BOOKING_PERSON_SLOTS = ("citizen_name", "birth_year", "address", "phone")


def normalise_code(raw: str | None) -> str | None:
    """A code as stored (upper case, no spaces or dashes), or None if it cannot be one."""
    if not raw:
        return None
    cleaned = re.sub(r"[\s\-_.]", "", str(raw)).upper()
    if len(cleaned) != CODE_LENGTH or _NOT_CODE.search(cleaned):
        return None
    return cleaned


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
        citizen = repository.linked_citizen(session, tracker.sender_id)
        values = person_values(citizen) if citizen else {}
    return [SlotSet(name, values[name]) for name in slots
            if values.get(name) and not tracker.get_slot(name)]


class ActionLinkCitizen(SafeAction):
    """Link this chat to the citizen whose letter holds the code, then greet by first name."""

    def name(self) -> str:
        """Domain name."""
        return "action_link_citizen"

    async def act(self, dispatcher, tracker, domain, profile) -> Events:  # type: ignore[no-untyped-def]
        """Greet by first name with the details filled in, or say the code was not found."""
        raw = next(tracker.get_latest_entity_values("invite_code"), None)
        code = normalise_code(raw)
        citizen_values: dict[str, str | None] = {}
        name = ""
        if code:
            with self.uow_factory() as session:
                citizen = repository.link_invitation(session, code, tracker.sender_id)
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
        return [SlotSet(slot, value) for slot, value in citizen_values.items()
                if slot in BOOKING_PERSON_SLOTS and value]
