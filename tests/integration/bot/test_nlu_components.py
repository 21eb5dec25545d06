"""FaqResponseSelector chooses an answer only for messages read as a question (issue 12)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.training_data.message import Message

from bot.nlu_components import FaqResponseSelector


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
