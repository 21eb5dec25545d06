"""bot.rasa_patches.copy_tracker: a tracker copied from its state equals the copy Rasa builds
by replaying every event, at every action of the test stories, also after the same events
are applied to both; and it is a copy: what happens to it leaves the tracker as it was."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActiveLoop,
    Event,
    LoopInterrupted,
    SlotSet,
)
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot import rasa_patches
from tests.support import ROOT
from tests.support.rule_policy import Point, prediction_points

Copy = Callable[[DialogueStateTracker], DialogueStateTracker]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture(scope="module")
def points(domain: Domain) -> list[Point]:
    return prediction_points(domain)


def state(tracker: DialogueStateTracker) -> dict[str, Any]:
    """Everything a tracker holds, as a snapshot later changes cannot reach."""
    return copy.deepcopy(
        {
            "type": type(tracker),
            "attributes": sorted(vars(tracker)),
            "current": tracker.current_state(EventVerbosity.ALL),
            "slots": {name: (s.value, s.has_been_set) for name, s in tracker.slots.items()},
            "paused": tracker.is_paused(),
            "followup": tracker.followup_action,
            "latest_action": tracker.latest_action,
            "active_loop": tracker.active_loop,
            "latest_bot": tracker.latest_bot_utterance,
            "ids": (tracker.model_id, tracker.assistant_id, tracker.sender_source),
            "events": list(tracker.events),
        }
    )


def what_comes_next(tracker: DialogueStateTracker, point: Point) -> list[Event]:
    """Events that change a tracker in place: the next action, a rejected and interrupted
    form, a slot, the end of the form."""
    slot = next(iter(tracker.slots))
    loop = tracker.active_loop_name or "booking_form"
    return [
        ActionExecuted(point.expected),
        ActionExecutionRejected(loop),
        LoopInterrupted(True),
        SlotSet(slot, ["a", "list"]),
        ActiveLoop(None),
    ]


def differences(points: list[Point], domain: Domain, ours: Copy) -> list[str]:
    """Where `ours` differs from Rasa's replay, or changing it changes the tracker."""
    found = []
    for point in points:
        tracker = point.fresh(domain)
        tracker.model_id = "a-model"  # as the server sets it; neither copy keeps it
        before = state(tracker)
        mine, rasas = ours(tracker), rasa_patches._rasa_copy(tracker)
        if state(mine) != state(rasas):
            found.append(f"{point.story} before {point.expected}: copied")
            continue
        for event in what_comes_next(tracker, point):
            mine.update(event, domain)
            rasas.update(copy.deepcopy(event), domain)
        if state(mine) != state(rasas):
            found.append(f"{point.story} before {point.expected}: after more events")
        if state(tracker) != before:
            found.append(f"{point.story} before {point.expected}: the tracker changed")
    return found


def test_the_copy_is_rasas_at_every_action_of_the_test_stories(
    points: list[Point], domain: Domain
) -> None:
    assert len(points) > 500
    assert sum(p.tracker.active_loop_name is not None for p in points) > 100
    assert differences(points, domain, rasa_patches.copy_tracker) == []
    assert DialogueStateTracker.copy is rasa_patches.copy_tracker  # what Rasa calls


@pytest.mark.parametrize("shared", ["active_loop", "slots"])
def test_a_copy_that_shares_what_events_change_would_be_caught(
    points: list[Point], domain: Domain, shared: str
) -> None:
    def sharing(tracker: DialogueStateTracker) -> DialogueStateTracker:
        new = rasa_patches.copy_tracker(tracker)
        setattr(new, shared, getattr(tracker, shared))
        return new

    assert any("the tracker changed" in d for d in differences(points, domain, sharing))


def test_training_trackers_keep_rasas_copy(points: list[Point], domain: Domain) -> None:
    # They keep their states as events arrive; a copy must build them.
    point = next(p for p in points if p.tracker.active_loop_name)
    tracker = TrackerWithCachedStates.from_events(
        point.story, list(point.tracker.events), domain.slots, domain=domain
    )
    copied = tracker.copy()
    assert type(copied) is TrackerWithCachedStates
    assert copied.past_states(domain) == tracker.past_states(domain)
