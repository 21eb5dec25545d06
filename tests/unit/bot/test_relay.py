"""The channel core: opaque ids, input checks, parsing Rasa's replies, the relay itself."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels import texts
from bot.channels.relay import (
    MAX_MESSAGE,
    BotMessage,
    Button,
    RasaBusy,
    RasaRelay,
    RasaUnavailable,
    check_text,
    parse_replies,
    route,
    typed_code,
)
from fhb.conversation_ids import channel_of, conversation_id
from fhb.db.takeovers import TAKEOVER_REQUESTED
from tests.support.http import mock_http

KEY = b"test-key"


def valid_fnr() -> str:
    """A fødselsnummer that passes the checksum (python-stdnum)."""
    from stdnum.no import fodselsnummer

    for serial in range(100, 999):
        candidate = f"010150{serial:03d}"
        for tail in range(100):
            number = candidate + f"{tail:02d}"
            if fodselsnummer.is_valid(number):
                return number
    raise AssertionError("no valid number found")


def test_conversation_ids_are_opaque_stable_and_keyed() -> None:
    first = conversation_id("telegram", 123456789, KEY)
    assert first == conversation_id("telegram", "123456789", KEY)
    assert "123456789" not in first and first.startswith("tg-")
    assert first != conversation_id("telegram", 123456789, b"other-key")
    assert first != conversation_id("web", 123456789, KEY)
    assert len(first) <= 100  # fits the conversation_id columns


def test_the_channel_is_read_back_from_the_id() -> None:
    assert [channel_of(conversation_id(c, 1, KEY)) for c in ("telegram", "web", "cli")] == [
        "telegram",
        "web",
        "cli",
    ]
    assert channel_of("someone-else") == "other"


def test_a_national_id_is_masked_and_the_person_told() -> None:
    fnr = valid_fnr()
    checked = check_text(f"Jeg heter Kari, personnummer {fnr}")
    assert fnr not in (checked.text or "")
    assert checked.notices == (texts.NATIONAL_ID_REMOVED,)


def test_eleven_digits_that_are_not_a_national_id_are_kept() -> None:
    assert check_text("12345678901").text == "12345678901"


def test_a_huge_paste_is_refused_kindly() -> None:
    checked = check_text("a" * 10_000)
    assert checked.text is None and str(MAX_MESSAGE) in checked.notices[0]


def test_empty_and_control_characters() -> None:
    assert check_text("  \x00\x07 ").text is None
    assert check_text("hei\x00 du").text == "hei du"


@given(st.text(max_size=3000))
def test_check_text_never_crashes(raw: str) -> None:
    checked = check_text(raw)
    assert checked.text is None or 0 < len(checked.text) <= MAX_MESSAGE


@pytest.mark.parametrize(
    "typed, code",
    [
        ("6TB4-FT5J-B3", "6TB4FT5JB3"),
        (" 6tb4 ft5j b3 ", "6TB4FT5JB3"),
        ("STRAKSHJEM", None),  # ten letters of the alphabet, but a word: no digit
        ("9123456789", None),
        ("912 34 567", None),
        ("6TB4-FT5J-B3 takk", None),
    ],
)
def test_a_typed_invitation_code_is_recognised(typed: str, code: str | None) -> None:
    assert typed_code(typed) == code


def test_replies_become_messages_with_buttons_and_input_hints() -> None:
    replies = [
        {"recipient_id": "x", "text": "Hei!"},
        {"recipient_id": "x", "text": "Velg", "buttons": [{"title": "Ja", "payload": "/affirm"}]},
        {"recipient_id": "x", "text": "Hvilket telefonnummer?"},
        {"recipient_id": "x", "custom": {"input": "phone"}},
        {"recipient_id": "x", "image": "http://example.org/x.png"},
    ]
    assert parse_replies(replies) == [
        BotMessage("Hei!"),
        BotMessage("Velg", (Button("Ja", "/affirm"),)),
        BotMessage("Hvilket telefonnummer?", ask="phone"),
    ]


def test_every_button_payload_in_the_domain_fits_telegram(domain: dict) -> None:  # type: ignore[type-arg]
    for name, variations in domain["responses"].items():
        for variation in variations:
            for button in variation.get("buttons") or []:
                payload = button["payload"].replace("{{", "{").replace("}}", "}")
                assert len(payload.encode()) <= 64, (name, payload)


def fake_rasa(handler):  # type: ignore[no-untyped-def]
    """A relay whose HTTP goes to `handler` instead of a server."""
    return RasaRelay("http://rasa.test", timeout=0.5, http=mock_http(handler))


def test_the_relay_sends_channel_and_sender_and_parses() -> None:
    seen: list[dict] = []  # type: ignore[type-arg]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json=[{"recipient_id": "tg-1", "text": "Hei!"}])

    async def go() -> list[BotMessage]:
        relay = fake_rasa(handler)
        try:
            return await relay.send("tg-1", "hei", channel="telegram")
        finally:
            await relay.aclose()

    assert asyncio.run(go()) == [BotMessage("Hei!")]
    assert seen == [
        {"sender": "tg-1", "message": "hei", "input_channel": "telegram", "metadata": {}}
    ]


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(500, text="boom"),
        httpx.Response(200, text="not json"),
        httpx.Response(200, json={"not": "a list"}),
    ],
)
def test_rasa_errors_become_unavailable(response: httpx.Response) -> None:
    async def go() -> None:
        relay = fake_rasa(lambda request: response)
        try:
            await relay.send("web-1", "hei", channel="web")
        finally:
            await relay.aclose()

    with pytest.raises(RasaUnavailable):
        asyncio.run(go())


def test_rasa_down_is_unavailable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    async def go() -> None:
        relay = fake_rasa(handler)
        try:
            await relay.send("web-1", "hei", channel="web")
        finally:
            await relay.aclose()

    with pytest.raises(RasaUnavailable):
        asyncio.run(go())


# --- several Rasa servers: one conversation, one server; a refused connection moves on ---

SERVERS = ["http://rasa-1.test", "http://rasa-2.test", "http://rasa-3.test"]


def test_a_conversation_always_goes_to_the_same_server_and_they_share_the_work() -> None:
    ids = [conversation_id("web", f"token-{i}", KEY) for i in range(3000)]
    first = [route(c, SERVERS)[0] for c in ids]
    assert first == [route(c, list(reversed(SERVERS)))[0] for c in ids]  # order of the list
    assert {s: first.count(s) for s in SERVERS} == pytest.approx(
        {s: 1000 for s in SERVERS}, rel=0.1
    )


def test_a_stopped_server_moves_only_its_own_conversations() -> None:
    ids = [conversation_id("web", f"token-{i}", KEY) for i in range(600)]
    for c in ids:
        before = route(c, SERVERS)
        after = route(c, SERVERS[1:])
        if before[0] != SERVERS[0]:
            assert after[0] == before[0]  # untouched
        else:
            assert after[0] == before[1]  # to its own next server


class Servers:
    """Fake Rasa servers by host; `refusing` ones refuse the connection, `slow` ones time out."""

    def __init__(self) -> None:
        self.refusing: set[str] = set()
        self.slow: set[str] = set()
        self.asked: list[str] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        self.asked.append(host)
        if host in self.refusing:
            raise httpx.ConnectError("refused", request=request)
        if host in self.slow:
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(200, json=[{"text": host}])


def test_a_refused_connection_goes_to_the_next_server_and_comes_back() -> None:
    servers, clock = Servers(), [0.0]
    relay = RasaRelay(SERVERS, http=mock_http(servers.handler), down_for=5, now=lambda: clock[0])
    conversation = conversation_id("web", "token-x", KEY)
    home, second = (s.removeprefix("http://") for s in route(conversation, SERVERS)[:2])

    async def say() -> str:
        return (await relay.send(conversation, "hei", channel="web"))[0].text

    servers.refusing.add(home)
    assert asyncio.run(say()) == second
    assert servers.asked == [home, second]
    clock[0] = 4.9  # still passed over: no time lost on it
    assert asyncio.run(say()) == second and servers.asked[-1] == second
    servers.refusing.clear()
    clock[0] = 5.1  # tried again, and back home
    assert asyncio.run(say()) == home


def test_a_slow_server_is_not_asked_again_for_the_same_message() -> None:
    servers = Servers()
    relay = RasaRelay(SERVERS, http=mock_http(servers.handler))
    conversation = conversation_id("web", "token-y", KEY)
    home = route(conversation, SERVERS)[0].removeprefix("http://")
    servers.slow.add(home)
    with pytest.raises(RasaUnavailable):
        asyncio.run(relay.send(conversation, "Ja", channel="web"))
    assert servers.asked == [home]  # it may still finish the turn: never twice


def test_every_server_refusing_is_unavailable() -> None:
    servers = Servers()
    servers.refusing.update(s.removeprefix("http://") for s in SERVERS)
    relay = RasaRelay(SERVERS, http=mock_http(servers.handler))
    with pytest.raises(RasaUnavailable):
        asyncio.run(relay.send("web-z", "hei", channel="web"))
    assert sorted(servers.asked) == sorted(s.removeprefix("http://") for s in SERVERS)


def test_a_turn_marked_as_failed_is_unavailable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[{"recipient_id": "w", "custom": {"fhb_failed": "X"}}])

    with pytest.raises(RasaUnavailable):
        asyncio.run(fake_rasa(handler).send("w", "hei", channel="web"))


def test_a_reply_that_queued_the_conversation_for_a_person_is_reported() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        replies = [{"recipient_id": "w", "text": "Jeg sier fra."}]
        if json.loads(request.content)["message"] != "hei":
            replies.append({"recipient_id": "w", "custom": {TAKEOVER_REQUESTED: True}})
        return httpx.Response(200, json=replies)

    relay, told = fake_rasa(handler), []
    relay.on_takeover_requested = lambda: told.append("queued")
    messages = asyncio.run(relay.send("w", "kan jeg snakke med noen", channel="web"))
    assert [m.text for m in messages] == ["Jeg sier fra."]  # the marker is no message
    assert told == ["queued"]
    asyncio.run(relay.send("w", "hei", channel="web"))
    assert told == ["queued"]  # only that reply


def test_messages_wait_their_turn_and_one_that_waits_too_long_is_never_sent() -> None:
    received: list[str] = []
    release = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        received.append(json.loads(request.content)["message"])
        await release.wait()  # Rasa busy with this message
        return httpx.Response(200, json=[{"text": "ok"}])

    async def go() -> None:
        relay = RasaRelay("http://rasa.test", http=mock_http(handler), seats=1, queue_timeout=0.2)
        first = asyncio.create_task(relay.send("w-1", "first", channel="web"))
        await asyncio.sleep(0.05)
        with pytest.raises(RasaBusy):  # no seat within 0.2 s
            await relay.send("w-2", "second", channel="web")
        release.set()
        assert (await first)[0].text == "ok"
        assert (await relay.send("w-3", "third", channel="web"))[0].text == "ok"

    asyncio.run(go())
    assert received == ["first", "third"]  # "second" never reached Rasa
