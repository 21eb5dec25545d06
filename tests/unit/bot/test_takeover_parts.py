"""Pure parts of live takeover: opening hours, the notices' words, the Rasa API calls, and
how the staff page merges the tracker with what staff and the system sent."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.channels.relay import RasaRelay, RasaUnavailable
from bot.outreach import notices
from bot.staff.dashboard.live import live_items
from fhb.db.models import Notification
from fhb.profile import Profile, load_profile, parse_profile
from tests.support import ROOT
from tests.support.http import mock_http

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture(scope="module")
def fjellvik() -> Profile:
    """The example profile."""
    return load_profile(ROOT / "data" / "kommune.yml")


@pytest.mark.parametrize(
    "local, is_open",
    [
        (dt.datetime(2026, 11, 23, 8, 0), True),  # Monday, the minute it opens
        (dt.datetime(2026, 11, 23, 7, 59), False),
        (dt.datetime(2026, 11, 23, 15, 29), True),
        (dt.datetime(2026, 11, 23, 15, 30), False),  # closes at 15.30
        (dt.datetime(2026, 11, 27, 12, 0), True),  # Friday
        (dt.datetime(2026, 11, 28, 12, 0), False),  # Saturday
        (dt.datetime(2026, 11, 29, 12, 0), False),  # Sunday
        (dt.datetime(2026, 5, 14, 12, 0), False),  # Kristi himmelfartsdag, a Thursday
        (dt.datetime(2026, 12, 25, 12, 0), False),  # 1. juledag, a Friday
    ],
)
def test_opening_hours_from_the_profile(
    fjellvik: Profile, local: dt.datetime, is_open: bool
) -> None:
    assert fjellvik.is_open(local.replace(tzinfo=OSLO)) is is_open


def test_open_to_midnight(fjellvik: Profile) -> None:
    always = dataclasses.replace(
        fjellvik, open_weekdays=tuple(range(1, 8)), open_from=dt.time(0, 0), open_to=dt.time(0, 0)
    )
    for hour in (0, 12, 23):
        assert always.is_open(dt.datetime(2026, 11, 29, hour, 59, tzinfo=OSLO))
    assert always.is_open(dt.datetime(2026, 12, 25, 12, 0, tzinfo=OSLO))  # staffed always


def test_live_chat_needs_a_response_time(fjellvik: Profile) -> None:
    assert fjellvik.live_chat and fjellvik.chat_response_minutes == 10
    raw: dict[str, Any] = {
        "name": "X kommune",
        "contact": {"phone": "+4711223344", "opening_hours": "alltid"},
        "target_group": {"from_age": 77, "to_age": 80},
        "visit": {},
        "visitors": [{"name": "A"}],
        "schedule": {"weekdays": [1], "day_start": "09:00", "day_end": "15:00"},
    }
    plain = parse_profile(raw)
    assert not plain.live_chat  # no response time: the phone number as before
    assert plain.open_weekdays == (1, 2, 3, 4, 5)
    raw["contact"]["chat_response_minutes"] = -5
    assert parse_profile(raw).chat_response_minutes == 0


def test_the_notices_are_plain_and_give_the_phone_number(fjellvik: Profile) -> None:
    joined = notices.takeover_joined_text(fjellvik)
    assert "ansatt i Fjellvik kommune" in joined
    left = notices.takeover_left_text(fjellvik)
    assert "chatboten" in left and "33 44 55 66" in left
    promised = notices.takeover_timeout_text(fjellvik, callback_phone="+4791234567")
    assert "Vi ringer deg på 91 23 45 67" in promised and "33 44 55 66" in promised
    offered = notices.takeover_timeout_text(fjellvik, callback_phone=None)
    assert "33 44 55 66" in offered and "Trykk på knappen" in offered
    assert [b.payload for b in notices.CALLBACK_BUTTONS] == ["/request_callback"]
    for text in (joined, left, promised, offered):
        longest = max(len(s.split()) for s in text.replace("?", ".").split("."))
        assert longest <= 16, text  # klarspråk: short sentences


def relay_with(status: int, seen: list[httpx.Request]) -> RasaRelay:
    """A relay whose Rasa answers `status` and records each request."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json={})

    return RasaRelay("http://rasa.test", api_token="s3cret", http=mock_http(handler))


async def test_pause_and_resume_go_to_rasas_api_with_the_token() -> None:
    seen: list[httpx.Request] = []
    relay = relay_with(200, seen)
    await relay.pause("web-abc")
    await relay.resume("web-abc")
    await relay.aclose()
    assert [r.url.path for r in seen] == ["/conversations/web-abc/tracker/events"] * 2
    assert all(r.method == "POST" and r.url.params["token"] == "s3cret" for r in seen)
    assert [json.loads(r.content) for r in seen] == [[{"event": "pause"}], [{"event": "resume"}]]


@pytest.mark.parametrize("status", [401, 500])
async def test_a_refused_or_failed_api_call_raises(status: int) -> None:
    relay = relay_with(status, [])
    with pytest.raises(RasaUnavailable):
        await relay.pause("web-abc")
    await relay.aclose()


def test_staff_page_merges_tracker_and_sent_messages_by_time() -> None:
    at = dt.datetime(2026, 11, 23, 9, 0)
    utc = dt.timezone.utc
    transcript = [
        {"from": "user", "text": "kan jeg snakke med noen?", "time": at.replace(tzinfo=utc)},
        {
            "from": "user",
            "text": "hallo?",
            "time": (at + dt.timedelta(minutes=3)).replace(tzinfo=utc),
        },
    ]
    sent = [
        Notification(
            kind="takeover_joined",
            text="Nå skriver du med en ansatt.",
            created_at=at + dt.timedelta(minutes=1),
            status="queued",
        ),
        Notification(
            kind="staff_message",
            text=notices.STAFF_PREFIX + "Hei, jeg er Kari.",
            created_at=at + dt.timedelta(minutes=2),
            status="sent",
        ),
    ]
    items = live_items(transcript, sent)
    assert [(i["from"], i["text"]) for i in items] == [
        ("user", "kan jeg snakke med noen?"),
        ("system", "Nå skriver du med en ansatt."),
        ("staff", "Hei, jeg er Kari."),  # the "Ansatt: " prefix is the page's label there
        ("user", "hallo?"),
    ]
