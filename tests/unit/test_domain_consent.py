"""Consent is never guessed: no intent fills a yes/no slot that leads to a write. In
domain.yml `citizen_consent` and `wants_later` are custom slots, filled only by the forms'
validators from an explicit answer (fhb.language.answers.yes_no, table-tested)."""

from __future__ import annotations

import pytest
import yaml

from tests.support import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("slot", ["citizen_consent", "wants_later"])
def test_no_intent_fills_a_yes_no_that_leads_to_a_write(slot: str) -> None:
    assert [m["type"] for m in DOMAIN["slots"][slot]["mappings"]] == ["custom"]


def test_the_consent_question_offers_yes_no_and_dont_know() -> None:
    buttons = DOMAIN["responses"]["utter_ask_citizen_consent"][0]["buttons"]
    assert [b["title"] for b in buttons] == ["Ja", "Nei", "Vet ikke"]
