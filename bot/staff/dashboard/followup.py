"""Staff page for follow-up: call-back requests to handle, postponed offers coming due and
declines counted by reason. Needs a login; both roles may use it."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.staff.dashboard.app import Dashboard
from fhb.clock import naive_utc
from fhb.db import answers
from fhb.db.models import CallbackRequest, Decline, StaffUser
from fhb.language.formatting import to_local
from fhb.profile import format_phone_display
from fhb.read import followup as followup_read
from fhb.read.labels import reason_label, reason_rows

DUE_WITHIN = dt.timedelta(days=30)


@dataclass(frozen=True)
class FollowUp:
    """What the follow-up page shows."""

    callbacks: list[CallbackRequest]
    due: list[Decline]
    counts: list[tuple[str, int]]
    today: dt.date


def phone(raw: str | None) -> str:
    """A stored phone number the way people write it ('' when missing)."""
    return format_phone_display(raw) if raw else ""


class FollowUpPages:
    """The handlers of the follow-up page, sharing the dashboard."""

    def __init__(self, board: Dashboard) -> None:
        self.board = board
        board.templates.env.filters["reason_label"] = reason_label
        board.templates.env.filters["phone"] = phone

    async def overview(self, request: Request, user: StaffUser) -> Response:
        """Call-backs not handled, declines coming due and the count by reason."""
        today = to_local(naive_utc(self.board.ctx.clock()), self.board.ctx.profile.timezone).date()

        def load() -> FollowUp:
            with self.board.ctx.uow_factory() as session:
                return FollowUp(
                    callbacks=followup_read.open_callbacks(session),
                    due=followup_read.declines_due(session, until=today + DUE_WITHIN),
                    counts=reason_rows(followup_read.decline_counts(session)),
                    today=today,
                )

        data = await asyncio.to_thread(load)
        done = (
            "Forespørselen er merket som behandlet."
            if request.query_params.get("ok") == "behandlet"
            else None
        )
        return self.board.page(
            request,
            "followup.html",
            user=user,
            data=data,
            done=done,
            total=sum(n for _, n in data.counts),
        )

    async def handled(self, request: Request, user: StaffUser) -> Response:
        """Mark one call-back request as handled, then back to the page."""
        ok, _ = await self.board.csrf_ok(request)
        if not ok:
            return self.board.refused(request, user)
        callback_id = request.path_params["callback_id"]

        def mark() -> bool:
            with self.board.ctx.uow_factory() as session:
                try:
                    answers.mark_callback_handled(session, callback_id)
                except LookupError:
                    return False
                return True

        if not await asyncio.to_thread(mark):
            return self.board.page(
                request, "error.html", 404, user=user, message="Fant ikke forespørselen."
            )
        return RedirectResponse("/staff/oppfolging?ok=behandlet", status_code=303)


def routes(board: Dashboard) -> list[BaseRoute]:
    """The follow-up pages, relative to the /staff mount."""
    pages = FollowUpPages(board)
    return [
        Route("/oppfolging", board.requires(pages.overview), methods=["GET"]),
        Route(
            "/oppfolging/ringt/{callback_id:int}", board.requires(pages.handled), methods=["POST"]
        ),
    ]
