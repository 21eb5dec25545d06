"""What the chat benchmark measures: samples, level results, percentiles, peak memory."""

from __future__ import annotations

import math
import os
import sqlite3
import subprocess
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fhb.settings import ROOT


@dataclass(frozen=True)
class Sample:
    """One message: what was sent, its wall time, HTTP status (0: no answer), what came back."""

    step: str
    latency_ms: float
    status: int
    apology: bool
    has_text: bool
    error: str = ""  # the client's exception when there was no answer

    @property
    def failed(self) -> bool:
        """Not a proper answer: an error status, the apology, or no bot text."""
        return self.status != 200 or self.apology or not self.has_text

    @property
    def why(self) -> str:
        """Why the message failed (for the report)."""
        if self.status == 0:
            return f"no answer ({self.error or 'timeout or refused'})"
        if self.status != 200:
            return f"status {self.status}"
        return "the apology" if self.apology else "no bot text"


@dataclass
class LevelResult:
    """One pipeline at one level of concurrent conversations."""

    pipeline: str
    level: int
    wall_s: float
    samples: list[Sample]
    outcomes: Counter[str]
    bookings: int | None = None
    double_bookings: int | None = None
    cpu_s: dict[str, float] = field(default_factory=dict)  # CPU seconds per process, this level

    def cpu_ms_per_message(self, process: str) -> float:
        """CPU milliseconds one process spent per message of this level."""
        return 1000 * self.cpu_s.get(process, 0.0) / len(self.samples) if self.samples else 0.0

    @property
    def per_second(self) -> float:
        """Messages answered (or failed) per second of the level's wall time."""
        return len(self.samples) / self.wall_s if self.wall_s else 0.0

    def percentile(self, q: float) -> float:
        """Latency (ms) at quantile `q`, nearest rank."""
        ordered = sorted(s.latency_ms for s in self.samples)
        if not ordered:
            return math.nan
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@dataclass(frozen=True)
class PeakMemory:
    """A server process's (or child's) peak resident memory, from /proc/<pid>/status, and
    the CPU time it used over the whole pipeline (user + system, from /proc/<pid>/stat)."""

    pipeline: str
    process: str
    pid: int
    peak_kib: int
    cpu_s: float = 0.0


@dataclass(frozen=True)
class Target:
    """Where a pipeline's conversations go."""

    pipeline: str
    url: str
    timeout: float
    database: Path | None = None  # the visit database, for the booking counts
    think_s: float = 0.0  # a person's mean pause before each message (reading, typing)


@dataclass
class Run:
    """Everything measured in one run."""

    levels: list[int]
    relay_timeout: float
    model: Path = ROOT / "models" / "fhb.tar.gz"
    model_b: Path | None = None  # the rest-b pipeline serves this one
    postgres: str = ""  # the tracker store's server (a fresh database each), else SQLite
    redis: str = ""  # Rasa's lock store, else in memory
    think_s: float = 0.0  # mean pause before each message; 0: the next message at once
    solo_rounds: int = 5  # level 1: this many conversations, one after the other
    repeats: int = 1  # each level this many times per pipeline, the pipelines in turn

    def rounds(self, level: int) -> int:
        """How many groups of `level` people chat, one group after the other: one, but
        several single conversations in a row (a percentile of one conversation's eight
        messages would be its slowest message)."""
        return self.solo_rounds if level == 1 else 1

    @property
    def people(self) -> int:
        """How many simulated people the levels have in all."""
        return self.repeats * sum(level * self.rounds(level) for level in self.levels)

    results: list[LevelResult] = field(default_factory=list)
    memory: list[PeakMemory] = field(default_factory=list)


def visit_counts(database: Path) -> tuple[int, int]:
    """How many visits the database holds, and how many slots are double booked."""
    with sqlite3.connect(database) as db:
        (visits,) = db.execute("SELECT COUNT(*) FROM visits").fetchone()
        (double,) = db.execute(
            "SELECT COUNT(*) FROM (SELECT slot_id FROM visits WHERE status != 'cancelled' "
            "GROUP BY slot_id HAVING COUNT(*) > 1)"
        ).fetchone()
    return int(visits), int(double)


def descendants(pid: int) -> list[int]:
    """The processes started by `pid`, and theirs (read from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def peak_kib(pid: int) -> int | None:
    """VmHWM (peak resident set) of a live process in KiB, or None."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def peak_memory(pipeline: str, processes: dict[str, subprocess.Popen[bytes]]) -> list[PeakMemory]:
    """The peak memory of each server and of every process it started."""
    rows = []
    for name, process in processes.items():
        for pid in (process.pid, *descendants(process.pid)):
            kib = peak_kib(pid)
            if kib is not None:
                label = name if pid == process.pid else f"{name} child ({comm(pid)})"
                rows.append(PeakMemory(pipeline, label, pid, kib, cpu_seconds(pid)))
    return rows


def process_cpu(
    processes: dict[str, subprocess.Popen[bytes]], services: Sequence[str] = ()
) -> dict[str, float]:
    """CPU seconds so far of each server, its children included, of this process (the
    simulated people), and of the machine's database servers named in `services`."""
    used = {
        name: sum(cpu_seconds(pid) for pid in (process.pid, *descendants(process.pid)))
        for name, process in processes.items()
    }
    used["simulated people"] = own_cpu_seconds()
    for service in services:
        used[service] = service_cpu_seconds(service)
    return used


def service_cpu_seconds(command: str) -> float:
    """CPU seconds of every process named `command` (e.g. "postgres", "redis-server"), with
    what their ended children used (a PostgreSQL connection's process, once closed)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, rest = stat.read_text().split(" (", 1)[1].rsplit(")", 1)
        except (OSError, IndexError, ValueError):
            continue
        if name == command:
            fields = rest.split()
            total += sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return total


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process so far, in seconds (0.0 if gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """CPU time of this process (the simulated people) so far, in seconds."""
    usage = os.times()
    return usage.user + usage.system


def comm(pid: int) -> str:
    """A process's command name."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"
