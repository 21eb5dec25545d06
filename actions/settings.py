"""Settings read from the environment, with defaults that work on a fresh clone."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _sqlite_url(name: str) -> str:
    """Return a SQLite URL for a file under the project's var/ folder."""
    return f"sqlite:///{ROOT / 'var' / name}"


@dataclass(frozen=True)
class Settings:
    """Everything configurable about one running FHB-bot."""

    database_url: str
    tracker_url: str
    profile_path: Path
    rasa_url: str
    action_port: int
    rasa_port: int
    host: str


def get_settings() -> Settings:
    """Read the settings from the environment (called at use, never at import)."""
    return Settings(
        database_url=os.environ.get("FHB_DATABASE_URL") or _sqlite_url("fhb.db"),
        tracker_url=os.environ.get("FHB_TRACKER_URL") or _sqlite_url("tracker.db"),
        profile_path=Path(
            os.environ.get("FHB_PROFILE") or ROOT / "data" / "kommune.yml"
        ),
        rasa_url=os.environ.get("FHB_RASA_URL") or "http://127.0.0.1:5005",
        action_port=int(os.environ.get("FHB_ACTION_PORT") or 5055),
        rasa_port=int(os.environ.get("FHB_RASA_PORT") or 5005),
        host=os.environ.get("FHB_HOST") or "127.0.0.1",
    )
