"""Rasa's own cost per message, cut where it is waste (issue 12; measured with py-spy).

- Rasa 3.6 validates every answer of the action server with `jsonschema.validate(result,
  schema)`, which first checks the schema itself against the JSON Schema meta-schema: about
  half of the Rasa process's CPU time under load went there, not into the check of the
  answer. Here the schema is checked once, and each event is checked against the one
  alternative its name allows; every answer is still validated, with the same verdict and
  the same error.
- Action calls are encoded with ujson; event classes are found by name.
- A form that starts calls its validation action once, not twice, in the same turn.
- RulePolicy builds only the states its rules can look at (`bot.rule_matching`).

Imported by the modules Rasa loads from our endpoints and credentials files
(bot.tracker_store, bot.rasa_channel), so the Rasa server always runs with it.
"""

from __future__ import annotations

import functools
from typing import Any

import aiohttp
import ujson
from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
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
# before. Rasa makes a new aiohttp session per call, so each gets the faster encoder.
_rasa_session = EndpointConfig.session


def session_with_fast_json(self: EndpointConfig) -> aiohttp.ClientSession:
    """Rasa's session for an endpoint, encoding request bodies with ujson."""
    session = _rasa_session(self)
    session._json_serialize = fast_json
    return session


def fast_json(value: Any) -> str:
    """JSON text of `value` as json.dumps writes it without spaces ("/" as it is,
    non-ASCII escaped, floats to their shortest exact form)."""
    return ujson.dumps(value, ensure_ascii=True, escape_forward_slashes=False)


EndpointConfig.session = session_with_fast_json


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
