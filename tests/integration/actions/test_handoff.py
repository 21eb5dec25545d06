"""`action_human_handoff` against a real SQLite file: the staff queue in opening hours, in a
chat channel staff can write into; the phone number and a call-back offer otherwise."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionHumanHandoff
from fhb.db import engine as engine_db
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.db.models import Takeover
from fhb.db.takeovers import TAKEOVER_REQUESTED
from fhb.profile import Profile
from tests.support.clock import NOW, frozen_uow
from tests.support.trackers import make_tracker

CONV = "web-" + "c" * 40
REQUESTED = {TAKEOVER_REQUESTED: True}


def asked(channel: str | None) -> Any:
    """A tracker whose latest message asked for a person through `channel`."""
    event = {
        "event": "user",
        "text": "kan jeg snakke med noen?",
        "input_channel": channel,
        "parse_data": {"intent": {"name": "request_human", "confidence": 0.9}},
    }
    return make_tracker(sender_id=CONV, intent="request_human", events=[event])


async def hand_over(
    db_url: str,
    profile: Profile,
    domain: dict[str, Any],
    channel: str | None,
    now: dt.datetime = NOW,
) -> list[str]:
    """Run the action; return the responses it uttered."""
    dispatcher = CollectingDispatcher()
    action = ActionHumanHandoff(
        uow_factory=lambda: SqlAlchemyUnitOfWork(db_url, clock=lambda: now),
        profile_loader=lambda: profile,
        clock=lambda: now,
    )
    await action.run(dispatcher, asked(channel), domain)
    # The reply's marker for the channel server, which then reads the staff queue again.
    marks = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    said = [m.get("response") for m in dispatcher.messages if not m.get("custom")]
    return said + (["takeover_requested"] if marks == [REQUESTED] else marks)


def takeovers(db_url: str) -> list[Takeover]:
    """Every takeover row."""
    with frozen_uow(db_url) as session:
        return engine_db.list_rows(session, Takeover)


@pytest.mark.parametrize("channel", ["web", "telegram"])
async def test_in_opening_hours_a_chat_joins_the_staff_queue(
    db_url: str, profile: Profile, domain: dict[str, Any], channel: str
) -> None:
    assert profile.chat_response_minutes == 10  # data/kommune.yml
    assert await hand_over(db_url, profile, domain, channel) == [
        "utter_handoff_queued",
        "takeover_requested",
    ]
    [row] = takeovers(db_url)
    assert (row.conversation_id, row.channel, row.status) == (CONV, channel, "waiting")
    assert row.deadline - row.requested_at == dt.timedelta(minutes=10)
    assert row.requested_at == NOW.replace(tzinfo=None)

    # Asking again while waiting: no second place in the queue.
    assert await hand_over(db_url, profile, domain, channel) == [
        "utter_handoff_waiting",
        "takeover_requested",
    ]
    assert len(takeovers(db_url)) == 1


@pytest.mark.parametrize("channel", [None, "cmdline", "cli", "rest"])
async def test_other_channels_get_the_phone_number(
    db_url: str, profile: Profile, domain: dict[str, Any], channel: str | None
) -> None:
    assert await hand_over(db_url, profile, domain, channel) == ["utter_human_contact"]
    assert takeovers(db_url) == []


@pytest.mark.parametrize(
    "when",
    [
        dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.timezone.utc),  # Saturday
        dt.datetime(2026, 11, 23, 6, 59, tzinfo=dt.timezone.utc),  # Monday 07:59 in Oslo
        dt.datetime(2026, 11, 23, 14, 30, tzinfo=dt.timezone.utc),  # Monday 15:30 in Oslo
    ],
)
async def test_outside_opening_hours_the_phone_number_and_a_call_back(
    db_url: str, profile: Profile, domain: dict[str, Any], when: dt.datetime
) -> None:
    assert await hand_over(db_url, profile, domain, "web", now=when) == ["utter_human_contact"]
    assert takeovers(db_url) == []


async def test_no_queue_when_the_profile_has_no_response_time(
    db_url: str, profile: Profile, domain: dict[str, Any]
) -> None:
    off = dataclasses.replace(profile, chat_response_minutes=0)
    assert await hand_over(db_url, off, domain, "web") == ["utter_human_contact"]
    assert takeovers(db_url) == []


async def test_a_broken_database_still_gets_a_kind_answer(
    tmp_path: Any, profile: Profile, domain: dict[str, Any]
) -> None:
    broken = f"sqlite:///{tmp_path / 'missing' / 'nothing.db'}"
    assert await hand_over(broken, profile, domain, "web") == ["utter_action_error"]
