"""Benchmark: many people chatting at once, through the whole stack and two baselines.

Run with `make bench-chat` (or `.venv/bin/python scripts/bench_chat.py [--levels 1,10]`).
For each level N (default 1, 10, 50 and 200) N simulated people chat at the same time
(asyncio + httpx), and every HTTP call is timed (wall time, `time.perf_counter`):

- web: the full stack as a citizen meets it: `fhb serve` (web chat JSON API) -> Rasa -> the
  action server -> SQLite. Each person opens a session, starts the chat, says hello, asks two
  questions, asks for a visit, types name, birth year, address and phone in one message,
  presses one of the times offered (a different one for each person, as people choose) and
  confirms with "Ja" (another time when theirs was taken, at most three tries).
- web2: the same with two Rasa processes (and two action servers) on a shared PostgreSQL
  tracker store and a Redis lock store (`--postgres`, `--redis`), each conversation routed
  to one of them by the channel server.
- rest: the same messages and button payloads posted straight to Rasa's REST webhook: the
  same model and action server (databases of its own), without the channel server.
- init: the `rasa init` demo bot (moodbot, English, in-memory tracker store, no action
  server), ten short messages a conversation; the model is trained once into
  var/bench/rasa-init and reused.

Each pipeline gets its own servers and temp directory (own visit and tracker databases, an
always-open copy of data/kommune.yml with enough visitors for every booking), started before
its first level and stopped after its last; one conversation before the first level warms
it up and is not counted. Peak memory is each process's VmHWM at the end of its pipeline.
With `--postgres` every pipeline of ours keeps its trackers there (a fresh database each);
`--model` serves another model (to compare configurations in one run).
A message fails when the status is not 200, when the answer is the channel's apology (503,
"vet ikke sikkert") or when no bot text comes back. Bookings are the visits a level added
to the visit database; double bookings are slots with more than one visit that is not
cancelled. The report is printed and written to var/bench/chat.md.
"""

from __future__ import annotations

import abc
import argparse
import asyncio
import math
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import sqlalchemy
import yaml
from sqlalchemy.engine import make_url

from bot.launcher import server_starters, stop_servers, wait_until_ready
from fhb.clock import system_clock
from fhb.profile import load_profile
from fhb.settings import ROOT, Settings
from fhb.slot_offer import earliest_start
from fhb.slot_plan import plan_slots

BIN = Path(sys.executable).parent
FHB = str(BIN / "fhb")
RASA = str(BIN / "rasa")
MODEL = ROOT / "models" / "fhb.tar.gz"
INIT_DIR = ROOT / "var" / "bench" / "rasa-init"
LOGS = ROOT / "var" / "bench" / "logs"
PIPELINES = ("web", "web2", "rest", "rest-b", "init")
PIPELINE_NAMES = {
    "web": "web chat (full stack)",
    "web2": "web chat, 2 Rasa processes",
    "rest": "Rasa REST alone, same model",
    "rest-b": "Rasa REST alone, the --model-b model",
    "init": "`rasa init` demo bot",
}
Json = dict[str, Any]

FAQ = ("Hva er et forebyggende hjemmebesøk?", "Koster det noe?")
ASK_FOR_VISIT = "Jeg vil gjerne bestille et besøk"
# Every moodbot intent, in the order of its stories (a "no" late in a long conversation
# gets no answer from the demo's policies: it comes early, after the first "Did that help?").
MOOD_MESSAGES = (
    "hi",
    "I am sad",
    "no",
    "hello",
    "I am great",
    "are you a bot?",
    "hey",
    "very sad",
    "yes",
    "bye",
)
FIRST_NAMES = (
    "Kari Ola Ingrid Per Astrid Knut Solveig Arne Randi Bjørn Gerd Odd Liv Svein Berit Terje "
    "Anne Jan Marit Rolf Eva Leif Sigrid Harald Turid"
).split()
LAST_NAMES = (
    "Nordmann Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen "
    "Karlsen Johnsen Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl "
    "Jørgensen Halvorsen Henriksen Lund"
).split()
MIDDLE_NAMES = "Marie Johan Elise Magnus Helene Nils Margrete Anders".split()
STREETS = (
    "Storgata Fjordveien Kirkegata Skolegata Strandveien Bakkeveien Granveien Parkveien "
    "Torggata Havnegata"
).split()

NOT_SURE = "vet ikke sikkert"  # the channel's apology: Rasa failed or was too slow
BOOKED = "Besøket er bestilt"  # utter_booking_confirmed
TIME_PAYLOAD = "/choose_slot"
MAX_TIME_TRIES = 3
MAX_BOOKING_STEPS = 8  # button presses after the details, at most


# --- what is measured ---------------------------------------------------------------------


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
    """A server process's (or child's) peak resident memory, from /proc/<pid>/status."""

    pipeline: str
    process: str
    pid: int
    peak_kib: int


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


# --- the simulated people -----------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A citizen with details nobody else in the run has."""

    name: str
    birth_year: int
    address: str
    phone: str

    @classmethod
    def number(cls, n: int, *, this_year: int) -> Person:
        """Person number `n` (from 0), 80 years old this year: in the profile's target group."""
        first, rest = FIRST_NAMES[n % len(FIRST_NAMES)], n // len(FIRST_NAMES)
        last, extra = LAST_NAMES[rest % len(LAST_NAMES)], rest // len(LAST_NAMES)
        middle = f" {MIDDLE_NAMES[(extra - 1) % len(MIDDLE_NAMES)]}" if extra else ""
        digits = f"{91000000 + n:08d}"
        return cls(
            name=f"{first}{middle} {last}",
            birth_year=this_year - 80,
            address=f"{STREETS[n % len(STREETS)]} {n // len(STREETS) + 1}",
            phone=f"{digits[:3]} {digits[3:5]} {digits[5:]}",
        )

    def details(self) -> str:
        """Everything the booking form asks for, in one message."""
        return (
            f"Jeg heter {self.name}, født {self.birth_year}, bor i {self.address} "
            f"og telefonen min er {self.phone}"
        )


class Conversation(abc.ABC):
    """One conversation over HTTP: each message timed, the bot's last answer kept."""

    def __init__(self, http: httpx.AsyncClient, samples: list[Sample]) -> None:
        self.http = http
        self.samples = samples
        self.last: list[Json] = []

    @abc.abstractmethod
    async def start(self) -> None:
        """Open the conversation as the channel does."""

    @abc.abstractmethod
    async def send(self, body: dict[str, str], step: str) -> None:
        """Send {"text": ...} or {"payload": ...}; `step` names it in the report."""

    @abc.abstractmethod
    def bot_messages(self, answer: object) -> list[Json]:
        """The bot's messages in a JSON answer."""

    async def say(self, text: str, step: str | None = None) -> None:
        """Type a message."""
        await self.send({"text": text}, step or text)

    async def press(self, button: Json) -> None:
        """Press a button of the last answer."""
        payload = str(button["payload"])
        step = "[a time]" if payload.startswith(TIME_PAYLOAD) else f"[{button.get('title')}]"
        await self.send({"payload": payload}, step)

    async def post(self, url: str, body: Json, headers: dict[str, str], step: str) -> None:
        """POST, time it, keep the answer and record the sample."""
        began = time.perf_counter()
        try:
            response = await self.http.post(url, json=body, headers=headers)
            latency = (time.perf_counter() - began) * 1000
            status, self.last = response.status_code, self.bot_messages(response.json())
        except (httpx.HTTPError, ValueError):  # timeout, refused, or not JSON
            latency = (time.perf_counter() - began) * 1000
            status, self.last = 0, []
        text = self.text()
        apology = status == 503 or NOT_SURE in text
        self.samples.append(Sample(step, latency, status, apology, bool(text.strip())))

    def text(self) -> str:
        """The texts of the last answer."""
        return "\n".join(str(m.get("text") or "") for m in self.last)

    def buttons(self) -> list[Json]:
        """The buttons of the last answer, in order."""
        return [b for m in self.last for b in m.get("buttons") or [] if isinstance(b, dict)]

    def last_failed(self) -> bool:
        """Whether the last message failed."""
        return bool(self.samples) and self.samples[-1].failed


class WebConversation(Conversation):
    """A browser's session with `fhb serve` (the JSON API the chat page uses)."""

    def __init__(self, http: httpx.AsyncClient, samples: list[Sample], url: str) -> None:
        super().__init__(http, samples)
        self.url = url
        self.headers: dict[str, str] = {}

    async def start(self) -> None:
        """Get a session token (not timed: no message), then open the chat."""
        response = await self.http.post(f"{self.url}/api/session")
        self.headers["X-FHB-Session"] = str(response.json()["token"])
        await self.post(f"{self.url}/api/start", {}, self.headers, "(start)")

    async def send(self, body: dict[str, str], step: str) -> None:
        """A typed message or a button's payload, as the page sends them."""
        await self.post(f"{self.url}/api/message", body, self.headers, step)

    def bot_messages(self, answer: object) -> list[Json]:
        """The answer is a list of messages; the bot's have "from": "bot"."""
        items = answer if isinstance(answer, list) else []
        return [m for m in items if isinstance(m, dict) and m.get("from") == "bot"]


class RestConversation(Conversation):
    """A conversation straight with Rasa's REST webhook, under a sender id of its own."""

    def __init__(self, http: httpx.AsyncClient, samples: list[Sample], url: str) -> None:
        super().__init__(http, samples)
        self.url = f"{url}/webhooks/rest/webhook"
        self.sender = f"bench-{uuid.uuid4().hex}"

    async def start(self) -> None:
        """What the web chat's /api/start sends to Rasa without an invitation code."""
        await self.say("/greet", "(start)")

    async def send(self, body: dict[str, str], step: str) -> None:
        """The text, or the button's payload, is the message."""
        message = body.get("text", body.get("payload", ""))
        await self.post(self.url, {"sender": self.sender, "message": message}, {}, step)

    def bot_messages(self, answer: object) -> list[Json]:
        """Rasa answers with a list of messages to the sender."""
        items = answer if isinstance(answer, list) else []
        return [m for m in items if isinstance(m, dict)]


async def book_a_time(chat: Conversation, pick: random.Random) -> str:
    """After the details: press one of the times offered (as people do, not all the first)
    and "Ja" until the visit is booked.

    Returns how it went: booked, no_times (none offered), taken (three times gone),
    error (a message failed) or stuck (something else on the screen).
    """
    tries = 0
    for _ in range(MAX_BOOKING_STEPS):
        if BOOKED in chat.text():
            return "booked"
        if chat.last_failed():
            return "error"
        times = [b for b in chat.buttons() if str(b.get("payload", "")).startswith(TIME_PAYLOAD)]
        yes = [b for b in chat.buttons() if str(b.get("title", "")).startswith("Ja")]
        if times:
            if tries == MAX_TIME_TRIES:
                return "taken"
            tries += 1
            await chat.press(pick.choice(times))
        elif yes:  # "Stemmer dette?" and any other yes/no question on the way
            await chat.press(yes[0])
        else:
            return "no_times" if tries == 0 else "stuck"
    return "stuck"


async def citizen(chat: Conversation, person: Person) -> str:
    """Greet, ask two questions, then book a visit with all details typed at once."""
    await chat.start()
    for text in ("Hei", *FAQ, ASK_FOR_VISIT):
        await chat.say(text)
    await chat.say(person.details(), "(name, birth year, address, phone)")
    return await book_a_time(chat, random.Random(person.name))


async def moodbot_user(chat: Conversation) -> str:
    """Ten short English messages to the demo bot."""
    for text in MOOD_MESSAGES:
        await chat.say(text)
    return "done"


async def one_person(
    target: Target, http: httpx.AsyncClient, samples: list[Sample], person: Person
) -> str:
    """One simulated person on this pipeline; returns how the conversation ended."""
    try:
        if target.pipeline.startswith("web"):
            return await citizen(WebConversation(http, samples, target.url), person)
        chat = RestConversation(http, samples, target.url)
        if target.pipeline.startswith("rest"):
            return await citizen(chat, person)
        return await moodbot_user(chat)
    except (httpx.HTTPError, ValueError, KeyError):  # the session could not be opened
        return "error"


# --- one level ----------------------------------------------------------------------------


def visit_counts(database: Path) -> tuple[int, int]:
    """How many visits the database holds, and how many slots are double booked."""
    with sqlite3.connect(database) as db:
        (visits,) = db.execute("SELECT COUNT(*) FROM visits").fetchone()
        (double,) = db.execute(
            "SELECT COUNT(*) FROM (SELECT slot_id FROM visits WHERE status != 'cancelled' "
            "GROUP BY slot_id HAVING COUNT(*) > 1)"
        ).fetchone()
    return int(visits), int(double)


async def run_level(target: Target, level: int, first: int) -> LevelResult:
    """`level` people at once (numbered from `first`); time every message."""
    this_year = system_clock().year
    samples: list[Sample] = []
    before = visit_counts(target.database)[0] if target.database else 0
    limits = httpx.Limits(max_connections=level + 10, max_keepalive_connections=level + 10)
    async with httpx.AsyncClient(timeout=target.timeout, limits=limits) as http:
        began = time.perf_counter()
        outcomes = await asyncio.gather(
            *(
                one_person(target, http, samples, Person.number(n, this_year=this_year))
                for n in range(first, first + level)
            )
        )
        wall = time.perf_counter() - began
    result = LevelResult(target.pipeline, level, wall, samples, Counter(outcomes))
    if target.database:
        visits, result.double_bookings = visit_counts(target.database)
        result.bookings = visits - before
    return result


def run_levels(target: Target, run: Run) -> None:
    """One conversation to warm up (not counted: Rasa loads parts of its model on the first
    message), then every level, one after the other, on the same servers."""
    asyncio.run(run_level(target, 1, sum(run.levels)))  # the last person number: unused
    first = 0
    for level in run.levels:
        result = asyncio.run(run_level(target, level, first))
        first += level
        run.results.append(result)
        print(
            f"[bench] {target.pipeline} x{level}: {len(result.samples)} messages in "
            f"{result.wall_s:.1f} s, {sum(s.failed for s in result.samples)} failed, "
            f"outcomes {dict(result.outcomes)}",
            flush=True,
        )


# --- processes ----------------------------------------------------------------------------


def free_ports(n: int) -> int:
    """The first of `n` free TCP ports in a row on loopback."""
    for _ in range(100):
        first = free_port()
        try:
            for port in range(first + 1, first + n):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return first
    raise RuntimeError(f"no {n} free ports in a row")


def fresh_tracker_db(postgres: str, name: str) -> str:
    """With `--postgres`: a new, empty tracker database there (its URL), else ""."""
    if not postgres:
        return ""
    database = "fhb_bench_" + "".join(c for c in name.lower() if c.isalnum())[:40]
    engine = sqlalchemy.create_engine(postgres, future=True, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sqlalchemy.text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
            conn.execute(sqlalchemy.text(f"CREATE DATABASE {database}"))
    finally:
        engine.dispose()
    return make_url(postgres).set(database=database).render_as_string(hide_password=False)


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
                rows.append(PeakMemory(pipeline, label, pid, kib))
    return rows


def comm(pid: int) -> str:
    """A process's command name."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    """Wait until `url` answers 200; raise RuntimeError if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} stopped at start-up; see {log}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} not ready after {timeout:.0f} s; see {log}")


def start_logged(
    command: list[str], *, cwd: Path, env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    """Start a process with its output in `log`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)


@contextmanager
def workdir(pipeline: str) -> Iterator[Path]:
    """A temp directory for one pipeline's servers; their logs are kept in var/bench/logs."""
    with tempfile.TemporaryDirectory(prefix=f"fhb-bench-{pipeline}-") as name:
        tmp = Path(name)
        try:
            yield tmp
        finally:
            keep = LOGS / pipeline
            shutil.rmtree(keep, ignore_errors=True)
            keep.mkdir(parents=True)
            for log in tmp.glob("*.log*"):
                shutil.copy(log, keep / log.name)
            print(f"[bench] {pipeline}: server logs in {keep}", flush=True)


# --- the FHB stack ------------------------------------------------------------------------


def cli_env(settings: Settings, **extra: str) -> dict[str, str]:
    """Environment pointing `fhb` (and `fhb serve`) at this run's servers and databases."""
    return {
        **os.environ,
        "FHB_DATABASE_URL": settings.database_url,
        "FHB_TRACKER_URL": settings.tracker_url,
        "FHB_RASA_URL": settings.rasa_url,
        "FHB_RASA_PORT": str(settings.rasa_port),
        "FHB_ACTION_PORT": str(settings.action_port),
        "FHB_HOST": "127.0.0.1",
        "FHB_PROFILE": str(settings.profile_path),
        "FHB_SECRET_KEY": settings.secret_key,
        "TELEGRAM_BOT_TOKEN": "",  # the web chat only
        "FHB_RASA_SERVERS": "1",  # the one Rasa server `settings` describes, whatever is set
        "RASA_TELEMETRY_ENABLED": "false",
        **extra,
    }


def bookable_slots(path: Path) -> tuple[int, int]:
    """Slots the profile at `path` makes from today that can be booked, and per visitor."""
    profile = load_profile(path)
    now = system_clock()
    after = earliest_start(now, profile.timezone)
    today = now.astimezone(ZoneInfo(profile.timezone)).date()  # as `fhb generate-slots`
    slots = [s for s in plan_slots(profile, start=today) if s[0] > after]
    return len(slots), max(1, len(slots) // len(profile.visitors))


def bench_profile(path: Path, bookings: int) -> Path:
    """The example profile, staffed around the clock, with visitors added until every
    simulated person can book (each books at most one visit)."""
    raw = yaml.safe_load((ROOT / "data" / "kommune.yml").read_text(encoding="utf-8"))
    raw["contact"].update(
        open_weekdays=[1, 2, 3, 4, 5, 6, 7],
        open_from="00:00",
        open_to="00:00",
        chat_response_minutes=10,
    )
    needed = bookings + 20  # a margin: slots earlier today cannot be booked
    while True:
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        count, per_visitor = bookable_slots(path)
        if count >= needed:
            return path
        more = math.ceil((needed - count) / per_visitor)
        start = len(raw["visitors"]) + 1
        raw["visitors"] += [
            {"name": f"Besøker {n}", "role": "sykepleier"} for n in range(start, start + more)
        ]


def start_channels(
    settings: Settings,
    processes: dict[str, subprocess.Popen[bytes]],
    tmp: Path,
    relay_timeout: float,
) -> str:
    """Start `fhb serve` on a free port (added to `processes`); return the web chat URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = cli_env(settings, FHB_WEB_PORT=str(port), FHB_RELAY_TIMEOUT=f"{relay_timeout:g}")
    log = tmp / "serve.log"
    processes["channels"] = start_logged([FHB, "serve"], cwd=ROOT, env=env, log=log)
    wait_for(f"{url}/healthz", processes["channels"], log, 60)
    return url


@contextmanager
def fhb_stack(
    tmp: Path,
    *,
    bookings: int,
    run: Run,
    channels: bool,
    rasa_servers: int = 1,
    pipeline: str = "web",
) -> Iterator[tuple[Settings, dict[str, subprocess.Popen[bytes]], str]]:
    """The action server and Rasa (and `fhb serve` if `channels`) on free ports, with
    SQLite files and enough slots under `tmp`; yields settings, processes, web chat URL."""
    rasa_port, action_port = free_ports(rasa_servers), free_ports(rasa_servers)
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'fhb.db'}",
        tracker_url=fresh_tracker_db(run.postgres, tmp.name) or f"sqlite:///{tmp / 'tracker.db'}",
        profile_path=bench_profile(tmp / "kommune.yml", bookings),
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_port=action_port,
        rasa_port=rasa_port,
        host="127.0.0.1",
        secret_key="bench-key",
        rasa_servers=rasa_servers,
        redis_url=run.redis,
    )
    env = cli_env(settings)
    subprocess.run([FHB, "init-db"], env=env, check=True, capture_output=True)
    made = subprocess.run([FHB, "generate-slots"], env=env, check=True, capture_output=True)
    print(f"[bench] {made.stdout.decode().strip()}", flush=True)
    model = run.model_b if pipeline == "rest-b" and run.model_b else run.model
    starters = server_starters(settings, model=model, log_dir=tmp)
    processes = {name: start() for name, start in starters.items()}
    try:
        wait_until_ready(settings, list(processes.values()), timeout=300, log_dir=tmp)
        web_url = ""
        if channels:
            web_url = start_channels(settings, processes, tmp, run.relay_timeout)
        yield settings, processes, web_url
    finally:
        stop_servers(list(processes.values()))


def run_fhb(pipeline: str, run: Run) -> None:
    """The web chat or the REST baseline: own servers, all levels, peak memory."""
    with workdir(pipeline) as tmp:
        print(f"[bench] {pipeline}: starting the servers in {tmp} ...", flush=True)
        with fhb_stack(
            tmp,
            bookings=sum(run.levels),
            run=run,
            channels=pipeline.startswith("web"),
            rasa_servers=2 if pipeline == "web2" else 1,
            pipeline=pipeline,
        ) as (settings, processes, web_url):
            target = Target(
                pipeline,
                web_url or settings.rasa_url,
                timeout=run.relay_timeout + 60 if pipeline.startswith("web") else 600,
                database=Path(settings.database_url.removeprefix("sqlite:///")),
            )
            run_levels(target, run)
            run.memory += peak_memory(pipeline, processes)


# --- the `rasa init` demo bot -------------------------------------------------------------


def demo_model() -> Path:
    """The demo bot's model; `rasa init` makes and trains it the first time (1-2 min)."""
    found = sorted((INIT_DIR / "models").glob("*.tar.gz"))
    if found:
        return found[-1]
    INIT_DIR.mkdir(parents=True, exist_ok=True)
    log = INIT_DIR.parent / "rasa-init.log"
    print(f"[bench] init: training the `rasa init` demo bot (log: {log}) ...", flush=True)
    with log.open("wb") as out:
        subprocess.run(
            [RASA, "init", "--no-prompt", "--init-dir", str(INIT_DIR)],
            cwd=ROOT,
            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
        )
    found = sorted((INIT_DIR / "models").glob("*.tar.gz"))
    if not found:
        raise RuntimeError(f"`rasa init` made no model; see {log}")
    return found[-1]


def run_init(run: Run) -> None:
    """The demo bot with plain `rasa run` (REST channel only, its own endpoints file)."""
    model = demo_model()
    with workdir("init") as tmp:
        credentials = tmp / "credentials.yml"
        credentials.write_text("rest:\n", encoding="utf-8")
        port, log = free_port(), tmp / "rasa.log"
        command = [RASA, "run", "--model", str(model), "--interface", "127.0.0.1"]
        command += ["--port", str(port), "--credentials", str(credentials)]
        command += ["--endpoints", str(INIT_DIR / "endpoints.yml")]
        env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
        print("[bench] init: starting `rasa run` ...", flush=True)
        process = start_logged(command, cwd=INIT_DIR, env=env, log=log)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for(f"{url}/webhooks/rest/", process, log, 300)
            run_levels(Target("init", url, timeout=600), run)
            run.memory += peak_memory("init", {"rasa": process})
        finally:
            stop_servers([process])


# --- the report ---------------------------------------------------------------------------


def git_commit() -> str:
    """The short commit, marked when the working tree has changes."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{commit} (with uncommitted changes)" if git("status", "--porcelain") else commit


def measure(run: Run, pipeline: str, level: int, what: str) -> float | None:
    """p50, p95 or msg/s of one pipeline at one level, or None if it did not run."""
    result = next((r for r in run.results if r.pipeline == pipeline and r.level == level), None)
    if result is None:
        return None
    return result.per_second if what == "msg/s" else result.percentile(float(what[1:]) / 100)


def ratio(run: Run, what: str, level: int, pipelines: tuple[str, str]) -> str:
    """`what` of the first pipeline over the second's at `level`, or n/a."""
    a, b = (measure(run, pipeline, level, what) for pipeline in pipelines)
    if a is None or b is None or not b or math.isnan(a) or math.isnan(b):
        return "n/a"
    return f"{a / b:.2f}"


def level_table(run: Run) -> list[str]:
    """One row per pipeline and level."""
    lines = [
        "| pipeline | conversations | messages | p50 ms | p95 ms | p99 ms | msg/s | failures "
        "| bookings | double bookings |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in run.results:
        failures = sum(s.failed for s in r.samples)
        booked = "-" if r.bookings is None else f"{r.bookings} / {r.level}"
        double = "-" if r.double_bookings is None else str(r.double_bookings)
        lines.append(
            f"| {PIPELINE_NAMES[r.pipeline]} | {r.level} | {len(r.samples)} "
            f"| {r.percentile(0.5):.0f} | {r.percentile(0.95):.0f} | {r.percentile(0.99):.0f} "
            f"| {r.per_second:.2f} | {failures} | {booked} | {double} |"
        )
    return lines


def outcome_table(run: Run) -> list[str]:
    """How each booking conversation ended, and how often a time was pressed."""
    kinds = ("booked", "no_times", "taken", "stuck", "error")
    lines = [
        "| pipeline | conversations | " + " | ".join(kinds) + " | times pressed |",
        "| --- | ---: |" + " ---: |" * (len(kinds) + 1),
    ]
    for r in run.results:
        if r.pipeline != "init":
            counts = " | ".join(str(r.outcomes.get(k, 0)) for k in kinds)
            pressed = sum(s.step == "[a time]" for s in r.samples)
            lines.append(f"| {PIPELINE_NAMES[r.pipeline]} | {r.level} | {counts} | {pressed} |")
    return lines


def failure_table(run: Run) -> list[str]:
    """The failed messages by what was sent and why."""
    failed = Counter(
        (r.pipeline, r.level, s.step, s.why) for r in run.results for s in r.samples if s.failed
    )
    if not failed:
        return ["No message failed."]
    lines = [
        "| pipeline | conversations | message | why | count |",
        "| --- | ---: | --- | --- | ---: |",
    ]
    for (pipeline, level, step, why), count in sorted(failed.items()):
        lines.append(f"| {PIPELINE_NAMES[pipeline]} | {level} | {step} | {why} | {count} |")
    return lines


def memory_table(run: Run) -> list[str]:
    """Peak resident memory of every process, read at the end of its pipeline."""
    lines = ["| pipeline | process | pid | peak MiB (VmHWM) |", "| --- | --- | ---: | ---: |"]
    for m in run.memory:
        lines.append(
            f"| {PIPELINE_NAMES[m.pipeline]} | {m.process} | {m.pid} | {m.peak_kib / 1024:.0f} |"
        )
    totals = Counter[str]()
    for m in run.memory:
        totals[m.pipeline] += m.peak_kib
    for pipeline, kib in totals.items():
        lines.append(f"| {PIPELINE_NAMES[pipeline]} | **sum of peaks** | | {kib / 1024:.0f} |")
    return lines


def ratio_lines(run: Run) -> list[str]:
    """The ratios the issue asks for (n/a where a level or pipeline did not run)."""
    lines = [
        "- full stack p95 / `rasa init` p95 at 1 conversation: "
        + ratio(run, "p95", 1, ("web", "init")),
        "- full stack msg/s / `rasa init` msg/s at 50 conversations: "
        + ratio(run, "msg/s", 50, ("web", "init")),
    ]
    for level in run.levels:
        lines.append(
            f"- full stack / Rasa REST alone at {level}: "
            f"p50 {ratio(run, 'p50', level, ('web', 'rest'))}, "
            f"p95 {ratio(run, 'p95', level, ('web', 'rest'))}"
        )
    return lines


def report(run: Run, pipelines: Sequence[str], elapsed_s: float) -> str:
    """The whole report in Markdown."""
    head = [
        "# Chat benchmark: concurrent conversations",
        "",
        f"{system_clock():%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores; commit {git_commit()}; "
        f"levels {', '.join(map(str, run.levels))}; pipelines {', '.join(pipelines)}; "
        f"FHB_RELAY_TIMEOUT {run.relay_timeout:g} s; the run took {elapsed_s / 60:.1f} min.",
        "",
        "Each web chat and REST conversation: start, «Hei», two questions, «Jeg vil gjerne "
        "bestille et besøk», all details in one message, the first time offered, «Ja». Each "
        "`rasa init` conversation: ten short English messages. Each pipeline has its own "
        "servers (and databases), warmed up by one conversation that is not counted. "
        "Latency is the wall time of each HTTP call; msg/s is all messages of a level over "
        "its wall time. Bookings are the visits the level added to the visit database; every "
        "person takes the first time offered, so at high levels many want the same time.",
        "",
        "## Per level",
        "",
    ]
    sections = [
        level_table(run),
        ["", "## How the booking conversations ended", ""],
        outcome_table(run),
        ["", "## Failed messages", ""],
        failure_table(run),
        ["", "## Peak memory per process", ""],
        memory_table(run),
        ["", "## Ratios", ""],
        ratio_lines(run),
    ]
    return "\n".join(head + [line for part in sections for line in part]) + "\n"


# --- main ---------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--levels", default="1,10,50,200", help="concurrent conversations, comma-separated"
    )
    parser.add_argument(
        "--pipelines",
        default="web,web2,rest,init",
        help="a subset of " + ",".join(PIPELINES),
    )
    parser.add_argument("--relay-timeout", type=float, default=10.0, help="FHB_RELAY_TIMEOUT")
    parser.add_argument("--model", type=Path, default=MODEL, help="the Rasa model to serve")
    parser.add_argument(
        "--model-b", type=Path, default=None, help="another model, served by the rest-b pipeline"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("FHB_TEST_POSTGRES_URL", ""),
        help="tracker store on this PostgreSQL (a fresh database per pipeline); else SQLite",
    )
    parser.add_argument(
        "--redis",
        default=os.environ.get("FHB_TEST_REDIS_URL", ""),
        help="Rasa's lock store on this Redis; else in memory",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "chat.md")
    args = parser.parse_args(argv)
    args.levels = [int(n) for n in args.levels.split(",") if n.strip()]
    args.pipelines = [p.strip() for p in args.pipelines.split(",") if p.strip()]
    unknown = set(args.pipelines) - set(PIPELINES)
    if unknown or not args.pipelines or not args.levels or min(args.levels) < 1:
        parser.error(
            "--pipelines is a subset of web,web2,rest,rest-b,init; --levels positive numbers"
        )
    if "rest-b" in args.pipelines and not args.model_b:
        parser.error("rest-b needs --model-b")
    if "web2" in args.pipelines and not (args.postgres and args.redis):
        parser.error("web2 (two Rasa processes) needs --postgres and --redis")
    return args


def _stop_on_signal(signum: int, frame: object) -> None:
    """SIGTERM stops the servers like Ctrl+C does."""
    raise KeyboardInterrupt


def main() -> int:
    """Run every pipeline at every level, then write the report."""
    args = parse_args()
    if {"web", "web2", "rest"} & set(args.pipelines) and not args.model.exists():
        print("no trained model: run `make model` first", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _stop_on_signal)
    run = Run(
        levels=args.levels,
        relay_timeout=args.relay_timeout,
        model=args.model,
        model_b=args.model_b,
        postgres=args.postgres,
        redis=args.redis,
    )
    began = time.perf_counter()
    try:
        for pipeline in args.pipelines:
            if pipeline == "init":
                run_init(run)
            else:
                run_fhb(pipeline, run)
    except KeyboardInterrupt:
        print("[bench] stopped; the servers are down", file=sys.stderr)
        return 130
    except (RuntimeError, subprocess.CalledProcessError) as e:
        print(f"[bench] {e}", file=sys.stderr)
        return 1
    text = report(run, args.pipelines, time.perf_counter() - began)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    print(f"report: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
