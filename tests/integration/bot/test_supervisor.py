"""`fhb run` keeps its servers up: a dead one is started again with back-off, the others
keep running (issue 11). Real processes; the back-off clock is injected."""

from __future__ import annotations

import subprocess
import sys
from typing import Iterator

import pytest

from bot.supervisor import Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Every process the test starts, stopped at the end."""
    processes: list[subprocess.Popen[bytes]] = []
    yield processes
    for process in processes:
        process.kill()
        process.wait()


def test_a_dead_server_comes_back_and_the_others_keep_running(
    started: list[subprocess.Popen[bytes]],
) -> None:
    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(SLEEPER)
        started.append(process)
        return process

    clock, said = Clock(), []
    supervisor = Supervisor(
        {"rasa": start, "actions": start},
        {"rasa": start(), "actions": start()},
        now=clock,
        say=said.append,
    )
    first_rasa, actions = supervisor.processes["rasa"], supervisor.processes["actions"]
    first_rasa.kill()
    first_rasa.wait()
    supervisor.step()  # noticed: back in 1 s
    assert said == ["[fhb] rasa stoppet (kode -9); starter den igjen om 1 s"]
    clock.t = 1.0
    supervisor.step()
    assert supervisor.processes["rasa"] is not first_rasa
    assert supervisor.processes["rasa"].poll() is None
    assert actions.poll() is None and supervisor.processes["actions"] is actions
    assert supervisor.restarts == {"rasa": 1, "actions": 0}
    assert said[-1] == "[fhb] rasa startet igjen"


def test_back_off_doubles_and_resets_once_stable(started: list[subprocess.Popen[bytes]]) -> None:
    def crash() -> subprocess.Popen[bytes]:
        process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
        started.append(process)
        process.wait()
        return process

    clock, said = Clock(), []
    supervisor = Supervisor({"actions": crash}, {"actions": crash()}, now=clock, say=said.append)
    delays = []
    for _ in range(4):
        supervisor.step()  # noticed
        delays.append(said[-1].rsplit(" om ", 1)[1])
        clock.t += 100
        supervisor.step()  # restarted (and crashes at once)
    assert delays == ["1 s", "2 s", "4 s", "8 s"]

    def stay() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(SLEEPER)
        started.append(process)
        return process

    supervisor.starters["actions"] = stay
    supervisor.step()
    clock.t += 100
    supervisor.step()  # restarted, and it stays up
    clock.t += 300
    supervisor.step()  # stable: the next death waits 1 s again
    supervisor.processes["actions"].kill()
    supervisor.processes["actions"].wait()
    supervisor.step()
    assert said[-1].endswith("om 1 s")
