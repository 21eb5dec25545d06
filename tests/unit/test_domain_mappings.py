"""No slot mapping names a custom action. Rasa's action_extract_slots runs such an action
after every user message of every conversation (and again at each form's activation), with
the whole tracker and domain: a form's validator named there ran outside its form, cost an
action-server round trip per message, and counted "no answer" turns for another form's
question. A form's own slots are read by its validator while the form runs (extract_*)."""

from __future__ import annotations

import yaml

from tests.support import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def test_no_slot_mapping_runs_an_action_after_every_message() -> None:
    with_action = {
        name: mapping["action"]
        for name, slot in DOMAIN["slots"].items()
        for mapping in slot.get("mappings", [])
        if mapping.get("action")
    }
    assert with_action == {}
