"""The launcher's logs and the retention purge of old log files (issue 11): a server's output
goes redacted into a private file, what the server creates is private too, and log files
last written more than the retention days ago are deleted by the daily purge."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import sys
import time
from pathlib import Path

import pytest

from bot.channels.context import ChannelContext
from bot.channels.relay import RasaRelay
from bot.launcher import protect_sqlite_files, start_logged
from bot.outreach import retention
from fhb.clock import epoch
from fhb.profile import Profile
from fhb.settings import Settings
from tests.support import ROOT
from tests.support.clock import NOW, clock

CONVERSATION = "tg-" + "ab" * 20
TEXT = "Jeg heter Ottilie Fjordbakken og bor i Tindeveien 17"


def mode(path: Path) -> int:
    """The permission bits of a file or directory."""
    return stat.S_IMODE(path.stat().st_mode)


def test_a_servers_output_is_redacted_into_a_private_log(tmp_path: Path) -> None:
    event = json.dumps({"text": TEXT, "event": "rest.message.received.timeout"})
    script = (
        "import sys\n"
        f"print({event!r}, file=sys.stderr)\n"
        f"print('relay failed for {CONVERSATION}')\n"
        "open(sys.argv[1], 'w').close()\n"
    )
    made = tmp_path / "made-by-the-server.db"
    logs = tmp_path / "logs"
    process = start_logged(
        "rasa", [sys.executable, "-c", script, str(made)], env=dict(os.environ), log_dir=logs
    )
    assert process.wait(timeout=30) == 0
    log = logs / "rasa.log"
    deadline = time.monotonic() + 10  # the copying thread finishes after the process
    while time.monotonic() < deadline and "relay failed" not in (
        log.read_text() if log.exists() else ""
    ):
        time.sleep(0.05)
    written = log.read_text()
    assert "rest.message.received.timeout" in written
    assert "Ottilie" not in written and "Tindeveien" not in written
    assert CONVERSATION not in written and "relay failed for <conversation>" in written
    assert (mode(logs), mode(log), mode(made)) == (0o700, 0o600, 0o600)


def test_existing_sqlite_files_are_made_private(tmp_path: Path) -> None:
    database, journal = tmp_path / "fhb.db", tmp_path / "fhb.db-journal"
    for path in (database, journal):
        path.write_bytes(b"")
        path.chmod(0o644)
    protect_sqlite_files(f"sqlite:///{database}", "postgresql://db/fhb", f"sqlite:///{tmp_path}/x")
    assert (mode(database), mode(journal)) == (0o600, 0o600)


def age(path: Path, days: float) -> Path:
    """Set a file's last-written time to `days` before the tests' NOW."""
    when = epoch(NOW - dt.timedelta(days=days))
    os.utime(path, (when, when))
    return path


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    """A log directory with files of several ages (and a file that is no log)."""
    logs = tmp_path / "logs"
    logs.mkdir()
    for name, days in [
        ("rasa.log", 1),
        ("rasa.log.1", 89),
        ("rasa.log.2", 91),
        ("actions.log.3", 400),
        ("channels.log", 120),
        ("endpoints.yml", 365),
    ]:
        (logs / name).write_text("x\n")
        age(logs / name, days)
    return logs


def test_log_files_older_than_the_retention_days_are_deleted(log_dir: Path) -> None:
    assert retention.purge_logs(log_dir, NOW, 90, dry_run=True) == 3
    assert len(list(log_dir.iterdir())) == 6
    assert retention.purge_logs(log_dir, NOW, 90) == 3
    assert sorted(p.name for p in log_dir.iterdir()) == ["endpoints.yml", "rasa.log", "rasa.log.1"]
    assert retention.purge_logs(log_dir, NOW, 90) == 0
    with pytest.raises(ValueError):
        retention.purge_logs(log_dir, NOW, 0)


async def test_the_daily_purge_covers_the_logs(
    log_dir: Path, db_url: str, tmp_path: Path, profile: Profile
) -> None:
    settings = Settings(
        database_url=db_url,
        tracker_url=f"sqlite:///{tmp_path / 'tracker.db'}",
        profile_path=ROOT / "data" / "kommune.yml",
        rasa_url="http://rasa.test",
        action_port=0,
        rasa_port=0,
        host="127.0.0.1",
    )
    ctx = ChannelContext(
        settings=settings,
        profile=profile,
        key=b"log-retention-test",
        relay=RasaRelay("http://rasa.test"),
        clock=clock,
    )
    assert profile.retention_days == 90
    assert await retention.purge_once(ctx, log_dir=log_dir) == 0  # no conversations
    assert sorted(p.name for p in log_dir.iterdir()) == ["endpoints.yml", "rasa.log", "rasa.log.1"]
    await ctx.relay.aclose()
