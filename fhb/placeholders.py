"""Which {placeholders} each response of the domain fills.

An action's response travels with the values it is filled with, and Rasa keeps those values
in the bot event's metadata for good: in the tracker store, in every later action call
and in every tracker load. Passing all thirteen profile values to every response (the list
of local offers alone is half a kilobyte) made bot events 1.8 KB on average, 46 % of a
conversation's stored bytes (issue 12). Each response now gets the values it uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import yaml

from fhb.files import ParsedFile
from fhb.settings import ROOT

DOMAIN_PATH = ROOT / "domain.yml"

# The parts of a response Rasa fills (rasa.core.nlg.response._fill_response) and its
# placeholder pattern (rasa.core.nlg.interpolator.interpolate_text).
FILLED_KEYS = ("text", "image", "custom", "buttons", "attachment", "quick_replies")
PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")


def strings_in(value: Any) -> Iterator[str]:
    """Every string inside `value` (lists and mappings walked, keys and values)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def placeholders_by_response(responses: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """For each response name, the placeholder names of all its variations (a response
    that is not a list of variations is left out: it gets every value)."""
    found: dict[str, frozenset[str]] = {}
    for name, variations in responses.items():
        if not isinstance(variations, list):
            continue
        names: set[str] = set()
        for variation in variations:
            if isinstance(variation, Mapping):
                for key in FILLED_KEYS:
                    for text in strings_in(variation.get(key)):
                        names.update(PLACEHOLDER.findall(text))
        found[str(name)] = frozenset(names)
    return found


def _parse_domain(f: IO[str]) -> dict[str, frozenset[str]]:
    """The placeholders of every response in an open domain file."""
    return placeholders_by_response((yaml.safe_load(f) or {}).get("responses") or {})


_DOMAINS = ParsedFile(_parse_domain)


def response_placeholders(path: Path | None = None) -> dict[str, frozenset[str]]:
    """The placeholders of every response in the domain file (parsed again when the file
    changes); empty if the file cannot be read (then every value is passed)."""
    try:
        return _DOMAINS.get(path or DOMAIN_PATH)
    except (OSError, yaml.YAMLError, AttributeError):
        return {}


def values_for(
    response: str, values: Mapping[str, str], placeholders: Mapping[str, frozenset[str]]
) -> dict[str, str]:
    """The `values` that `response` fills; all of them for a response the domain file does
    not know (a model trained on another domain must still get its text filled)."""
    used = placeholders.get(response)
    if used is None:
        return dict(values)
    return {name: value for name, value in values.items() if name in used}
