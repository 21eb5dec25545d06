"""No personal data in the log files (issue 11, finding 7), end to end: the real action server
and Rasa (the shared `servers`, started by the launcher's `start_servers`) and `fhb serve`
started by the launcher's `start_logged`, as `fhb run` starts it.

A person with a distinctive name, address and phone number books a visit through the web
chat, and writes them once more through a channel whose relay gives up at once, so that
Rasa logs a timeout of the REST channel (it puts the whole message text in that line).
Then every file in the log directories is read: none of them may hold the name, the address,
the phone number or the conversation id, every file there is 0600 in a 0700 directory, and the
SQLite files are 0600.
"""

from __future__ import annotations

import re
import stat
import subprocess
import time
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest

from bot.launcher import channel_command, start_logged
from fhb.clock import system_clock
from fhb.db import visits as visits_db
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.settings import Settings
from tests.e2e.conftest import cli_env, free_port
from tests.e2e.webchat import WebChat, to_summary

pytestmark = pytest.mark.e2e

NAME = "Ottilie Fjordbakken"
ADDRESS = "Tindeveien 17"
PHONE = "913 57 246"
# The phone number with anything (or nothing) between its digits: "91357246", "+47 913 57 246".
PHONE_ANY_SHAPE = re.compile(r"\D{0,3}".join("91357246"))
FORBIDDEN = ("Ottilie", "Fjordbakken", "Tindeveien")


def start_channels(settings: Settings, log_dir: Path, name: str, **env: str) -> tuple[Any, str]:
    """`fhb serve` as the launcher starts it (its output redacted into `log_dir/<name>.log`)."""
    port = free_port()
    process = start_logged(
        name,
        channel_command(),
        env=cli_env(settings, FHB_WEB_PORT=str(port), **env),
        log_dir=log_dir,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"fhb serve stopped; see {log_dir / name}.log")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    pytest.fail(f"fhb serve not ready; see {log_dir / name}.log")


@pytest.fixture
def channel_logs(servers: Settings, tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """Two channel servers logging into one directory: a normal one and one whose relay
    times out at once. Yields the directory and their URLs; stops them after the test."""
    log_dir = tmp_path / "logs"
    normal, normal_url = start_channels(servers, log_dir, "channels")
    hasty, hasty_url = start_channels(servers, log_dir, "channels-hasty", FHB_RELAY_TIMEOUT="0.05")
    yield log_dir, {"normal": normal_url, "hasty": hasty_url}
    for process in (normal, hasty):
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def server_log_dir(settings: Settings) -> Path:
    """Where the shared servers log: `logs` beside their SQLite files (tests/e2e/conftest)."""
    return sqlite_path(settings.database_url).parent / "logs"


def sqlite_path(url: str) -> Path:
    """The file of a sqlite:/// URL."""
    return Path(url.removeprefix("sqlite:///"))


def mode(path: Path) -> int:
    """The permission bits of a file or directory."""
    return stat.S_IMODE(path.stat().st_mode)


def book(chat: WebChat) -> None:
    """Book a visit with the distinctive name, address and phone number."""
    to_summary(chat, NAME, system_clock().year - 78, ADDRESS, PHONE)
    assert "Besøket er bestilt" in chat.press("Ja, det stemmer")


def wait_for_line(path: Path, needle: str, timeout: float = 60) -> None:
    """Wait until the log file has a line containing `needle`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and needle in path.read_text(encoding="utf-8", errors="replace"):
            return
        time.sleep(0.2)
    pytest.fail(f"{needle!r} never reached {path}")


def test_a_booking_leaves_no_personal_data_in_the_logs(
    servers: Settings, channel_logs: tuple[Path, dict[str, str]]
) -> None:
    log_dir, urls = channel_logs
    chat = WebChat(urls["normal"], servers.secret_key.encode())
    try:
        book(chat)
    finally:
        chat.close()
    conversation = chat.conversation
    with SqlAlchemyUnitOfWork(servers.database_url, clock=system_clock) as session:
        booked = [v for v in visits_db.list_visits(session) if v.conversation_id == conversation]
        assert [(v.citizen.name, v.citizen.address, v.citizen.phone) for v in booked] == [
            (NAME, ADDRESS, "+4791357246")
        ]

    # The same words through a relay that gives up at once: Rasa logs the timeout.
    hasty = WebChat(urls["hasty"], servers.secret_key.encode())
    try:
        hasty.say(f"Jeg heter {NAME}, bor i {ADDRESS} og har telefon {PHONE}")
        hasty_conversation = hasty.conversation
    finally:
        hasty.close()
    rasa_log = server_log_dir(servers) / "rasa.log"
    wait_for_line(rasa_log, "rest.message.received.timeout")

    files = sorted(
        p for d in (server_log_dir(servers), log_dir) for p in d.rglob("*") if p.is_file()
    )
    assert {p.name for p in files} >= {"rasa.log", "actions.log", "channels.log"}
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        found = [word for word in FORBIDDEN if word.lower() in text.lower()]
        found += [m.group(0) for m in PHONE_ANY_SHAPE.finditer(text)]
        found += [c for c in (conversation, hasty_conversation) if c in text]
        assert found == [], f"{path.name} holds {found}"

    for directory in (server_log_dir(servers), log_dir):
        assert mode(directory) == 0o700, directory
    for path in files:
        assert mode(path) == 0o600, path
    for url in (servers.database_url, servers.tracker_url):
        assert mode(sqlite_path(url)) == 0o600, url
