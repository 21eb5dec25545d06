"""The web chat's API with a body nested 5,000 deep (issue 11): a kind 400, not a 500, and
nothing reaches Rasa; an ordinary message after it is relayed as usual."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.channels import texts
from bot.channels.relay import RasaRelay
from bot.channels.web.app import web_routes
from fhb.profile import Profile
from tests.support.context import channel_context, settings_for
from tests.support.rasa import FakeRasa


@pytest.fixture
def rasa() -> FakeRasa:
    """The fake Rasa (an echo)."""
    return FakeRasa()


@pytest.fixture
def chat(db_url: str, tmp_path: Path, profile: Profile, rasa: FakeRasa) -> Iterator[TestClient]:
    """The web chat's routes on the test client, relaying to the fake Rasa in-process."""
    settings = settings_for(db_url, f"sqlite:///{tmp_path / 'tracker.db'}")
    relay = RasaRelay(rasa.url, http=rasa.http())
    ctx = channel_context(settings, profile, key=b"json-depth-test", relay=relay)
    with TestClient(Starlette(routes=web_routes(ctx)), raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize(
    "body",
    [b"[" * 5000 + b"]" * 5000, b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}"],
)
def test_a_body_nested_5000_deep_is_a_kind_400(
    chat: TestClient, rasa: FakeRasa, body: bytes
) -> None:
    headers = {"X-FHB-Session": chat.post("/api/session").json()["token"]}
    response = chat.post("/api/message", headers=headers, content=body)
    assert response.status_code == 400
    assert response.json()[0]["text"] == texts.WEB_BAD_REQUEST
    assert rasa.bodies == []
    after = chat.post("/api/message", headers=headers, json={"text": "hei"})
    assert after.status_code == 200 and rasa.messages == ["hei"]
