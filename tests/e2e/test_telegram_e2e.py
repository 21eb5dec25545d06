"""End to end over Telegram: `fhb serve` polls the fake Bot API and talks to the real Rasa.

A citizen from the visit list opens the deep link in the invitation letter, is greeted by
first name, and books a visit with three presses, without being asked for details the
municipality already has.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select

from fhb.clock import system_clock
from fhb.conversation_ids import conversation_id
from fhb.db import citizens, contacts
from fhb.db import visits as visits_db
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.db.models import Citizen, Visit
from fhb.invitation_codes import CODE_ALPHABET, CODE_LENGTH
from fhb.settings import Settings
from tests.support.telegram_api import FakeTelegramAPI, SentMessage

pytestmark = pytest.mark.e2e

CHAT = 5_551_234
ASKS_FOR_DETAILS = ("Hva heter du", "Hvilket år er du født", "adresse", "telefonnummer")


@pytest.fixture
def api() -> Iterator[FakeTelegramAPI]:
    """The fake Telegram Bot API."""
    with FakeTelegramAPI() as fake:
        yield fake


def invite_citizen(settings: Settings, name: str) -> tuple[int, str]:
    """Put one citizen on the visit list with an invitation code; return (id, code)."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    details = visits_db.CitizenDetails(
        name, dt.date.today().year - 78, "Fjordveien 3", "+4791234567"
    )
    with SqlAlchemyUnitOfWork(settings.database_url, clock=system_clock) as session:
        citizens.import_citizens(session, [details])
        citizen_id = (
            session.execute(
                select(Citizen.id).where(Citizen.name == name).order_by(Citizen.id.desc())
            )
            .scalars()
            .first()
        )
        citizens.add_invitation(session, citizen_id, code)
    return int(citizen_id), code


def wait_for(
    api: FakeTelegramAPI, seen: int, done: Callable[[SentMessage], bool], timeout: float = 90
) -> list[SentMessage]:
    """Messages after the first `seen`, once one of them satisfies `done`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = api.sent_to(CHAT)[seen:]
        if any(done(m) for m in new):
            return new
        time.sleep(0.1)
    got = [m.text[:100] for m in api.sent_to(CHAT)[seen:]]
    raise AssertionError(f"the bot did not answer as expected; it sent: {got}")


def press(api: FakeTelegramAPI, message: SentMessage, title: str) -> None:
    """Press the inline button with this title."""
    data = dict(message.buttons)[title]
    api.user_presses(CHAT, message.message_id, data)


def offers_times(message: SentMessage) -> bool:
    """Tell whether a message offers visit times (its buttons choose a slot)."""
    return any(data.startswith("/choose_slot") for _, data in message.buttons)


def test_a_citizen_from_the_letter_books_a_visit_over_telegram(
    servers: Settings, channel_server: Callable[..., object], api: FakeTelegramAPI
) -> None:
    citizen_id, code = invite_citizen(servers, "Astrid Telegramsen")
    channel_server(TELEGRAM_BOT_TOKEN=api.token, FHB_TELEGRAM_API_URL=api.url)

    api.user_sends(CHAT, f"/start {code.lower()}")
    greeting = wait_for(api, 0, lambda m: "Bestille besøk" in dict(m.buttons))
    assert any("Hei, Astrid!" in m.text for m in greeting), [m.text for m in greeting]
    menu = next(m for m in greeting if "Bestille besøk" in dict(m.buttons))

    seen = len(api.sent_to(CHAT))
    press(api, menu, "Bestille besøk")
    offer = wait_for(api, seen, offers_times)
    asked = " ".join(m.text for m in offer)
    assert not any(question in asked for question in ASKS_FOR_DETAILS), asked
    times = next(m for m in offer if offers_times(m))
    title, data = times.buttons[0]
    assert len(data.encode()) <= 64
    assert menu.buttons == [("✔ Valgt: Bestille besøk", "fhb:done")]

    seen = len(api.sent_to(CHAT))
    press(api, times, title)
    summary = wait_for(api, seen, lambda m: "Stemmer dette?" in m.text)
    confirm = next(m for m in summary if "Stemmer dette?" in m.text)
    assert "Astrid Telegramsen" in confirm.text and title in confirm.text

    seen = len(api.sent_to(CHAT))
    press(api, confirm, "Ja, det stemmer")
    wait_for(api, seen, lambda m: "Besøket er bestilt" in m.text)

    conv = conversation_id("telegram", CHAT, b"e2e-test-key")
    with SqlAlchemyUnitOfWork(servers.database_url, clock=system_clock) as session:
        visits = (
            session.execute(select(Visit).where(Visit.citizen_id == citizen_id)).scalars().all()
        )
        assert [(v.status, v.conversation_id) for v in visits] == [("booked", conv)]
        assert contacts.contact_for(session, conv).address == str(CHAT)
    assert str(CHAT) not in conv
