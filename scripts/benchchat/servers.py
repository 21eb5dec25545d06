"""The benchmark's servers: free ports, processes and their logs, databases, the profile,
the FHB stack, and the `rasa init` demo bot's model."""

from __future__ import annotations

import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import sqlalchemy
import yaml
from sqlalchemy.engine import make_url

from benchchat.measure import Run
from bot.launcher import server_starters, stop_servers, wait_until_ready
from fhb.clock import system_clock
from fhb.profile import load_profile
from fhb.settings import ROOT, Settings
from fhb.slot_offer import earliest_start
from fhb.slot_plan import plan_slots

BIN = Path(sys.executable).parent
FHB = str(BIN / "fhb")
RASA = str(BIN / "rasa")
INIT_DIR = ROOT / "var" / "bench" / "rasa-init"
LOGS = ROOT / "var" / "bench" / "logs"


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


def cli_env(settings: Settings, **extra: str) -> dict[str, str]:
    """Environment pointing `fhb` (and `fhb serve`) at this run's servers and databases."""
    return {
        **os.environ,
        "FHB_DATABASE_URL": settings.database_url,
        "FHB_TRACKER_URL": settings.tracker_url,
        "FHB_RASA_URL": ",".join(settings.rasa_urls),  # every Rasa server (web2: two)
        "FHB_RASA_PORT": str(settings.rasa_port),
        "FHB_ACTION_PORT": str(settings.action_port),
        "FHB_HOST": "127.0.0.1",
        "FHB_PROFILE": str(settings.profile_path),
        "FHB_SECRET_KEY": settings.secret_key,
        "TELEGRAM_BOT_TOKEN": "",  # the web chat only
        "FHB_RASA_SERVERS": str(settings.rasa_servers),  # what `settings` describes
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
