"""The relay's HTTP client over an httpx transport, for tests that answer in-process
(`httpx.MockTransport(handler)`): httpx's ConnectError becomes a refused connection, any
other httpx error a failed request, as `bot.channels.relay.AiohttpClient` reports them."""

from __future__ import annotations

from typing import Any, Callable

import httpx

from bot.channels.relay import HttpFailed, HttpReply, Refused


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
