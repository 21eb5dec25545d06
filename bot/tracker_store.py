"""Rasa's SQL tracker store, configured by one URL (FHB_TRACKER_URL) like the visit DB."""

from __future__ import annotations

from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy.engine import make_url

from fhb.settings import get_settings


class UrlSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose connection comes from a SQLAlchemy URL."""

    def __init__(
        self,
        domain: Any = None,
        url: str | None = None,
        event_broker: Any = None,
        **kwargs: Any,
    ) -> None:
        parsed = make_url(url or get_settings().tracker_url)
        super().__init__(
            domain=domain,
            dialect=parsed.drivername,
            host=parsed.host,
            port=parsed.port,
            db=parsed.database,
            username=parsed.username,
            password=parsed.password,
            event_broker=event_broker,
            query=dict(parsed.query),
        )
