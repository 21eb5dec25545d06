"""Shared fixtures: a real SQLite file per test, PostgreSQL where configured, the example
profile and domain. The helpers they share with the tests live in tests/support/."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from fhb.db.engine import get_engine
from fhb.db.migrate import upgrade
from fhb.profile import Profile, load_profile
from tests.support import ROOT
from tests.support.clock import frozen_uow


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
            "leases",
            "staff_sessions",
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
def redis_url() -> str:
    """The machine's Redis; skipped when not configured."""
    url = os.environ.get("FHB_TEST_REDIS_URL")
    if not url:
        pytest.skip("FHB_TEST_REDIS_URL is not set (CI sets it)")
    return url


@pytest.fixture
def uow(db_url: str):  # type: ignore[no-untyped-def]
    """A unit-of-work factory on the test database."""
    return lambda: frozen_uow(db_url)
