"""RulePolicy's prediction in a running server, without the work whose result it never reads
(issue 12; py-spy under load: RulePolicy was 18 % of the Rasa process, more than DIET).

For each prediction Rasa's RulePolicy

- replays the whole conversation and builds the state of every turn since the start, though
  a rule looks at most at its own length of turns back (4 with our rules): every other
  state is compared with nothing;
- does that twice after each message (once for rules on the message's text, once for rules
  on its intent), from the same conversation;
- compares every rule (249 with ours) with the last state, decoding each from JSON and
  reversing it for every turn it compares.

Here, for a conversation in a running server (not for the training's trackers), RulePolicy
builds only the last states that a rule can look at, once per prediction; the rules are
decoded once, and a conversation is compared only with the rules that can follow its last
action (a rule that names the action before its last state matches no other). Which rules
match is unchanged: a rule is compared only with as many of the
last states as it has (Rasa's `_is_rule_applicable` says "applicable" for every turn past
its length), and the states built are exactly the last ones of Rasa's own list (Rasa's
replay, with only the states of the earlier turns not made). When no rule matches, Rasa
names the prediction's source by all the states (a JSON text of the whole conversation):
here by the last ones; it decides only whether a turn is hidden from machine-learned
policies (`RULES_NOT_IN_STORIES` holds rules only, which would have matched), and this
project has none. Training uses Rasa's own code throughout.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NamedTuple

from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ACTION_NAME

# A rule as compared: its key, and its states from the last one back.
DecodedRule = tuple[str, list[State]]


class DecodedLookup(NamedTuple):
    """One of the policy's lookups (kept, so that its id stays its own), decoded."""

    lookup: Mapping[str, Any]
    size: int
    longest: int
    # The rules by the name of the action their last state follows: only those can match a
    # conversation whose last action has that name; under None the rules that name none
    # (or name it as "should not be set"), which are compared with every conversation.
    by_last_action: dict[str | None, list[DecodedRule]]

    def candidates(self, last_state: State) -> list[DecodedRule]:
        """The rules that can match a conversation whose last state is `last_state`."""
        anyone = self.by_last_action.get(None, [])
        name = (last_state.get(PREVIOUS_ACTION) or {}).get(ACTION_NAME)
        return anyone + self.by_last_action.get(name, []) if name else anyone


def last_action_name(rule: list[State]) -> str | None:
    """The action name a rule's last state requires before it, if it requires one."""
    name = rule[0].get(PREVIOUS_ACTION, {}).get(ACTION_NAME) if rule else None
    return name if isinstance(name, str) and name and name != SHOULD_NOT_BE_SET else None


def decoded(policy: RulePolicy, lookup: Mapping[str, Any]) -> DecodedLookup:
    """The rules of one of the policy's lookups, decoded and reversed once per lookup."""
    cache: dict[int, DecodedLookup] = policy.__dict__.setdefault("_fhb_decoded_rules", {})
    kept = cache.get(id(lookup))
    if kept is None or kept.lookup is not lookup or kept.size != len(lookup):
        by_last_action: dict[str | None, list[DecodedRule]] = {}
        longest = 0
        for key in lookup:
            rule = list(reversed(json.loads(key)))
            by_last_action.setdefault(last_action_name(rule), []).append((key, rule))
            longest = max(longest, len(rule))
        kept = cache[id(lookup)] = DecodedLookup(lookup, len(lookup), longest, by_last_action)
    return kept


def rule_applies(rule: list[State], turn: int, state: State) -> bool:
    """RulePolicy._is_rule_applicable, for a rule already decoded and reversed."""
    if turn >= len(rule):
        return True
    current_previous_action = state.get(PREVIOUS_ACTION)
    rule_previous_action = rule[turn].get(PREVIOUS_ACTION)
    if not rule_previous_action and not current_previous_action:
        return True
    if not rule_previous_action or not current_previous_action:
        return False
    return bool(RulePolicy._does_rule_match_state(rule[turn], state))


def possible_keys(self: RulePolicy, lookup: dict[str, str], states: list[State]) -> set[str]:
    """RulePolicy._get_possible_keys: the keys of the rules that match `states`."""
    if not states:
        return set(lookup)  # Rasa's loop does not run: every rule
    candidates = decoded(self, lookup).candidates(states[-1])
    for turn, state in enumerate(reversed(states)):
        if not candidates or turn >= max(len(rule) for _, rule in candidates):
            break  # none left, or every rule left applies to every earlier turn
        candidates = [(key, rule) for key, rule in candidates if rule_applies(rule, turn, state)]
    return {key for key, _ in candidates}


def longest_rule(policy: RulePolicy) -> int:
    """The most turns any of the policy's rules looks at (0 without rules)."""
    lookups = [policy.lookup.get(name) for name in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH)]
    return max((decoded(policy, lookup).longest for lookup in lookups if lookup), default=0)


def last_states(tracker: DialogueStateTracker, domain: Domain, count: int) -> list[State]:
    """The last `count` states of `tracker.past_states(domain)`, the same dictionaries; the
    conversation is replayed as Rasa replays it, and the earlier states are not built."""
    applied = tracker.applied_events()
    turns = sum(isinstance(event, ActionExecuted) for event in applied) + 1
    first = turns - count
    replay = tracker.init_copy()
    states: list[State] = []
    turn = 0
    for event in applied:
        if isinstance(event, ActionExecuted):
            if turn >= first:
                states.append(domain._clean_state(domain.get_active_state(replay)))
            turn += 1
        replay.update(event)
    states.append(domain._clean_state(domain.get_active_state(replay)))
    return states


def copied(states: list[State]) -> list[State]:
    """States the featurizer may change (it deletes keys of the substates)."""
    return [{name: dict(sub) for name, sub in state.items()} for state in states]


_rasa_prediction_states = RulePolicy._prediction_states
_rasa_get_possible_keys = RulePolicy._get_possible_keys


def prediction_states(
    self: RulePolicy,
    tracker: DialogueStateTracker,
    domain: Domain,
    use_text_for_last_user_input: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[State]:
    """RulePolicy._prediction_states: in a running server the last states a rule can look
    at, built once for the text and the intent round of the same prediction."""
    featurizer = self.featurizer
    count = longest_rule(self)
    if (
        isinstance(tracker, TrackerWithCachedStates)  # training: Rasa's own, unchanged
        or type(featurizer) is not MaxHistoryTrackerFeaturizer
        or featurizer.max_history is not None
        or count == 0
    ):
        return _rasa_prediction_states(
            self, tracker, domain, use_text_for_last_user_input, rule_only_data
        )
    latest = tracker.events[-1] if tracker.events else None
    kept = self.__dict__.get("_fhb_last_states")
    if kept and kept[0] is tracker and kept[1] == len(tracker.events) and kept[2] is latest:
        states = kept[3]
    else:
        states = last_states(tracker, domain, count)
        self.__dict__["_fhb_last_states"] = (tracker, len(tracker.events), latest, states)
    chosen = [copied(states)]
    featurizer._choose_last_user_input(chosen, use_text_for_last_user_input)
    return chosen[0]


RulePolicy._prediction_states = prediction_states
RulePolicy._get_possible_keys = possible_keys
