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


def test_an_action_call_carries_earlier_words_and_the_latest_turn() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import (
        ActionExecuted,
        ActiveLoop,
        BotUttered,
        SlotSet,
        UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    import bot.rasa_patches as patches
    from tests.support import ROOT

    domain = Domain.load(str(ROOT / "domain.yml"))
    start = [ActionExecuted("action_session_start"), ActionExecuted("action_listen")]
    earlier = [
        UserUttered("hei", {"name": "greet", "confidence": 0.9}),
        ActionExecuted("action_greet"),
        BotUttered("Hei!"),
        ActionExecuted("action_listen"),
    ]
    latest = [
        UserUttered("Kari Nordmann, født 1946", {"name": "inform", "confidence": 0.8}),
        ActionExecuted("booking_form"),
        ActiveLoop("booking_form"),
        SlotSet("citizen_name", "Kari Nordmann"),
        SlotSet("birth_year", 1946),
    ]
    action = RemoteAction("validate_booking_form", EndpointConfig("http://127.0.0.1:1/webhook"))
    hei = {"event": "user", "timestamp": earlier[0].timestamp, "text": "hei"}
    for events, sent in [(start + earlier + latest, [hei] + latest), (start, start)]:
        tracker = DialogueStateTracker.from_events("w", events, slots=domain.slots)
        ours = patches.action_call_format(action, tracker, domain)
        rasas = patches._rasa_call_format(action, tracker, domain)
        as_dicts = [e if isinstance(e, dict) else e.as_dict() for e in sent]
        assert ours["tracker"].pop("events") == as_dicts
        assert rasas["tracker"].pop("events") == [e.as_dict() for e in events]
        assert ours == rasas  # slots, latest message, active loop, domain: as Rasa sends them
    assert RemoteAction._action_call_format is patches.action_call_format


async def test_action_calls_share_a_connection_and_reach_a_restarted_server() -> None:
    """Rasa's action calls go over one kept-alive connection, not a new one each; when the
    action server restarts, the next call opens a new one and is answered."""
    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    import bot.rasa_patches  # noqa: F401 - the patch under test

    peers: list[object] = []

    async def webhook(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername") if request.transport else None)
        return web.json_response({"events": [], "responses": []})

    async def serve(port: int = 0) -> web.AppRunner:
        app = web.Application()
        app.router.add_post("/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        return runner

    runner = await serve()
    port = runner.addresses[0][1]
    endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
    try:
        for _ in range(3):
            assert await endpoint.request(json={"next_action": "x"}) == {
                "events": [],
                "responses": [],
            }
        assert len(peers) == 3 and len(set(peers)) == 1  # one connection for all three
        await runner.cleanup()  # the action server stops ...
        runner = await serve(port)  # ... and starts again
        await asyncio.sleep(0.1)
        assert await endpoint.request(json={"next_action": "x"}) is not None
        assert len(peers) == 4
    finally:
        await runner.cleanup()


VALID_ANSWERS = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "x", "value": 1, "timestamp": None}], "responses": []},
    {
        "events": [{"event": "followup", "name": "action_booking_summary"}],
        "responses": [
            {"response": "utter_ask_phone", "buttons": [{"title": "Ja", "payload": "/affirm"}]},
            {"text": "Hei", "buttons": [], "custom": {"a": 1}, "image": None},
        ],
    },
    {"events": [{"event": "active_loop", "name": None}, {"event": "action_execution_rejected"}]},
    {
        "events": [
            {
                "event": "user",
                "text": "hei",
                "parse_data": {
                    "intent": {"name": "greet", "confidence": 0.9},
                    "entities": [{"entity": "slot_id", "value": "3", "start": 0, "end": 1}],
                },
            },
            {"event": "bot", "text": "Hei!", "data": {"buttons": []}, "metadata": {}},
            {"event": "session_started"},
            {"event": "restart"},
            {"event": "action", "name": "action_listen", "policy": None, "confidence": 1.0},
        ]
    },
    # Rasa's schema lets these through; so must the compiled check.
    {"events": [{"event": "bot", "text": 5}]},
    {"events": [{"event": "followup"}]},
]
INVALID_ANSWERS = [
    {"events": [{"event": "no_such_event"}]},
    {"responses": "not a list"},
    {"events": "not a list"},
    {"events": [{"name": "x"}]},  # no "event"
    {"events": [{"event": "slot", "name": "x", "value": 1, "timestamp": "now"}]},
    {"events": [{"event": "slot", "name": 3, "value": 1}]},
    {"events": [{"event": "user", "parse_data": {"entities": [{"entity": "x"}]}}]},
    {"events": [7]},
]


@pytest.mark.parametrize(
    ("answer", "valid"),
    [(a, True) for a in VALID_ANSWERS] + [(a, False) for a in INVALID_ANSWERS],
)
def test_the_check_by_event_name_judges_an_answer_as_the_whole_schema_does(
    answer: dict[str, object], valid: bool
) -> None:
    """The fast path never passes what Rasa's whole schema fails, and a failed answer
    still raises Rasa's error."""
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    import bot.rasa_patches as patches

    assert patches.event_validators() is not None  # the fast path is in use
    assert patches.action_result_validator().is_valid(answer) is valid
    assert patches.passes_by_event_name(answer) is valid
    action = RemoteAction("action_book_visit", None)
    if valid:
        assert action._validate_action_result(answer)
    else:
        with pytest.raises(ValidationError, match="Failed to validate Action server response"):
            action._validate_action_result(answer)


def test_event_types_are_found_by_name_as_rasa_finds_them() -> None:
    from rasa.shared.core.events import Event, SlotSet
    from rasa.shared.utils.common import all_subclasses

    import bot.rasa_patches as patches

    assert Event.resolve_by_type is patches.resolve_event_type
    for cls in all_subclasses(Event):
        assert Event.resolve_by_type(cls.type_name) is patches._rasa_resolve_by_type(cls.type_name)
    event = Event.from_parameters({"event": "slot", "name": "phone", "value": "912 34 567"})
    assert isinstance(event, SlotSet) and event.value == "912 34 567"
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")


async def _form_run_calls(
    form_name: str, events: list[object]
) -> tuple[list[str], list[object] | None]:
    """Run Rasa's FormAction for `form_name` on a tracker of `events` against a stand-in
    action server (answers nothing); the actions it called, and the form's events (None if
    the form rejected the turn)."""
    from aiohttp import web
    from rasa.core.actions.action import ActionExecutionRejection
    from rasa.core.actions.forms import FormAction
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    import bot.rasa_patches  # noqa: F401 - the patches under test
    from tests.support import ROOT

    calls: list[str] = []

    async def webhook(request: web.Request) -> web.Response:
        calls.append((await request.json())["next_action"])
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        domain = Domain.load(str(ROOT / "domain.yml"))
        tracker = DialogueStateTracker.from_events("form-test", events, slots=domain.slots)
        form = FormAction(form_name, EndpointConfig(f"http://127.0.0.1:{port}/webhook"))
        out: list[object] | None = await form.run(
            CollectingOutputChannel(),
            TemplatedNaturalLanguageGenerator(domain.responses),
            tracker,
            domain,
        )
    except ActionExecutionRejection:
        out = None  # nothing extracted for the question asked: the form steps aside
    finally:
        await runner.cleanup()
    return calls, out


async def test_a_starting_form_is_validated_once_and_still_asks_its_question() -> None:
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered

    calls, events = await _form_run_calls(
        "slot_choice_form",
        [
            ActionExecuted("action_listen"),
            UserUttered("Jeg heter Kari Nordmann, født 1946", {"name": "inform"}),
            ActionExecuted("action_check_eligibility"),
        ],
    )
    assert calls == ["validate_slot_choice_form", "action_ask_visit_slot_id"]
    assert SlotSet("requested_slot", "visit_slot_id") in events


async def test_a_running_form_still_validates_each_answer() -> None:
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered

    calls, events = await _form_run_calls(
        "booking_form",
        [
            ActionExecuted("booking_form"),
            ActiveLoop("booking_form"),
            SlotSet("requested_slot", "citizen_name"),
            ActionExecuted("action_listen"),
            UserUttered("Kari Nordmann", {"name": "inform"}),
        ],
    )
    assert calls == ["validate_booking_form"]
    assert events is None  # the stand-in validator took nothing: Rasa's rejection, as before
