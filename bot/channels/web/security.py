"""Security headers for every web response, and a request-body reader with a size limit."""

from __future__ import annotations

import json
import os
import re
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FRAME_ANCESTORS_ENV = "FHB_WEB_FRAME_ANCESTORS"
MAX_JSON_DEPTH = 20  # the chat's bodies are flat objects; deeper nesting is refused (400)
# A source in frame-ancestors: a keyword or a scheme/host; anything else is dropped.
_SOURCE = re.compile(r"^('self'|'none'|https?://[A-Za-z0-9.*:\-\[\]]+|https?:)$")


class BodyTooLarge(Exception):
    """The request body is over the limit."""


class BadBody(Exception):
    """The request body is not a JSON object."""


def frame_ancestors(raw: str | None = None) -> str:
    """Who may put the chat in an iframe: FHB_WEB_FRAME_ANCESTORS, else only this site.

    The value is a space-separated list of origins (for example
    "'self' https://www.fjellvik.kommune.no"); anything that is not a source is dropped,
    so the header cannot be broken by a stray ";" or newline.
    """
    value = os.environ.get(FRAME_ANCESTORS_ENV, "") if raw is None else raw
    sources = [s for s in value.split() if _SOURCE.match(s)]
    return " ".join(sources) or "'self'"


def security_headers(ancestors: str) -> list[tuple[bytes, bytes]]:
    """The headers added to every response of the web chat."""
    csp = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        f"frame-ancestors {ancestors}"
    )
    return [
        (b"content-security-policy", csp.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
    ]


class SecureHeaders:
    """ASGI wrapper: add the security headers to each response of the wrapped app."""

    def __init__(self, app: ASGIApp, *, ancestors: str) -> None:
        self.app = app
        self.headers = security_headers(ancestors)
        self._names = {name for name, _ in self.headers}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; put our headers on the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            """Replace any same-named header with ours."""
            if message["type"] == "http.response.start":
                kept = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() not in self._names
                ]
                message["headers"] = kept + self.headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def read_json_object(request: Request, *, limit: int) -> dict[str, Any]:
    """The body as a JSON object; BodyTooLarge past `limit` bytes (stops reading), else BadBody."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise BodyTooLarge
    try:
        text = body.decode("utf-8")
        if not nesting_within(text, MAX_JSON_DEPTH):
            raise BadBody  # json.loads would recurse once per level (RecursionError)
        data = json.loads(text) if text else {}
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise BadBody from e
    if not isinstance(data, dict):
        raise BadBody
    return data


def nesting_within(text: str, limit: int) -> bool:
    """Tell whether JSON text nests arrays and objects at most `limit` deep (brackets inside
    strings do not count). One pass, no recursion, so any depth is safe to measure."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return False
        elif char in "]}":
            depth -= 1
    return True
