"""No fødselsnummer reaches Rasa through any channel path (issue 11): the web chat's typed
text and pressed-button payloads (a forged payload included), and Telegram's typed text and
callback data, all against a fake Rasa that records what it receives."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.channels import texts
from bot.channels.context import ChannelContext
from bot.channels.relay import RasaRelay
from bot.channels.web.app import web_routes
from bot.channels.web.messages import MAX_PAYLOAD
from fhb.profile import Profile
from fhb.settings import Settings
from tests.integration.bot.test_telegram import CHAT, StartBot, api, rasa, start_bot
from tests.support import ROOT
from tests.support.clock import clock
from tests.support.national_ids import D_NUMBER, FNR, SHAPES, reaches_rasa, typed_numbers
from tests.support.rasa import FakeRasa, answers
from tests.support.telegram_api import FakeTelegramAPI

__all__ = ["api", "rasa", "start_bot"]  # the Telegram fixtures, shared

KEY = b"national-id-test-key"
REPLY = {"text": "Takk!"}
# Typed text never becomes a payload on the web (its "/" is dropped), so JSON escapes stay
# the literal characters "\\u0030" there: nothing Rasa decodes.
TYPED_SHAPES = [(name, shape) for name, shape in SHAPES if "JSON escapes" not in name]
PAYLOAD_SHAPES = [
    (name, shape)
    for name, shape in SHAPES
    if name.startswith("button payload") and "unparsable" not in name
]


class WebChat:
    """The web chat's routes on a test client, with a fake Rasa, and one session."""

    def __init__(self, client: TestClient, rasa: FakeRasa) -> None:
        self.client = client
        self.rasa = rasa
        self.token = client.post("/api/session").json()["token"]

    def send(self, **body: str) -> list[str]:
        """POST /api/message; the texts of the answer (notices first)."""
        response = self.client.post(
            "/api/message", json=body, headers={"X-FHB-Session": self.token}
        )
        assert response.status_code == 200, response.text
        return [m["text"] for m in response.json()]


@pytest.fixture
def web(db_url: str, tmp_path: Path, profile: Profile) -> Iterator[WebChat]:
    """The web chat against a fake Rasa that always says thanks."""
    settings = Settings(
        database_url=db_url,
        tracker_url=f"sqlite:///{tmp_path / 'tracker.db'}",
        profile_path=ROOT / "data" / "kommune.yml",
        rasa_url="http://rasa.test",
        action_port=0,
        rasa_port=0,
        host="127.0.0.1",
        secret_key="unused",
    )
    rasa = FakeRasa(answers(REPLY))
    ctx = ChannelContext(
        settings=settings,
        profile=profile,
        key=KEY,
        relay=RasaRelay(rasa.url, http=rasa.http()),
        clock=clock,
    )
    with TestClient(Starlette(routes=web_routes(ctx))) as client:
        yield WebChat(client, rasa)


@pytest.mark.parametrize(("name", "shape"), TYPED_SHAPES, ids=[n for n, _ in TYPED_SHAPES])
def test_typed_on_the_web_in_any_shape(
    web: WebChat, name: str, shape: Callable[[str], str]
) -> None:
    answer = web.send(text=shape(FNR))
    assert answer == [texts.NATIONAL_ID_REMOVED, REPLY["text"]]
    [said] = web.rasa.messages
    assert not reaches_rasa(FNR, said), said


@pytest.mark.parametrize(("name", "shape"), PAYLOAD_SHAPES, ids=[n for n, _ in PAYLOAD_SHAPES])
@pytest.mark.parametrize("number", [FNR, D_NUMBER], ids=["fnr", "d-number"])
def test_a_forged_web_payload_is_masked(
    web: WebChat, name: str, shape: Callable[[str], str], number: str
) -> None:
    payload = shape(number)
    assert len(payload) <= MAX_PAYLOAD
    answer = web.send(payload=payload)
    assert answer == [texts.NATIONAL_ID_REMOVED, REPLY["text"]]
    [said] = web.rasa.messages
    assert said.startswith("/inform") and not reaches_rasa(number, said), said


def test_an_ordinary_payload_is_relayed_unchanged(web: WebChat) -> None:
    assert web.send(payload='/choose_slot{"slot_id":"12"}') == [REPLY["text"]]
    assert web.rasa.messages == ['/choose_slot{"slot_id":"12"}']


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(typed_numbers(), st.text(max_size=60), st.text(max_size=60), st.booleans())
def test_a_number_anywhere_in_a_web_message_or_payload_never_reaches_rasa(
    web: WebChat, typed: tuple[str, str], before: str, after: str, as_payload: bool
) -> None:
    number, written = typed
    text = before + written + after
    if as_payload:
        payload = "/inform" + json.dumps({"name": text}, ensure_ascii=False)
        assume(len(payload) <= MAX_PAYLOAD and "\n" not in payload and "\r" not in payload)
        web.send(payload=payload)
    else:
        web.send(text=text)
    assert not reaches_rasa(number, web.rasa.messages[-1])


async def test_forged_telegram_callback_data_is_masked(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot
) -> None:
    rasa.script = lambda m: (
        [{"text": "Stemmer dette?", "buttons": [{"title": "Ja", "payload": "/affirm"}]}]
        if m == "hei"
        else [{"text": "Takk!"}]
    )
    await start_bot()
    api.user_sends(CHAT, "hei")
    [question] = await api.messages_arrive(CHAT, 1)
    forged = f'/inform{{"n":"{D_NUMBER[:6]} {D_NUMBER[6:]}"}}'  # 37 bytes: fits callback data
    api.user_presses(CHAT, question.message_id, forged)
    sent = await api.messages_arrive(CHAT, 3)
    assert [m.text for m in sent[1:]] == [texts.NATIONAL_ID_REMOVED, "Takk!"]
    assert rasa.messages[0] == "hei"
    assert not reaches_rasa(D_NUMBER, rasa.messages[1]), rasa.messages[1]


async def test_a_number_typed_on_telegram_in_another_shape_is_masked(
    api: FakeTelegramAPI, rasa: FakeRasa, start_bot: StartBot
) -> None:
    await start_bot()
    typed = "Fnr " + "\u200b".join(FNR) + " og " + f"{D_NUMBER[:2]}.{D_NUMBER[2:4]}.{D_NUMBER[4:6]}"
    api.user_sends(CHAT, typed + f"-{D_NUMBER[6:]}")
    replies = await api.messages_arrive(CHAT, 2)
    assert replies[0].text == texts.NATIONAL_ID_REMOVED
    [said] = rasa.messages
    assert not reaches_rasa(FNR, said) and not reaches_rasa(D_NUMBER, said), said
