"""Rasa sends an action the events since the person's last message, not the whole session
(issue 12; bot.rasa_patches): no action may read older events, or it would silently see
less. The tracker's other fields (slots, latest message, active loop) are sent whole."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import actions

# Every way rasa_sdk's Tracker gives events older than the latest turn.
READS_OLD_EVENTS = re.compile(
    r"\.events\b|get_last_event_for|applied_events|events_after_latest_restart"
    r"|idx_after_latest_restart|last_executed_action_has"
)


def test_no_action_reads_events_before_the_last_message() -> None:
    package = Path(inspect.getfile(actions)).parent
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(package.glob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if READS_OLD_EVENTS.search(line.split("#")[0]) and "rasa_sdk.events" not in line
    ]
    assert found == [], "actions read older events; see bot/rasa_patches.py: " + str(found)


def test_the_check_finds_such_a_read() -> None:
    assert READS_OLD_EVENTS.search("last = tracker.get_last_event_for('user')")
    assert READS_OLD_EVENTS.search("for e in tracker.events:")
    assert not READS_OLD_EVENTS.search("from rasa_sdk.events import SlotSet".split(" import")[1])
