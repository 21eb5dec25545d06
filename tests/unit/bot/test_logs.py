"""The servers' log files: redacted line by line, private, rotated by size (issue 11)."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

import pytest

from bot.logs import (
    MAX_LINE,
    REDACTED,
    RotatingLog,
    copy_redacted,
    log_files,
    private_dir,
    redact,
)
from tests.support.national_ids import FNR

CONVERSATION = "web-" + "0123456789abcdef" * 2 + "01234567"
WORDS = ("Ottilie", "Fjordbakken", "Tindeveien", "91357246")
TEXT = "Jeg heter Ottilie Fjordbakken, Tindeveien 17, tlf 91357246"
PREFIX = "2026-12-01 19:22:18 ERROR    rasa.core.channels.rest  - "


def mode(path: Path) -> int:
    """The permission bits of a file or directory."""
    return stat.S_IMODE(path.stat().st_mode)


def test_rasas_timeout_line_keeps_the_event_and_loses_the_text() -> None:
    event = {"text": TEXT, "event": "rest.message.received.timeout", "level": "error"}
    line = redact(PREFIX + json.dumps(event, ensure_ascii=False) + "\n")
    assert line.startswith(PREFIX) and line.endswith("}\n")
    assert json.loads(line[len(PREFIX) :]) == {
        "text": REDACTED,
        "event": "rest.message.received.timeout",
        "level": "error",
    }


def test_an_exception_keeps_its_type_and_place_but_not_its_message_or_locals() -> None:
    event = {
        "text": TEXT,
        "event": "rest.message.received.failure",
        "level": "error",
        "exception": [
            {
                "exc_type": "ValueError",
                "exc_value": f"bad value {TEXT}",
                "frames": [
                    {
                        "filename": "rest.py",
                        "lineno": 176,
                        "name": "receive",
                        "locals": {"text": repr(TEXT)},
                    }
                ],
            }
        ],
    }
    line = redact(PREFIX + json.dumps(event) + "\n")
    assert not any(word in line for word in WORDS), line
    assert json.loads(line[len(PREFIX) :])["exception"] == [
        {
            "exc_type": "ValueError",
            "frames": [{"filename": "rest.py", "lineno": 176, "name": "receive"}],
        }
    ]


@pytest.mark.parametrize(
    "key", ["text", "user_text", "slot_values", "parse_data_entities", "sender_id", "tracker"]
)
def test_every_field_but_the_technical_ones_is_replaced(key: str) -> None:
    line = redact(json.dumps({"event": "processor.slots.log", key: {"name": TEXT}}) + "\n")
    assert json.loads(line) == {"event": "processor.slots.log", key: REDACTED}


def test_an_unreadable_structured_line_is_dropped_after_its_prefix() -> None:
    cut = PREFIX + '{"text": "' + TEXT + '", "event": "rest.message.rec'
    line = redact(cut + "\n")
    assert line == PREFIX + '{"event": "' + REDACTED + '"}\n'


def test_conversation_ids_and_tokens_in_urls_are_removed() -> None:
    line = redact(
        "INFO httpx: HTTP Request: POST http://127.0.0.1:5005/conversations/"
        f"{CONVERSATION}/tracker/events?token=s3cr3t-token&include_events=NONE "
        '"HTTP/1.1 200 OK"\n'
    )
    assert CONVERSATION not in line and "s3cr3t" not in line
    assert "/conversations/<conversation>/tracker/events?token=<redacted>&include_events" in line


def test_the_telegram_bot_token_is_removed() -> None:
    line = redact(
        "INFO httpx: HTTP Request: POST https://api.telegram.org/bot123456:AAH-x_y/getUpdates\n"
    )
    assert "AAH" not in line and "/bot<redacted>/getUpdates" in line


def test_rasas_warning_about_a_forged_payload_loses_the_payload() -> None:
    line = redact(
        "UserWarning: Failed to parse arguments in line "
        f'\'/inform{{"name": "{TEXT}"}}\'. Failed to decode parameters as a json object\n'
    )
    assert not any(word in line for word in WORDS)
    assert line == f"UserWarning: Failed to parse arguments in line '{REDACTED}'\n"


def test_a_national_id_in_any_line_is_masked() -> None:
    assert redact(f"whatever {FNR[:6]}-{FNR[6:]} was said\n") == "whatever *********** was said\n"


@pytest.mark.parametrize(
    "line",
    [
        "2026-12-01 19:20:41 INFO     rasa_sdk.endpoint  - Action endpoint is up and running\n",
        "2026-12-01 19:22:15 INFO     actions.booking  - visit 2 booked\n",
        "2026-12-01 19:22:18 INFO httpx: HTTP Request: POST "
        'http://127.0.0.1:5105/webhooks/rest/webhook "HTTP/1.1 200 OK"\n',
        "Traceback (most recent call last):\n",
    ],
)
def test_ordinary_lines_are_kept(line: str) -> None:
    assert redact(line) == line


def test_log_files_are_private_and_rotated_by_size(tmp_path: Path) -> None:
    logs = private_dir(tmp_path / "logs")
    assert mode(logs) == 0o700
    log = RotatingLog(logs / "rasa.log", max_bytes=100, backups=2)
    for number in range(12):
        log.write(f"line {number:02d} " + "x" * 30 + "\n")  # 39 bytes: two lines a file
    log.close()
    names = sorted(p.name for p in logs.iterdir())
    assert names == ["rasa.log", "rasa.log.1", "rasa.log.2"]
    assert all(mode(p) == 0o600 for p in logs.iterdir())
    assert (logs / "rasa.log").read_text().startswith("line 10")
    assert (logs / "rasa.log.2").read_text().startswith("line 06")


def test_an_older_world_readable_log_becomes_private(tmp_path: Path) -> None:
    path = tmp_path / "rasa.log"
    path.write_text("from before\n")
    path.chmod(0o644)
    log = RotatingLog(path)
    log.write("now\n")
    log.close()
    assert mode(path) == 0o600 and path.read_text() == "from before\nnow\n"


def test_a_log_deleted_while_written_is_started_again(tmp_path: Path) -> None:
    path = tmp_path / "channels.log"
    log = RotatingLog(path)
    log.write("old\n")
    path.unlink()  # the retention purge
    log.write("new\n")
    log.close()
    assert path.read_text() == "new\n" and mode(path) == 0o600


def test_a_servers_output_is_copied_redacted_and_a_huge_line_cut(tmp_path: Path) -> None:
    event = json.dumps({"text": TEXT, "event": "rest.message.received.timeout"})
    huge = "y" * (MAX_LINE * 2)
    output = f"starting\n{PREFIX}{event}\n{huge}\nlast line without newline"
    copy_redacted(io.BytesIO(output.encode()), RotatingLog(tmp_path / "rasa.log"))
    lines = (tmp_path / "rasa.log").read_text().splitlines()
    assert lines[0] == "starting"
    assert "rest.message.received.timeout" in lines[1] and "Ottilie" not in lines[1]
    assert lines[2].endswith(" [cut]") and len(lines[2]) < MAX_LINE + 10
    assert lines[3:] == ["last line without newline"]


def test_only_log_files_are_log_files(tmp_path: Path) -> None:
    for name in ("rasa.log", "rasa.log.1", "actions.log", "endpoints.yml", "notes.txt"):
        (tmp_path / name).write_text("")
    (tmp_path / "sub.log").mkdir()
    assert [p.name for p in log_files(tmp_path)] == ["actions.log", "rasa.log", "rasa.log.1"]
    assert log_files(tmp_path / "missing") == []
