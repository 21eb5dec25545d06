"""The Telegram rate limiter with a fake clock: turns per chat and overall, 429 retries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from telegram.error import BadRequest, RetryAfter

from bot.channels.telegram.ratelimit import ChatRateLimiter, is_message_endpoint, retry_seconds


class FakeTime:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        """The current fake time."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Move the clock on instead of waiting."""
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    """A fresh fake clock at 0."""
    return FakeTime()


def limiter(fake_time: FakeTime, **options: Any) -> ChatRateLimiter:
    """A limiter on the fake clock."""
    return ChatRateLimiter(clock=fake_time.clock, sleep=fake_time.sleep, **options)


class Recorder:
    """A callback that records when it was called and can fail a few times first."""

    def __init__(self, fake_time: FakeTime, failures: list[Exception] | None = None) -> None:
        self.fake_time = fake_time
        self.failures = list(failures or [])
        self.times: list[float] = []

    async def __call__(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Record the call; raise the next queued failure if any."""
        self.times.append(self.fake_time.now)
        if self.failures:
            raise self.failures.pop(0)
        return {"ok": True, "args": args, "kwargs": kwargs}


async def send(
    rl: ChatRateLimiter,
    callback: Recorder,
    chat: int | None,
    endpoint: str = "sendMessage",
    tries: int | None = None,
) -> Any:
    """Run one request through the limiter."""
    data = {"chat_id": chat, "text": "hei"} if chat is not None else {}
    return await rl.process_request(callback, (), {"x": 1}, endpoint, data, tries)


def test_turns_are_a_second_apart_per_chat_and_one_thirtieth_overall(
    fake_time: FakeTime,
) -> None:
    rl = limiter(fake_time)
    assert rl.reserve(1) == 0.0
    assert rl.reserve(1) == 1.0
    assert rl.reserve(2) == pytest.approx(1 / 30)
    assert rl.reserve(1) == 2.0
    assert rl.reserve(3) == pytest.approx(2 / 30)


def test_at_most_thirty_messages_in_any_second(fake_time: FakeTime) -> None:
    rl = limiter(fake_time)
    starts = sorted(rl.reserve(chat) for chat in range(100))
    for i in range(len(starts) - 30):
        assert starts[i + 30] - starts[i] >= 1.0 - 1e-9
    assert starts[29] < 1.0


def test_an_overall_turn_fits_between_reservations_further_ahead(fake_time: FakeTime) -> None:
    rl = limiter(fake_time)
    rl.reserve(1)
    rl.reserve(1)  # reserved at 1.0
    fake_time.now = 0.5
    assert rl.reserve(2) == 0.5
    fake_time.now = 0.99
    assert rl.reserve(3) == pytest.approx(1.0 + 1 / 30)


async def test_a_second_message_to_the_same_chat_waits(fake_time: FakeTime) -> None:
    rl = limiter(fake_time)
    callback = Recorder(fake_time)
    result = await send(rl, callback, 7)
    await send(rl, callback, 7)
    await send(rl, callback, 7)
    assert callback.times == [0.0, 1.0, 2.0]
    assert result == {"ok": True, "args": (), "kwargs": {"x": 1}}


async def test_requests_that_send_no_message_are_not_delayed(fake_time: FakeTime) -> None:
    rl = limiter(fake_time)
    callback = Recorder(fake_time)
    await send(rl, callback, 7)
    await send(rl, callback, 7, endpoint="sendChatAction")
    await send(rl, callback, None, endpoint="answerCallbackQuery")
    await send(rl, callback, 7, endpoint="editMessageReplyMarkup")
    assert callback.times == [0.0, 0.0, 0.0, 0.0]
    assert fake_time.slept == []


async def test_retry_after_waits_and_tries_again(fake_time: FakeTime) -> None:
    rl = limiter(fake_time)
    callback = Recorder(fake_time, [RetryAfter(2), RetryAfter(dt.timedelta(seconds=3))])
    result = await send(rl, callback, 7)
    assert result["ok"] is True
    assert callback.times == [0.0, 2.0, 5.0]


async def test_retry_after_pauses_other_chats_too(fake_time: FakeTime) -> None:
    rl = limiter(fake_time)
    await send(rl, Recorder(fake_time, [RetryAfter(5)]), 7)
    other = Recorder(fake_time)
    fake_time.now = 1.0
    await send(rl, other, 8, endpoint="answerCallbackQuery")
    assert other.times == [5.0]


async def test_gives_up_after_three_tries(fake_time: FakeTime) -> None:
    rl = limiter(fake_time)
    callback = Recorder(fake_time, [RetryAfter(1)] * 3)
    with pytest.raises(RetryAfter):
        await send(rl, callback, 7)
    assert len(callback.times) == 3


async def test_the_number_of_tries_can_be_given_per_request(fake_time: FakeTime) -> None:
    rl = limiter(fake_time)
    callback = Recorder(fake_time, [RetryAfter(1)] * 4)
    assert (await send(rl, callback, 7, tries=5))["ok"] is True
    assert len(callback.times) == 5


async def test_other_errors_are_not_retried(fake_time: FakeTime) -> None:
    rl = limiter(fake_time)
    callback = Recorder(fake_time, [BadRequest("message text is empty")])
    with pytest.raises(BadRequest):
        await send(rl, callback, 7)
    assert len(callback.times) == 1


def test_message_endpoints() -> None:
    assert is_message_endpoint("sendMessage") and is_message_endpoint("copyMessage")
    assert not is_message_endpoint("sendChatAction")
    assert not is_message_endpoint("answerCallbackQuery")
    assert not is_message_endpoint("getUpdates")


def test_retry_seconds_reads_ints_and_timedeltas() -> None:
    assert retry_seconds(RetryAfter(3)) == 3.0
    assert retry_seconds(RetryAfter(dt.timedelta(seconds=1.5))) == 1.5


def test_bad_options_are_refused() -> None:
    with pytest.raises(ValueError):
        ChatRateLimiter(max_tries=0)
    with pytest.raises(ValueError):
        ChatRateLimiter(overall_per_second=0)
