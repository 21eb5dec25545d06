"""Faults against the real servers (issue 11), with the supervisor `fhb run` uses.

- The action server or Rasa is killed in the middle of a conversation: the person gets an
  honest apology (never silence, never "not registered"), the supervisor starts the server
  again, and the same chat goes on where it was.
- The action server is paused (SIGSTOP), or the visit database is locked, while the person
  confirms a booking: the channel gives up waiting and says it is not sure; the visit is
  then written exactly once, the transcript shows the turn, and the chat goes on.
"""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

import httpx
import pytest

from bot.launcher import wait_until_ready
from bot.supervisor import Supervisor
from fhb.clock import system_clock
from fhb.db import visits as visits_db
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.settings import Settings
from fhb.tracker import conversation_messages
from tests.e2e.conftest import PROCESSES, STARTERS, ChannelServer
from tests.e2e.webchat import WebChat, to_summary

pytestmark = pytest.mark.e2e

NOT_SURE = "vet ikke sikkert"
NEVER = ("ikke registrert", "Beklager, noe gikk galt")
RELAY_TIMEOUT = 3.0  # seconds the channel server waits for Rasa in these tests


@pytest.fixture
def supervisor(servers: Settings) -> Iterator[Supervisor]:
    """The supervisor of `fhb run` watching the shared servers (quick back-off for tests).
    Afterwards every server is up again for the next test."""
    said: list[str] = []
    watcher = Supervisor(STARTERS, PROCESSES, say=said.append, first_delay=0.2)
    stop = threading.Event()
    thread = threading.Thread(target=watcher.loop, args=(stop, 0.2), daemon=True)
    thread.start()
    try:
        yield watcher
    finally:
        stop.set()
        thread.join()
        PROCESSES.update(watcher.processes)
        wait_until_ready(servers, list(PROCESSES.values()), timeout=240)


@pytest.fixture
def chat_server(channel_server: Callable[..., ChannelServer]) -> ChannelServer:
    """`fhb serve` that waits RELAY_TIMEOUT seconds for Rasa."""
    return channel_server(FHB_RELAY_TIMEOUT=str(RELAY_TIMEOUT))


def wait_for(url: str, timeout: float = 240) -> None:
    """Wait until the URL answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not come back")


def visits_of(settings: Settings, conversation: str) -> list[str]:
    """The booked visits of one conversation, as the citizens' names."""
    with SqlAlchemyUnitOfWork(settings.database_url, clock=system_clock) as session:
        return [
            v.citizen.name
            for v in visits_db.list_visits(session)
            if v.conversation_id == conversation and v.status == "booked"
        ]


def wait_for_visit(settings: Settings, conversation: str, timeout: float = 60) -> list[str]:
    """The visits of the conversation once there is one (or after `timeout`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        booked = visits_of(settings, conversation)
        if booked:
            time.sleep(1)  # a second write would come right after the first
            return visits_of(settings, conversation)
        time.sleep(0.3)
    return []


def said_by_person(settings: Settings, conversation: str) -> list[str]:
    """What the person sent, as the transcript shows it."""
    return [
        m["text"]
        for m in conversation_messages(settings.tracker_url, conversation)
        if m["from"] == "user"
    ]


def assert_honest(chat: WebChat, text: str) -> None:
    """The channel's answer when it gave up: an apology that says it is not sure."""
    assert chat.status == 503 and NOT_SURE in text, text
    assert not any(never in text for never in NEVER), text


def test_a_chat_goes_on_after_the_action_server_was_killed(
    servers: Settings, chat_server: ChannelServer, supervisor: Supervisor
) -> None:
    chat = WebChat(chat_server.url, servers.secret_key.encode())
    chat.start()
    assert "Hva heter du" in chat.press("Bestille besøk")

    PROCESSES["actions"].kill()
    text = chat.say("Kari Nordmann")  # the form's validation needs the action server
    assert text, "silence while the action server is down"
    assert not any(never in text for never in NEVER), text

    wait_for(f"http://127.0.0.1:{servers.action_port}/health")
    assert supervisor.restarts["actions"] == 1
    text = chat.say("Kari Nordmann")
    assert chat.status == 200 and NOT_SURE not in text, text
    assert "født" in text  # the booking goes on with the next question
    chat.say("/restart")  # a fresh start of the same chat works too
    assert chat.status == 200 and NOT_SURE not in chat.say("hei")


def test_a_chat_goes_on_after_rasa_was_killed(
    servers: Settings, chat_server: ChannelServer, supervisor: Supervisor
) -> None:
    chat = WebChat(chat_server.url, servers.secret_key.encode())
    chat.start()
    assert "Hva heter du" in chat.press("Bestille besøk")
    assert "født" in chat.say("Randi Haugen")

    PROCESSES["rasa"].kill()
    assert_honest(chat, chat.say("1946"))

    wait_for(f"{servers.rasa_url}/webhooks/rest/")
    assert supervisor.restarts["rasa"] == 1
    text = chat.say("1946")  # the form is where it was: the next question is the address
    assert chat.status == 200 and "adresse" in text, text
    assert said_by_person(servers, chat.conversation)[-2:] == ["Randi Haugen", "1946"]


def test_a_confirmation_while_the_action_server_is_paused(
    servers: Settings, chat_server: ChannelServer
) -> None:
    chat = WebChat(chat_server.url, servers.secret_key.encode())
    to_summary(chat, "Solveig Pause", system_clock().year - 80, "Lysveien 4", "911 22 001")

    actions = PROCESSES["actions"]
    actions.send_signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        text = chat.press("Ja, det stemmer")
        waited = time.monotonic() - started
        time.sleep(1)  # paused a little longer than the channel waits
    finally:
        actions.send_signal(signal.SIGCONT)
    assert_honest(chat, text)
    assert waited < RELAY_TIMEOUT + 2, waited

    assert wait_for_visit(servers, chat.conversation) == ["Solveig Pause"]
    assert "Ja, det stemmer" in said_by_person(servers, chat.conversation)
    text = chat.say("Er besøket mitt registrert?")
    assert chat.status == 200 and NOT_SURE not in text, text
    assert visits_of(servers, chat.conversation) == ["Solveig Pause"]


def test_a_confirmation_while_the_visit_database_is_locked(
    servers: Settings, chat_server: ChannelServer
) -> None:
    chat = WebChat(chat_server.url, servers.secret_key.encode())
    to_summary(chat, "Sigurd Laas", system_clock().year - 79, "Låsveien 9", "911 22 002")
    other = WebChat(chat_server.url, servers.secret_key.encode())
    other.start()

    database = Path(servers.database_url.removeprefix("sqlite:///"))
    lock = sqlite3.connect(database, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")  # nobody else can write until it ends
    try:
        text = chat.press("Ja, det stemmer")
        started = time.monotonic()
        other_text = other.say("Hva er et forebyggende hjemmebesøk?")
        other_waited = time.monotonic() - started
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert_honest(chat, text)
    assert other_text and not any(never in other_text for never in NEVER), other_text
    assert other_waited < RELAY_TIMEOUT + 2, other_waited  # the channel never waits on it

    assert wait_for_visit(servers, chat.conversation) == ["Sigurd Laas"]
    assert "Ja, det stemmer" in said_by_person(servers, chat.conversation)
    text = chat.say("takk")
    assert chat.status == 200 and NOT_SURE not in text, text
    assert visits_of(servers, chat.conversation) == ["Sigurd Laas"]
