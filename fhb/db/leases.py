"""Leases in the visit database: one channel server at a time runs each kind of round.

`claim` is one conditional UPDATE (and an INSERT the first time), so two servers that try at
the same moment cannot both get it. The holder renews the lease on every round; a holder
that stops (crash, shutdown) loses it when `until` has passed, and the next server to try
takes it. The caller owns the transaction and commits at once.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fhb.db.models import Lease


def claim(session: Session, name: str, holder: str, *, now: dt.datetime, ttl: dt.timedelta) -> bool:
    """Take or renew the lease `name` for `holder` until now + ttl; False when another
    holder's lease has not run out (now: naive UTC)."""
    renewed = session.execute(
        update(Lease)
        .where(Lease.name == name, or_(Lease.holder == holder, Lease.until <= now))
        .values(holder=holder, until=now + ttl)
        .execution_options(synchronize_session=False)
    )
    if renewed.rowcount == 1:
        return True
    try:
        with session.begin_nested():
            session.add(Lease(name=name, holder=holder, until=now + ttl))
    except IntegrityError:  # it exists, and someone else holds it
        return False
    return True
