"""Which conversations are in the staff queue or taken over, for the check after each message.

After every message the web chat tells the page whether a person from the kommune is, or
will soon be, in the chat, and both channels drop an answer the bot gave while a staff
member has taken over. Asking the visit database once per message was a fifth of the
channel server's CPU under load (issue 12, py-spy). `OpenTakeovers` reads every open
takeover in one query (there are a few at a time) at most once every `max_age` seconds,
however many messages arrive, and one read serves every message that waits for it.

A takeover can be at most `max_age` old when a message is checked, except for the changes
this process is told about, which are read at the next check: `forget()` after a staff
member of this channel server takes, hands back or times out a conversation, and after
Rasa's reply says the action server has just put the conversation in the queue
(`fhb.db.takeovers.TAKEOVER_REQUESTED`). What `max_age` can delay is only a change made by
another channel server: the page's live flag (polled again a few seconds later) and a bot
answer that Rasa gave although paused, which happens only when a new Rasa session starts.
"""

from __future__ import annotations

import asyncio
import time
from typing import Callable


class OpenTakeovers:
    """The open takeovers' statuses by conversation, read again when `max_age` old."""

    def __init__(
        self,
        read: Callable[[], dict[str, str]],
        *,
        max_age: float = 1.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._read = read  # blocking: runs in a worker thread
        self._max_age = max_age
        self._now = now
        self._statuses: dict[str, str] | None = None
        self._read_at = 0.0
        self._generation = 0  # +1 at each forget(): older reads are not kept
        self._pending: tuple[int, asyncio.Future[dict[str, str]]] | None = None

    def forget(self) -> None:
        """A takeover changed: the next check reads the database again."""
        self._generation += 1
        self._statuses = None

    async def status(self, conversation: str) -> str | None:
        """'waiting' or 'active' while the conversation is queued or taken over, else None.

        Raises what the read raises (a database error); nothing of a failed read is kept.
        """
        return (await self._current()).get(conversation)

    async def _current(self) -> dict[str, str]:
        if self._statuses is not None and self._now() - self._read_at < self._max_age:
            return self._statuses
        if self._pending is None or self._pending[0] != self._generation:
            task = asyncio.ensure_future(self._read_again(self._generation))
            # A failed read whose callers all gave up is not an "unretrieved" error.
            task.add_done_callback(lambda t: t.cancelled() or t.exception())
            self._pending = (self._generation, task)
        # shield: a caller that gives up (the person closed the page) does not cancel the
        # read the other callers wait for.
        return await asyncio.shield(self._pending[1])

    async def _read_again(self, generation: int) -> dict[str, str]:
        started = self._now()
        try:
            statuses = await asyncio.to_thread(self._read)
        finally:
            if self._pending is not None and self._pending[0] == generation:
                self._pending = None
        if generation == self._generation:  # no forget() since the read began
            self._statuses, self._read_at = statuses, started
        return statuses
