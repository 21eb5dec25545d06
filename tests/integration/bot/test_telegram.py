"""The Telegram channel in-process, against the fake Bot API and a fake Rasa (real HTTP)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, select, text
from starlette.applications import Starlette
from starlette.routing import Route
from stdnum.no import fodselsnummer

from bot.channels import texts
from bot.channels.context import ChannelContext
from bot.channels.relay import Button, RasaBusy, RasaRelay
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.ratelimit import ChatRateLimiter
from fhb.conversation_ids import conversation_id
from fhb.db import citizens, contacts, slots, takeovers, visits
from fhb.db.models import ChannelContact
from fhb.profile import Profile
from fhb.settings import Settings
from tests.support import ROOT
from tests.support.clock import NOW, clock, frozen_uow
from tests.support.rasa import FakeRasa, tracker_events
from tests.support.telegram_api import FakeTelegramAPI, SentMessage

KEY = b"telegram-test-key"
CHAT = 4242
FNR = "15108695088"


@pytest.fixture
def api() -> Iterator[FakeTelegramAPI]:
    """The fake Telegram Bot API."""
    with FakeTelegramAPI() as fake:
        yield fake


@pytest.fixture
def rasa() -> Iterator[FakeRasa]:
    """The fake Rasa, served over real HTTP."""
    fake = FakeRasa()
    with fake.served():
        yield fake


def closed_port() -> int:
    """A port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


StartBot = Callable[..., Awaitable[TelegramChannel]]


@pytest.fixture
async def start_bot(
    api: FakeTelegramAPI, rasa: FakeRasa, db_url: str, tmp_path: Path, profile: Profile
) -> AsyncIterator[StartBot]:
    """A factory: start a TelegramChannel on the fakes (stopped after the test).

    `paced=False` (default) spaces messages to one chat by 20 ms instead of a second, so
    only the rate-limit tests wait for real.
    """
    started: list[TelegramChannel] = []

    async def start(
        *,
        paced: bool = False,
        rasa_url: str | None = None,
        typing_every: float = 4.0,
        **overrides: Any,
    ) -> TelegramChannel:
        values: dict[str, Any] = {
            "database_url": db_url,
            "tracker_url": f"sqlite:///{tmp_path / 'tracker.db'}",
            "profile_path": ROOT / "data" / "kommune.yml",
            "rasa_url": rasa_url or rasa.url,
            "action_port": 0,
            "rasa_port": 0,
            "host": "127.0.0.1",
            "telegram_token": api.token,
            "telegram_api_url": api.url,
            "relay_timeout": 3.0,
        }
        settings = Settings(**{**values, **overrides})
        ctx = ChannelContext(
            settings=settings,
            profile=profile,
            key=KEY,
            relay=RasaRelay(settings.rasa_url, timeout=settings.relay_timeout),
            clock=clock,
        )
        limiter = None if paced else ChatRateLimiter(per_chat_interval=0.02)
        channel = TelegramChannel(ctx, rate_limiter=limiter, typing_every=typing_every)
        await channel.start()
        started.append(channel)
        return channel

    yield start
    for channel in started:
        await channel.stop()
        await channel.ctx.relay.aclose()


async def handled(api: FakeTelegramAPI, answer: str, chat: int = CHAT) -> list[SentMessage]:
    """Wait until the bot has handled every update of `chat` sent so far; return everything
    it has sent to the chat. One chat's updates are handled in order, so a photo sent now is
    answered (`answer`, "only text is read") after all of them; that answer is left out."""
    api.user_sends_photo(chat)
    while True:
        sent = await api.messages_arrive(chat, len(api.sent_to(chat)) + 1)
        if sent[-1].text == answer:
            return sent[:-1]


def conv(chat_id: int = CHAT) -> str:
    """The conversation id Rasa should see for a chat."""
    return conversation_id("telegram", chat_id, KEY)


# --- pacing and Telegram's limits ------------------------------------------------------------


async def test_messages_to_one_chat_are_a_second_apart_and_other_chats_are_answered(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot
) -> None:
    # Only lower bounds on real time here (a busy machine makes gaps longer, never shorter);
    # that other chats are not held up is proven with a fake clock in
    # tests/unit/bot/test_ratelimit.py.
    rasa.script = lambda m: (
        [{"text": "En."}, {"text": "To."}, {"text": "Tre."}] if m == "hei" else [{"text": "Hallo."}]
    )
    await start_bot(paced=True)
    api.user_sends(CHAT, "hei")
    api.user_sends(777, "hallo")
    first = await api.messages_arrive(CHAT, 3)
    other = await api.messages_arrive(777, 1)
    assert [m.text for m in first] == ["En.", "To.", "Tre."]
    assert first[1].at - first[0].at >= 0.95
    assert first[2].at - first[1].at >= 0.95
    assert [m.text for m in other] == ["Hallo."]


async def test_a_429_is_retried_after_retry_after_and_delivered_once(
    api: FakeTelegramAPI, start_bot: StartBot, profile: Profile
) -> None:
    await start_bot()
    api.fail_next_sends(1, retry_after=1)
    api.user_sends(CHAT, "hei")
    delivered = await api.messages_arrive(CHAT, 1)
    assert await handled(api, texts.text_only(profile)) == delivered
    attempts = api.calls_to("sendMessage")[:2]
    assert [c.ok for c in attempts] == [False, True]
    assert attempts[1].at - attempts[0].at >= 0.95


async def test_long_replies_are_split_at_paragraphs_with_buttons_on_the_last_part(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot, profile: Profile
) -> None:
    paragraphs = [f"Avsnitt {i}. " + "Dette er en lang tekst om besøket. " * 30 for i in range(9)]
    long_text = "\n\n".join(p.strip() for p in paragraphs)
    assert len(long_text) > 2 * 4096
    rasa.script = lambda m: [
        {"text": long_text, "buttons": [{"title": "Ja", "payload": "/affirm"}]}
    ]
    await start_bot()
    api.user_sends(CHAT, "fortell")
    parts = await api.messages_arrive(CHAT, 3)
    assert len(await handled(api, texts.text_only(profile))) == 3
    assert all(len(p.text) <= 4096 for p in parts)
    assert all(p.text.startswith("Avsnitt") for p in parts)
    assert " ".join(p.text for p in parts).split() == long_text.split()
    assert [p.buttons for p in parts] == [[], [], [("Ja", "/affirm")]]


async def test_typing_is_shown_and_repeated_while_rasa_works(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot
) -> None:
    rasa.delays = {"vent": 0.7}
    await start_bot(typing_every=0.15)
    api.user_sends(CHAT, "vent")
    reply = await api.messages_arrive(CHAT, 1)
    typing = [c for c in api.calls_to("sendChatAction") if c.params["chat_id"] == CHAT]
    assert len(typing) >= 3
    assert {c.params["action"] for c in typing} == {"typing"}
    assert typing[0].at < reply[0].at


async def test_one_chats_updates_are_handled_in_order(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot
) -> None:
    rasa.delays = {"en": 0.4}
    await start_bot()
    for word in ("en", "to", "tre"):
        api.user_sends(CHAT, word)
    replies = await api.messages_arrive(CHAT, 3)
    assert rasa.messages == ["en", "to", "tre"]
    assert [m.text for m in replies] == ["Du skrev: en", "Du skrev: to", "Du skrev: tre"]


# --- polling and webhook --------------------------------------------------------------------


async def test_polling_deletes_an_old_webhook_first(
    api: FakeTelegramAPI, start_bot: StartBot
) -> None:
    api.webhook = {"url": "https://old.example/hook", "secret_token": "x"}
    await start_bot()
    api.user_sends(CHAT, "hei")
    await api.messages_arrive(CHAT, 1)
    methods = [c.method for c in api.calls]
    assert methods.index("deleteWebhook") < methods.index("getUpdates")
    assert api.webhook == {}


def webhook_client(channel: TelegramChannel) -> httpx.AsyncClient:
    """An HTTP client for the channel's webhook route, in-process."""
    app = Starlette(routes=[Route("/telegram/webhook", channel.handle_webhook, methods=["POST"])])
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://fhb")


async def test_webhook_needs_the_secret_token(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot
) -> None:
    channel = await start_bot(
        telegram_mode="webhook",
        telegram_webhook_url="https://fhb.example/telegram/webhook",
        telegram_webhook_secret="s3cret-token",
    )
    assert api.webhook == {
        "url": "https://fhb.example/telegram/webhook",
        "secret_token": "s3cret-token",
    }
    update = {**api.text_update(CHAT, "hei"), "update_id": 1}
    async with webhook_client(channel) as client:
        missing = await client.post("/telegram/webhook", json=update)
        wrong = await client.post(
            "/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"}
        )
        assert (missing.status_code, wrong.status_code) == (403, 403)  # refused at once
        assert rasa.bodies == [] and api.sent_to(CHAT) == []
        right = await client.post(
            "/telegram/webhook",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"},
        )
    assert right.status_code == 200
    reply = await api.messages_arrive(CHAT, 1)
    assert reply[0].text == "Du skrev: hei"
    assert api.calls_to("getUpdates") == []


async def test_webhook_mode_without_a_secret_refuses_to_start(
    start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR), pytest.raises(RuntimeError):
        await start_bot(
            telegram_mode="webhook", telegram_webhook_url="https://fhb.example/telegram/webhook"
        )
    assert "FHB_TELEGRAM_WEBHOOK_SECRET" in caplog.text


# --- what the person sends -------------------------------------------------------------------


async def test_the_conversation_id_is_opaque_and_the_chat_is_remembered(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot, db_url: str
) -> None:
    await start_bot()
    api.user_sends(CHAT, "hei")
    await api.messages_arrive(CHAT, 1)
    [body] = rasa.bodies
    assert body["sender"] == conv() and str(CHAT) not in body["sender"]
    assert body["input_channel"] == "telegram"
    with frozen_uow(db_url) as session:
        contact = contacts.contact_for(session, conv())
        assert (contact.channel, contact.address) == ("telegram", str(CHAT))


async def test_voice_photos_and_locations_get_a_kind_text_only_answer(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot, profile: Profile
) -> None:
    await start_bot()
    api.user_sends_voice(CHAT)
    api.user_sends_photo(CHAT)
    api.user_sends_location(CHAT)
    replies = await api.messages_arrive(CHAT, 3)
    assert [m.text for m in replies] == [texts.text_only(profile)] * 3
    assert texts.phone(profile) in replies[0].text
    await handled(api, texts.text_only(profile))
    assert rasa.bodies == []


async def test_a_national_id_number_is_masked_before_rasa_and_the_person_told(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot
) -> None:
    assert fodselsnummer.is_valid(FNR)
    await start_bot()
    api.user_sends(CHAT, f"Personnummeret mitt er {FNR}. Kan dere komme?")
    replies = await api.messages_arrive(CHAT, 2)
    assert replies[0].text == texts.NATIONAL_ID_REMOVED
    [said] = rasa.messages
    assert FNR not in said and "*" * 11 in said
    assert FNR not in replies[1].text


async def test_too_long_text_is_refused_kindly_and_not_relayed(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot, profile: Profile
) -> None:
    await start_bot()
    api.user_sends(CHAT, "a" * 2001)
    replies = await api.messages_arrive(CHAT, 1)
    assert replies[0].text == texts.too_long(2000)
    await handled(api, texts.text_only(profile))
    assert rasa.bodies == []


async def test_group_chats_are_refused_and_not_relayed(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot, db_url: str
) -> None:
    await start_bot()
    api.user_sends(-100555, "/start", chat_type="supergroup")
    api.user_sends(-100555, "hei", chat_type="supergroup")  # handled in order, after /start
    replies = await api.messages_arrive(-100555, 2)
    assert [r.text for r in replies] == [texts.PRIVATE_ONLY] * 2
    assert rasa.bodies == []
    with frozen_uow(db_url) as session:
        assert session.execute(select(ChannelContact)).scalars().all() == []


async def test_commands(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot, profile: Profile
) -> None:
    await start_bot()
    api.user_sends(CHAT, "/start")
    api.user_sends(CHAT, "/start abcd-efgh-jk")
    api.user_sends(CHAT, "/start ikke-en-kode")
    api.user_sends(CHAT, "/hjelp")
    api.user_sends(CHAT, "/stopp")
    api.user_sends(CHAT, "/hei")
    replies = await api.messages_arrive(CHAT, 8)
    assert rasa.messages == [
        "/greet",
        '/link_citizen{"invite_code":"ABCDEFGHJK"}',
        "/greet",
        "/help",
        "/stop",
        "hei",
    ]
    assert replies[2].text == texts.INVALID_CODE
    assert replies[4].text == texts.help_text(profile)


async def test_a_typed_code_from_the_letter_links_the_chat(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot, db_url: str
) -> None:
    with frozen_uow(db_url) as session:
        citizens.import_citizens(session, [visits.CitizenDetails("Kari", 1948, None, None)])
        citizens.add_invitation(session, 1, "ABCD234567")
    await start_bot()
    api.user_sends(CHAT, "abcd 2345 67")
    api.user_sends(CHAT, "ZZZZ-9999-99")  # not on the list: just text
    await api.messages_arrive(CHAT, 2)
    assert rasa.messages == ['/link_citizen{"invite_code":"ABCD234567"}', "ZZZZ-9999-99"]


# --- Rasa down or slow -----------------------------------------------------------------------


async def test_rasa_down_gives_the_phone_number_quickly_and_logs_the_update_id(
    api: FakeTelegramAPI,
    start_bot: StartBot,
    profile: Profile,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await start_bot(rasa_url=f"http://127.0.0.1:{closed_port()}")
    with caplog.at_level(logging.WARNING):
        sent_at = time.monotonic()
        update_id = api.user_sends(CHAT, "hemmelig beskjed")
        reply = await api.messages_arrive(CHAT, 1)
    assert reply[0].text == texts.unavailable(profile)
    assert reply[0].at - sent_at < 3
    assert f"update {update_id}" in caplog.text
    assert "hemmelig" not in caplog.text


async def test_slow_rasa_gives_the_apology_after_the_relay_timeout(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot, profile: Profile
) -> None:
    rasa.delays = {"hei": 5}
    await start_bot(relay_timeout=0.5)
    sent_at = time.monotonic()
    api.user_sends(CHAT, "hei")
    reply = await api.messages_arrive(CHAT, 1, timeout=4)
    assert reply[0].text == texts.unavailable(profile)
    assert reply[0].at - sent_at < 2


async def test_a_message_that_never_reached_a_busy_rasa_says_so(
    api: FakeTelegramAPI,
    start_bot: StartBot,
    profile: Profile,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def busy(*args: object, **kwargs: object) -> None:
        raise RasaBusy("every seat stayed taken")

    monkeypatch.setattr(RasaRelay, "send", busy)
    await start_bot()
    api.user_sends(CHAT, "hei")
    reply = await api.messages_arrive(CHAT, 1)
    assert reply[0].text == texts.busy(profile)  # true: it never reached the bot
    assert "vet ikke sikkert" not in reply[0].text


async def test_an_empty_answer_from_rasa_is_not_left_in_silence(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot, profile: Profile
) -> None:
    rasa.script = lambda m: []
    await start_bot()
    api.user_sends(CHAT, "hei")
    reply = await api.messages_arrive(CHAT, 1)
    assert reply[0].text == texts.unavailable(profile)


def take_over(db_url: str, chat_id: int = CHAT) -> None:
    """A staff member has taken this chat over (the row the dashboard's take writes)."""
    at = dt.datetime(2026, 11, 23, 9, 0)
    with frozen_uow(db_url) as session:
        takeover, _ = takeovers.request_takeover(
            session,
            conversation_id=conv(chat_id),
            channel="telegram",
            now=at,
            deadline=at + dt.timedelta(minutes=10),
        )
        takeovers.claim_takeover(session, takeover.id, "kari", at)


async def test_while_a_person_has_taken_over_the_bot_is_silent(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot, db_url: str, profile: Profile
) -> None:
    take_over(db_url)
    rasa.script = lambda m: []  # paused: Rasa records the message and answers nothing
    await start_bot()
    api.user_sends(CHAT, "er det noen der?")
    assert await handled(api, texts.text_only(profile)) == []  # no apology either
    assert rasa.messages == ["er det noen der?"]  # recorded, so the staff member sees it


async def test_an_answer_during_a_takeover_is_dropped_and_the_bot_paused_again(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot, db_url: str, profile: Profile
) -> None:
    take_over(db_url)  # Rasa started a new session meanwhile: it answers
    await start_bot()
    api.user_sends(CHAT, "hei")
    assert await handled(api, texts.text_only(profile)) == []
    assert rasa.api_calls == [tracker_events(conv(), "pause")]


async def test_rasa_down_during_a_takeover_still_gets_the_apology(
    api: FakeTelegramAPI, start_bot: StartBot, db_url: str, profile: Profile
) -> None:
    take_over(db_url)  # the message is not recorded: the staff member would not see it
    await start_bot(rasa_url=f"http://127.0.0.1:{closed_port()}")
    api.user_sends(CHAT, "hallo?")
    reply = await api.messages_arrive(CHAT, 1)
    assert reply[0].text == texts.unavailable(profile)


# --- buttons --------------------------------------------------------------------------------

LONG_PAYLOAD = '/choose_slot{"slot_id":"12345","merknad":"Åse Ødegård kommer på tirsdag"}'


async def test_buttons_fit_64_bytes_and_a_long_payload_still_reaches_rasa(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot
) -> None:
    assert len(LONG_PAYLOAD.encode()) > 64
    rasa.script = lambda m: [
        {
            "text": "Velg en tid.",
            "buttons": [
                {"title": "tirsdag 1. desember kl. 10.00", "payload": LONG_PAYLOAD},
                {"title": "Avbryt", "payload": "/stop"},
            ],
        }
    ]
    await start_bot()
    api.user_sends(CHAT, "bestille")
    [offer] = await api.messages_arrive(CHAT, 1)
    assert all(len(data.encode()) <= 64 for _, data in offer.buttons)
    assert offer.buttons[1] == ("Avbryt", "/stop")
    api.user_presses(CHAT, offer.message_id, offer.buttons[0][1])
    await api.messages_arrive(CHAT, 2)
    assert rasa.messages == ["bestille", LONG_PAYLOAD]


async def test_a_long_payload_pressed_after_a_restart_relays_the_title(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot
) -> None:
    rasa.script = lambda m: [
        {
            "text": "Velg en tid.",
            "buttons": [{"title": "tirsdag 1. desember kl. 10.00", "payload": LONG_PAYLOAD}],
        }
    ]
    first = await start_bot()
    api.user_sends(CHAT, "bestille")
    [offer] = await api.messages_arrive(CHAT, 1)
    await first.stop()
    await start_bot()
    api.user_presses(CHAT, offer.message_id, offer.buttons[0][1])
    await api.messages_arrive(CHAT, 2)
    assert rasa.messages == ["bestille", "tirsdag 1. desember kl. 10.00"]


async def test_a_pressed_keyboard_is_marked_and_a_second_press_only_answered(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot, profile: Profile
) -> None:
    rasa.script = lambda m: (
        [
            {
                "text": "Stemmer dette?",
                "buttons": [
                    {"title": "Ja, det stemmer", "payload": "/affirm"},
                    {"title": "Nei", "payload": "/deny"},
                ],
            }
        ]
        if m == "hei"
        else [{"text": "Takk!"}]
    )
    await start_bot()
    api.user_sends(CHAT, "hei")
    [question] = await api.messages_arrive(CHAT, 1)
    api.user_presses(CHAT, question.message_id, "/affirm")
    api.user_presses(CHAT, question.message_id, "/affirm")  # a quick double press
    await api.messages_arrive(CHAT, 2)
    assert question.buttons == [("✔ Valgt: Ja, det stemmer", "fhb:done")]
    api.user_presses(CHAT, question.message_id, "fhb:done")
    sent = await handled(api, texts.text_only(profile))
    assert rasa.messages == ["hei", "/affirm"]
    answers = api.calls_to("answerCallbackQuery")
    assert [c.params.get("text") for c in answers] == [
        None,
        texts.ALREADY_CHOSEN,
        texts.ALREADY_CHOSEN,
    ]
    assert len(sent) == 2


# --- /slett ---------------------------------------------------------------------------------


def make_tracker_events(url: str, rows: list[tuple[str, str]]) -> None:
    """A minimal tracker store table with (sender_id, text) user events."""
    engine = create_engine(url, future=True)
    with engine.begin() as db:
        db.execute(
            text(
                "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, "
                "type_name TEXT, timestamp REAL, data TEXT)"
            )
        )
        for sender, said in rows:
            db.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) "
                    "VALUES (:s, 'user', 0, :d)"
                ),
                {"s": sender, "d": json.dumps({"event": "user", "text": said})},
            )
    engine.dispose()


def count_events(url: str, sender: str) -> int:
    """How many tracker events a conversation has."""
    engine = create_engine(url, future=True)
    with engine.connect() as db:
        n = db.execute(
            text("SELECT COUNT(*) FROM events WHERE sender_id = :s"), {"s": sender}
        ).scalar_one()
    engine.dispose()
    return int(n)


async def test_slett_asks_then_erases_the_transcript_and_the_links(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot, db_url: str, tmp_path: Path
) -> None:
    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    make_tracker_events(tracker_url, [(conv(), "hei"), (conv(), "Kari"), ("other", "hei")])
    with frozen_uow(db_url) as session:
        citizens.import_citizens(
            session, [visits.CitizenDetails("Kari Nordmann", 1949, "Storgata 5", "+4791555555")]
        )
        citizen = citizens.citizens_without_invitation(session)[0]
        citizens.add_invitation(session, citizen.id, "ABCDEFGHJK")
        citizens.link_invitation(session, "ABCDEFGHJK", conv())
    await start_bot()
    api.user_sends(CHAT, "/slett")
    [confirm] = await api.messages_arrive(CHAT, 1)
    assert confirm.text == texts.FORGET_CONFIRM
    assert confirm.buttons == [
        (texts.FORGET_YES, "fhb:forget:yes"),
        (texts.FORGET_NO, "fhb:forget:no"),
    ]
    api.user_presses(CHAT, confirm.message_id, "fhb:forget:yes")
    done = await api.messages_arrive(CHAT, 2)
    assert done[1].text == texts.FORGET_DONE and "ikke slettet" in texts.FORGET_DONE
    assert (count_events(tracker_url, conv()), count_events(tracker_url, "other")) == (0, 1)
    with frozen_uow(db_url) as session:
        assert contacts.contact_for(session, conv()) is None
        assert citizens.linked_citizen(session, conv()) is None
    assert rasa.bodies == []


async def test_slett_no_keeps_everything(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot, db_url: str
) -> None:
    await start_bot()
    api.user_sends(CHAT, "/slett")
    [confirm] = await api.messages_arrive(CHAT, 1)
    api.user_presses(CHAT, confirm.message_id, "fhb:forget:no")
    replies = await api.messages_arrive(CHAT, 2)
    assert replies[1].text == texts.FORGET_KEPT
    assert confirm.buttons == [(f"✔ Valgt: {texts.FORGET_NO}", "fhb:done")]
    with frozen_uow(db_url) as session:
        assert contacts.contact_for(session, conv()) is not None
    assert rasa.bodies == []


# --- the phone question ----------------------------------------------------------------------


def phone_question(message: str) -> list[dict[str, Any]]:
    """Rasa asking for the phone number (with a cancel button) until it gets one."""
    if message in ("hei", "igjen"):
        return [
            {
                "text": "Hva er telefonnummeret ditt?",
                "buttons": [{"title": "Avbryt", "payload": "/stop"}],
            },
            {"custom": {"input": "phone"}},
        ]
    return [{"text": "Takk."}]


async def test_the_phone_question_offers_share_contact_and_removes_it_after(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot
) -> None:
    rasa.script = phone_question
    await start_bot()
    api.user_sends(CHAT, "hei")
    [question] = await api.messages_arrive(CHAT, 1)
    markup = question.reply_markup or {}
    assert question.keyboard == [
        {"text": texts.SHARE_CONTACT, "request_contact": True},
        {"text": "Avbryt"},
    ]
    assert markup["one_time_keyboard"] and markup["resize_keyboard"]
    api.user_shares_contact(CHAT, "+4791555555")
    replies = await api.messages_arrive(CHAT, 2)
    assert rasa.messages == ["hei", "+4791555555"]
    assert replies[1].reply_markup == {"remove_keyboard": True}


async def test_a_reply_keyboard_title_is_sent_as_its_payload(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot
) -> None:
    rasa.script = phone_question
    await start_bot()
    api.user_sends(CHAT, "igjen")
    await api.messages_arrive(CHAT, 1)
    api.user_sends(CHAT, "Avbryt")
    replies = await api.messages_arrive(CHAT, 2)
    api.user_sends(CHAT, "Avbryt")
    await api.messages_arrive(CHAT, 3)
    assert rasa.messages == ["igjen", "/stop", "Avbryt"]
    assert replies[1].reply_markup == {"remove_keyboard": True}


# --- messages the system starts ---------------------------------------------------------------


async def test_send_notification(api: FakeTelegramAPI, start_bot: StartBot) -> None:
    channel = await start_bot()
    api.blocked_chats.add(999)
    ok = await channel.send_notification(
        str(CHAT), "Husk besøket i morgen kl. 10.", [Button("Avlys besøket", "/cancel_visit")]
    )
    blocked = await channel.send_notification("999", "Husk besøket.", [])
    assert (ok, blocked) == (True, False)
    [reminder] = api.sent_to(CHAT)
    assert reminder.text == "Husk besøket i morgen kl. 10."
    assert reminder.buttons == [("Avlys besøket", "/cancel_visit")]


async def test_a_reminder_reaches_the_chat_once_and_its_button_works(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot, db_url: str
) -> None:
    import datetime as dt

    from bot.outreach.scheduler import Scheduler
    from fhb.slot_plan import plan_slots

    channel = await start_bot()
    api.user_sends(CHAT, "hei")  # the chat is now known: the scheduler can reach it
    await api.messages_arrive(CHAT, 1)
    now = NOW + dt.timedelta(hours=1)  # Monday 11:00 in Oslo
    with frozen_uow(db_url) as session:
        slots.add_slots(session, plan_slots(channel.ctx.profile, start=now.date(), weeks=1))
        tomorrow = [
            s
            for s, _ in slots.list_slots(session)
            if s.start.date() == (now + dt.timedelta(days=1)).date()
        ][0]
        visit = visits.book_visit(
            session,
            slot_id=tomorrow.id,
            conversation_id=conv(),
            citizen=visits.CitizenDetails("Kari Nordmann", 1948, "Storgata 5", None),
        )
        visit.updated_at = now.replace(tzinfo=None) - dt.timedelta(days=3)
    channel.ctx.clock = lambda: now
    scheduler = Scheduler(channel.ctx, telegram=channel)
    rounds = [  # two rounds of one scheduler, then one of a "restarted" scheduler
        await scheduler.run_once(),
        await scheduler.run_once(),
        await Scheduler(channel.ctx, telegram=channel).run_once(),
    ]
    assert [len(r) for r in rounds] == [1, 0, 0]
    [_, reminder] = await api.messages_arrive(CHAT, 2)
    assert "i morgen" in reminder.text and tomorrow.visitor in reminder.text
    assert ("Avlys besøket", "/cancel_visit") in reminder.buttons
    api.user_presses(CHAT, reminder.message_id, "/cancel_visit")
    await api.messages_arrive(CHAT, 3)
    assert rasa.messages[-1] == "/cancel_visit"


# --- connecting without holding up the web chat -------------------------------------------------


def make_channel(
    api_url: str, token: str, db_url: str, tmp_path: Path, profile: Profile
) -> TelegramChannel:
    """A TelegramChannel that is built but not started."""
    settings = Settings(
        database_url=db_url,
        tracker_url=f"sqlite:///{tmp_path / 'tracker.db'}",
        profile_path=ROOT / "data" / "kommune.yml",
        rasa_url="http://127.0.0.1:9",
        action_port=0,
        rasa_port=0,
        host="127.0.0.1",
        telegram_token=token,
        telegram_api_url=api_url,
    )
    ctx = ChannelContext(
        settings=settings, profile=profile, key=KEY, relay=RasaRelay(settings.rasa_url), clock=clock
    )
    return TelegramChannel(ctx, rate_limiter=ChatRateLimiter(per_chat_interval=0.02))


async def test_a_refused_token_leaves_telegram_off_without_retrying(
    api: FakeTelegramAPI,
    db_url: str,
    tmp_path: Path,
    profile: Profile,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from bot.server import connect_telegram

    channel = make_channel(api.url, "123:wrong", db_url, tmp_path, profile)
    await asyncio.wait_for(connect_telegram(channel, retry_every=0.05), timeout=10)
    assert not channel.ready
    assert "refused TELEGRAM_BOT_TOKEN" in caplog.text
    await channel.stop()
    await channel.ctx.relay.aclose()


async def test_an_unreachable_telegram_is_retried_until_it_answers(
    db_url: str,
    tmp_path: Path,
    profile: Profile,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from bot.server import connect_telegram

    api = FakeTelegramAPI()
    channel = make_channel(api.url, api.token, db_url, tmp_path, profile)
    with caplog.at_level(logging.WARNING, logger="bot.server"):
        connecting = asyncio.create_task(connect_telegram(channel, retry_every=0.2))
        for _ in range(750):  # nothing listens yet: wait for a network error and a retry
            if caplog.text.count("Telegram not reachable") >= 2:
                break
            await asyncio.sleep(0.02)
    assert caplog.text.count("Telegram not reachable") >= 2
    assert not channel.ready and not connecting.done()
    with api:
        await asyncio.wait_for(connecting, timeout=15)
        assert channel.ready
        await channel.stop()
    await channel.ctx.relay.aclose()
