"""Staff accounts: argon2 password hashes, lockout after repeated failures, roles.

Used by `fhb staff …` and by the dashboard's login. A login that names no account still
spends the time of one argon2 check, so response times do not reveal which names exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from fhb.db import staff as staff_db
from fhb.db.models import STAFF_ROLES, StaffUser

MAX_FAILED_LOGINS = 5
LOCK_FOR = dt.timedelta(minutes=15)
MIN_PASSWORD = 12
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("not a password anyone has")


@dataclass(frozen=True)
class LoginResult:
    """How a login went: `user` when it succeeded, else why not ("bad", "locked")."""

    user: StaffUser | None
    outcome: str


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


def login(session: Session, username: str, password: str, now: dt.datetime) -> LoginResult:
    """Check a login (now: naive UTC); count failures and lock after MAX_FAILED_LOGINS."""
    user = staff_db.staff_user(session, username)
    if user is None or user.disabled:
        _verify(_DUMMY_HASH, password)
        return LoginResult(None, "bad")
    if user.locked_until is not None and user.locked_until > now:
        return LoginResult(None, "locked")
    if not _verify(user.password_hash, password):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until, user.failed_logins = now + LOCK_FOR, 0
        return LoginResult(None, "bad")
    user.failed_logins, user.locked_until = 0, None
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = _HASHER.hash(password)
    return LoginResult(user, "ok")


def unlock(session: Session, username: str) -> bool:
    """Lift a lockout; False when there is no such account."""
    user = staff_db.staff_user(session, username)
    if user is None:
        return False
    user.failed_logins, user.locked_until = 0, None
    return True


def set_disabled(session: Session, username: str, disabled: bool) -> bool:
    """Turn an account off (someone left) or on again; False when there is no such account.
    A disabled account cannot log in, and its open sessions end at the next page."""
    user = staff_db.staff_user(session, username)
    if user is None:
        return False
    user.disabled = disabled
    if not disabled:
        user.failed_logins, user.locked_until = 0, None
    return True


def _verify(password_hash: str, password: str) -> bool:
    """Tell whether the password matches the hash (never raises)."""
    try:
        return bool(_HASHER.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False
