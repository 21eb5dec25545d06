"""A visit already booked from this chat: when is it, cancel it, or choose a new time."""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.base import Dispatcher, Events, SafeAction, utter
from actions.booking import booked_visit_values, reset_choice, wish_in_message
from fhb.db import visits
from fhb.profile import Profile

logger = logging.getLogger(__name__)


class ActionFindBooking(SafeAction):
    """Find this conversation's booking before cancelling or moving it."""

    def name(self) -> str:
        """Domain name."""
        return "action_find_booking"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Show the booking and set `has_booking`; otherwise give the phone number."""
        values = booked_visit_values(self.uow_factory, tracker.sender_id, profile)
        if values is None:
            utter(dispatcher, profile, "utter_no_booking_found")
            return [SlotSet("has_booking", False)]
        utter(dispatcher, profile, "utter_current_booking", **values)
        return [SlotSet("has_booking", True)]


class ActionCheckBooking(ActionFindBooking):
    """Answer 'when are you coming?' for a booking made in this conversation."""

    def name(self) -> str:
        """Domain name."""
        return "action_check_booking"


class ActionCancelVisit(SafeAction):
    """Cancel this conversation's booking; the slot becomes free."""

    def name(self) -> str:
        """Domain name."""
        return "action_cancel_visit"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Cancel in one transaction."""
        with self.uow_factory() as session:
            visit = visits.booked_visit_for_conversation(session, tracker.sender_id)
            if visit is not None:
                visits.cancel_visit(session, visit.id)
        if visit is None:
            utter(dispatcher, profile, "utter_no_booking_found")
            return [SlotSet("has_booking", False)]
        logger.info("visit %s cancelled", visit.id)
        utter(dispatcher, profile, "utter_visit_cancelled")
        return [SlotSet("has_booking", False)]


class ActionStartReschedule(SafeAction):
    """Prepare choosing a new time for an existing booking."""

    def name(self) -> str:
        """Domain name."""
        return "action_start_reschedule"

    async def act(
        self, dispatcher: Dispatcher, tracker: Tracker, domain: DomainDict, profile: Profile
    ) -> Events:
        """Mark that the next confirmed time moves the visit."""
        utter(dispatcher, profile, "utter_move_intro")
        return [
            SlotSet("rescheduling", True),
            *reset_choice(),
            SlotSet(REQUESTED_SLOT, None),
            *wish_in_message(tracker, profile, self.clock),
        ]
