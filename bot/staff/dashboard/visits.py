"""Staff pages for visits: a week calendar per visitor, one visit's page with its actions
(completed with outcome, no-show, cancel, move) and a printable day list.

Times are stored in naive UTC and shown in the kommune's zone. Every page needs a login and
every form a valid CSRF token; both roles may use these pages.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.staff.dashboard.app import Dashboard
from bot.staff.dashboard.followup import phone
from fhb.clock import naive_utc
from fhb.db import slots as slots_db
from fhb.db import visits as visits_db
from fhb.db.models import Slot, StaffUser, Visit, VisitStatus
from fhb.language.formatting import LOCALE, format_slot_time, to_local, to_utc_naive
from fhb.profile import format_phone_display
from fhb.read.labels import VISIT_STATUS_LABELS

DONE = {
    "gjennomfort": "Besøket er merket som gjennomført. Innbyggeren får spørsmål om tilbakemelding.",
    "uteble": "Besøket er merket som uteblitt.",
    "avlyst": "Besøket er avlyst, og tiden er ledig igjen.",
    "flyttet": "Besøket er flyttet til den nye tiden.",
}
OUTCOMES = (
    ("referred", "Henvist til andre tjenester i kommunen?"),
    ("interpreter_used", "Ble det brukt tolk?"),
    ("joined_activity", "Ble innbyggeren med i en aktivitetsgruppe eller et tilbud?"),
)
_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")
Cell = tuple[Slot, Visit | None]
Row = tuple[str, list[Cell | None]]


@dataclass(frozen=True)
class VisitorWeek:
    """One visitor's week: a row per local start time, a cell per weekday (None: no slot)."""

    visitor: str
    rows: list[Row]


def week_monday(raw: str | None, today: dt.date) -> dt.date:
    """The Monday of an ISO week 'YYYY-Www'; this week's Monday when missing or bad."""
    match = _WEEK.match((raw or "").strip())
    if match:
        try:
            return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass
    return today - dt.timedelta(days=today.weekday())


def week_code(day: dt.date) -> str:
    """The ISO week of a day as 'YYYY-Www'."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def local_range(first: dt.date, days: int, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """From local midnight of `first` to local midnight `days` later, in naive UTC."""
    start = dt.datetime.combine(first, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(first + dt.timedelta(days=days), dt.time(), tzinfo=tz)
    return to_utc_naive(start), to_utc_naive(end)


def calendar(
    rows: list[tuple[Slot, Visit | None]], visitors: list[str], monday: dt.date, tz: str
) -> list[VisitorWeek]:
    """Lay out a week's slots as one grid per visitor (time rows × Monday–Sunday)."""
    weeks = []
    for visitor in visitors:
        cells: dict[str, list[Cell | None]] = {}
        for slot, visit in rows:
            if slot.visitor != visitor:
                continue
            local = to_local(slot.start, tz)
            line = cells.setdefault(local.strftime("%H.%M"), [None] * 7)
            line[(local.date() - monday).days] = (slot, visit)
        weeks.append(VisitorWeek(visitor, sorted(cells.items())))
    return weeks


def parse_outcome(form: Any) -> dict[str, bool] | None:
    """The three yes/no answers of the completion form; None when one is missing."""
    answers = {name: str(form.get(name) or "") for name, _ in OUTCOMES}
    if any(value not in ("ja", "nei") for value in answers.values()):
        return None
    return {name: value == "ja" for name, value in answers.items()}


def relative_info(visit: Visit) -> str:
    """Who booked on the citizen's behalf, as one line ('' when the citizen booked)."""
    if visit.booked_by != "relative":
        return ""
    parts = [visit.relative_name or "navn ukjent"]
    if visit.relation:
        parts[0] += f" ({visit.relation})"
    if visit.relative_phone:
        parts.append(f"tlf. {format_phone_display(visit.relative_phone)}")
    return "Bestilt av pårørende: " + ", ".join(parts)


class VisitPages:
    """The handlers of the visit pages, sharing the dashboard."""

    def __init__(self, board: Dashboard) -> None:
        self.board = board
        self.tz = board.ctx.profile.timezone
        env = board.templates.env
        env.filters["slot_time"] = lambda when: format_slot_time(when, self.tz)
        env.filters["clock"] = lambda when: to_local(when, self.tz).strftime("%H.%M")
        env.filters["phone"] = phone
        env.globals.update(status_labels=VISIT_STATUS_LABELS, relative_info=relative_info)

    def today(self) -> dt.date:
        """Today's date in the kommune's zone."""
        return to_local(naive_utc(self.board.ctx.clock()), self.tz).date()

    def visitors(self, found: list[str]) -> list[str]:
        """The profile's visitors first, then any other visitor that has slots."""
        names = [name for name, _ in self.board.ctx.profile.visitors]
        return names + [name for name in found if name not in names]

    async def week(self, request: Request, user: StaffUser) -> Response:
        """The week calendar per visitor and the list of the week's bookings."""
        monday = week_monday(request.query_params.get("uke"), self.today())
        chosen = (request.query_params.get("besoker") or "").strip()[:200] or None
        start, end = local_range(monday, 7, ZoneInfo(self.tz))

        def load() -> tuple[list[tuple[Slot, Visit | None]], list[str]]:
            with self.board.ctx.uow_factory() as session:
                return (
                    slots_db.schedule_between(session, start, end, visitor=chosen),
                    slots_db.slot_visitors(session),
                )

        rows, found = await asyncio.to_thread(load)
        visitors = self.visitors(found)
        shown = [chosen] if chosen else visitors
        days = [monday + dt.timedelta(days=i) for i in range(7)]
        return self.board.page(
            request,
            "visits.html",
            user=user,
            visitors=visitors,
            chosen=chosen or "",
            week=week_code(monday),
            weeks=calendar(rows, shown, monday, self.tz),
            day_labels=[format_date(d, "EEEE d. MMMM", locale=LOCALE) for d in days],
            previous=week_code(monday - dt.timedelta(days=7)),
            following=week_code(monday + dt.timedelta(days=7)),
            bookings=[(slot, visit) for slot, visit in rows if visit is not None],
            week_number=monday.isocalendar()[1],
        )

    async def detail(self, request: Request, user: StaffUser) -> Response:
        """One visit with the forms to complete, mark no-show, cancel or move it."""
        done = DONE.get(request.query_params.get("ok") or "")
        return await self.show(request, user, request.path_params["visit_id"], done=done)

    async def show(
        self,
        request: Request,
        user: StaffUser,
        visit_id: int,
        *,
        status: int = 200,
        done: str | None = None,
        error: str | None = None,
    ) -> Response:
        """Render a visit's page (404 when there is no such visit)."""
        weeks_ahead = self.board.ctx.profile.weeks_ahead

        def load() -> tuple[Visit | None, list[slots_db.FreeSlot]]:
            with self.board.ctx.uow_factory() as session:
                visit = visits_db.get_visit(session, visit_id)
                if visit is None or visit.status != VisitStatus.BOOKED:
                    return visit, []
                now = naive_utc(self.board.ctx.clock())
                horizon = now + dt.timedelta(weeks=weeks_ahead)
                return visit, [
                    s for s in slots_db.free_slots(session, after=now) if s.start < horizon
                ]

        visit, free = await asyncio.to_thread(load)
        if visit is None:
            return self.board.page(
                request, "error.html", 404, user=user, message="Fant ikke besøket."
            )
        groups: dict[str, list[slots_db.FreeSlot]] = {}
        for slot in free:
            week = to_local(slot.start, self.tz).isocalendar()[1]
            groups.setdefault(f"Uke {week}", []).append(slot)
        return self.board.page(
            request,
            "visits_detail.html",
            status,
            user=user,
            visit=visit,
            free=groups,
            outcomes=OUTCOMES,
            done=done,
            error=error,
            started=visit.slot.start <= naive_utc(self.board.ctx.clock()),
            week=week_code(to_local(visit.slot.start, self.tz).date()),
        )

    async def _change(self, request: Request, user: StaffUser, action: str) -> Response:
        """Check the token, apply one action to the visit, then back to its page."""
        ok, form = await self.board.csrf_ok(request)
        if not ok:
            return self.board.refused(request, user)
        visit_id = request.path_params["visit_id"]
        outcome = parse_outcome(form) if action == "gjennomfort" else {}
        if outcome is None:
            return await self.show(
                request,
                user,
                visit_id,
                status=400,
                error="Svar ja eller nei på alle tre spørsmålene.",
            )
        new_slot = str(form.get("slot_id") or "")
        if action == "flyttet" and not new_slot.isdigit():
            return await self.show(request, user, visit_id, status=400, error="Velg en ny tid.")

        def apply() -> str | None:
            with self.board.ctx.uow_factory() as session:
                visit = visits_db.get_visit(session, visit_id)
                if visit is None:
                    return "Fant ikke besøket."
                if action in ("gjennomfort", "uteble"):
                    if visit.slot.start > naive_utc(self.board.ctx.clock()):
                        return "Besøket har ikke begynt ennå."
                    if visit.status == VisitStatus.CANCELLED:
                        return "Besøket er avlyst."
                    if action == "gjennomfort":
                        visits_db.complete_visit(
                            session,
                            visit_id,
                            referred=outcome["referred"],
                            interpreter_used=outcome["interpreter_used"],
                            joined_activity=outcome["joined_activity"],
                        )
                    else:
                        visits_db.mark_no_show(session, visit_id)
                    return None
                if visit.status != VisitStatus.BOOKED:
                    return "Bare bestilte besøk kan avlyses eller flyttes."
                if action == "avlyst":
                    visits_db.cancel_visit(session, visit_id)
                    return None
                try:
                    visits_db.move_visit(session, visit_id, int(new_slot))
                except visits_db.SlotTaken as e:
                    raise _Taken from e
                return None

        try:
            problem = await asyncio.to_thread(apply)
        except _Taken:
            return await self.show(
                request,
                user,
                visit_id,
                status=409,
                error=(
                    "Den tiden er ikke ledig lenger. Besøket er ikke flyttet. Velg en annen tid."
                ),
            )
        if problem is not None:
            return await self.show(request, user, visit_id, status=409, error=problem)
        return RedirectResponse(f"/staff/besok/{visit_id}?ok={action}", status_code=303)

    async def complete(self, request: Request, user: StaffUser) -> Response:
        """Mark the visit completed with its outcome."""
        return await self._change(request, user, "gjennomfort")

    async def no_show(self, request: Request, user: StaffUser) -> Response:
        """Mark the visit as a no-show."""
        return await self._change(request, user, "uteble")

    async def cancel(self, request: Request, user: StaffUser) -> Response:
        """Cancel the visit on the citizen's behalf (frees the slot)."""
        return await self._change(request, user, "avlyst")

    async def move(self, request: Request, user: StaffUser) -> Response:
        """Move the visit to another free slot."""
        return await self._change(request, user, "flyttet")

    async def cancel_form(self, request: Request, user: StaffUser) -> Response:
        """Ask before cancelling."""
        visit_id = request.path_params["visit_id"]

        def load() -> Visit | None:
            with self.board.ctx.uow_factory() as session:
                return visits_db.get_visit(session, visit_id)

        visit = await asyncio.to_thread(load)
        if visit is None:
            return self.board.page(
                request, "error.html", 404, user=user, message="Fant ikke besøket."
            )
        return self.board.page(request, "visits_cancel.html", user=user, visit=visit)

    async def day_list(self, request: Request, user: StaffUser) -> Response:
        """A printable list of one visitor's visits on one day."""
        try:
            day = dt.date.fromisoformat((request.query_params.get("dato") or "").strip())
        except ValueError:
            day = self.today()
        start, end = local_range(day, 1, ZoneInfo(self.tz))

        def load() -> tuple[list[tuple[Slot, Visit | None]], list[str]]:
            with self.board.ctx.uow_factory() as session:
                return (
                    slots_db.schedule_between(session, start, end),
                    slots_db.slot_visitors(session),
                )

        rows, found = await asyncio.to_thread(load)
        visitors = self.visitors(found)
        chosen = (request.query_params.get("besoker") or "").strip()[:200] or visitors[0]
        visits = [visit for slot, visit in rows if visit is not None and slot.visitor == chosen]
        return self.board.page(
            request,
            "daylist.html",
            user=user,
            visitors=visitors,
            chosen=chosen,
            day=day.isoformat(),
            visits=visits,
            day_label=format_date(day, "EEEE d. MMMM y", locale=LOCALE),
        )


class _Taken(Exception):
    """The chosen slot was no longer free."""


def routes(board: Dashboard) -> list[BaseRoute]:
    """The visit pages, relative to the /staff mount."""
    pages = VisitPages(board)
    guard = board.requires
    return [
        Route("/besok", guard(pages.week), methods=["GET"]),
        Route("/besok/dagsliste", guard(pages.day_list), methods=["GET"]),
        Route("/besok/{visit_id:int}", guard(pages.detail), methods=["GET"]),
        Route("/besok/{visit_id:int}/gjennomfort", guard(pages.complete), methods=["POST"]),
        Route("/besok/{visit_id:int}/uteble", guard(pages.no_show), methods=["POST"]),
        Route("/besok/{visit_id:int}/avlys", guard(pages.cancel_form), methods=["GET"]),
        Route("/besok/{visit_id:int}/avlys", guard(pages.cancel), methods=["POST"]),
        Route("/besok/{visit_id:int}/flytt", guard(pages.move), methods=["POST"]),
    ]
