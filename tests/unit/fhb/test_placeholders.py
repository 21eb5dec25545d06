"""Each response gets the profile values it uses, and only those."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from fhb.placeholders import placeholders_by_response, response_placeholders, values_for

PROFILE_VALUES = {"kommune": "Fjellvik kommune", "phone": "33 44 55 66", "offers": "• Trim"}


@pytest.mark.parametrize(
    ("variations", "expected"),
    [
        ([{"text": "Ring {phone}."}], {"phone"}),
        ([{"text": "Hei."}], set()),
        ([{"text": "Hei fra {kommune}."}, {"text": "Ring {phone}."}], {"kommune", "phone"}),
        ([{"text": "Velg:", "buttons": [{"title": "Ring {phone}", "payload": "/x"}]}], {"phone"}),
        ([{"custom": {"lines": ["{kommune}", {"note": "{offers}"}]}}], {"kommune", "offers"}),
        ([{"text": "{kommune}", "condition": [{"name": "x", "value": "{phone}"}]}], {"kommune"}),
        ([{"text": "Hei", "channel": "{phone}"}], set()),
        ([{"text": "{first_name}, ring {phone}\n{phone}"}], {"first_name", "phone"}),
        ([], set()),
    ],
)
def test_placeholders_of_a_response(variations: Any, expected: set[str]) -> None:
    assert placeholders_by_response({"utter_x": variations}) == {"utter_x": frozenset(expected)}


@pytest.mark.parametrize("variations", [None, "Ring {phone}", {"text": "{phone}"}, 3])
def test_a_response_that_is_not_a_list_is_left_out(variations: Any) -> None:
    assert placeholders_by_response({"utter_x": variations, "utter_y": []}) == {
        "utter_y": frozenset()
    }


def test_a_response_gets_the_values_it_uses() -> None:
    placeholders = {"utter_call": frozenset({"phone", "first_name"}), "utter_hi": frozenset()}
    assert values_for("utter_call", PROFILE_VALUES, placeholders) == {"phone": "33 44 55 66"}
    assert values_for("utter_hi", PROFILE_VALUES, placeholders) == {}


def test_a_response_the_file_does_not_know_gets_every_value() -> None:
    assert values_for("utter_new", PROFILE_VALUES, {"utter_hi": frozenset()}) == PROFILE_VALUES
    assert values_for("utter_new", PROFILE_VALUES, {}) == PROFILE_VALUES


def write(path: Path, text: str) -> None:
    """Write `text` to `path` with a new modification time."""
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_the_domain_file_is_read_again_when_it_changes(tmp_path: Path) -> None:
    domain = tmp_path / "domain.yml"
    write(domain, 'responses:\n  utter_a:\n  - text: "Ring {phone}"\n')
    assert response_placeholders(domain) == {"utter_a": frozenset({"phone"})}
    write(domain, 'responses:\n  utter_a:\n  - text: "Hei fra {kommune}"\n')
    assert response_placeholders(domain) == {"utter_a": frozenset({"kommune"})}


@pytest.mark.parametrize(
    "text", [None, "responses: [\n", "just text\n", "responses:\n  utter_a: 3\n"]
)
def test_an_unreadable_domain_file_means_every_value(tmp_path: Path, text: str | None) -> None:
    domain = tmp_path / "domain.yml"
    if text is not None:
        domain.write_text(text, encoding="utf-8")
    placeholders = response_placeholders(domain)
    assert values_for("utter_a", PROFILE_VALUES, placeholders) == PROFILE_VALUES
