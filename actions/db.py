"""Engine and unit of work: one short transaction per action call."""

from __future__ import annotations

from functools import lru_cache
from types import TracebackType

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from actions.settings import get_settings


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """Create (once per URL) an engine; SQLite waits for locks instead of failing."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, future=True, connect_args={"timeout": 30, "check_same_thread": False}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """Turn on foreign keys and WAL so readers do not block the writer."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class SqlAlchemyUnitOfWork:
    """`with uow as session:` opens one transaction, committed on success."""

    def __init__(self, url: str | None = None) -> None:
        self._url = url
        self._session: Session | None = None

    def __enter__(self) -> Session:
        url = self._url or get_settings().database_url
        factory = sessionmaker(bind=get_engine(url), future=True, expire_on_commit=False)
        self._session = factory()
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
