"""Pace what the bot sends to Telegram, and retry once Telegram says "too many requests".

Telegram allows about one message a second to one chat and about 30 a second in all. Every
outgoing message gets a start time before it is sent: at least `per_chat_interval` after the
previous message to the same chat, and at least 1/`overall_per_second` away from every other
message. Times are reserved without awaiting, so concurrent senders never take the same turn,
and messages to one chat leave in the order they were asked for.

When Telegram still answers 429 (`RetryAfter`), every request waits that long and the request
is tried again, at most `max_tries` times in all. The clock and the sleep are injectable so
the tests check the timing without waiting.
"""

from __future__ import annotations

import asyncio
import bisect
import datetime as dt
import logging
import math
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

# Requests that put a message in a chat; the rest (typing, answers to button presses, edits,
# getMe, webhooks) are sent at once, only held back while Telegram asked us to pause.
_MESSAGE_ENDPOINTS = frozenset({"copyMessage", "copyMessages", "forwardMessage", "forwardMessages"})
_PRUNE_AT = 2048

Result = Any
Callback = Callable[..., Coroutine[Any, Any, Result]]


def is_message_endpoint(endpoint: str) -> bool:
    """Tell whether a Bot API method sends a message (and so counts against the limits)."""
    return (endpoint.startswith("send") and endpoint != "sendChatAction") or (
        endpoint in _MESSAGE_ENDPOINTS
    )


def retry_seconds(error: RetryAfter) -> float:
    """How long Telegram asked us to wait, in seconds (PTB gives an int or a timedelta)."""
    value = error.retry_after
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value)


class ChatRateLimiter(BaseRateLimiter[int]):
    """At most one message a second to one chat and 30 a second overall; retry on 429."""

    def __init__(
        self,
        *,
        per_chat_interval: float = 1.0,
        overall_per_second: float = 30.0,
        max_tries: int = 3,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if per_chat_interval < 0 or overall_per_second <= 0 or max_tries < 1:
            raise ValueError("intervals must be positive and max_tries at least 1")
        self._interval = per_chat_interval
        self._gap = 1.0 / overall_per_second
        self._max_tries = max_tries
        self._clock = clock
        self._sleep = sleep
        self._chat_next: dict[int | str, float] = {}
        self._reserved: list[float] = []
        self._paused_until = -math.inf

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Forget the per-chat turns."""
        self._chat_next.clear()
        self._reserved.clear()

    def reserve(self, chat: int | str | None) -> float:
        """Reserve and return the start time of the next message to `chat` (None: no chat)."""
        now = self._clock()
        start = max(now, self._paused_until)
        if chat is not None:
            start = max(start, self._chat_next.get(chat, -math.inf))
        start = self._free_overall(start, now)
        bisect.insort(self._reserved, start)
        if chat is not None:
            self._chat_next[chat] = start + self._interval
            if len(self._chat_next) > _PRUNE_AT:
                self._chat_next = {k: v for k, v in self._chat_next.items() if v > now}
        return start

    def _free_overall(self, start: float, now: float) -> float:
        """The first time from `start` at least one overall gap away from every reservation."""
        keep_from = bisect.bisect_left(self._reserved, now - self._gap)
        del self._reserved[:keep_from]
        candidate = start
        for taken in self._reserved:
            if taken + self._gap <= candidate:
                continue
            if candidate + self._gap <= taken:
                break
            candidate = taken + self._gap
        return candidate

    async def _wait_until(self, start: float) -> None:
        """Sleep until `start`, and on until any pause Telegram asked for is over."""
        while True:
            target = max(start, self._paused_until)
            remaining = target - self._clock()
            if remaining <= 0:
                return
            await self._sleep(remaining)

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """Wait for this request's turn, send it, and retry after a 429 (max_tries in all)."""
        tries = rate_limit_args or self._max_tries
        counted = is_message_endpoint(endpoint)
        chat = _chat_key(data.get("chat_id"))
        for attempt in range(1, tries + 1):
            start = self.reserve(chat) if counted else self._clock()
            await self._wait_until(start)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as e:
                wait = retry_seconds(e)
                if attempt == tries:
                    log.warning("Telegram rate limit: %s failed after %d tries", endpoint, tries)
                    raise
                log.info("Telegram rate limit: waiting %.1f s before %s again", wait, endpoint)
                self._paused_until = max(self._paused_until, self._clock() + wait)
        raise RuntimeError("unreachable: the loop returns or raises")  # pragma: no cover


def _chat_key(chat_id: object) -> int | str | None:
    """The chat a request goes to, as a dict key (Telegram accepts ints and @names)."""
    if chat_id is None:
        return None
    try:
        return int(str(chat_id)) if isinstance(chat_id, (int, str)) else str(chat_id)
    except (TypeError, ValueError):
        return str(chat_id)
