"""`fhb run`: start the action server and Rasa on 127.0.0.1, then chat in the terminal."""

from __future__ import annotations

import functools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

import httpx
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from bot.logs import LOG_DIR, UMASK, follow, private_dir
from bot.supervisor import Supervisor
from fhb.settings import ROOT, Settings, get_settings, rasa_api_token

MODEL = ROOT / "models" / "fhb.tar.gz"
LOGS = LOG_DIR


def lock_store_yaml(redis_url: str) -> str:
    """The Redis lock store for `redis_url` (endpoints.yml), or "" for none (in memory).

    Ours (bot.lock_store), not Rasa's `type: redis`: Rasa's blocks the server on every
    round trip and can give one lock to two processes."""
    if not redis_url:
        return ""
    parsed = make_url(redis_url)
    lines = ["lock_store:", "  type: bot.lock_store.AsyncRedisLockStore"]
    lines.append(f'  url: "{parsed.host or "127.0.0.1"}"')
    lines.append(f"  port: {parsed.port or 6379}")
    lines.append(f"  db: {int(parsed.database or 0)}")
    lines.append("  key_prefix: fhb")
    if parsed.password:
        lines.append(f'  password: "{parsed.password}"')
    return "\n".join(lines) + "\n"


def write_endpoints(settings: Settings, path: Path, *, action_port: int | None = None) -> Path:
    """Write the endpoints file one Rasa server needs: its action server, the SQL tracker
    store all Rasa servers share, and the Redis lock store when FHB_REDIS_URL is set.

    The domain goes to the action server only for the actions marked `send_domain` in
    domain.yml (the forms' validation and the FAQ answers read it): for the others it was
    most of each call's JSON (issue 12)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "action_endpoint:\n"
        f'  url: "http://127.0.0.1:{action_port or settings.action_port}/webhook"\n'
        "  enable_selective_domain: true\n"
        "tracker_store:\n"
        "  type: bot.tracker_store.UrlSQLTrackerStore\n" + lock_store_yaml(settings.redis_url),
        encoding="utf-8",
    )
    return path


def server_names(settings: Settings) -> list[tuple[str, str, int, int]]:
    """(Rasa's name, its action server's name, Rasa's port, the action port) per pair:
    "rasa"/"actions" first, then "rasa-2"/"actions-2", ... (FHB_RASA_SERVERS)."""
    return [
        (
            "rasa" if i == 0 else f"rasa-{i + 1}",
            "actions" if i == 0 else f"actions-{i + 1}",
            settings.rasa_port + i,
            settings.action_port + i,
        )
        for i in range(settings.rasa_servers)
    ]


def server_commands(
    settings: Settings, endpoints: Path, model: Path, *, rasa_port: int = 0, action_port: int = 0
) -> dict[str, list[str]]:
    """The command lines of one pair of servers (the first pair by default).

    Rasa's HTTP API is on for live takeover (pause, resume), always behind the token:
    every API route but the REST channel then needs it (CVE-2024-49375: nobody without the
    token can load a model).
    """
    bin_dir = Path(sys.executable).parent
    return {
        "actions": [
            str(bin_dir / "rasa"),
            "run",
            "actions",
            "--actions",
            "actions",
            "--port",
            str(action_port or settings.action_port),
        ],
        "rasa": [
            str(bin_dir / "rasa"),
            "run",
            "--model",
            str(model),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(ROOT / "credentials.yml"),
            "--interface",
            settings.host,
            "--port",
            str(rasa_port or settings.rasa_port),
            "--enable-api",
            "--auth-token",
            rasa_api_token(settings),
        ],
    }


def channel_command() -> list[str]:
    """The channel server: web chat, Telegram (with a token) and the scheduler."""
    return [str(Path(sys.executable).parent / "fhb"), "serve"]


def start_logged(
    name: str, command: list[str], *, env: dict[str, str], log_dir: Path
) -> subprocess.Popen[bytes]:
    """Start one server whose output goes, redacted and rotated, to `log_dir/<name>.log`.

    The server runs with umask 077, so what it creates (SQLite files, journals) is 0600.
    """
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**env, "PYTHONUNBUFFERED": "1"},  # every line reaches the log as it is written
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        umask=UMASK,
    )
    follow(process, private_dir(log_dir) / f"{name}.log")
    return process


def protect_sqlite_files(*urls: str) -> None:
    """Make existing SQLite files (and their journals) readable by their owner only."""
    for url in urls:
        if not url.startswith("sqlite:///"):
            continue
        path = Path(url.removeprefix("sqlite:///"))
        for file in (path, *(path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm"))):
            if file.is_file():
                file.chmod(0o600)


def server_starters(
    settings: Settings, *, model: Path = MODEL, log_dir: Path = LOGS
) -> dict[str, Callable[[], subprocess.Popen[bytes]]]:
    """How to start each server (FHB_RASA_SERVERS pairs of action server and Rasa) again,
    with their logs in `log_dir`."""
    private_dir(log_dir)
    protect_sqlite_files(settings.database_url, settings.tracker_url)
    env = {
        **os.environ,
        "SANIC_HOST": settings.host,
        "RASA_TELEMETRY_ENABLED": "false",
        "FHB_DATABASE_URL": settings.database_url,
        "FHB_TRACKER_URL": settings.tracker_url,
        "FHB_PROFILE": str(settings.profile_path),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "LOG_LEVEL": "INFO",  # Rasa's DEBUG lines print whole trackers: never on here
    }
    starters: dict[str, Callable[[], subprocess.Popen[bytes]]] = {}
    for rasa, actions, rasa_port, action_port in server_names(settings):
        suffix = rasa.removeprefix("rasa")
        endpoints = write_endpoints(
            settings, log_dir / f"endpoints{suffix}.yml", action_port=action_port
        )
        endpoints.chmod(0o600)
        commands = server_commands(
            settings, endpoints, model, rasa_port=rasa_port, action_port=action_port
        )
        for name, kind in ((actions, "actions"), (rasa, "rasa")):
            starters[name] = functools.partial(
                start_logged, name, commands[kind], env=env, log_dir=log_dir
            )
    return starters


def start_servers(
    settings: Settings, *, model: Path = MODEL, log_dir: Path = LOGS
) -> list[subprocess.Popen[bytes]]:
    """Start both servers with their logs (and endpoints file) in `log_dir`."""
    return [start() for start in server_starters(settings, model=model, log_dir=log_dir).values()]


def wait_until_ready(
    settings: Settings,
    processes: list[subprocess.Popen[bytes]],
    *,
    timeout: float = 300,
    log_dir: Path = LOGS,
) -> None:
    """Wait until every server answers; raise RuntimeError if one dies or it takes too long."""
    urls = [
        url
        for _, _, rasa_port, action_port in server_names(settings)
        for url in (
            f"http://127.0.0.1:{action_port}/health",
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/",
        )
    ]
    deadline = time.monotonic() + timeout
    pending = list(urls)
    while pending:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"a server stopped at start-up; see {log_dir}")
        try:
            if httpx.get(pending[0], timeout=2).status_code == 200:
                pending.pop(0)
                continue
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"servers not ready after {timeout:.0f} s; see {log_dir}")
        time.sleep(1)


def tracker_store_is_sql(url: str) -> bool:
    """Rasa silently falls back to memory if its SQL store fails: check the table exists."""
    engine = create_engine(url, future=True)
    try:
        return inspect(engine).has_table("events")
    finally:
        engine.dispose()


def port_in_use(host: str, port: int) -> bool:
    """Tell whether something already listens on host:port (an old run, say)."""
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) == 0


def stop_servers(processes: list[subprocess.Popen[bytes]]) -> None:
    """Stop the servers politely (SIGTERM), then firmly."""
    for process in processes:
        if process.poll() is None:
            process.terminate()  # SIGTERM: Sanic and uvicorn shut down cleanly on it
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def start_channels(settings: Settings, *, log_dir: Path = LOGS) -> subprocess.Popen[bytes]:
    """Start `fhb serve` (after Rasa is ready) with its log in `log_dir`."""
    env = {
        **os.environ,
        "FHB_DATABASE_URL": settings.database_url,
        "FHB_TRACKER_URL": settings.tracker_url,
        "FHB_RASA_URL": ",".join(settings.rasa_urls),
    }
    return start_logged("channels", channel_command(), env=env, log_dir=log_dir)


def wait_for_channels(
    settings: Settings, process: subprocess.Popen[bytes], *, timeout: float = 60
) -> None:
    """Wait until the web chat answers; raise RuntimeError if the process dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"kanalserveren stoppet; se {LOGS / 'channels.log'}")
        try:
            if httpx.get(f"{settings.local_web_url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"kanalserveren svarte ikke; se {LOGS / 'channels.log'}")


def _stop_on_signal(signum: int, frame: object) -> None:
    """SIGTERM stops the servers like Ctrl+C does."""
    raise KeyboardInterrupt


def run(*, chat: bool = False) -> int:
    """Start everything and serve until stopped; `chat` adds the terminal chat."""
    from bot.channels.terminal.chat import chat_loop

    os.umask(UMASK)  # what the launcher and the servers create is their owner's only
    settings = get_settings()
    if not MODEL.exists():
        print("Fant ingen trent modell. Kjør 'make run' (den trener modellen).", file=sys.stderr)
        return 1
    ports = (
        *(
            (settings.host, port)
            for _, _, rasa, action in server_names(settings)
            for port in (rasa, action)
        ),
        (settings.channel_host, settings.web_port),
    )
    busy = [p for h, p in ports if port_in_use("127.0.0.1" if h in ("0.0.0.0", "::") else h, p)]
    if busy:
        print(
            f"[fhb] port {', '.join(map(str, busy))} er allerede i bruk. Kjører boten "
            "fra før? Stopp den, eller velg andre porter (FHB_RASA_PORT, FHB_ACTION_PORT, "
            "FHB_WEB_PORT).",
            file=sys.stderr,
        )
        return 1
    pairs = f"{settings.rasa_servers} par av " if settings.rasa_servers > 1 else ""
    print(f"[fhb] starter {pairs}action-server og Rasa på {settings.host} (logger i {LOGS}) ...")
    signal.signal(signal.SIGTERM, _stop_on_signal)  # a process manager stops us cleanly too
    starters = server_starters(settings)
    processes = {name: start() for name, start in starters.items()}
    supervisor: Supervisor | None = None
    stop = threading.Event()
    try:
        wait_until_ready(settings, list(processes.values()))
        if not tracker_store_is_sql(settings.tracker_url):
            print(
                "[fhb] ADVARSEL: Rasa bruker ikke SQL-lageret for samtaler. "
                f"Se {LOGS / 'rasa.log'}.",
                file=sys.stderr,
            )
        starters["channels"] = functools.partial(start_channels, settings)
        processes["channels"] = starters["channels"]()
        wait_for_channels(settings, processes["channels"])
        # From here on a server that dies is started again; the others keep serving.
        supervisor = Supervisor(starters, processes, say=lambda line: print(line, flush=True))
        threading.Thread(target=supervisor.loop, args=(stop,), daemon=True).start()
        print(f"[fhb] klar. Åpne nettchatten: {settings.local_web_url}/")
        print(
            f"[fhb] ansattsidene: {settings.local_web_url}/staff/ "
            "(lag en konto med: .venv/bin/fhb staff add NAVN --role admin)"
        )
        print(
            f"[fhb] live chat: de som ber om en person i åpningstiden, står under "
            f"{settings.local_web_url}/staff/ko"
        )
        if settings.telegram_token:
            print(
                f"[fhb] Telegram er på ({settings.telegram_mode}). Kobler til i bakgrunnen; "
                f"feil står i {LOGS / 'channels.log'}."
            )
        else:
            print("[fhb] Telegram er av (sett TELEGRAM_BOT_TOKEN for å slå det på).")
        if chat:
            chat_loop(settings.rasa_url)
        else:
            print("[fhb] kjører. Stopp med Ctrl+C.")
            while True:
                time.sleep(1)
    except KeyboardInterrupt:
        pass
    except RuntimeError as e:
        print(f"[fhb] {e}", file=sys.stderr)
        return 1
    finally:
        stop.set()
        print("[fhb] stopper serverne ...")
        stop_servers(supervisor.current() if supervisor else list(processes.values()))
    return 0
