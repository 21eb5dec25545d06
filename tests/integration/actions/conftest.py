"""Fixtures of the action tests: visit slots in the test database."""

from __future__ import annotations

from typing import Any

import pytest

from fhb.db import slots as slots_db
from fhb.slot_plan import plan_slots
from tests.support.clock import NOW, frozen_uow


@pytest.fixture
def slots(db_url: str, profile: Any) -> list[int]:
    """Two weeks of slots from the frozen 'now'."""
    with frozen_uow(db_url) as session:
        slots_db.add_slots(session, plan_slots(profile, start=NOW.date(), weeks=2))
        return [s.id for s, _ in slots_db.list_slots(session, after=NOW.replace(tzinfo=None))]
