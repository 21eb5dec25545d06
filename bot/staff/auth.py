"""Staff accounts: argon2 password hashes, lockout after repeated failures, roles, and the
sessions a login starts.

Used by `fhb staff …` and by the dashboard's login. A login that names no account still
spends the time of one argon2 check, so response times do not reveal which names exist.
Each attempt is counted in the database before its password is checked (one conditional
UPDATE), so logins running in parallel check at most MAX_FAILED_LOGINS passwords per lock.
"""

from __future__ import annotations

import datetime as dt
import secrets
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from fhb.db import sessions as sessions_db
from fhb.db import staff as staff_db
from fhb.db.models import STAFF_ROLES, StaffUser

MAX_FAILED_LOGINS = 5
LOCK_FOR = dt.timedelta(minutes=15)
SESSION_FOR = dt.timedelta(hours=8)  # the longest a session lasts, however busy
IDLE_FOR = dt.timedelta(minutes=30)  # a session not used for this long has ended
MIN_PASSWORD = 12
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("not a password anyone has")


@dataclass(frozen=True)
class LoginResult:
    """How a login went: `user` when it succeeded, else why not ("bad", "locked")."""

    user: StaffUser | None
    outcome: str
    session_token: str | None = None  # the new session's token, for the cookie


UnitOfWork = Callable[[], AbstractContextManager[Session]]


def check_new_account(username: str, password: str, role: str) -> list[str]:
    """What is wrong with a new account (Norwegian, for the CLI); empty when all is well."""
    problems = []
    if (
        not username
        or len(username) > 64
        or not username.replace(".", "").replace("-", "").replace("_", "").isalnum()
    ):
        problems.append("Brukernavnet kan ha bokstaver, tall, punktum, - og _ (høyst 64 tegn).")
    if len(password) < MIN_PASSWORD:
        problems.append(f"Passordet må ha minst {MIN_PASSWORD} tegn.")
    if role not in STAFF_ROLES:
        problems.append(f"Rollen må være {' eller '.join(STAFF_ROLES)}.")
    return problems


def create_account(session: Session, username: str, password: str, role: str) -> StaffUser:
    """Store a new account with an argon2 hash; ValueError for a bad or taken name."""
    problems = check_new_account(username, password, role)
    if problems:
        raise ValueError(" ".join(problems))
    return staff_db.add_staff_user(
        session, username=username, password_hash=_HASHER.hash(password), role=role
    )


def login(uow: UnitOfWork, username: str, password: str, now: dt.datetime) -> LoginResult:
    """Check a login and start a session (now: naive UTC); lock after MAX_FAILED_LOGINS.

    Three short transactions: count the attempt, check the password outside any
    transaction (argon2 is slow, and must not hold SQLite's write lock), then reset the
    count and start the session when it was right.
    """
    with uow() as session:
        attempt, user = staff_db.claim_login_attempt(
            session, username, now=now, max_tries=MAX_FAILED_LOGINS, lock_until=now + LOCK_FOR
        )
    if attempt is staff_db.Attempt.LOCKED:
        return LoginResult(None, "locked")
    if attempt is staff_db.Attempt.UNKNOWN or user is None:
        _verify(_DUMMY_HASH, password)
        return LoginResult(None, "bad")
    if not _verify(user.password_hash, password):
        return LoginResult(None, "bad")  # the attempt stays counted
    with uow() as session:
        user = staff_db.login_succeeded(session, user.id)
        if user is None:
            return LoginResult(None, "bad")
        if _HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = _HASHER.hash(password)
        token = start_session(session, user, now)
    return LoginResult(user, "ok", token)


def start_session(session: Session, user: StaffUser, now: dt.datetime) -> str:
    """Store a new session for `user`; its token (for the cookie). It ends after IDLE_FOR
    without use, and SESSION_FOR after the login at the latest (`session_user`). Sessions
    that have run out are deleted on the way."""
    sessions_db.purge_expired(session, now=now)
    token = secrets.token_urlsafe(32)
    sessions_db.add_session(session, token=token, user_id=user.id, expires_at=now + IDLE_FOR)
    return token


def session_user(session: Session, token: str, now: dt.datetime) -> StaffUser | None:
    """The account of a live session, which this use keeps alive (IDLE_FOR more, at most
    SESSION_FOR after the login)."""
    return sessions_db.session_user(session, token, now=now, idle=IDLE_FOR, max_age=SESSION_FOR)


def unlock(session: Session, username: str) -> bool:
    """Lift a lockout; False when there is no such account."""
    user = staff_db.staff_user(session, username)
    if user is None:
        return False
    user.failed_logins, user.locked_until = 0, None
    return True


def set_disabled(session: Session, username: str, disabled: bool) -> bool:
    """Turn an account off (someone left) or on again; False when there is no such account.
    A disabled account cannot log in, and its sessions are deleted: they end at once."""
    user = staff_db.staff_user(session, username)
    if user is None:
        return False
    user.disabled = disabled
    if disabled:
        sessions_db.end_sessions_of(session, user.id)
    else:
        user.failed_logins, user.locked_until = 0, None
    return True


def _verify(password_hash: str, password: str) -> bool:
    """Tell whether the password matches the hash (never raises)."""
    try:
        return bool(_HASHER.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False
