"""bot.rasa_channel (issue 11): a turn whose client hangs up is still finished (so it is saved
and the transcript shows it), and a turn that fails is marked so the channel apologises."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.relay import TURN_FAILED
from bot.rasa_channel import FinishingRestInput, finishing


async def test_a_turn_goes_on_when_the_client_stops_waiting() -> None:
    finished: list[str] = []
    gate = asyncio.Event()

    async def turn(message: UserMessage) -> None:
        await gate.wait()  # an action that takes long
        finished.append(message.text or "")

    handler = asyncio.ensure_future(finishing(turn)(UserMessage("Ja")))
    await asyncio.sleep(0.01)
    handler.cancel()  # what Sanic does when the client hangs up
    with pytest.raises(asyncio.CancelledError):
        await handler
    gate.set()
    for _ in range(10):
        await asyncio.sleep(0)
    assert finished == ["Ja"]


async def test_a_failed_turn_is_marked_in_the_answer() -> None:
    async def turn(message: UserMessage) -> None:
        raise RuntimeError("the tracker store failed")

    collector = CollectingOutputChannel()
    with pytest.raises(RuntimeError):
        await finishing(turn)(UserMessage("hei", collector, "web-1"))
    assert collector.messages == [
        {"recipient_id": "web-1", "custom": {TURN_FAILED: "RuntimeError"}}
    ]


def test_the_channel_keeps_the_rest_channels_url() -> None:
    assert FinishingRestInput.name() == "rest"


def test_the_action_servers_answers_are_still_validated() -> None:
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    import bot.rasa_patches as patches

    assert RemoteAction._validate_action_result is patches.validate_action_result
    action = RemoteAction("action_book_visit", None)
    good = {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": []}
    assert action._validate_action_result(good)
    for bad in ({"events": [{"event": "no_such_event"}]}, {"responses": "not a list"}):
        with pytest.raises(ValidationError, match="Failed to validate Action server response"):
            action._validate_action_result(bad)


async def test_action_calls_are_encoded_fast_and_read_back_the_same() -> None:
    """The action server gets the same JSON as with json.dumps, written by ujson."""
    import json

    from rasa.utils.endpoints import EndpointConfig

    import bot.rasa_patches as patches

    body = {
        "sender_id": "web-ø/1",
        "tracker": {
            "events": [
                {"event": "user", "text": "Kan dere komme på besøk? 1/2", "timestamp": 1.1e9 / 3},
                {"event": "slot", "name": "birth_year", "value": 1947},
                {"event": "slot", "name": "x", "value": None},
            ],
            "latest_message": {"intent": {"name": "faq", "confidence": 0.987654321}},
        },
    }
    assert patches.fast_json(body) == json.dumps(body, separators=(",", ":"))
    assert json.loads(patches.fast_json(body)) == body
    async with EndpointConfig("http://127.0.0.1:1/webhook").session() as session:
        assert session._json_serialize is patches.fast_json
