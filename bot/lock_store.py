"""Rasa's lock store on Redis, without blocking the Rasa server (issue 12).

A Rasa server holds a conversation's lock while it works on one message of it, so that two
Rasa processes (or two messages at once) never change the same conversation together.
Rasa's own RedisLockStore talks to Redis with the blocking client, about six round trips
per message, during which the whole server waits, and it reads, changes and writes its
ticket list without an atomic step, so two processes can both take the lock.

This one:
- inside one process, messages of one conversation take turns in arrival order (an
  asyncio lock, first come first served, as Rasa's tickets promise);
- across processes, the lock is one Redis key taken atomically (SET NX with an expiry, the
  lock's lifetime), and given back only by its owner (a compare-and-delete script): two
  round trips per message, awaited, so the server serves other conversations meanwhile;
- a process that dies holding a lock delays that one conversation by at most the lifetime
  (Rasa's TICKET_LOCK_LIFETIME, 60 s by default), as with Rasa's tickets.

Named in the endpoints file that `fhb run` writes when FHB_REDIS_URL is set.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from redis import asyncio as aioredis

import bot.rasa_patches  # noqa: F401 - a module Rasa loads: apply the patches

# Delete the key only if it still holds our token (the lock may have expired and been
# taken by another process meanwhile).
RELEASE = """
if redis.call("get", KEYS[1]) == ARGV[1] then
    return redis.call("del", KEYS[1])
end
return 0
"""
POLL_S = 0.02  # how often a waiting process tries again (only while another holds it)


class AsyncRedisLockStore(LockStore):
    """Per-conversation locks in Redis, awaited; FIFO inside the process."""

    def __init__(self, endpoint_config: Any = None, **kwargs: Any) -> None:
        options = {**(getattr(endpoint_config, "kwargs", None) or {}), **kwargs}
        self.key_prefix = f"{options.get('key_prefix') or 'fhb'}:lock:"
        self.red = aioredis.Redis(
            host=getattr(endpoint_config, "url", None) or options.get("host") or "127.0.0.1",
            port=int(options.get("port") or 6379),
            db=int(options.get("db") or 0),
            username=options.get("username"),
            password=options.get("password"),
            socket_timeout=float(options.get("socket_timeout") or 10),
        )
        self._local: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncIterator[TicketLock]:
        """Hold the conversation's lock for one message (at most `lock_lifetime`)."""
        local = self._enter(conversation_id)
        try:
            async with local:
                key = self.key_prefix + conversation_id
                token = uuid.uuid4().hex
                await self._acquire(key, token, lock_lifetime)
                try:
                    yield TicketLock(conversation_id)
                finally:
                    await self.red.eval(RELEASE, 1, key, token)
        finally:
            self._leave(conversation_id)

    async def _acquire(self, key: str, token: str, lifetime: float) -> None:
        """Take the Redis key, waiting while another process holds it (at most until its
        lifetime has surely run out)."""
        ttl_ms = max(1, int(lifetime * 1000))
        loop = asyncio.get_running_loop()
        give_up = loop.time() + lifetime + 1
        while not await self.red.set(key, token, nx=True, px=ttl_ms):
            if loop.time() > give_up:
                raise LockError(f"Could not acquire the lock of a conversation ({key}).")
            await asyncio.sleep(POLL_S)

    def _enter(self, conversation_id: str) -> asyncio.Lock:
        """The process's lock of the conversation, counting one more user."""
        lock, users = self._local.get(conversation_id) or (asyncio.Lock(), 0)
        self._local[conversation_id] = (lock, users + 1)
        return lock

    def _leave(self, conversation_id: str) -> None:
        """One user fewer; forget the lock when nobody uses or waits for it."""
        lock, users = self._local[conversation_id]
        if users <= 1:
            del self._local[conversation_id]
        else:
            self._local[conversation_id] = (lock, users - 1)
