"""The relay's HTTP client over an httpx transport, for tests that answer in-process
(`httpx.MockTransport(handler)`): httpx's ConnectError becomes a refused connection, any
other httpx error a failed request, as `bot.channels.relay.AiohttpClient` reports them; and
the synchronous client the end-to-end tests use against the real servers."""

from __future__ import annotations

from typing import Any, Callable

import httpx

from bot.channels.relay import IDLE_CONNECTION_SECONDS, HttpFailed, HttpReply, Refused


def server_client(url: str, timeout: float) -> httpx.Client:
    """A client for a real server that, like a browser, never sends a request down a
    connection the server may be closing for idleness (it drops idle ones sooner)."""
    limits = httpx.Limits(keepalive_expiry=IDLE_CONNECTION_SECONDS)
    return httpx.Client(base_url=url, timeout=timeout, limits=limits)


class HttpxClient:
    """`bot.channels.relay.Http` on an httpx transport."""

    def __init__(self, transport: httpx.AsyncBaseTransport, timeout: float = 5.0) -> None:
        self._client = httpx.AsyncClient(transport=transport, timeout=timeout)

    async def _request(self, method: str, url: str, **kwargs: Any) -> HttpReply:
        try:
            response = await self._client.request(method, url, **kwargs)
        except httpx.ConnectError as e:
            raise Refused(type(e).__name__) from e
        except httpx.HTTPError as e:
            raise HttpFailed(type(e).__name__) from e
        return HttpReply(response.status_code, response.content)

    async def post(self, url: str, *, json: Any, params: dict[str, str] | None = None) -> HttpReply:
        """POST JSON."""
        return await self._request("POST", url, json=json, params=params)

    async def get(self, url: str) -> HttpReply:
        """GET."""
        return await self._request("GET", url)

    async def aclose(self) -> None:
        """Close the client."""
        await self._client.aclose()


def mock_http(handler: Callable[..., Any]) -> HttpxClient:
    """A client whose every request goes to `handler(httpx.Request)` instead of a server."""
    return HttpxClient(httpx.MockTransport(handler))
