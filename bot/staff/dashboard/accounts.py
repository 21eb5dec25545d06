"""Staff accounts for admins under /staff/kontoer: who has access, and turning an account off
when someone leaves (or on again), or lifting a lockout. Accounts are created with
`fhb staff add` (the password never passes through the web). Every change is written to the
access log (who changed which account, and what)."""

from __future__ import annotations

import asyncio
from typing import Callable
from urllib.parse import urlencode

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.staff import auth as staff_auth
from bot.staff.dashboard.app import Dashboard
from fhb.clock import naive_utc
from fhb.db import staff as staff_db
from fhb.db.models import StaffUser

Change = tuple[str, str, Callable[[Session, str], bool]]
CHANGES: dict[str, Change] = {  # path word -> (log reason, message afterwards, what to do)
    "las-opp": ("Låst opp", "er låst opp", staff_auth.unlock),
    "deaktiver": (
        "Deaktivert",
        "er deaktivert og kan ikke logge inn",
        lambda session, name: staff_auth.set_disabled(session, name, True),
    ),
    "aktiver": (
        "Aktivert igjen",
        "kan logge inn igjen",
        lambda session, name: staff_auth.set_disabled(session, name, False),
    ),
}


class AccountPages:
    """The handlers of the accounts page (admins only)."""

    def __init__(self, board: Dashboard) -> None:
        self.board = board

    async def overview(self, request: Request, user: StaffUser) -> Response:
        """Every account with its role and state."""

        def load() -> list[StaffUser]:
            with self.board.ctx.uow_factory() as session:
                return staff_db.list_staff_users(session)

        accounts = await asyncio.to_thread(load)
        change = CHANGES.get(request.query_params.get("ok") or "")
        name = request.query_params.get("konto")
        done = None  # built here, never echoed from the address (no spoofed messages)
        if change is not None and any(a.username == name for a in accounts):
            done = f"{name} {change[1]}"
        return self.board.page(
            request,
            "accounts.html",
            user=user,
            accounts=accounts,
            now=naive_utc(self.board.ctx.clock()),
            done=done,
        )

    async def change(self, request: Request, user: StaffUser) -> Response:
        """Unlock, disable or enable one account; an admin cannot disable themself."""
        ok, _ = await self.board.csrf_ok(request)
        if not ok:
            return self.board.refused(request, user)
        username = request.path_params["username"][:64]
        what = request.path_params["change"]
        if what not in CHANGES:
            return self.board.page(
                request, "error.html", 404, user=user, message="Fant ikke siden."
            )
        if what == "deaktiver" and username == user.username:
            return self.board.page(
                request,
                "error.html",
                409,
                user=user,
                message="Du kan ikke deaktivere din egen konto.",
            )
        reason, _, act = CHANGES[what]

        def apply() -> bool:
            with self.board.ctx.uow_factory() as session:
                if not act(session, username):
                    return False
                staff_db.log_access(
                    session,
                    username=user.username,
                    action="account",
                    target=username,
                    reason=reason,
                )
                return True

        if not await asyncio.to_thread(apply):
            return self.board.page(
                request, "error.html", 404, user=user, message="Fant ingen slik konto."
            )
        return RedirectResponse(
            f"/staff/kontoer?{urlencode({'ok': what, 'konto': username})}", status_code=303
        )


def routes(board: Dashboard) -> list[BaseRoute]:
    """The accounts page, relative to the /staff mount; admins only."""
    pages = AccountPages(board)
    return [
        Route("/kontoer", board.requires(pages.overview, role="admin"), methods=["GET"]),
        Route(
            "/kontoer/{username}/{change}",
            board.requires(pages.change, role="admin"),
            methods=["POST"],
        ),
    ]
