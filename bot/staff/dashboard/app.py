"""The staff dashboard under /staff: login, conversations, transcripts, the access log.

Every page needs a login (a signed, HttpOnly, SameSite=Strict session cookie; Secure when the
public address is https). Every form carries a CSRF token. A transcript is shown only by the
handler that first appends a row to the access log, with the reason chosen, in the same
transaction: there is no way around the log from the web. Lockout after repeated failed
logins lives in `bot.staff_auth`.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import hashlib
import hmac
import io
import logging
import secrets
from pathlib import Path
from typing import Any, Awaitable, Callable, Iterable
from urllib.parse import urlencode
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
from fhb.clock import naive_utc
from fhb.db import notifications, takeovers
from fhb.db import staff as staff_db
from fhb.db.models import StaffUser
from fhb.read.conversations import (
    FLAGS,
    conversation_summaries,
    is_id_search,
    records_for,
)
from fhb.read.labels import channel_label
from fhb.tracker import staff_transcript

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "fhb_staff"
SESSION_HOURS = 8
STALE_FORM = "Skjemaet var for gammelt. Prøv igjen."  # a form whose CSRF token does not match
PAGE_SIZE = 50
REASONS = (
    "Oppfølging av innbygger",
    "Innbyggeren ba om kontakt",
    "Kvalitetskontroll av chatboten",
    "Retting av feil",
)
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
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.timezone.utc)
        return when.astimezone(self.tz).strftime("%d.%m.%Y kl. %H.%M")

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
        """The logged-in, still active account of this session (blocking: DB)."""
        username = request.session.get("user")
        issued = float(request.session.get("issued") or 0)
        if not username or naive_utc(self.ctx.clock()).timestamp() - issued > SESSION_HOURS * 3600:
            return None
        with self.ctx.uow_factory() as session:
            user = staff_db.staff_user(session, str(username))
            return None if user is None or user.disabled else user

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

        def check() -> staff_auth.LoginResult:
            with self.ctx.uow_factory() as session:
                return staff_auth.login(session, username, password, naive_utc(self.ctx.clock()))

        result = await asyncio.to_thread(check)
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
        if result.user is None:
            log.info("staff login failed")
            return self.page(request, "login.html", 401, error="Feil brukernavn eller passord.")
        request.session.clear()  # a new session id and CSRF token after login
        request.session.update(
            {
                "user": result.user.username,
                "issued": naive_utc(self.ctx.clock()).timestamp(),
                "csrf": secrets.token_urlsafe(32),
            }
        )
        log.info("staff login: %s", result.user.username)
        return RedirectResponse("/staff/", status_code=303)

    async def logout(self, request: Request, user: StaffUser) -> Response:
        """End the session."""
        ok, _ = await self.csrf_ok(request)
        if not ok:
            return self.refused(request, user)
        request.session.clear()
        return RedirectResponse("/staff/login", status_code=303)

    # --- conversations ------------------------------------------------------------------------

    async def conversations(self, request: Request, user: StaffUser) -> Response:
        """The conversation list, newest first, with filters."""
        query = request.query_params
        flag = query.get("flagg") if query.get("flagg") in FLAGS else None
        intent = (query.get("intent") or "").strip()[:50] or None
        since, until = _date(query.get("fra")), _date(query.get("til"))
        search = " ".join((query.get("sok") or "").split())[:80] or None
        refresh = query.get("del") == "rader"
        page_no = max(1, int(query.get("side") or 1)) if (query.get("side") or "1").isdigit() else 1

        def load() -> tuple[list[Any], int]:
            with self.ctx.uow_factory() as session:
                if search and not is_id_search(search) and not refresh:
                    # Looking for words or a name reads the conversations' content: logged.
                    staff_db.log_access(
                        session, username=user.username, action="search", target=f"søk: {search}"
                    )
                rows = conversation_summaries(
                    self.ctx.settings.tracker_url,
                    session,
                    flag=flag,
                    intent=intent,
                    since=since,
                    until=until + dt.timedelta(days=1) if until else None,
                    limit=PAGE_SIZE,
                    offset=(page_no - 1) * PAGE_SIZE,
                    search=search,
                )
                return rows, takeovers.waiting_takeovers(session)

        rows, waiting = await asyncio.to_thread(load)
        template = "conversations_rows.html" if refresh else "conversations.html"
        kept = urlencode([(k, v) for k, v in query.multi_items() if k != "del"])
        return self.page(
            request,
            template,
            user=user,
            rows=rows,
            flags=FLAGS,
            flag=flag,
            intent=intent or "",
            since=query.get("fra") or "",
            until=query.get("til") or "",
            page_no=page_no,
            search=search or "",
            more=len(rows) == PAGE_SIZE,
            waiting=waiting,
            query=f"{kept}&" if kept else "",
        )

    async def open_form(self, request: Request, user: StaffUser) -> Response:
        """Before a transcript: why are you opening it?"""
        conversation = request.path_params["conversation_id"][:100]
        return self.page(
            request,
            "open.html",
            user=user,
            conversation_id=conversation,
            channel=channel_label(conversation),
            reasons=REASONS,
        )

    async def transcript(self, request: Request, user: StaffUser) -> Response:
        """Log the opening (who, when, which, why), then show the transcript."""
        conversation = request.path_params["conversation_id"][:100]
        ok, form = await self.csrf_ok(request)
        reason = str(form.get("reason") or "")
        if not ok or reason not in REASONS:
            return self.page(
                request,
                "open.html",
                400,
                user=user,
                conversation_id=conversation,
                channel=channel_label(conversation),
                reasons=REASONS,
                error="Velg hvorfor du åpner samtalen.",
            )

        def load() -> tuple[list[Any], dict[str, list[Any]], list[Any]]:
            with self.ctx.uow_factory() as session:
                staff_db.log_access(
                    session,
                    username=user.username,
                    action="transcript",
                    target=conversation,
                    reason=reason,
                )
                records = records_for(session, conversation)
                records["reviewed"] = [
                    r for r in [staff_db.review_of(session, conversation)] if r is not None
                ]
                sent = notifications.notifications_for(session, conversation)
                session.flush()
                items = staff_transcript(self.ctx.settings.tracker_url, conversation)
                return items, records, sent

        items, records, sent = await asyncio.to_thread(load)
        return self.page(
            request,
            "transcript.html",
            user=user,
            conversation_id=conversation,
            channel=channel_label(conversation),
            items=items,
            records=records,
            sent=sent,
            reason=reason,
        )

    async def reviewed(self, request: Request, user: StaffUser) -> Response:
        """Mark a conversation as reviewed, then back to the list."""
        ok, _ = await self.csrf_ok(request)
        if not ok:
            return self.refused(request, user)
        conversation = request.path_params["conversation_id"][:100]

        def mark() -> None:
            with self.ctx.uow_factory() as session:
                staff_db.mark_reviewed(session, conversation, user.username)

        await asyncio.to_thread(mark)
        return RedirectResponse("/staff/", status_code=303)

    # --- the access log (admins) ----------------------------------------------------------------

    async def access_log(self, request: Request, user: StaffUser) -> Response:
        """The newest 500 rows of the access log."""

        def load() -> list[Any]:
            with self.ctx.uow_factory() as session:
                return staff_db.access_log(session, limit=500)

        rows = await asyncio.to_thread(load)
        return self.page(request, "access_log.html", user=user, rows=rows)

    async def access_log_csv(self, request: Request, user: StaffUser) -> Response:
        """The whole access log as CSV; the export itself is logged first."""
        ok, _ = await self.csrf_ok(request)
        if not ok:
            return self.refused(request, user)

        def export() -> str:
            with self.ctx.uow_factory() as session:
                staff_db.log_access(
                    session, username=user.username, action="export", target="tilgangslogg.csv"
                )
                rows = staff_db.access_log(session)
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["id", "tidspunkt_utc", "bruker", "handling", "hva", "hvorfor"])
            for row in reversed(rows):
                writer.writerow(
                    [
                        row.id,
                        row.at.isoformat(),
                        row.username,
                        row.action,
                        row.target,
                        row.reason or "",
                    ]
                )
            return out.getvalue()

        body = await asyncio.to_thread(export)
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={
                "content-disposition": 'attachment; filename="tilgangslogg.csv"',
                "cache-control": "no-store",
            },
        )


def _date(raw: str | None) -> dt.datetime | None:
    """A YYYY-MM-DD filter value as a naive datetime, or None."""
    try:
        return dt.datetime.strptime((raw or "").strip(), "%Y-%m-%d")
    except ValueError:
        return None


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
            max_age=SESSION_HOURS * 3600,
            same_site="strict",
            https_only=https,
            path="/staff",
        ),
    ]
    routes = [
        Route("/login", board.login_form, methods=["GET"]),
        Route("/login", board.login, methods=["POST"]),
        Route("/logout", board.requires(board.logout), methods=["POST"]),
        Route("/", board.requires(board.conversations), methods=["GET"]),
        Route("/samtaler/{conversation_id}", board.requires(board.open_form), methods=["GET"]),
        Route("/samtaler/{conversation_id}", board.requires(board.transcript), methods=["POST"]),
        Route(
            "/samtaler/{conversation_id}/gjennomgatt",
            board.requires(board.reviewed),
            methods=["POST"],
        ),
        *[route for factory in extra for route in factory(board)],
        Route("/tilgangslogg", board.requires(board.access_log, role="admin"), methods=["GET"]),
        Route(
            "/tilgangslogg.csv",
            board.requires(board.access_log_csv, role="admin"),
            methods=["POST"],
        ),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="staff-static"),
    ]
    return [Mount("/staff", routes=routes, middleware=middleware)]
