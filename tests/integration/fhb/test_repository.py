"""The visit database on a real SQLite file (and PostgreSQL where configured)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, Table, event, inspect, text

from fhb.db import slots, visits
from fhb.db.engine import get_engine
from fhb.db.models import Base
from tests.support.clock import NOW, frozen_uow

CITIZEN = visits.CitizenDetails(
    name="Kari Nordmann", birth_year=1948, address="Storgata 5", phone="+4791555555"
)


def add_slot(url: str, *, hours_ahead: int = 48, visitor: str = "Kari Hansen") -> int:
    """One future slot; return its id."""
    start = (NOW.replace(tzinfo=None) + dt.timedelta(hours=hours_ahead)).replace(microsecond=0)
    with frozen_uow(url) as session:
        slots.add_slots(session, [(start, start + dt.timedelta(hours=1), visitor)])
        return slots.list_slots(session)[-1][0].id


def schema_differences(url: str, metadata: MetaData = Base.metadata) -> list[Any]:
    """What Alembic's autogenerate finds between a migrated database and the models: tables,
    columns, types, nullability, indexes (partial ones too) and unique constraints.

    Rasa's tracker store (`events`), which some tests create in the same database, is not
    ours and is left out; nothing else is."""

    def ours(name: str | None, kind: str, parent: Any) -> bool:
        return not (kind == "table" and name == "events")

    with get_engine(url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": ours})
        return list(compare_metadata(context, metadata))


def test_the_migrations_build_exactly_the_models(db_url: str) -> None:
    assert "alembic_version" in inspect(get_engine(db_url)).get_table_names()
    assert schema_differences(db_url) == []


@pytest.mark.postgres
def test_the_migrations_build_exactly_the_models_on_postgresql(pg_url: str) -> None:
    assert schema_differences(pg_url) == []


def test_a_difference_would_be_found(db_url: str) -> None:
    """The comparison is not empty by accident: a model column no migration adds shows."""
    changed = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(changed)
    Table("visits", changed, Column("new_column", Integer), extend_existing=True)
    [difference] = schema_differences(db_url, changed)
    assert difference[0] == "add_column" and difference[2:3] == ("visits",)


def test_book_cancel_and_rebook_frees_the_slot(db_url: str) -> None:
    slot_id = add_slot(db_url)
    with frozen_uow(db_url) as session:
        visit = visits.book_visit(session, slot_id=slot_id, citizen=CITIZEN, conversation_id="c1")
        visit_id = visit.id
    with frozen_uow(db_url) as session:
        assert not slots.is_slot_free(session, slot_id)
    with pytest.raises(visits.SlotTaken):
        with frozen_uow(db_url) as session:
            visits.book_visit(session, slot_id=slot_id, citizen=CITIZEN, conversation_id="c2")
    with frozen_uow(db_url) as session:
        visits.cancel_visit(session, visit_id)
    with frozen_uow(db_url) as session:
        assert slots.is_slot_free(session, slot_id)
        visits.book_visit(session, slot_id=slot_id, citizen=CITIZEN, conversation_id="c2")
    with frozen_uow(db_url) as session:
        statuses = sorted(v.status for v in visits.list_visits(session))
    assert statuses == ["booked", "cancelled"]


def test_a_failed_transaction_writes_nothing(db_url: str) -> None:
    slot_id = add_slot(db_url)
    with pytest.raises(RuntimeError):
        with frozen_uow(db_url) as session:
            visits.book_visit(session, slot_id=slot_id, citizen=CITIZEN, conversation_id="c1")
            raise RuntimeError("the action failed after the write")
    with frozen_uow(db_url) as session:
        assert visits.list_visits(session) == []


def test_move_to_a_taken_slot_is_refused(db_url: str) -> None:
    first, second = add_slot(db_url, hours_ahead=48), add_slot(db_url, hours_ahead=72)
    with frozen_uow(db_url) as session:
        mine = visits.book_visit(session, slot_id=first, citizen=CITIZEN, conversation_id="me").id
        visits.book_visit(session, slot_id=second, citizen=CITIZEN, conversation_id="other")
    with pytest.raises(visits.SlotTaken):
        with frozen_uow(db_url) as session:
            visits.move_visit(session, mine, second)
    with frozen_uow(db_url) as session:
        assert visits.booked_visit_for_conversation(session, "me").slot_id == first


def test_only_this_conversation_sees_its_booking(db_url: str) -> None:
    slot_id = add_slot(db_url)
    with frozen_uow(db_url) as session:
        visits.book_visit(session, slot_id=slot_id, citizen=CITIZEN, conversation_id="mine")
    with frozen_uow(db_url) as session:
        assert visits.booked_visit_for_conversation(session, "mine") is not None
        assert visits.booked_visit_for_conversation(session, "someone-else") is None


def test_past_slots_cannot_be_booked(db_url: str) -> None:
    slot_id = add_slot(db_url, hours_ahead=-2)
    with pytest.raises(visits.SlotTaken):
        with frozen_uow(db_url) as session:
            visits.book_visit(session, slot_id=slot_id, citizen=CITIZEN, conversation_id="c1")


def concurrent_bookings(url: str, attempts: int = 20) -> tuple[int, int]:
    """Confirm one slot from `attempts` threads at once; return (booked, refused)."""
    slot_id = add_slot(url)
    barrier = threading.Barrier(attempts)
    results: list[str] = []
    lock = threading.Lock()

    def confirm(n: int) -> None:
        barrier.wait()
        try:
            with frozen_uow(url) as session:
                visits.book_visit(
                    session, slot_id=slot_id, citizen=CITIZEN, conversation_id=f"conversation-{n}"
                )
            outcome = "booked"
        except visits.SlotTaken:
            outcome = "taken"
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=confirm, args=(n,)) for n in range(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with frozen_uow(url) as session:
        active = [v for v in visits.list_visits(session) if v.slot_id == slot_id]
    assert len(active) == 1
    return results.count("booked"), results.count("taken")


def test_twenty_concurrent_confirmations_on_sqlite(db_url: str) -> None:
    assert concurrent_bookings(db_url) == (1, 19)


@pytest.mark.postgres
def test_twenty_concurrent_confirmations_on_postgresql(pg_url: str) -> None:
    assert concurrent_bookings(pg_url) == (1, 19)


def test_a_sqlite_file_reuses_its_connections_with_foreign_keys_on(db_url: str) -> None:
    """Units of work on a SQLite file share pooled connections (not one new connection
    per unit of work), and every connection has the pragmas set."""
    engine = get_engine(db_url)
    opened: list[object] = []
    event.listen(engine, "connect", lambda conn, _record: opened.append(conn))
    for _ in range(5):
        with frozen_uow(db_url) as session:
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert len(opened) <= 1
