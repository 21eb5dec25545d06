"""What the chat benchmark measures: samples, level results, percentiles, peak memory."""

from __future__ import annotations

import math
import os
import sqlite3
import subprocess
from collections import Counter
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

    @property
    def failed(self) -> bool:
        """Not a proper answer: an error status, the apology, or no bot text."""
        return self.status != 200 or self.apology or not self.has_text

    @property
    def why(self) -> str:
        """Why the message failed (for the report)."""
        if self.status == 0:
            return "no answer (timeout or refused)"
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


@dataclass
class Run:
    """Everything measured in one run."""

    levels: list[int]
    relay_timeout: float
    model: Path = ROOT / "models" / "fhb.tar.gz"
    model_b: Path | None = None  # the rest-b pipeline serves this one
    postgres: str = ""  # the tracker store's server (a fresh database each), else SQLite
    redis: str = ""  # Rasa's lock store, else in memory
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
