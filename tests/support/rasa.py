"""A fake Rasa: the REST channel's webhook and the tracker-events part of the HTTP API.

One `FakeRasa` serves two ways:

- in-process, as an httpx handler: `RasaRelay(rasa.url, http=rasa.http())` (or
  `tests.support.http.mock_http(rasa.handler)`);
- over real HTTP, as an ASGI app: `with rasa.served():` (a `BackgroundServer(rasa)`) then
  `RasaRelay(rasa.url)`; only then do `delays` hold an answer up.

Either way it records the same things: `bodies`, every webhook body in order (`messages` are
their texts), and `api_calls`, every call to the HTTP API as an `ApiCall`. It answers the
webhook from `script`, a function of the message text (by default an echo,
"Du skrev: <text>"), each reply addressed to the sender like Rasa does; the HTTP API answers
`{}`. While `down` is set nothing is recorded: in-process the connection is refused
(httpx.ConnectError), over HTTP every request gets 503.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Callable, NamedTuple

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from tests.support.http import HttpxClient, mock_http
from tests.support.servers import BackgroundServer

Script = Callable[[str], list[dict[str, Any]]]
WEBHOOK = "/webhooks/rest/webhook"
IN_PROCESS_URL = "http://rasa.test"
_EVENTS = re.compile(r"/conversations/(?P<conversation>[^/]+)/tracker/events")


class ApiCall(NamedTuple):
    """A request to Rasa's HTTP API: method, path, the `token` query parameter, JSON body."""

    method: str
    path: str
    token: str | None
    body: Any


def tracker_events(conversation: str, event: str, token: str | None = "") -> ApiCall:
    """The call that appends one event (`pause`, `resume`) to a conversation's tracker, as
    RasaRelay makes it (the token is empty when none is configured)."""
    return ApiCall(
        "POST", f"/conversations/{conversation}/tracker/events", token, [{"event": event}]
    )


def echo(message: str) -> list[dict[str, Any]]:
    """The default script: repeat what was said."""
    return [{"text": f"Du skrev: {message}"}]


def answers(*replies: dict[str, Any]) -> Script:
    """A script that gives the same replies to every message (none: Rasa stays silent)."""
    return lambda message: [dict(r) for r in replies]


class FakeRasa:
    """Rasa's REST webhook and HTTP API, recorded; see the module's docstring."""

    def __init__(self, script: Script = echo) -> None:
        self.url = IN_PROCESS_URL  # where to reach it; a real one while served
        self.script: Script = script
        self.delays: dict[str, float] = {}
        self.down = False
        self.bodies: list[dict[str, Any]] = []
        self.api_calls: list[ApiCall] = []

    @property
    def messages(self) -> list[str]:
        """The texts Rasa received, in order."""
        return [b["message"] for b in self.bodies]

    def _answer(
        self, method: str, path: str, token: str | None, content: bytes
    ) -> tuple[int, Any, float]:
        """Record one request; give the answer's status and JSON body, and how long to wait
        before answering (served mode only)."""
        body: Any = json.loads(content) if content else None
        if method == "POST" and path == WEBHOOK:
            self.bodies.append(body)
            message = body["message"]
            replies = [{"recipient_id": body["sender"], **r} for r in self.script(message)]
            return 200, replies, self.delays.get(message, 0)
        if method == "POST" and _EVENTS.fullmatch(path):
            self.api_calls.append(ApiCall(method, path, token, body))
            return 200, {}, 0
        if method == "GET" and path == "/":
            return 200, {"version": "fake"}, 0
        return 404, {"status": "failure", "reason": "NotFound"}, 0

    # --- in-process ---------------------------------------------------------------------------

    def handler(self, request: httpx.Request) -> httpx.Response:
        """The httpx handler (for httpx.MockTransport)."""
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        status, payload, _delay = self._answer(
            request.method, request.url.path, request.url.params.get("token"), request.content
        )
        return httpx.Response(status, json=payload)

    def http(self) -> HttpxClient:
        """The relay's HTTP client, handing every request to this fake."""
        return mock_http(self.handler)

    # --- over HTTP ----------------------------------------------------------------------------

    @contextmanager
    def served(self) -> Iterator[str]:
        """Serve this fake over real HTTP on 127.0.0.1 in the block; `url` is its address."""
        with BackgroundServer(self) as server:
            self.url = server.url
            try:
                yield server.url
            finally:
                self.url = IN_PROCESS_URL

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI app (for BackgroundServer): the same answers, after `delays[message]`."""
        assert scope["type"] == "http", scope["type"]
        response: Response
        if self.down:
            response = JSONResponse({"status": "failure"}, status_code=503)
        else:
            request = Request(scope, receive)
            content = await request.body()
            status, payload, delay = self._answer(
                request.method, request.url.path, request.query_params.get("token"), content
            )
            await asyncio.sleep(delay)
            response = JSONResponse(payload, status_code=status)
        await response(scope, receive, send)
