"""Rasa's own cost per message, cut where it is waste (issue 12; measured with py-spy).

- Rasa 3.6 validates every answer of the action server with `jsonschema.validate(result,
  schema)`, which first checks the schema itself against the JSON Schema meta-schema: about
  half of the Rasa process's CPU time under load went there, not into the check of the
  answer. Here the schema is checked once, and each event is checked against the one
  alternative its name allows; every answer is still validated, with the same verdict and
  the same error.
- Action calls are encoded with ujson and carry the events since the person's last
  message, not the whole session; event classes are found by name.
- A form that starts calls its validation action once, not twice, in the same turn.
- RulePolicy builds only the states its rules can look at (`bot.rule_matching`).
- A tracker is copied from its state, not by replaying all its events.

Imported by the modules Rasa loads from our endpoints and credentials files
(bot.tracker_store, bot.rasa_channel), so the Rasa server always runs with it.
"""

from __future__ import annotations

import asyncio
import copy
import functools
from collections import deque
from typing import Any

import aiohttp
import rasa
import ujson
from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.shared.constants import DEFAULT_SENDER_ID, DOCS_BASE_URL
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

import bot.rule_matching  # noqa: F401 - RulePolicy's patch, applied on import


@functools.lru_cache(maxsize=1)
def action_result_validator() -> Any:
    """The validator of the action server's answers (the schema checked once)."""
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@functools.lru_cache(maxsize=1)
def event_validators() -> tuple[Any, dict[str, Any]] | None:
    """The answer's check split by event name: a validator of the answer with the events'
    `oneOf` left out, and for each event name a validator of one event against the only
    alternative that can match it (each alternative fixes "event" with its own `const`).

    jsonschema tries all 23 alternatives of the `oneOf` for every event of every answer:
    6 % of Rasa's CPU after the cuts above. An answer that passes both parts passes the
    whole schema (every other alternative fails on its `const`, so exactly one matches).
    None if the schema is not shaped so (then every answer gets the whole check).
    """
    schema = RemoteAction.action_response_format_spec()
    try:
        items = schema["properties"]["events"]["items"]
        names = [alt["properties"]["event"]["const"] for alt in items["oneOf"]]
    except (KeyError, TypeError):
        return None
    if len(set(names)) != len(names) or "oneOf" in schema:
        return None
    plain = {k: v for k, v in items.items() if k != "oneOf"}
    outer = {
        **schema,
        "properties": {**schema["properties"], "events": {"type": "array", "items": plain}},
    }
    cls = validators.validator_for(schema)
    per_event = {
        name: cls({**plain, "allOf": [alt]})
        for name, alt in zip(names, items["oneOf"], strict=True)
    }
    return cls(outer), per_event


def passes_by_event_name(result: Any) -> bool:
    """True only if `result` surely passes the action-answer schema (see event_validators);
    False means: check it with the whole schema."""
    split = event_validators()
    if split is None:
        return False
    outer, per_event = split
    if not outer.is_valid(result):
        return False
    for event in result.get("events") or ():
        check = per_event.get(event.get("event"))
        if check is None or not check.is_valid(event):
            return False
    return True


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with the validators made once: an answer
    checked event by event (by its name) passes; any other gets the whole schema, which
    raises Rasa's own error."""
    if passes_by_event_name(result):
        return True
    try:
        action_result_validator().validate(result)
    except ValidationError as e:
        e.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


RemoteAction._validate_action_result = validate_action_result


# Every action-server call sends the conversation as JSON (all its events, and the domain
# for the actions that need it); encoding it with the standard library's json was the
# largest single cost left in the Rasa process (issue 12, py-spy). ujson (Sanic's, already
# installed) writes the same JSON several times faster; the action server reads it as
# before.
#
# Rasa also made a new aiohttp session, and so a new TCP connection, for every call (two to
# four a message): the session, the connection and its close were 3 % of Rasa's CPU, and
# the action server accepted a new connection each time. Each endpoint now keeps one
# session (per event loop) with its connections: `async with endpoint.session()` gets it
# and leaves it open. An idle connection is closed after 2 s, before the action server
# (Sanic, 5 s) closes it, so a call is never sent down a connection being closed.
_rasa_session = EndpointConfig.session
_kept: dict[tuple[str, str, str], tuple[asyncio.AbstractEventLoop, aiohttp.ClientSession]] = {}
KEEP_IDLE_CONNECTIONS = 2.0  # seconds


class KeptSession:
    """What `async with endpoint.session() as session:` gets: a session kept for the next
    call (not closed at the end of the block)."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *exc: object) -> None:
        return None


def session_with_fast_json(self: EndpointConfig) -> Any:
    """The endpoint's kept session, encoding request bodies with ujson (Rasa's own, new,
    when no event loop runs)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        session = _rasa_session(self)
        session._json_serialize = fast_json
        return session
    key = (self.url or "", repr(sorted((self.headers or {}).items())), repr(self.basic_auth))
    kept = _kept.get(key)
    if kept is None or kept[0] is not loop or kept[1].closed:
        auth = (
            aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            if self.basic_auth
            else None
        )
        session = aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEP_IDLE_CONNECTIONS),
            json_serialize=fast_json,
        )
        kept = _kept[key] = (loop, session)
    return KeptSession(kept[1])


def fast_json(value: Any) -> str:
    """JSON text of `value` as json.dumps writes it without spaces ("/" as it is,
    non-ASCII escaped, floats to their shortest exact form)."""
    return ujson.dumps(value, ensure_ascii=True, escape_forward_slashes=False)


EndpointConfig.session = session_with_fast_json


# Every action-server call carried every event of the session, as JSON: Rasa wrote 23 KB
# for each call at the end of a booking (77 events), and the action server read it back:
# 4 % of Rasa's CPU and 12 % of the action server's under load (issue 12, py-spy). An
# action reads the slots, the latest message, the active loop and the latest action,
# which the call carries apart from the events, and of the events only those since the
# person's last message (the slot candidates a form validator checks, the channel of the
# last message), and the words of the person's earlier messages (a form that starts takes
# the details given before it: "Jeg heter Kari Vik, født 1946. Hva koster det?"). The call
# now carries those: the earlier messages as their text alone, without what the classifier
# made of them; everything else in it is as Rasa makes it. No action reads other older
# events (tests/integration/actions/test_events_for_actions.py fails on any that does).
_rasa_call_format = RemoteAction._action_call_format


def events_for_actions(tracker: Any) -> list[dict[str, Any]]:
    """The events an action gets: the person's earlier messages in the session (event,
    text and time only), then every event from the person's last message on (the whole
    session when there is none yet)."""
    events = list(tracker.events)
    for i in range(len(events) - 1, -1, -1):
        if isinstance(events[i], UserUttered):
            earlier = [
                {"event": UserUttered.type_name, "timestamp": e.timestamp, "text": e.text}
                for e in events[:i]
                if isinstance(e, UserUttered) and e.text
            ]
            return earlier + [e.as_dict() for e in events[i:]]
    return [e.as_dict() for e in events]


def action_call_format(self: RemoteAction, tracker: Any, domain: Any) -> dict[str, Any]:
    """RemoteAction._action_call_format with the events of events_for_actions only."""
    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = events_for_actions(tracker)
    result = {
        "next_action": self._name,
        "sender_id": tracker.sender_id,
        "tracker": state,
        "version": rasa.__version__,
    }
    if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(
        self.name()
    ):
        result["domain"] = domain.as_dict()
    return result


RemoteAction._action_call_format = action_call_format


# Every event read from the tracker store or an action's answer is made by
# Event.from_parameters, which finds the class for its "event" name by walking all
# subclasses of Event each time (3 % of Rasa's CPU). The same first match, kept by name;
# an unknown name (a class defined later, "topic", an error) goes to Rasa's own lookup.
_rasa_resolve_by_type = Event.resolve_by_type
_event_types: dict[str, type[Event]] = {}


def resolve_event_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Event.resolve_by_type, looked up by name."""
    if type_name not in _event_types:
        for cls in all_subclasses(Event):
            _event_types.setdefault(cls.type_name, cls)  # the first match, as Rasa's loop
    found = _event_types.get(type_name)
    return found if found is not None else _rasa_resolve_by_type(type_name, default)


Event.resolve_by_type = staticmethod(resolve_event_type)


# A form that starts calls its validation action twice in the same turn: once in
# `activate` (with the slots already filled) and, if that returned no slot, again at the
# start of `do`, where nothing new can have happened. With no question pending
# (requested_slot empty: the second check could not reject the form) the second call is
# skipped. It was one action-server round trip, with tracker and domain, in each of the
# heaviest messages: "I want to book" and the message that completes the details.
_rasa_activate = FormAction.activate
_rasa_do = FormAction.do


async def activate_validated_once(
    self: FormAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any
) -> list[Any]:
    """FormAction.activate; remembers that the form's validation action has run."""
    events = await _rasa_activate(self, output_channel, nlg, tracker, domain)
    self._fhb_validated = f"validate_{self.name()}" in domain.action_names_or_texts
    return events


async def do_without_second_validation(
    self: FormAction,
    output_channel: Any,
    nlg: Any,
    tracker: Any,
    domain: Any,
    events_so_far: list[Any],
) -> list[Any]:
    """FormAction.do, without validating again what `activate` has just validated."""
    validated, self._fhb_validated = getattr(self, "_fhb_validated", False), False
    if validated and self.get_slot_to_fill(tracker) is None:
        return await self.request_next_slot(tracker, domain, output_channel, nlg, events_so_far)
    return await _rasa_do(self, output_channel, nlg, tracker, domain, events_so_far)


FormAction.activate = activate_validated_once
FormAction.do = do_without_second_validation


# Rasa copies the tracker before every action it runs (the policy's events may yet be
# rejected) and again when a form starts, by replaying every event of the conversation
# onto a new tracker: 5 % of the Rasa process's CPU under load (py-spy --gil, 50
# conversations), more as a conversation grows. Every event has already been applied to
# the tracker, so its state is what the replay builds: the copy here takes that state,
# shares what the replay shares (the event objects, the slots' values) and copies what
# events change in place (the event list, each slot, the active loop). Like Rasa's copy it
# has no model or assistant id and no sender source. Trackers of other classes (training's
# TrackerWithCachedStates keeps states as events arrive) keep Rasa's copy.
_rasa_copy = DialogueStateTracker.copy


def _copy_slot(slot: Any) -> Any:
    """copy.copy(slot), a quarter of its time (38 slots in every copy)."""
    new = object.__new__(type(slot))
    new.__dict__.update(slot.__dict__)
    return new


def copy_tracker(self: DialogueStateTracker) -> DialogueStateTracker:
    """A duplicate of this tracker, without replaying its events: the attributes that
    DialogueStateTracker.__init__ sets (a test compares them with Rasa's copy)."""
    if type(self) is not DialogueStateTracker:
        return _rasa_copy(self)
    new = object.__new__(DialogueStateTracker)
    new._max_event_history = self._max_event_history
    new.events = deque(self.events, self._max_event_history)
    new.sender_id = self.sender_id or DEFAULT_SENDER_ID
    new.slots = {name: _copy_slot(slot) for name, slot in self.slots.items()}
    new.sender_source = None
    new.is_rule_tracker = self.is_rule_tracker
    new._paused = self._paused
    new.followup_action = self.followup_action
    new.latest_action = dict(self.latest_action) if self.latest_action is not None else None
    new.latest_message = self.latest_message
    new.latest_bot_utterance = self.latest_bot_utterance
    new.active_loop = copy.copy(self.active_loop)
    new.model_id = None
    new.assistant_id = None
    return new


DialogueStateTracker.copy = copy_tracker
