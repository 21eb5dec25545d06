"""Shared end-to-end fixtures: the real action server and Rasa (once per test run), and the
channel server (`fhb serve`) started as its own process against them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import httpx
import pytest
import yaml

from bot.launcher import MODEL, server_starters, stop_servers, wait_until_ready
from fhb.settings import ROOT, Settings
from tests.support.live import Shared

FHB = str(Path(sys.executable).parent / "fhb")


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli_env(settings: Settings, **extra: str) -> dict[str, str]:
    """Environment pointing `fhb` (and `fhb serve`) at the test's servers and databases."""
    return {
        **os.environ,
        "FHB_DATABASE_URL": settings.database_url,
        "FHB_TRACKER_URL": settings.tracker_url,
        "FHB_RASA_URL": settings.rasa_url,
        "FHB_RASA_PORT": str(settings.rasa_port),
        "FHB_ACTION_PORT": str(settings.action_port),
        "FHB_HOST": "127.0.0.1",
        "FHB_PROFILE": str(settings.profile_path),
        "FHB_SECRET_KEY": "e2e-test-key",
        **extra,
    }


def always_open_profile(path: Path) -> Path:
    """The example profile, but staffed every day around the clock, so a request for a
    person joins the live queue whatever time the tests run, with more visitors."""
    raw = yaml.safe_load((ROOT / "data" / "kommune.yml").read_text(encoding="utf-8"))
    raw["contact"].update(
        open_weekdays=[1, 2, 3, 4, 5, 6, 7],
        open_from="00:00",
        open_to="00:00",
        chat_response_minutes=10,
    )
    # Twice the example's visitors: the simulated users book about sixty visits, and a
    # wish for next week must still find a free time on any weekday the tests run.
    raw["visitors"] = raw["visitors"] + [
        {"name": "Siri Lunde", "role": "sykepleier"},
        {"name": "Per Moen", "role": "ergoterapeut"},
    ]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


# One set of servers per run, also for tests/conversations (which imports `servers`).
SERVERS: Shared[Settings] = Shared()
# The running servers by name ("actions", "rasa") and how to start each again: fault tests
# kill one and bring it back.
PROCESSES: dict[str, subprocess.Popen[bytes]] = {}
STARTERS: dict[str, Callable[[], subprocess.Popen[bytes]]] = {}


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Both servers on free ports with their own SQLite files; slots made by `fhb`."""
    if not MODEL.exists():
        pytest.skip("no trained model: run `make test`, which trains it first")
    with SERVERS.use(lambda: running_servers(tmp_path_factory.mktemp("e2e"))) as settings:
        yield settings


@contextmanager
def running_servers(tmp: Path) -> Iterator[Settings]:
    """Start the action server and Rasa on free ports with SQLite files under `tmp`."""
    rasa_port = free_port()
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'fhb.db'}",
        tracker_url=f"sqlite:///{tmp / 'tracker.db'}",
        profile_path=always_open_profile(tmp / "kommune.yml"),
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_port=free_port(),
        rasa_port=rasa_port,
        host="127.0.0.1",
        secret_key="e2e-test-key",
    )
    env = cli_env(settings)
    subprocess.run([FHB, "init-db"], env=env, check=True, capture_output=True)
    subprocess.run([FHB, "generate-slots"], env=env, check=True, capture_output=True)
    starters = server_starters(settings, log_dir=tmp / "logs")
    PROCESSES.update({name: start() for name, start in starters.items()})
    STARTERS.update(starters)
    try:
        wait_until_ready(settings, list(PROCESSES.values()), timeout=240, log_dir=tmp / "logs")
        yield settings
    finally:
        stop_servers(list(PROCESSES.values()))
        PROCESSES.clear()
        STARTERS.clear()


class ChannelServer:
    """A running `fhb serve` process: its base URL, its log, and how to stop it."""

    def __init__(self, settings: Settings, log_path: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(log_path, "ab")  # kept open for the child process
        self.process = subprocess.Popen(
            [FHB, "serve"],
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=cli_env(settings, FHB_WEB_PORT=str(self.port), **env),
        )

    def wait_ready(self, timeout: float = 60) -> None:
        """Wait until the web chat answers; fail with the log if the process dies."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"fhb serve stopped:\n{self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        pytest.fail(f"fhb serve not ready:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        """Stop the process (SIGTERM, then kill)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._log.close()


@pytest.fixture
def channel_server(servers: Settings, tmp_path: Path) -> Iterator[object]:
    """A factory: `channel_server(**env)` starts `fhb serve` and stops it after the test."""
    started: list[ChannelServer] = []

    def start(**env: str) -> ChannelServer:
        server = ChannelServer(servers, tmp_path / f"serve-{len(started)}.log", **env)
        started.append(server)
        server.wait_ready()
        return server

    yield start
    for server in started:
        server.stop()
