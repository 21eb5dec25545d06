"""Live takeover end to end: the real Rasa and action server, `fhb serve`, the fake Telegram
Bot API, and a staff member on the dashboard over HTTP.

A citizen asks for a person and joins the queue; a staff member takes the chat over; the
bot stays silent while paused (Rasa still records what the citizen writes); the staff
member's reply reaches the citizen in the channel they used; handing back resumes the bot.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from fhb.clock import system_clock
from fhb.conversation_ids import conversation_id
from fhb.db import staff as staff_db
from fhb.db import takeovers
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.db.models import Takeover
from fhb.settings import Settings
from tests.e2e.conftest import FHB, cli_env
from tests.support.http import server_client
from tests.support.telegram_api import FakeTelegramAPI, SentMessage

pytestmark = pytest.mark.e2e

CHAT = 5_557_777
PASSWORD = "live-chat-passord-9"
ASK_FOR_PERSON = "kan jeg snakke med et menneske"


@pytest.fixture
def api() -> Iterator[FakeTelegramAPI]:
    """The fake Telegram Bot API."""
    with FakeTelegramAPI() as fake:
        yield fake


def staff_account(settings: Settings, username: str) -> None:
    """Make a staff account with `fhb staff add` (the README's one command)."""
    subprocess.run(
        [FHB, "staff", "add", username, "--role", "visitor", "--password-stdin"],
        input=f"{PASSWORD}\n",
        text=True,
        env=cli_env(settings),
        check=True,
        capture_output=True,
    )


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no form on the page"
    return match.group(1)


def staff_client(url: str, username: str) -> httpx.Client:
    """A logged-in staff browser session (cookies kept)."""
    client = server_client(url, timeout=30)
    token = csrf_of(client.get("/staff/login").text)
    response = client.post(
        "/staff/login", data={"csrf": token, "username": username, "password": PASSWORD}
    )
    assert response.status_code == 303, response.text[:300]
    return client


def wait_until(check: Callable[[], Any], what: str, timeout: float = 90) -> Any:
    """Poll `check` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def bot_says(api: FakeTelegramAPI, seen: int, fragment: str) -> list[SentMessage]:
    """Wait until a message after the first `seen` contains `fragment` (or a button does)."""

    def said(message: SentMessage) -> bool:
        return fragment in message.text or any(fragment in t for t, _ in message.buttons)

    def found() -> list[SentMessage] | None:
        new = api.sent_to(CHAT)[seen:]
        return new if any(said(m) for m in new) else None

    try:
        return wait_until(found, repr(fragment))
    except AssertionError:
        got = [m.text[:80] for m in api.sent_to(CHAT)[seen:]]
        raise AssertionError(f"expected {fragment!r}; the bot sent {got}") from None


def take_over_waiting(staff: httpx.Client, conversation: str, settings: Settings) -> int:
    """Find the conversation's place in the queue and take it over; return the takeover id."""

    def waiting() -> int | None:
        with SqlAlchemyUnitOfWork(settings.database_url, clock=system_clock) as session:
            row = takeovers.open_takeover(session, conversation)
            return int(row.id) if row is not None and row.status == "waiting" else None

    takeover_id = wait_until(waiting, "the request in the queue")
    queue = staff.get("/staff/ko").text
    assert f"/staff/ko/{takeover_id}/ta-over" in queue and "Ta over samtalen" in queue
    response = staff.post(f"/staff/ko/{takeover_id}/ta-over", data={"csrf": csrf_of(queue)})
    assert response.status_code == 303
    assert response.headers["location"] == f"/staff/ko/{takeover_id}"
    return int(takeover_id)


def test_a_staff_member_takes_over_a_telegram_chat_and_hands_it_back(
    servers: Settings, channel_server: Callable[..., Any], api: FakeTelegramAPI
) -> None:
    staff_account(servers, "kari")
    server = channel_server(TELEGRAM_BOT_TOKEN=api.token, FHB_TELEGRAM_API_URL=api.url)
    conv = conversation_id("telegram", CHAT, b"e2e-test-key")

    api.user_sends(CHAT, "/start")
    bot_says(api, 0, "Bestille besøk")
    seen = len(api.sent_to(CHAT))
    api.user_sends(CHAT, ASK_FOR_PERSON)
    bot_says(api, seen, "En ansatt svarer deg her i chatten innen 10 minutter")

    staff = staff_client(server.url, "kari")
    seen = len(api.sent_to(CHAT))
    takeover_id = take_over_waiting(staff, conv, servers)
    bot_says(api, seen, "Nå skriver du med en ansatt")

    # The bot is paused: Rasa records the message (the staff member sees it) but says nothing.
    seen = len(api.sent_to(CHAT))
    api.user_sends(CHAT, "hei, er det noen der?")
    fragment = f"/staff/ko/{takeover_id}?del=meldinger"
    wait_until(
        lambda: "er det noen der?" in staff.get(fragment).text,
        "the citizen's message on the staff page",
    )
    # One chat's updates are handled in order, so once the channel has answered a photo
    # ("only text is read"), any bot answer to the message before it would have come first.
    api.user_sends_photo(CHAT)
    after = bot_says(api, seen, "Jeg kan bare lese tekst")
    assert len(after) == 1, [m.text for m in after]
    seen = len(api.sent_to(CHAT))

    live = staff.get(f"/staff/ko/{takeover_id}").text
    response = staff.post(
        f"/staff/ko/{takeover_id}/skriv",
        data={"csrf": csrf_of(live), "text": "Hei, jeg heter Kari. Hva lurer du på?"},
    )
    assert response.status_code == 303
    [reply] = bot_says(api, seen, "Hei, jeg heter Kari")  # and nothing else
    assert reply.text == "Ansatt: Hei, jeg heter Kari. Hva lurer du på?"
    assert "Hei, jeg heter Kari" in staff.get(fragment).text

    seen = len(api.sent_to(CHAT))
    response = staff.post(f"/staff/ko/{takeover_id}/gi-tilbake", data={"csrf": csrf_of(live)})
    assert response.status_code == 303
    bot_says(api, seen, "Nå svarer chatboten deg igjen")

    seen = len(api.sent_to(CHAT))
    api.user_sends(CHAT, "hei")
    bot_says(api, seen, "Bestille besøk")  # the bot answers again

    with SqlAlchemyUnitOfWork(servers.database_url, clock=system_clock) as session:
        row = session.get(Takeover, takeover_id)
        assert (row.status, row.taken_by, row.ended_by) == ("closed", "kari", "kari")
        logged = [
            e
            for e in staff_db.access_log(session)
            if e.action == "takeover" and e.username == "kari"
        ]  # other tests log too
        assert [(e.target, e.reason) for e in logged] == [(conv, "Innbyggeren ba om kontakt")]


def test_a_staff_member_takes_over_a_web_chat(
    servers: Settings, channel_server: Callable[..., Any]
) -> None:
    staff_account(servers, "nils")
    server = channel_server()
    web = server_client(server.url, timeout=60)
    token = web.post("/api/session").json()["token"]
    web.headers["X-FHB-Session"] = token
    conv = conversation_id("web", token, b"e2e-test-key")
    web.post("/api/start", json={})
    asked = web.post("/api/message", json={"text": ASK_FOR_PERSON})
    assert "En ansatt svarer deg her i chatten" in asked.json()[0]["text"]
    assert asked.headers.get("x-fhb-live") == "1"  # the page now polls every few seconds

    staff = staff_client(server.url, "nils")
    takeover_id = take_over_waiting(staff, conv, servers)
    joined = web.get("/api/updates").json()
    assert [m["text"] for m in joined] == [
        "Nå skriver du med en ansatt i Fjellvik kommune. Skriv det du lurer på, så svarer vi her."
    ]

    paused = web.post("/api/message", json={"text": "takk, jeg venter"})
    assert (paused.status_code, paused.json()) == (200, [])  # silence, not an apology

    live = staff.get(f"/staff/ko/{takeover_id}").text
    assert "takk, jeg venter" in live
    staff.post(
        f"/staff/ko/{takeover_id}/skriv",
        data={"csrf": csrf_of(live), "text": "Jeg ringer deg i ettermiddag."},
    )
    assert [m["text"] for m in web.get("/api/updates").json()] == [
        "Ansatt: Jeg ringer deg i ettermiddag."
    ]
    history = [m["text"] for m in web.get("/api/history").json()]
    assert "Ansatt: Jeg ringer deg i ettermiddag." in history  # survives a reload

    staff.post(f"/staff/ko/{takeover_id}/gi-tilbake", data={"csrf": csrf_of(live)})
    assert "Nå svarer chatboten deg igjen" in web.get("/api/updates").json()[0]["text"]
    again = web.post("/api/message", json={"text": "hei"})
    assert again.json() and again.headers.get("x-fhb-live") is None
