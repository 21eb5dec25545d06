"""FaqResponseSelector chooses an answer only for messages read as a question (issue 12);
ErrandFallbackClassifier calls no message between two intents of one errand unclear."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.training_data.message import Message

from bot.nlu_components import ErrandFallbackClassifier, FaqResponseSelector


def message(text: str, intent: str | None) -> Message:
    """A parsed message with the intent classifier's answer (or none)."""
    data: dict[str, Any] = {"text": text}
    if intent:
        data["intent"] = {"name": intent, "confidence": 0.9}
    return Message(data=data)


@pytest.fixture
def selector(monkeypatch: pytest.MonkeyPatch) -> tuple[FaqResponseSelector, list[str]]:
    """A selector for `faq` whose network only records which texts it was given."""
    seen: list[str] = []

    def network(self: Any, messages: list[Message]) -> list[Message]:
        seen.extend(m.get("text") for m in messages)
        return messages

    monkeypatch.setattr(ResponseSelector, "process", network)
    chosen = FaqResponseSelector.__new__(FaqResponseSelector)
    chosen.retrieval_intent = "faq"
    return chosen, seen


def test_only_questions_reach_the_network(selector: tuple[FaqResponseSelector, list[str]]) -> None:
    chosen, seen = selector
    messages = [
        message("hva koster det", "faq"),
        message("ja", "affirm"),
        message("Oddny Berg", "inform"),
        message("????", None),
    ]
    assert chosen.process(messages) == messages
    assert seen == ["hva koster det"]


def test_nothing_to_answer_runs_nothing(selector: tuple[FaqResponseSelector, list[str]]) -> None:
    chosen, seen = selector
    chosen.process([message("ja takk", "affirm")])
    assert seen == []


def test_without_a_retrieval_intent_every_message_is_a_question(
    selector: tuple[FaqResponseSelector, list[str]],
) -> None:
    chosen, seen = selector
    chosen.retrieval_intent = None
    chosen.process([message("ja", "affirm"), message("hei", "greet")])
    assert seen == ["ja", "hei"]


def ranked(*intents: tuple[str, float]) -> Message:
    """A message with the intent classifier's ranking."""
    ranking = [{"name": name, "confidence": confidence} for name, confidence in intents]
    return Message(data={"text": "x", "intent": ranking[0], "intent_ranking": ranking})


@pytest.mark.parametrize(
    ("ranking", "fallback"),
    [
        # One errand, two names for it: the first is kept.
        ((("book_visit", 0.499), ("on_behalf", 0.498)), None),
        ((("on_behalf", 0.50), ("book_visit", 0.48)), None),
        # Two errands: unclear, as in Rasa.
        ((("book_visit", 0.50), ("decline_visit", 0.48)), "nlu_fallback"),
        ((("on_behalf", 0.50), ("faq", 0.49)), "nlu_fallback"),
        # Too unsure of the first: a fallback whatever the second.
        ((("book_visit", 0.30), ("on_behalf", 0.29)), "nlu_fallback"),
        ((("book_visit", 0.90), ("on_behalf", 0.05)), None),
    ],
)
def test_two_intents_of_one_errand_are_not_ambiguous(
    ranking: tuple[tuple[str, float], ...], fallback: str | None
) -> None:
    classifier = ErrandFallbackClassifier(
        {
            **ErrandFallbackClassifier.get_default_config(),
            "threshold": 0.4,
            "ambiguity_threshold": 0.05,
        }
    )
    (parsed,) = classifier.process([ranked(*ranking)])
    expected = fallback or ranking[0][0]
    assert parsed.get("intent")["name"] == expected
