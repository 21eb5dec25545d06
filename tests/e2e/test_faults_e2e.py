"""Faults against the real servers (issue 11): the action server is killed in the middle of
a conversation and started again. While it is down the person gets an honest apology (never
silence, never "not registered"); once it is back, the same chat answers normally again."""

from __future__ import annotations

import time
from typing import Any

import httpx

from fhb.settings import Settings
from tests.e2e.conftest import PROCESSES, STARTERS

APOLOGY = "vet ikke sikkert"


class WebChat:
    """One person in the web chat, over its JSON API."""

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=120)
        self.http.headers["X-FHB-Session"] = self.http.post("/api/session").json()["token"]

    def say(self, text: str) -> tuple[int, str]:
        """Type a message; the status and the bot's texts joined."""
        response = self.http.post("/api/message", json={"text": text})
        bot = [m for m in response.json() if m.get("from") == "bot"]
        return response.status_code, "\n".join(m["text"] for m in bot)


def wait_for(url: str, timeout: float = 120) -> None:
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


def test_a_chat_works_again_after_the_action_server_was_killed(
    servers: Settings, channel_server: Any
) -> None:
    chat = WebChat(channel_server().url)
    status, text = chat.say("Jeg vil gjerne ha besøk")
    assert status == 200 and "heter" in text  # the booking form asks for the name

    actions = PROCESSES["actions"]
    actions.kill()
    actions.wait()
    try:
        for _ in range(3):  # several messages while it is down: each gets an answer
            status, text = chat.say("Kari Nordmann")
            assert text, "silence while the action server is down"
            assert "ikke registrert" not in text
    finally:
        PROCESSES["actions"] = STARTERS["actions"]()
        wait_for(f"http://127.0.0.1:{servers.action_port}/health")

    status, text = chat.say("Kari Nordmann")
    assert status == 200, text
    assert APOLOGY not in text and "Beklager, noe gikk galt" not in text
    status, text = chat.say("/restart")  # a fresh start of the same chat works too
    status, text = chat.say("hei")
    assert status == 200 and APOLOGY not in text
