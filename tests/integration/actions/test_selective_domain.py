"""Rasa sends the domain only to the actions marked `send_domain` in domain.yml (issue 12):
every action that reads it must be marked, or it would silently get an empty domain."""

from __future__ import annotations

import inspect
import re
from typing import Any

from rasa_sdk import Action
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.forms import ValidationAction

import actions

READS_DOMAIN = re.compile(r"\bdomain\s*(\.get\(|\[)|\banswer_faq\(|\bdomain_slots\(")


def marked(domain: dict[str, Any]) -> set[str]:
    """The actions domain.yml marks `send_domain: true`."""
    return {
        name
        for entry in domain["actions"]
        if isinstance(entry, dict)
        for name, options in entry.items()
        if (options or {}).get("send_domain")
    }


def registered() -> dict[str, Action]:
    """Every action of the action server, by name."""
    executor = ActionExecutor()
    executor.register_package(actions)
    return {name: action for name, action in executor.actions.items() if name}  # type: ignore[misc]


def test_every_action_that_reads_the_domain_gets_it(domain: dict[str, Any]) -> None:
    need = set()
    for name, action in registered().items():
        owner = getattr(action, "__self__", None) or action
        cls = owner if inspect.isclass(owner) else type(owner)
        if issubclass(cls, ValidationAction) or READS_DOMAIN.search(inspect.getsource(cls)):
            need.add(name)
    assert "validate_booking_form" in need and "action_answer_faq" in need
    assert need <= marked(domain), f"mark these send_domain in domain.yml: {need - marked(domain)}"
