"""OpenTakeovers: one read of the staff queue serves every message for `max_age` seconds."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bot.channels.open_takeovers import OpenTakeovers


class Queue:
    """The staff queue as the database holds it, counting the reads; a read can be held up
    (`hold`) or made to fail (`fail`)."""

    def __init__(self) -> None:
        self.statuses: dict[str, str] = {}
        self.reads = 0
        self.fail = False
        self.hold = threading.Event()
        self.hold.set()

    def read(self) -> dict[str, str]:
        self.reads += 1
        snapshot = dict(self.statuses)  # what the query saw when it ran
        self.hold.wait(5)
        if self.fail:
            raise RuntimeError("database down")
        return snapshot


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def view(queue: Queue, clock: Clock, max_age: float = 1.0) -> OpenTakeovers:
    return OpenTakeovers(queue.read, max_age=max_age, now=clock)


async def test_many_messages_at_once_share_one_read() -> None:
    queue, clock = Queue(), Clock()
    queue.statuses = {"web-a": "active"}
    takeovers = view(queue, clock)
    found = await asyncio.gather(*(takeovers.status(f"web-{c}") for c in "abcdefghij" * 5))
    assert found == ["active"] + [None] * 9 + (["active"] + [None] * 9) * 4
    assert queue.reads == 1


async def test_read_again_only_when_max_age_old() -> None:
    queue, clock = Queue(), Clock()
    takeovers = view(queue, clock, max_age=1.0)
    assert await takeovers.status("web-a") is None
    queue.statuses = {"web-a": "waiting"}  # another channel server's change
    clock.now += 0.9
    assert await takeovers.status("web-a") is None  # at most max_age old: not read again
    assert queue.reads == 1
    clock.now += 0.1
    assert await takeovers.status("web-a") == "waiting"
    assert queue.reads == 2


async def test_forget_reads_again_at_the_next_check() -> None:
    queue, clock = Queue(), Clock()
    takeovers = view(queue, clock, max_age=60)
    assert await takeovers.status("web-a") is None
    queue.statuses = {"web-a": "active"}
    takeovers.forget()  # this process took the conversation over
    assert await takeovers.status("web-a") == "active"
    assert queue.reads == 2


async def test_a_read_begun_before_forget_is_not_kept() -> None:
    queue, clock = Queue(), Clock()
    takeovers = view(queue, clock, max_age=60)
    queue.hold.clear()
    early = asyncio.ensure_future(takeovers.status("web-a"))  # reads an empty queue, slowly
    while queue.reads == 0:
        await asyncio.sleep(0.001)
    queue.statuses = {"web-a": "active"}
    takeovers.forget()
    late = asyncio.ensure_future(takeovers.status("web-a"))  # must not join the early read
    queue.hold.set()
    assert await early is None
    assert await late == "active"
    assert await takeovers.status("web-a") == "active"  # the early read was not kept
    assert queue.reads == 2


async def test_a_failed_read_reaches_every_caller_and_is_not_kept() -> None:
    queue, clock = Queue(), Clock()
    takeovers = view(queue, clock)
    queue.fail = True
    results = await asyncio.gather(
        takeovers.status("web-a"), takeovers.status("web-b"), return_exceptions=True
    )
    assert [type(r) for r in results] == [RuntimeError, RuntimeError]
    queue.fail = False
    queue.statuses = {"web-b": "waiting"}
    assert await takeovers.status("web-b") == "waiting"  # read again, not a cached failure
    assert queue.reads == 2


async def test_a_caller_that_gives_up_does_not_cancel_the_read_of_the_others() -> None:
    queue, clock = Queue(), Clock()
    queue.statuses = {"web-b": "active"}
    takeovers = view(queue, clock)
    queue.hold.clear()
    first = asyncio.ensure_future(takeovers.status("web-a"))
    second = asyncio.ensure_future(takeovers.status("web-b"))
    while queue.reads == 0:
        await asyncio.sleep(0.001)
    first.cancel()  # the person closed the page
    queue.hold.set()
    assert await second == "active"
    with pytest.raises(asyncio.CancelledError):
        await first
    assert queue.reads == 1
