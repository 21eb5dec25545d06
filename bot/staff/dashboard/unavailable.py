"""A kind page instead of a crash when a database is down: every staff page (the login too)
reads the visit database, and transcripts read Rasa's tracker store. When either cannot be
reached, the staff member gets a Norwegian 503 page that says so and asks them to try again,
never a bare 500 with nothing to go on."""

from __future__ import annotations

import logging
from typing import Callable

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

# What a database that is down, unreachable, locked too long or out of connections raises.
DATABASE_DOWN = (OperationalError, InterfaceError, PoolTimeout)
RETRY_AFTER_SECONDS = 30


class DatabaseDown:
    """ASGI wrapper: a database error that means "unreachable" becomes `page(request)`."""

    def __init__(self, app: ASGIApp, *, page: Callable[[Request], Response]) -> None:
        self.app = app
        self.page = page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the page; answer with the 503 page if the database fails before it starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            """Note when the response has begun (too late to replace it then)."""
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except DATABASE_DOWN as e:
            if started:
                raise
            log.error("staff page: a database is unavailable (%s)", type(e).__name__)
            response = self.page(Request(scope))
            response.headers["retry-after"] = str(RETRY_AFTER_SECONDS)
            await response(scope, receive, send)
