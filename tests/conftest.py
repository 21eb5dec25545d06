"""Shared fixtures: a real SQLite file per test, the example profile, trackers in code."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from fhb.db.engine import SqlAlchemyUnitOfWork, get_engine
from fhb.db.migrate import upgrade
from fhb.profile import Profile, load_profile

ROOT = Path(__file__).resolve().parent.parent
# A fixed "now": Monday 23 November 2026, 10:00 in Oslo (09:00 UTC).
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="session")
def profile() -> Profile:
    """The shipped example profile (Fjellvik kommune)."""
    return load_profile(ROOT / "data" / "kommune.yml")


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """domain.yml as a dict, as the action server receives it."""
    with open(ROOT / "domain.yml", encoding="utf-8") as f:
        return yaml.safe_load(f)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A migrated SQLite database in a real file."""
    url = f"sqlite:///{tmp_path / 'fhb.db'}"
    upgrade(url)
    return url


@pytest.fixture
def pg_url() -> str:
    """The machine's PostgreSQL, emptied and migrated; skipped when not configured."""
    url = os.environ.get("FHB_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("FHB_TEST_POSTGRES_URL is not set (CI sets it)")
    from sqlalchemy import text

    engine = get_engine(url)
    with engine.begin() as conn:
        for table in (
            "takeovers",
            "conversation_stats",
            "conversation_reviews",
            "access_log",
            "staff_users",
            "notifications",
            "channel_contacts",
            "invitations",
            "callbacks",
            "feedback",
            "declines",
            "visits",
            "slots",
            "citizens",
            "alembic_version",
        ):
            conn.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
    upgrade(url)
    return url


@pytest.fixture
def uow(db_url: str):  # type: ignore[no-untyped-def]
    """A unit-of-work factory on the test database."""
    return lambda: frozen_uow(db_url)


def clock() -> dt.datetime:
    """The frozen clock of the tests."""
    return NOW


def frozen_uow(url: str | None = None) -> SqlAlchemyUnitOfWork:
    """A unit of work on `url` whose "now" is the tests' frozen clock."""
    return SqlAlchemyUnitOfWork(url, clock=clock)


def make_tracker(
    *,
    sender_id: str = "test-conversation",
    slots: dict[str, Any] | None = None,
    text: str = "",
    intent: str | None = None,
    confidence: float = 1.0,
    entities: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    response_selector: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker built in code, as rasa_sdk's own tests do."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence} if intent else {},
        "entities": entities or [],
    }
    if response_selector is not None:
        latest["response_selector"] = response_selector
    return Tracker(
        sender_id,
        slots or {},
        latest,
        events or [],
        False,
        None,
        {"name": active_loop} if active_loop else {},
        "action_listen",
    )


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    """Names of the responses an action uttered."""
    return [m.get("response") for m in dispatcher.messages]
