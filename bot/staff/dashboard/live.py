"""Live takeover pages: the queue of conversations that asked for a person, taking one over,
writing to the person, and handing back to the bot. The work is done by `bot.takeover`.

Only the staff member who took a conversation sees it live and writes in it (any staff member
may hand it back). Taking over is logged in the access log like opening a transcript. The
queue and the live conversation refresh themselves every few seconds (static/live.js); the
pages work without JavaScript too.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.outreach.notices import STAFF_PREFIX
from bot.staff.dashboard.app import Dashboard
from bot.staff.takeover import MAX_STAFF_MESSAGE, TakeoverError
from fhb.clock import aware_utc, naive_utc
from fhb.db import notifications as notifications_db
from fhb.db import takeovers as takeovers_db
from fhb.db.models import Notification, StaffUser, Takeover, TakeoverStatus
from fhb.read.labels import TAKEOVER_STATUS_LABELS, channel_label
from fhb.tracker import staff_transcript

QUEUE_HOURS = 24  # timed-out requests stay in the queue this long
DONE = {"tilbake": "Samtalen er gitt tilbake til boten. Innbyggeren har fått beskjed."}


EPOCH = dt.datetime(1970, 1, 1)  # a notification without a time sorts first


def live_items(transcript: list[dict[str, Any]], sent: list[Notification]) -> list[dict[str, Any]]:
    """The tracker's messages and what the system and staff sent, merged by time.

    Staff messages and the joined/left notices are not in Rasa's tracker (the bot is paused),
    so they come from the notifications table.
    """
    extra = []
    for note in sent:
        kind = "staff" if note.kind == "staff_message" else "system"
        said = (note.text or "").removeprefix(STAFF_PREFIX)
        extra.append(
            {
                "from": kind,
                "text": said,
                "time": aware_utc(note.created_at or EPOCH),
                "status": note.status,
                "buttons": [],
            }
        )
    return sorted([*transcript, *extra], key=lambda item: item["time"])


class LivePages:
    """The handlers of the queue and the live conversation."""

    def __init__(self, board: Dashboard) -> None:
        self.board = board
        board.templates.env.globals.update(
            takeover_labels=TAKEOVER_STATUS_LABELS, channel_name=channel_label
        )

    @property
    def live(self) -> Any:
        """The LiveChat service (set by the channel server)."""
        if self.board.live is None:
            raise RuntimeError("live takeover is not configured")
        return self.board.live

    def _error(
        self, request: Request, user: StaffUser, message: str, status: int = 403
    ) -> Response:
        """The error page."""
        return self.board.page(request, "error.html", status, user=user, message=message)

    # --- the queue ----------------------------------------------------------------------

    def _queue(self) -> list[Takeover]:
        """Waiting, active and recently timed-out takeovers (runs in a thread)."""
        since = naive_utc(self.board.ctx.clock()) - dt.timedelta(hours=QUEUE_HOURS)
        with self.board.ctx.uow_factory() as session:
            return takeovers_db.takeover_queue(session, since=since)

    async def queue(
        self, request: Request, user: StaffUser, *, error: str | None = None, status: int = 200
    ) -> Response:
        """The queue; `?del=liste` gives only the list (for the page's own refresh)."""
        rows = await asyncio.to_thread(self._queue)
        template = "queue_rows.html" if request.query_params.get("del") == "liste" else "queue.html"
        return self.board.page(
            request,
            template,
            status,
            user=user,
            rows=rows,
            error=error,
            done=DONE.get(request.query_params.get("ok") or ""),
            minutes=self.board.ctx.profile.chat_response_minutes,
        )

    async def take(self, request: Request, user: StaffUser) -> Response:
        """Take a conversation over, then its live page."""
        ok, _ = await self.board.csrf_ok(request)
        if not ok:
            return self.board.refused(request, user)
        takeover_id = int(request.path_params["takeover_id"])
        try:
            await self.live.take(takeover_id, user.username)
        except TakeoverError as e:
            return await self.queue(request, user, error=str(e), status=409)
        return RedirectResponse(f"/staff/ko/{takeover_id}", status_code=303)

    # --- the live conversation ----------------------------------------------------------

    def _mine(self, takeover_id: int, user: StaffUser) -> Takeover | None:
        """The takeover when it is active and this user's (runs in a thread)."""
        with self.board.ctx.uow_factory() as session:
            takeover = takeovers_db.get_takeover(session, takeover_id)
        if (
            takeover is None
            or takeover.status != TakeoverStatus.ACTIVE
            or takeover.taken_by != user.username
        ):
            return None
        return takeover

    def _items(self, takeover: Takeover) -> list[dict[str, Any]]:
        """The conversation so far (runs in a thread)."""
        conversation = takeover.conversation_id
        with self.board.ctx.uow_factory() as session:
            sent = notifications_db.notifications_for(session, conversation)
        transcript = staff_transcript(self.board.ctx.settings.tracker_url, conversation)
        return live_items(transcript, sent)

    async def view(
        self,
        request: Request,
        user: StaffUser,
        *,
        error: str | None = None,
        status: int = 200,
        draft: str = "",
    ) -> Response:
        """The conversation as it happens, the reply box and "hand back"; `?del=meldinger`
        gives only the messages (for the page's own refresh)."""
        takeover_id = int(request.path_params["takeover_id"])
        takeover = await asyncio.to_thread(self._mine, takeover_id, user)
        if takeover is None:
            if request.query_params.get("del") == "meldinger":
                return Response(status_code=410)  # the page's script then reloads it
            return RedirectResponse("/staff/ko", status_code=303)
        items = await asyncio.to_thread(self._items, takeover)
        fragment = request.query_params.get("del") == "meldinger"
        return self.board.page(
            request,
            "live_messages.html" if fragment else "live.html",
            status,
            user=user,
            takeover=takeover,
            items=items,
            channel=channel_label(takeover.conversation_id),
            error=error,
            draft=draft,
            max_chars=MAX_STAFF_MESSAGE,
        )

    async def say(self, request: Request, user: StaffUser) -> Response:
        """Send what the staff member wrote, then back to the live page."""
        ok, form = await self.board.csrf_ok(request)
        if not ok:
            return self.board.refused(request, user)
        takeover_id = int(request.path_params["takeover_id"])
        text = str(form.get("text") or "")
        try:
            await self.live.say(takeover_id, user.username, text)
        except TakeoverError as e:
            return await self.view(
                request, user, error=str(e), status=409, draft=text[:MAX_STAFF_MESSAGE]
            )
        return RedirectResponse(f"/staff/ko/{takeover_id}#svar", status_code=303)

    async def hand_back(self, request: Request, user: StaffUser) -> Response:
        """Give the conversation back to the bot, then the queue."""
        ok, _ = await self.board.csrf_ok(request)
        if not ok:
            return self.board.refused(request, user)
        takeover_id = int(request.path_params["takeover_id"])
        try:
            await self.live.hand_back(takeover_id, user.username)
        except TakeoverError as e:
            return self._error(request, user, str(e), 409)
        return RedirectResponse("/staff/ko?ok=tilbake", status_code=303)


def routes(board: Dashboard) -> list[BaseRoute]:
    """The live takeover pages, relative to the /staff mount."""
    pages = LivePages(board)
    return [
        Route("/ko", board.requires(pages.queue), methods=["GET"]),
        Route("/ko/{takeover_id:int}/ta-over", board.requires(pages.take), methods=["POST"]),
        Route("/ko/{takeover_id:int}", board.requires(pages.view), methods=["GET"]),
        Route("/ko/{takeover_id:int}/skriv", board.requires(pages.say), methods=["POST"]),
        Route(
            "/ko/{takeover_id:int}/gi-tilbake", board.requires(pages.hand_back), methods=["POST"]
        ),
    ]
