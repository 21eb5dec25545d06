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

from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


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
