"""The admins' accounts page over HTTP against a real SQLite file: only admins, CSRF, unlock,
disable (which ends the person's open session) and enable, each written to the access log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterator

import pytest

from bot.staff.dashboard import accounts
from fhb.db import staff as staff_db
from fhb.profile import Profile
from tests.support.clock import NOW, frozen_uow
from tests.support.staff import (
    STAFF,
    Login,
    access_rows,
    add_staff,
    csrf,
    dashboard_app,
    log_in,
    logins,
    staff_context,
)


@pytest.fixture
def login(db_url: str, tmp_path: Path, profile: Profile) -> Iterator[Login]:
    """Accounts `ada` (admin), `vera` and `ola` (visitors); `login(name)` gives a client
    logged in as that person, each with a session of its own."""
    add_staff(db_url, {**STAFF, "ola": "visitor"})
    ctx = staff_context(
        db_url, profile, tracker_url=f"sqlite:///{tmp_path / 't.db'}", key=b"accounts-test"
    )
    with logins(dashboard_app(ctx, extra=[accounts.routes])) as login:
        yield login


def account(db_url: str, username: str) -> tuple[bool, dt.datetime | None]:
    """(disabled, locked_until) of an account."""
    with frozen_uow(db_url) as session:
        user = staff_db.staff_user(session, username)
        return bool(user.disabled), user.locked_until


@pytest.mark.parametrize(
    "method, path", [("GET", "/staff/kontoer"), ("POST", "/staff/kontoer/vera/deaktiver")]
)
def test_only_admins(login: Login, db_url: str, method: str, path: str) -> None:
    anonymous = login("").request(method, path, follow_redirects=False)
    assert anonymous.status_code in (303, 401)
    vera = login("vera")
    token = csrf(vera, "/staff/")
    refused = vera.request(method, path, data={"csrf": token} if method == "POST" else None)
    assert refused.status_code == 403 and "bare for administratorer" in refused.text
    assert account(db_url, "vera") == (False, None)


def test_disable_ends_the_session_and_enable_lets_them_in(login: Login, db_url: str) -> None:
    vera, ada = login("vera"), login("ada")
    page = ada.get("/staff/kontoer")
    assert page.status_code == 200
    assert "ada (deg)" in page.text and "Besøker" in page.text
    assert "/staff/kontoer/ada/deaktiver" not in page.text  # not oneself
    assert ada.post("/staff/kontoer/vera/deaktiver", data={"csrf": "feil"}).status_code == 403
    assert account(db_url, "vera") == (False, None)

    done = ada.post("/staff/kontoer/vera/deaktiver", data={"csrf": csrf(ada, "/staff/kontoer")})
    assert done.status_code == 200 and "vera er deaktivert" in done.text
    assert account(db_url, "vera")[0] is True
    assert vera.get("/staff/", follow_redirects=False).headers["location"] == "/staff/login"
    assert log_in(vera, "vera").status_code == 401

    done = ada.post("/staff/kontoer/vera/aktiver", data={"csrf": csrf(ada, "/staff/kontoer")})
    assert "vera kan logge inn igjen" in done.text
    assert log_in(vera, "vera").status_code == 303
    assert [(r.username, r.action, r.target, r.reason) for r in access_rows(db_url)] == [
        ("ada", "account", "vera", "Deaktivert"),
        ("ada", "account", "vera", "Aktivert igjen"),
    ]


def test_unlock_a_locked_account(login: Login, db_url: str) -> None:
    with frozen_uow(db_url) as session:
        staff_db.staff_user(session, "ola").locked_until = NOW.replace(tzinfo=None) + dt.timedelta(
            minutes=9
        )
    ada = login("ada")
    page = ada.get("/staff/kontoer").text
    assert "Låst til" in page and "/staff/kontoer/ola/las-opp" in page
    done = ada.post("/staff/kontoer/ola/las-opp", data={"csrf": csrf(ada, "/staff/kontoer")})
    assert "ola er låst opp" in done.text and account(db_url, "ola") == (False, None)


def test_no_disabling_oneself_and_no_unknown_accounts(login: Login, db_url: str) -> None:
    ada = login("ada")
    token = csrf(ada, "/staff/kontoer")
    assert ada.post("/staff/kontoer/ada/deaktiver", data={"csrf": token}).status_code == 409
    assert account(db_url, "ada")[0] is False
    assert ada.post("/staff/kontoer/nobody/deaktiver", data={"csrf": token}).status_code == 404
    assert ada.post("/staff/kontoer/vera/slett", data={"csrf": token}).status_code == 404
    assert access_rows(db_url) == []


def test_the_message_after_a_change_is_never_taken_from_the_address(login: Login) -> None:
    page = (
        login("ada")
        .get("/staff/kontoer", params={"ok": "deaktiver", "konto": "Ring 999 99 999"})
        .text
    )
    assert "999" not in page
