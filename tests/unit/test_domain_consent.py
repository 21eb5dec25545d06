"""Consent is never guessed: in domain.yml only the relative's explicit "Ja" to the consent
question fills `citizen_consent` with true; "not yet", "no", and asking to book do not."""

from __future__ import annotations

from typing import Any

import yaml

from tests.support import ROOT


def consent_mappings() -> list[dict[str, Any]]:
    """The slot mappings of `citizen_consent`."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return list(domain["slots"]["citizen_consent"]["mappings"])


def test_only_an_explicit_yes_is_consent() -> None:
    yes = [m for m in consent_mappings() if m.get("value") is True]
    assert [(m["type"], m["intent"]) for m in yes] == [("from_intent", "affirm")]


def test_not_yet_and_no_are_no_consent() -> None:
    no = {m["intent"] for m in consent_mappings() if m.get("value") is False}
    assert {"deny", "decline_visit", "postpone_visit"} <= no


def test_every_mapping_is_for_the_consent_question_only() -> None:
    for mapping in consent_mappings():
        assert mapping["conditions"] == [
            {"active_loop": "relative_form", "requested_slot": "citizen_consent"}
        ]
