"""Our RulePolicy, trained here on data/stories (rules only: no TensorFlow, seconds), and
the test stories as the conversations a running server holds: every point where Rasa
predicts an action, as a plain tracker (not a training tracker with cached states).

Used by the test that bot.rule_matching predicts what Rasa's RulePolicy predicts, and by
scripts/bench_rules.py, which times both on the same points.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.training import load_data
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

import bot.rule_matching as matching
from tests.support import ROOT


class Point(NamedTuple):
    """A conversation just before Rasa predicts its next action, and that action."""

    story: str
    tracker: DialogueStateTracker
    expected: str

    def fresh(self, domain: Domain) -> DialogueStateTracker:
        """The conversation as a new tracker, as a server loads it for each message."""
        return DialogueStateTracker.from_events(self.story, list(self.tracker.events), domain.slots)


@contextmanager
def rasas_own() -> Iterator[None]:
    """RulePolicy with Rasa's own methods, not bot.rule_matching's, while the context lasts."""
    ours = RulePolicy._prediction_states, RulePolicy._get_possible_keys
    RulePolicy._prediction_states = matching._rasa_prediction_states
    RulePolicy._get_possible_keys = matching._rasa_get_possible_keys
    try:
        yield
    finally:
        RulePolicy._prediction_states, RulePolicy._get_possible_keys = ours


def policy_config() -> dict[str, Any]:
    """RulePolicy's settings from config.yml, over Rasa's defaults."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    ours = next(p for p in config["policies"] if p["name"] == "RulePolicy")
    return {**RulePolicy.get_default_config(), **{k: v for k, v in ours.items() if k != "name"}}


def trained_rule_policy(storage_dir: Path) -> tuple[RulePolicy, Domain]:
    """Our RulePolicy trained on data/stories, as `rasa train` trains it, and the domain."""
    domain = Domain.load(str(ROOT / "domain.yml"))
    trackers = load_data(str(ROOT / "data" / "stories"), domain, augmentation_factor=0)
    policy = RulePolicy.create(
        policy_config(),
        LocalModelStorage(storage_dir),
        Resource("rule_policy"),
        ExecutionContext(GraphSchema({}), "fhb"),
    )
    policy.train(trackers, domain)
    return policy, domain


def prediction_points(domain: Domain, stories: Path | None = None) -> list[Point]:
    """Every action of the test stories (tests/test_stories.yml) but a conversation's
    first, with the conversation before it as a running server holds it."""
    stories = stories or ROOT / "tests" / "test_stories.yml"
    points = []
    for story in load_data(str(stories), domain, augmentation_factor=0):
        events = list(story.events)
        for i, event in enumerate(events):
            if not isinstance(event, ActionExecuted) or i == 0:
                continue
            expected = event.action_name or event.action_text or ""
            tracker = DialogueStateTracker.from_events(
                story.sender_id, copy.deepcopy(events[:i]), domain.slots
            )
            points.append(Point(story.sender_id, tracker, expected))
    return points
