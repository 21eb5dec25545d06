"""bot.rule_matching: RulePolicy, building only the states its rules can look at, predicts
what Rasa's own RulePolicy predicts, at every action of the test stories (568 points),
with our rules trained here (no TensorFlow)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.core.training import load_data
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.generator import TrackerWithCachedStates

import bot.rule_matching as matching
from tests.support import ROOT
from tests.support.rule_policy import (
    Point,
    prediction_points,
    rasas_own,
    trained_rule_policy,
)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[RulePolicy, Domain]:
    return trained_rule_policy(tmp_path_factory.mktemp("rule_policy"))


@pytest.fixture(scope="module")
def points(trained: tuple[RulePolicy, Domain]) -> list[Point]:
    return prediction_points(trained[1])


def predict(policy: RulePolicy, domain: Domain, point: Point) -> tuple[Any, str | None]:
    """The prediction and its source, on a fresh copy of the point's conversation."""
    prediction, source = policy._predict(point.fresh(domain), domain)
    return prediction, source


def differences(policy: RulePolicy, domain: Domain, points: list[Point]) -> list[str]:
    """The points where the patched policy predicts otherwise than Rasa's own."""
    found = []
    for point in points:
        with rasas_own():
            expected, expected_source = predict(policy, domain, point)
        got, source = predict(policy, domain, point)
        rule_source = expected_source in policy.lookup[RULES] or source in policy.lookup[RULES]
        if got != expected or (rule_source and source != expected_source):
            found.append(f"{point.story} before {point.expected}")
    return found


def test_every_prediction_of_the_test_stories_is_rasas_own(
    trained: tuple[RulePolicy, Domain], points: list[Point]
) -> None:
    policy, domain = trained
    assert len(points) > 500
    assert differences(policy, domain, points) == []


def test_the_conversations_are_longer_than_the_rules(
    trained: tuple[RulePolicy, Domain], points: list[Point]
) -> None:
    # Otherwise the test above would not see a state left out.
    policy, domain = trained
    longest = matching.longest_rule(policy)
    assert 2 <= longest <= 6
    turns = [len(point.tracker.past_states(domain)) for point in points]
    assert sum(t > longest for t in turns) > len(points) // 2


def test_too_few_states_would_be_caught(
    trained: tuple[RulePolicy, Domain], points: list[Point], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The check above can fail: with two states (our rules look up to four back), rules
    # that look further back match where Rasa's do not.
    policy, domain = trained
    monkeypatch.setattr(matching, "longest_rule", lambda _: 2)
    assert differences(policy, domain, points) != []


def test_the_rules_found_are_rasas_for_every_conversation(
    trained: tuple[RulePolicy, Domain], points: list[Point]
) -> None:
    # Both lookups, on every turn of the conversation: also rules the stories never use.
    policy, domain = trained
    found = 0
    for point in points:
        states = point.tracker.past_states(domain)
        for name in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH):
            lookup = policy.lookup[name]
            expected = matching._rasa_get_possible_keys(policy, lookup, states)
            assert matching.possible_keys(policy, lookup, states) == expected
            found += len(expected)
    assert found > len(points)


def test_the_states_built_are_the_last_of_rasas(
    trained: tuple[RulePolicy, Domain], points: list[Point]
) -> None:
    policy, domain = trained
    for point in points[::7]:
        full = point.tracker.past_states(domain)
        for count in (1, 3, len(full), len(full) + 2):
            assert matching.last_states(point.tracker, domain, count) == full[-count:]


def test_text_and_intent_rounds_share_one_build(
    trained: tuple[RulePolicy, Domain], points: list[Point], monkeypatch: pytest.MonkeyPatch
) -> None:
    policy, domain = trained
    builds: list[int] = []
    build = matching.last_states
    monkeypatch.setattr(
        matching,
        "last_states",
        lambda *a: builds.append(1) or build(*a),  # type: ignore[func-returns-value]
    )
    point = next(p for p in points if p.tracker.latest_action_name == "action_listen")
    tracker = point.fresh(domain)
    with_text = policy._prediction_states(tracker, domain, use_text_for_last_user_input=True)
    with_intent = policy._prediction_states(tracker, domain)
    assert len(builds) == 1
    assert with_text != with_intent  # each round got its own copy to change
    tracker.update(ActionExecuted(point.expected))
    policy._prediction_states(tracker, domain)
    assert len(builds) == 2  # a new event: built again


def test_training_trackers_get_rasas_own_states(trained: tuple[RulePolicy, Domain]) -> None:
    policy, domain = trained
    tracker = load_data(str(ROOT / "tests" / "test_stories.yml"), domain, augmentation_factor=0)[0]
    assert isinstance(tracker, TrackerWithCachedStates)
    states = policy._prediction_states(tracker, domain)
    assert len(states) == len(tracker.past_states(domain)) > matching.longest_rule(policy)
