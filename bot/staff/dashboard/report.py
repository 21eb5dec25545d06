"""The evaluation report under /staff/rapport: the numbers of fhb.read.report over a chosen
period, as server-side SVG charts, each with its numbers in a table, and as a CSV export
(logged in the access log)."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.staff.dashboard.app import Dashboard
from bot.staff.dashboard.charts import bar_chart
from bot.staff.dashboard.exports import safe_csv
from fhb.db import staff as staff_db
from fhb.db.models import StaffUser
from fhb.read.report import Figure, Report, default_period, evaluation


@dataclass(frozen=True)
class Chart:
    """One figure of the report as the page shows it."""

    figure: Figure

    @property
    def title(self) -> str:
        """The chart's title."""
        return self.figure.title

    @property
    def svg(self) -> Markup:
        """The chart (every text in it is escaped by `bar_chart`)."""
        return Markup(bar_chart(self.figure.title, self.figure.labels, self.figure.values))

    @property
    def rows(self) -> list[tuple[str, int]]:
        """(label, value) pairs for the table next to the chart."""
        return self.figure.rows


def chosen_period(
    raw_since: str | None, raw_until: str | None, today: dt.date
) -> tuple[dt.date, dt.date, str | None]:
    """The period from the form (YYYY-MM-DD), else the default, with an error to show."""
    default_since, default_until = default_period(today)
    try:
        since = dt.date.fromisoformat(raw_since.strip()) if raw_since else default_since
        until = dt.date.fromisoformat(raw_until.strip()) if raw_until else default_until
    except ValueError:
        return default_since, default_until, "Skriv datoene som ÅÅÅÅ-MM-DD."
    if since > until:
        return default_since, default_until, "Fra-datoen må være før til-datoen."
    return since, until, None


class ReportPages:
    """The report page and its CSV export; both roles may use them."""

    def __init__(self, board: Dashboard) -> None:
        self.board = board
        self.ctx = board.ctx

    def _today(self) -> dt.date:
        """Today in the kommune."""
        return self.ctx.clock().astimezone(ZoneInfo(self.ctx.profile.timezone)).date()

    def _report(self, since: dt.date, until: dt.date) -> Report:
        """The numbers (blocking: both databases)."""
        with self.ctx.uow_factory() as session:
            return evaluation(
                session, self.ctx.settings.tracker_url, since, until, tz=self.ctx.profile.timezone
            )

    async def page(self, request: Request, user: StaffUser) -> Response:
        """The report with its charts for the period asked for."""
        since, until, error = chosen_period(
            request.query_params.get("fra"), request.query_params.get("til"), self._today()
        )
        report = await asyncio.to_thread(self._report, since, until)
        return self.board.page(
            request,
            "report.html",
            400 if error else 200,
            user=user,
            report=report,
            charts=[Chart(f) for f in report.series()],
            error=error,
        )

    async def export(self, request: Request, user: StaffUser) -> Response:
        """The report's numbers as CSV; the export is logged first."""
        ok, form = await self.board.csrf_ok(request)
        if not ok:
            return self.board.refused(request, user)
        since, until, error = chosen_period(
            str(form.get("fra") or ""), str(form.get("til") or ""), self._today()
        )
        if error:
            return self.board.page(request, "error.html", 400, user=user, message=error)

        def export() -> str:
            with self.ctx.uow_factory() as session:
                staff_db.log_access(
                    session,
                    username=user.username,
                    action="export",
                    target=f"rapport.csv {since}–{until}",
                )
                report = evaluation(
                    session,
                    self.ctx.settings.tracker_url,
                    since,
                    until,
                    tz=self.ctx.profile.timezone,
                )
            return safe_csv(report.csv_text())

        body = await asyncio.to_thread(export)
        name = f"rapport-{since}-{until}.csv"
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={
                "content-disposition": f'attachment; filename="{name}"',
                "cache-control": "no-store",
            },
        )


def routes(board: Dashboard) -> list[BaseRoute]:
    """The report's routes, relative to the /staff mount."""
    pages = ReportPages(board)
    return [
        Route("/rapport", board.requires(pages.page), methods=["GET"]),
        Route("/rapport.csv", board.requires(pages.export), methods=["POST"]),
    ]
