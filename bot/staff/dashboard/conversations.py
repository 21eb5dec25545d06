"""The conversation pages of the staff dashboard: the list with flags, filters and search,
a transcript behind a logged reason, marking a conversation reviewed, and the access log
(admins) with its logged CSV export.

Every search that reads the conversations' content (words, names, phone numbers) writes an
access-log row first, whatever else the address asks for. A conversation id in an address
must have the shape `fhb.conversation_ids` makes, or the page is a 404 before any database
or tracker store is asked."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.staff.dashboard.exports import csv_text
from fhb.conversation_ids import CHANNEL_PREFIX
from fhb.db import notifications, takeovers
from fhb.db import staff as staff_db
from fhb.db.models import StaffUser
from fhb.read.conversations import FLAGS, conversation_summaries, is_id_search, records_for
from fhb.read.labels import channel_label
from fhb.tracker import staff_transcript

if TYPE_CHECKING:
    from bot.staff.dashboard.app import Dashboard

PAGE_SIZE = 50
# A conversation id as fhb.conversation_ids.conversation_id makes it: the channel's prefix
# and the first 40 hex digits of a keyed SHA-256.
CONVERSATION_ID = re.compile(
    "(?:" + "|".join(re.escape(p) for p in CHANNEL_PREFIX.values()) + ")-[0-9a-f]{40}"
)
NO_SUCH_CONVERSATION = "Fant ingen samtale med den adressen."
REASONS = (
    "Oppfølging av innbygger",
    "Innbyggeren ba om kontakt",
    "Kvalitetskontroll av chatboten",
    "Retting av feil",
)


class ConversationPages:
    """The conversation list, transcripts and the access log."""

    def __init__(self, board: Dashboard) -> None:
        self.board = board

    async def conversations(self, request: Request, user: StaffUser) -> Response:
        """The conversation list, newest first, with filters."""
        query = request.query_params
        flag = query.get("flagg") if query.get("flagg") in FLAGS else None
        intent = (query.get("intent") or "").strip()[:50] or None
        since, until = _date(query.get("fra")), _date(query.get("til"))
        search = " ".join((query.get("sok") or "").split())[:80] or None
        refresh = query.get("del") == "rader"
        reads_content = bool(search) and not is_id_search(search or "")
        page_no = max(1, int(query.get("side") or 1)) if (query.get("side") or "1").isdigit() else 1

        def load() -> tuple[list[Any], int]:
            with self.board.ctx.uow_factory() as session:
                if search and reads_content:
                    # Looking for words or a name reads the conversations' content: logged,
                    # every time (a partial refresh too; the page does not refresh a search).
                    staff_db.log_access(
                        session, username=user.username, action="search", target=f"søk: {search}"
                    )
                rows = conversation_summaries(
                    self.board.ctx.settings.tracker_url,
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
        return self.board.page(
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
            refreshes=not reads_content,
            query=f"{kept}&" if kept else "",
        )

    def not_found(self, request: Request, user: StaffUser) -> Response:
        """The answer to an address whose conversation id is malformed (404)."""
        return self.board.page(
            request,
            "error.html",
            404,
            user=user,
            title="Fant ikke samtalen",
            message=NO_SUCH_CONVERSATION,
        )

    async def open_form(self, request: Request, user: StaffUser) -> Response:
        """Before a transcript: why are you opening it?"""
        conversation = conversation_in(request)
        if conversation is None:
            return self.not_found(request, user)
        return self.board.page(
            request,
            "open.html",
            user=user,
            conversation_id=conversation,
            channel=channel_label(conversation),
            reasons=REASONS,
        )

    async def transcript(self, request: Request, user: StaffUser) -> Response:
        """Log the opening (who, when, which, why), then show the transcript."""
        conversation = conversation_in(request)
        if conversation is None:
            return self.not_found(request, user)
        ok, form = await self.board.csrf_ok(request)
        reason = str(form.get("reason") or "")
        if not ok or reason not in REASONS:
            return self.board.page(
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
            with self.board.ctx.uow_factory() as session:
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
                items = staff_transcript(self.board.ctx.settings.tracker_url, conversation)
                return items, records, sent

        items, records, sent = await asyncio.to_thread(load)
        return self.board.page(
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
        conversation = conversation_in(request)
        if conversation is None:
            return self.not_found(request, user)
        ok, _ = await self.board.csrf_ok(request)
        if not ok:
            return self.board.refused(request, user)

        def mark() -> None:
            with self.board.ctx.uow_factory() as session:
                staff_db.mark_reviewed(session, conversation, user.username)

        await asyncio.to_thread(mark)
        return RedirectResponse("/staff/", status_code=303)

    # --- the access log (admins) ----------------------------------------------------------------

    async def access_log(self, request: Request, user: StaffUser) -> Response:
        """The newest 500 rows of the access log."""

        def load() -> list[Any]:
            with self.board.ctx.uow_factory() as session:
                return staff_db.access_log(session, limit=500)

        rows = await asyncio.to_thread(load)
        return self.board.page(request, "access_log.html", user=user, rows=rows)

    async def access_log_csv(self, request: Request, user: StaffUser) -> Response:
        """The whole access log as CSV; the export itself is logged first."""
        ok, _ = await self.board.csrf_ok(request)
        if not ok:
            return self.board.refused(request, user)

        def export() -> str:
            with self.board.ctx.uow_factory() as session:
                staff_db.log_access(
                    session, username=user.username, action="export", target="tilgangslogg.csv"
                )
                rows = staff_db.access_log(session)
            header = ["id", "tidspunkt_utc", "bruker", "handling", "hva", "hvorfor"]
            return csv_text(
                [
                    header,
                    *(
                        [r.id, r.at.isoformat(), r.username, r.action, r.target, r.reason or ""]
                        for r in reversed(rows)
                    ),
                ]
            )

        body = await asyncio.to_thread(export)
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={
                "content-disposition": 'attachment; filename="tilgangslogg.csv"',
                "cache-control": "no-store",
            },
        )


def conversation_in(request: Request) -> str | None:
    """The conversation id in the address, or None when it does not have an id's shape."""
    raw = str(request.path_params.get("conversation_id") or "")
    return raw if CONVERSATION_ID.fullmatch(raw) else None


def _date(raw: str | None) -> dt.datetime | None:
    """A YYYY-MM-DD filter value as a naive datetime, or None."""
    try:
        return dt.datetime.strptime((raw or "").strip(), "%Y-%m-%d")
    except ValueError:
        return None


def routes(board: Dashboard) -> list[BaseRoute]:
    """The conversation pages' routes, relative to the /staff mount."""
    pages = ConversationPages(board)
    return [
        Route("/", board.requires(pages.conversations), methods=["GET"]),
        Route("/samtaler/{conversation_id}", board.requires(pages.open_form), methods=["GET"]),
        Route("/samtaler/{conversation_id}", board.requires(pages.transcript), methods=["POST"]),
        Route(
            "/samtaler/{conversation_id}/gjennomgatt",
            board.requires(pages.reviewed),
            methods=["POST"],
        ),
        Route("/tilgangslogg", board.requires(pages.access_log, role="admin"), methods=["GET"]),
        Route(
            "/tilgangslogg.csv",
            board.requires(pages.access_log_csv, role="admin"),
            methods=["POST"],
        ),
    ]
