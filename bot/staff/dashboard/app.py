"""The staff dashboard under /staff: sessions, login, CSRF, page rendering, and the routes of
every page module (conversations, visits, follow-up, report, accounts, live chat).

Every page needs a login. The session lives in the database (`fhb.db.sessions`); the signed,
HttpOnly, SameSite=Strict cookie (Secure when the public address is https) carries only its
random token and the CSRF token, and every page looks the session up, so logging out or
deactivating the account ends it at once. Every form carries a CSRF token. A database that
cannot be reached gives a kind 503 page (`bot.staff.dashboard.unavailable`). A transcript is
shown only by the handler that first appends a row to the access log, with the reason chosen,
in the same transaction (`bot.staff.dashboard.conversations`): there is no way around the log
from the web. Lockout after repeated failed logins lives in `bot.staff.auth`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import logging
import secrets
from pathlib import Path
from typing import Any, Awaitable, Callable, Iterable
from zoneinfo import ZoneInfo

from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from bot.channels.context import ChannelContext
from bot.channels.web.security import SecureHeaders
from bot.staff import auth as staff_auth
from bot.staff.dashboard import conversations
from bot.staff.dashboard.unavailable import DatabaseDown
from fhb.clock import aware_utc, naive_utc
from fhb.db import sessions as sessions_db
from fhb.db.models import StaffUser

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "fhb_staff"
STALE_FORM = "Skjemaet var for gammelt. Prøv igjen."  # a form whose CSRF token does not match
Handler = Callable[[Request], Awaitable[Response]]


def session_secret(key: bytes) -> str:
    """The cookie-signing secret, derived from the conversation key (one secret to keep)."""
    return hmac.new(key, b"fhb-staff-session", hashlib.sha256).hexdigest()


class Dashboard:
    """The handlers, sharing the channel context and the templates."""

    def __init__(self, ctx: ChannelContext, live: Any | None = None) -> None:
        self.ctx = ctx
        self.live = live  # bot.takeover.LiveChat: take over, write, hand back
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self.tz = ZoneInfo(ctx.profile.timezone)
        self.templates.env.filters["local"] = self._local

    def _local(self, when: dt.datetime | None) -> str:
        """A time as 'dd.mm.yyyy kl. HH.MM' in the kommune's zone."""
        if when is None:
            return ""
        return aware_utc(when).astimezone(self.tz).strftime("%d.%m.%Y kl. %H.%M")

    # --- sessions, CSRF, permissions --------------------------------------------------------

    @staticmethod
    def csrf_token(request: Request) -> str:
        """This session's CSRF token (made on first use)."""
        if "csrf" not in request.session:
            request.session["csrf"] = secrets.token_urlsafe(32)
        return str(request.session["csrf"])

    @staticmethod
    async def csrf_ok(request: Request) -> tuple[bool, Any]:
        """Read the form and tell whether its CSRF token matches the session's."""
        form = await request.form()
        sent = str(form.get("csrf") or "")
        expected = str(request.session.get("csrf") or "")
        return bool(expected) and hmac.compare_digest(sent, expected), form

    def _user(self, request: Request) -> StaffUser | None:
        """The still active account of this browser's unexpired session (blocking: DB)."""
        token = request.session.get("sid")
        if not isinstance(token, str) or not token:
            return None
        with self.ctx.uow_factory() as session:
            return staff_auth.session_user(session, token, naive_utc(self.ctx.clock()))

    def page(self, request: Request, template: str, status: int = 200, **values: Any) -> Response:
        """Render a dashboard page with the session's CSRF token and user."""
        return self.templates.TemplateResponse(
            request,
            template,
            {
                "csrf": self.csrf_token(request),
                "kommune": self.ctx.profile.name,
                **values,
            },
            status_code=status,
            headers={"cache-control": "no-store"},
        )

    def unavailable(self, request: Request) -> Response:
        """The page for a database that cannot be reached (503)."""
        return self.templates.TemplateResponse(
            request,
            "unavailable.html",
            {"kommune": self.ctx.profile.name, "user": None, "again": request.method == "GET"},
            status_code=503,
            headers={"cache-control": "no-store"},
        )

    def refused(self, request: Request, user: StaffUser) -> Response:
        """The answer to a form whose CSRF token does not match the session's."""
        return self.page(request, "error.html", 403, user=user, message=STALE_FORM)

    def requires(
        self, handler: Callable[[Request, StaffUser], Awaitable[Response]], role: str | None = None
    ) -> Handler:
        """Wrap a handler: no login → the login page; wrong role → 403."""

        async def guarded(request: Request) -> Response:
            user = await asyncio.to_thread(self._user, request)
            if user is None:
                request.session.clear()
                if request.method == "GET":
                    return RedirectResponse("/staff/login", status_code=303)
                return self.page(request, "login.html", 401, error="Logg inn først.")
            if role is not None and user.role != role:
                return self.page(
                    request,
                    "error.html",
                    403,
                    user=user,
                    message="Denne siden er bare for administratorer.",
                )
            return await handler(request, user)

        return guarded

    # --- login and logout -------------------------------------------------------------------

    async def login_form(self, request: Request) -> Response:
        """The login page."""
        return self.page(request, "login.html")

    async def login(self, request: Request) -> Response:
        """Check the password; lock the account after repeated failures."""
        ok, form = await self.csrf_ok(request)
        if not ok:
            return self.page(request, "login.html", 403, error=STALE_FORM)
        username = str(form.get("username") or "")[:64]
        password = str(form.get("password") or "")[:1024]

        now = naive_utc(self.ctx.clock())
        result = await asyncio.to_thread(
            staff_auth.login, self.ctx.uow_factory, username, password, now
        )
        if result.outcome == "locked":
            return self.page(
                request,
                "login.html",
                423,
                error=(
                    "Kontoen er låst etter for mange feil forsøk. Prøv igjen om 15 minutter, "
                    "eller be en administrator låse den opp."
                ),
            )
        if result.user is None or result.session_token is None:
            log.info("staff login failed")
            return self.page(request, "login.html", 401, error="Feil brukernavn eller passord.")
        request.session.clear()  # a new session and CSRF token after login
        request.session.update({"sid": result.session_token, "csrf": secrets.token_urlsafe(32)})
        log.info("staff login: %s", result.user.username)
        return RedirectResponse("/staff/", status_code=303)

    async def logout(self, request: Request, user: StaffUser) -> Response:
        """End the session: its row is deleted, so a copy of the cookie no longer works."""
        ok, _ = await self.csrf_ok(request)
        if not ok:
            return self.refused(request, user)
        token = str(request.session.get("sid") or "")

        def end() -> None:
            with self.ctx.uow_factory() as session:
                sessions_db.end_session(session, token)

        await asyncio.to_thread(end)
        request.session.clear()
        return RedirectResponse("/staff/login", status_code=303)


RouteFactory = Callable[["Dashboard"], list[BaseRoute]]


def staff_routes(
    ctx: ChannelContext, extra: Iterable[RouteFactory] = (), live: Any | None = None
) -> list[BaseRoute]:
    """The dashboard, mounted at /staff with its own session cookie and security headers.

    `extra` adds the pages of other modules (visits, follow-up, report); each gets the
    `Dashboard` for its templates, `requires` and CSRF checks.
    """
    board = Dashboard(ctx, live)
    https = ctx.settings.web_url.startswith("https://")
    middleware = [
        Middleware(SecureHeaders, ancestors="'none'"),
        Middleware(
            SessionMiddleware,
            secret_key=session_secret(ctx.key),
            session_cookie=SESSION_COOKIE,
            max_age=int(staff_auth.SESSION_FOR.total_seconds()),
            same_site="strict",
            https_only=https,
            path="/staff",
        ),
        Middleware(DatabaseDown, page=board.unavailable),
    ]
    routes = [
        Route("/login", board.login_form, methods=["GET"]),
        Route("/login", board.login, methods=["POST"]),
        Route("/logout", board.requires(board.logout), methods=["POST"]),
        *conversations.routes(board),
        *[route for factory in extra for route in factory(board)],
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="staff-static"),
    ]
    return [Mount("/staff", routes=routes, middleware=middleware)]
