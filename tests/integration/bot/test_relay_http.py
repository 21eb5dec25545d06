"""The relay's own HTTP client (aiohttp) over real HTTP, against the fake Rasa served on
127.0.0.1: answers, the API token, refused connections, slowness, error statuses, and one
relay used from two event loops."""

from __future__ import annotations

import asyncio
import socket
from typing import Any, Iterator

import pytest
import sanic.config
import uvicorn

from bot.channels.relay import IDLE_CONNECTION_SECONDS, RasaRelay, RasaUnavailable, route
from tests.support.rasa import FakeRasa, tracker_events


@pytest.fixture
def rasa() -> Iterator[FakeRasa]:
    """The fake Rasa over real HTTP."""
    fake = FakeRasa()
    with fake.served():
        yield fake


def closed_port_url() -> str:
    """An address where nothing listens (the connection is refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_a_message_and_the_api_call_arrive_and_are_answered(rasa: FakeRasa) -> None:
    async def talk() -> list[str]:
        relay = RasaRelay(rasa.url, api_token="tok")
        try:
            replies = await relay.send("web-1", "hei på deg", channel="web")
            await relay.pause("web-1")
            return [m.text for m in replies]
        finally:
            await relay.aclose()

    assert asyncio.run(talk()) == ["Du skrev: hei på deg"]
    assert rasa.bodies == [
        {"sender": "web-1", "message": "hei på deg", "input_channel": "web", "metadata": {}}
    ]
    assert rasa.api_calls == [tracker_events("web-1", "pause", token="tok")]


def send_once(servers: str | list[str], conversation: str = "web-1", **options: Any) -> str:
    """One message through a new relay (closed afterwards); the first reply's text."""

    async def talk() -> str:
        relay = RasaRelay(servers, **options)
        try:
            return (await relay.send(conversation, "hei", channel="web"))[0].text
        finally:
            await relay.aclose()

    return asyncio.run(talk())


def test_a_refused_connection_goes_to_the_next_server(rasa: FakeRasa) -> None:
    dead = closed_port_url()
    servers = [dead, rasa.url]
    conversation = next(f"web-{i}" for i in range(100) if route(f"web-{i}", servers)[0] == dead)
    assert send_once(servers, conversation) == "Du skrev: hei"
    assert rasa.messages == ["hei"]


def test_nothing_listening_anywhere_is_unavailable() -> None:
    with pytest.raises(RasaUnavailable):
        send_once(closed_port_url())


@pytest.mark.parametrize("trouble", ["slow", "error status"])
def test_a_slow_or_failing_rasa_is_unavailable(rasa: FakeRasa, trouble: str) -> None:
    if trouble == "slow":
        rasa.delays["hei"] = 2.0
    else:
        rasa.down = True  # every request gets 503
    with pytest.raises(RasaUnavailable):
        send_once(rasa.url, timeout=0.5)


def test_one_relay_serves_two_event_loops_in_turn(rasa: FakeRasa) -> None:
    relay = RasaRelay(rasa.url)

    async def say(text: str) -> str:
        return (await relay.send("web-1", text, channel="web"))[0].text

    assert asyncio.run(say("en")) == "Du skrev: en"
    assert asyncio.run(say("to")) == "Du skrev: to"  # not the first loop's closed session
    assert asyncio.run(relay.is_up())


def test_our_clients_drop_an_idle_connection_before_our_servers_close_it() -> None:
    # A request sent down a kept-alive connection at the moment the server closes it for
    # idleness gets no answer ("Server disconnected"); a client that lets go sooner never
    # meets that moment. The servers: the channel server (uvicorn) and Rasa (Sanic), both
    # with their defaults.
    assert IDLE_CONNECTION_SECONDS < uvicorn.Config(app=None).timeout_keep_alive
    assert IDLE_CONNECTION_SECONDS < sanic.config.DEFAULT_CONFIG["KEEP_ALIVE_TIMEOUT"]
