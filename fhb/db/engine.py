"""Engine and unit of work: one short transaction per action call."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from types import TracebackType
from typing import Any

from sqlalchemy import create_engine, event, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from fhb.clock import Clock, naive_utc
from fhb.db.models import Base
from fhb.settings import get_settings


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """Create (once per URL) an engine; SQLite waits for locks instead of failing.

    A SQLite file keeps its connections in a pool, as a server database does: SQLAlchemy
    1.4 would open a new one (and set its pragmas) for every unit of work, a tenth of the
    action server's CPU under load (issue 12)."""
    if url.startswith("sqlite"):
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            future=True,
            connect_args={"timeout": 30, "check_same_thread": False},
            **({} if in_memory else {"poolclass": QueuePool}),
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    """Turn on foreign keys and WAL so readers do not block the writer."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def session_now(session: Session) -> dt.datetime:
    """The unit of work's "now", naive UTC (how the database stores time)."""
    clock: Clock = session.info["clock"]
    return naive_utc(clock())


class ClockedSession(Session):
    """A session of the visit database: its `info["clock"]` is the unit of work's clock."""


def _stamp(session: Session, _context: object, _instances: object) -> None:
    """Fill the time stamps (columns with info stamp=created/updated) from the session's clock."""
    now = session_now(session)
    for obj in session.new:
        for column in inspect(obj).mapper.columns:
            if column.info.get("stamp") and getattr(obj, column.key) is None:
                setattr(obj, column.key, now)
    for obj in session.dirty:
        state = inspect(obj)
        for column in state.mapper.columns:
            if (
                column.info.get("stamp") == "updated"
                and session.is_modified(obj)
                and not state.attrs[column.key].history.has_changes()
            ):
                setattr(obj, column.key, now)


event.listen(ClockedSession, "before_flush", _stamp)  # only our sessions, not Rasa's


@lru_cache(maxsize=8)
def _session_factory(engine: Engine) -> sessionmaker[ClockedSession]:
    """The sessions of one engine (made once: each sessionmaker makes a new Session class,
    whose event hooks SQLAlchemy then sets up at every first use; making one per unit of
    work cost a tenth of the action server's CPU under load, py-spy, issue 12)."""
    return sessionmaker(bind=engine, class_=ClockedSession, future=True, expire_on_commit=False)


class SqlAlchemyUnitOfWork:
    """`with uow as session:` opens one transaction, committed on success.

    The clock is the caller's (an action's, the channel context's, the CLI's system clock):
    every "now" in the repository and every time stamp written comes from it.
    """

    def __init__(self, url: str | None = None, *, clock: Clock) -> None:
        self._url = url
        self._clock = clock
        self._session: Session | None = None

    def __enter__(self) -> Session:
        url = self._url or get_settings().database_url
        self._session = _session_factory(get_engine(url))()
        self._session.info["clock"] = self._clock
        self._session.begin()
        return self._session

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is None:
            raise RuntimeError("unit of work exited without being entered")
        try:
            if exc_type is None:
                self._session.commit()
            else:
                self._session.rollback()
        finally:
            self._session.close()
            self._session = None


def list_rows(session: Session, model: type[Base]) -> list[Any]:
    """All rows of a table, oldest (lowest id) first."""
    first_key = inspect(model).primary_key[0]
    return list(session.execute(select(model).order_by(first_key)).scalars())
