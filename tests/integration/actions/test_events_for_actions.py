"""Rasa sends an action the events since the person's last message and the earlier
messages' words, not the whole session (issue 12; bot.rasa_patches): no action may read
other older events, or it would silently see less. The tracker's other fields (slots,
latest message, active loop) are sent whole."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import actions
from actions.base import earlier_texts, events_this_turn
from tests.support.trackers import make_tracker

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
    # The two readers: the events after the latest message and the earlier messages' words,
    # exactly what Rasa sends.
    allowed = set()
    for reader in (events_this_turn, earlier_texts):
        lines, first = inspect.getsourcelines(reader)
        allowed |= {f"base.py:{first + i}: {line.strip()}" for i, line in enumerate(lines)}
    found = [line for line in found if line not in allowed]
    assert found == [], "actions read older events; see bot/rasa_patches.py: " + str(found)


def test_events_this_turn_are_those_after_the_latest_message() -> None:
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "hei"},
        {"event": "action", "name": "utter_greet"},
        {"event": "user", "text": "jeg vil ha besok"},
        {"event": "action", "name": "action_book_after_all"},
        {"event": "slot", "name": "visit_after_all", "value": False},
    ]
    tracker = make_tracker(events=events)
    assert events_this_turn(tracker) == events[4:]
    assert events_this_turn(make_tracker(events=events[:1])) == events[:1]


def test_earlier_texts_are_the_words_before_the_latest_message() -> None:
    events = [
        {"event": "user", "text": "Jeg heter Kari Vik. Hva koster det?"},
        {"event": "action", "name": "action_answer_faq"},
        {"event": "user", "text": "/choose_slot"},
        {"event": "user", "text": "  "},
        {"event": "user", "text": "jeg vil ha besok"},
        {"event": "action", "name": "booking_form"},
    ]
    tracker = make_tracker(events=events)
    assert earlier_texts(tracker) == ["Jeg heter Kari Vik. Hva koster det?"]
    assert earlier_texts(make_tracker(events=events[:2])) == []


def test_the_check_finds_such_a_read() -> None:
    assert READS_OLD_EVENTS.search("last = tracker.get_last_event_for('user')")
    assert READS_OLD_EVENTS.search("for e in tracker.events:")
    assert not READS_OLD_EVENTS.search("from rasa_sdk.events import SlotSet".split(" import")[1])
