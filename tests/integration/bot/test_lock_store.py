"""The Redis lock store on the machine's Redis (issue 12): one conversation is never worked on
by two Rasa processes at once, messages of one process take turns in arrival order, a lock
whose owner died runs out, and only its owner gives it back."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from bot.lock_store import AsyncRedisLockStore

pytestmark = pytest.mark.redis


def store(redis_url: str) -> AsyncRedisLockStore:
    """A lock store on the test Redis, as one Rasa process would have it."""
    from sqlalchemy.engine import make_url

    url = make_url(redis_url)
    return AsyncRedisLockStore(
        host=url.host, port=url.port or 6379, db=int(url.database or 0), key_prefix="fhbtest"
    )


def conversation() -> str:
    """A conversation id no other test run uses."""
    return f"lock-test-{uuid.uuid4().hex}"


async def test_two_processes_never_hold_one_conversation_together(redis_url: str) -> None:
    first, second = store(redis_url), store(redis_url)
    chat, inside, overlaps = conversation(), [], []

    async def message(lock_store: AsyncRedisLockStore, name: str) -> None:
        async with lock_store.lock(chat, lock_lifetime=10):
            if inside:
                overlaps.append(name)
            inside.append(name)
            await asyncio.sleep(0.05)
            inside.remove(name)

    await asyncio.gather(*(message(s, f"{i}") for i, s in enumerate([first, second] * 4)))
    assert overlaps == []
    assert not await first.red.exists(first.key_prefix + chat)


async def test_one_process_serves_a_conversation_in_arrival_order(redis_url: str) -> None:
    lock_store, chat, served = store(redis_url), conversation(), []

    async def message(number: int) -> None:
        async with lock_store.lock(chat, lock_lifetime=10):
            await asyncio.sleep(0.01)
            served.append(number)

    tasks = []
    for number in range(6):
        tasks.append(asyncio.create_task(message(number)))
        await asyncio.sleep(0)  # each message arrives after the one before
    await asyncio.gather(*tasks)
    assert served == list(range(6))
    assert lock_store._local == {}  # nothing kept for a finished conversation


async def test_other_conversations_are_not_held_up(redis_url: str) -> None:
    lock_store, busy, other = store(redis_url), conversation(), conversation()

    async def other_message() -> None:
        async with lock_store.lock(other, lock_lifetime=10):
            pass

    async with lock_store.lock(busy, lock_lifetime=10):
        await asyncio.wait_for(other_message(), timeout=1)


async def test_the_lock_of_a_dead_process_runs_out(redis_url: str) -> None:
    dead, alive, chat = store(redis_url), store(redis_url), conversation()
    # A process that took the lock and died: the key stays until its lifetime ends.
    await dead.red.set(dead.key_prefix + chat, "dead-owner", px=300)
    loop = asyncio.get_running_loop()
    began = loop.time()
    async with alive.lock(chat, lock_lifetime=10):
        waited = loop.time() - began
    assert 0.2 <= waited < 2


async def test_a_late_owner_never_releases_the_next_owners_lock(redis_url: str) -> None:
    slow, fast, chat = store(redis_url), store(redis_url), conversation()
    key = slow.key_prefix + chat
    async with slow.lock(chat, lock_lifetime=0.2):
        await asyncio.sleep(0.3)  # its lifetime ran out while it worked
        async with fast.lock(chat, lock_lifetime=10):
            pass
        await fast.red.set(key, "the-next-owner", px=5000)
    # The slow owner's release found another owner's token and left the key alone.
    assert await fast.red.get(key) == b"the-next-owner"
    await fast.red.delete(key)
