"""Rasa's own cost per message, cut where it is waste (issue 12; measured with py-spy).

Rasa 3.6 validates every answer of the action server with `jsonschema.validate(result,
schema)`, which first checks the schema itself against the JSON Schema meta-schema: about
half of the Rasa process's CPU time under load went there, not into the check of the
answer. Here the schema is checked once and its validator kept; every answer is still
validated exactly as before, with the same error.

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
from rasa.shared.constants import DOCS_BASE_URL
from rasa.utils.endpoints import EndpointConfig


@functools.lru_cache(maxsize=1)
def action_result_validator() -> Any:
    """The validator of the action server's answers (the schema checked once)."""
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with the validator made once."""
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
