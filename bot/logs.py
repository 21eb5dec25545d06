"""The servers' log files, without personal data: `fhb run` pipes what each server writes
through `redact` into a private (0600, in a 0700 directory) file rotated by size, and the
retention purge deletes log files older than the profile's retention days.

What is taken out, line by line, before anything reaches the disk:

- Rasa's structured (JSON) log lines keep only their event name, level and a few technical
  fields: the user's text (logged in full on every timeout of the REST channel), slot values,
  entities, sender ids and exception locals are replaced;
- Rasa's warnings about a payload it could not parse lose the payload;
- conversation ids (`web-…`, `tg-…`, `cli-…`), API tokens in URLs (`?token=`) and the
  Telegram bot token in Bot API URLs;
- every fødselsnummer, in any shape.

Rasa and the action server run at LOG_LEVEL=INFO, so their DEBUG lines (which print whole
trackers) are never written at all.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
from pathlib import Path
from typing import IO, Any

from fhb.language.validation import mask_national_ids
from fhb.settings import ROOT

LOG_DIR = ROOT / "var" / "logs"
UMASK = 0o077  # files the servers create (logs, SQLite files) are 0600, directories 0700
FILE_MODE = 0o600
DIR_MODE = 0o700
MAX_BYTES = 5 * 1024 * 1024  # per file, then it is rotated
BACKUPS = 3  # rasa.log, rasa.log.1, rasa.log.2, rasa.log.3
MAX_LINE = 256 * 1024  # a longer line keeps its start only
REDACTED = "<redacted>"

_CONVERSATION = re.compile(r"\b(?:web|tg|cli)-[0-9a-f]{40}\b")
_URL_TOKEN = re.compile(r"([?&](?:token|auth_token|secret)=)[^&\s\"']+", re.IGNORECASE)
_TELEGRAM_TOKEN = re.compile(r"/bot\d+:[A-Za-z0-9_-]+")
_PAYLOAD_WARNING = re.compile(r"(Failed to parse arguments in line ).*")
_LOG_FILE = re.compile(r".+\.log(?:\.\d+)?")
# Keys of Rasa's structured log lines that never hold what a person wrote.
_SAFE_KEYS = frozenset(
    (
        "event",
        "event_key",
        "event_info",
        "level",
        "timestamp",
        "logger",
        "action_name",
        "policy_name",
        "intent_name",
        "model",
        "status",
        "status_code",
        "url",
    )
)


def redact(line: str) -> str:
    """One line of a server's output without personal data (see the module docstring)."""
    line = _structured(line)
    line = _PAYLOAD_WARNING.sub(rf"\g<1>'{REDACTED}'", line)
    line = _CONVERSATION.sub("<conversation>", line)
    line = _URL_TOKEN.sub(rf"\g<1>{REDACTED}", line)
    line = _TELEGRAM_TOKEN.sub(f"/bot{REDACTED}", line)
    return mask_national_ids(line)


def _structured(line: str) -> str:
    """The line with its structlog JSON (Rasa's `{"text": …, "event": …}`) reduced to the
    safe keys; a structured line that cannot be read is dropped after its prefix."""
    if '"event"' not in line:
        return line
    decoder = json.JSONDecoder()
    start = line.find("{")
    while start != -1:
        try:
            value, end = decoder.raw_decode(line, start)
        except ValueError:
            start = line.find("{", start + 1)
            continue
        if isinstance(value, dict) and "event" in value:
            kept = json.dumps(_safe_fields(value), ensure_ascii=False)
            return line[:start] + kept + line[end:]
        start = line.find("{", end)
    cut = line.find("{")
    head = line[:cut] if cut != -1 else ""
    return f'{head}{{"event": "{REDACTED}"}}\n'


def _safe_fields(event: dict[str, Any]) -> dict[str, Any]:
    """A structlog event with everything but the safe keys replaced; an exception keeps
    its type and where it happened, never its message or local variables."""
    safe: dict[str, Any] = {}
    for key, value in event.items():
        if key in _SAFE_KEYS and isinstance(value, (str, int, float, bool)):
            safe[key] = value
        elif key == "exception" and isinstance(value, list):
            safe[key] = [_exception(e) for e in value if isinstance(e, dict)]
        else:
            safe[key] = REDACTED
    return safe


def _exception(error: dict[str, Any]) -> dict[str, Any]:
    """One exception of structlog's dict_tracebacks: its type and frames' places."""
    frames = error.get("frames") if isinstance(error.get("frames"), list) else []
    return {
        "exc_type": str(error.get("exc_type", "")),
        "frames": [
            {k: f.get(k) for k in ("filename", "lineno", "name")}
            for f in frames or []
            if isinstance(f, dict)
        ],
    }


def private_dir(path: Path) -> Path:
    """Make `path` (and its parents) a directory only its owner can enter."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    path.chmod(DIR_MODE)
    return path


class RotatingLog:
    """An append-only file, 0600, rotated by size: `name`, `name.1` … `name.<backups>`.

    A file deleted under it (by the retention purge) is opened again at the next line.
    """

    def __init__(self, path: Path, *, max_bytes: int = MAX_BYTES, backups: int = BACKUPS):
        self.path = path
        self.max_bytes = max_bytes
        self.backups = backups
        self._fd: int | None = None
        self._size = 0

    def write(self, text: str) -> None:
        """Append text (whole lines), rotating first if the file would grow too large."""
        data = text.encode("utf-8", "replace")
        fd = self._open()
        if self._size and self._size + len(data) > self.max_bytes:
            self._rotate()
            fd = self._open()
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        self._size += len(data)

    def close(self) -> None:
        """Close the file."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _open(self) -> int:
        """The open file (0600), opened again if it was deleted meanwhile."""
        if self._fd is not None and os.fstat(self._fd).st_nlink == 0:
            self.close()  # deleted by the purge: start a new file
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
            os.fchmod(self._fd, FILE_MODE)  # a file from before keeps no wider mode
            self._size = os.fstat(self._fd).st_size
        return self._fd

    def _rotate(self) -> None:
        """Shift name.1 … to name.2 …, the oldest dropped; the current file becomes name.1."""
        self.close()
        if self.backups < 1:
            self.path.unlink(missing_ok=True)
            return
        for number in range(self.backups - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{number}")
            if older.exists():
                os.replace(older, self.path.with_name(f"{self.path.name}.{number + 1}"))
        os.replace(self.path, self.path.with_name(f"{self.path.name}.1"))


def copy_redacted(stream: IO[bytes], log: RotatingLog) -> None:
    """Copy a server's output into its log, line by line, redacted, until the stream ends."""
    try:
        while raw := stream.readline(MAX_LINE):
            if len(raw) >= MAX_LINE and not raw.endswith(b"\n"):
                while (rest := stream.readline(MAX_LINE)) and not rest.endswith(b"\n"):
                    pass  # the rest of a very long line is not kept
                raw += b" [cut]"
            line = raw.decode("utf-8", "replace")
            log.write(redact(line if line.endswith("\n") else line + "\n"))
    finally:
        log.close()
        stream.close()


def follow(process: subprocess.Popen[bytes], path: Path) -> threading.Thread:
    """Start copying a server's output (its stdout, with stderr joined) into `path`."""
    if process.stdout is None:
        raise ValueError("the process was started without stdout=PIPE")
    log = RotatingLog(path)
    log.write("")  # the file exists (0600) from the start, also for a quiet server
    thread = threading.Thread(
        target=copy_redacted,
        args=(process.stdout, log),
        name=f"fhb-log-{path.stem}",
        daemon=True,
    )
    thread.start()
    return thread


def log_files(log_dir: Path) -> list[Path]:
    """The log files in `log_dir` (`*.log` and their rotated `*.log.N`), nothing else."""
    if not log_dir.is_dir():
        return []
    return sorted(p for p in log_dir.iterdir() if p.is_file() and _LOG_FILE.fullmatch(p.name))
