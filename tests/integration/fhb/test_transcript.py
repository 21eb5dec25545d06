"""The transcript readers skip the bot's marker events (a reply with only `custom` data:
the phone field's input hint, the staff-queue marker), which no person ever saw."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, text

from fhb.db.takeovers import TAKEOVER_REQUESTED
from fhb.tracker import conversation_messages, staff_transcript, transcript_lines
from tests.support.records import CONV, tracker_with_events


def test_a_marker_reply_is_no_line_of_the_transcript(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    tracker_with_events(url)
    before = transcript_lines(url, CONV, tz="Europe/Oslo")
    marker = {"event": "bot", "text": None, "data": {"custom": {TAKEOVER_REQUESTED: True}}}
    engine = create_engine(url, future=True)
    with engine.begin() as db:
        db.execute(
            text("INSERT INTO events (sender_id, type_name, data) VALUES (:s, 'bot', :d)"),
            {"s": CONV, "d": json.dumps(marker)},
        )
    engine.dispose()
    lines = transcript_lines(url, CONV, tz="Europe/Oslo")
    assert lines == before and len(lines) == 3
    assert not any("None" in line for line in lines)
    assert all(m["text"] for m in conversation_messages(url, CONV))
    assert all(item["text"] for item in staff_transcript(url, CONV))
