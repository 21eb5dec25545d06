"""End to end: the real action server and Rasa server, chatting over the REST webhook."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from typing import Any

import httpx
import pytest

from bot.launcher import tracker_store_is_sql
from fhb.settings import Settings
from tests.e2e.conftest import FHB, cli_env

pytestmark = pytest.mark.e2e


def say(settings: Settings, sender: str, message: str) -> list[dict[str, Any]]:
    """Send one message through Rasa's REST channel; return the replies."""
    response = httpx.post(
        f"{settings.rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=60,
    )
    response.raise_for_status()
    replies = response.json()
    assert replies, f"the bot was silent after {message!r}"
    return list(replies)


def text_of(replies: list[dict[str, Any]]) -> str:
    """All reply texts joined."""
    return "\n".join(r.get("text") or "" for r in replies)


def fhb_json(settings: Settings, command: str) -> list[dict[str, Any]]:
    """Run `fhb <command> --json` and parse it."""
    result = subprocess.run(
        [FHB, command, "--json"], env=cli_env(settings), check=True, capture_output=True, text=True
    )
    return list(json.loads(result.stdout))


def test_book_a_visit_through_the_webhook(servers: Settings) -> None:
    sender = "e2e-booking"
    birth_year = str(dt.date.today().year - 78)
    assert "Hei" in text_of(say(servers, sender, "hei"))
    assert "Hva heter du" in text_of(say(servers, sender, "/book_visit"))
    assert "født" in text_of(say(servers, sender, "Kari Nordmann"))
    assert "adresse" in text_of(say(servers, sender, birth_year))
    assert "telefonnummer" in text_of(say(servers, sender, "Storgata 5"))
    bad = text_of(say(servers, sender, "123"))
    assert "norsk telefonnummer" in bad
    first = [b for r in say(servers, sender, "915 55 555") for b in r.get("buttons", [])]
    assert first[-1]["title"] == "Vis flere tider"
    more = [b for r in say(servers, sender, "/more_slots") for b in r.get("buttons", [])]
    assert {b["title"] for b in more[:-1]}.isdisjoint(b["title"] for b in first[:-1])
    wished = say(servers, sender, "kan dere komme en onsdag på formiddagen?")
    buttons = [b for r in wished for b in r.get("buttons", [])]
    assert "passer med det du skrev" in text_of(wished)
    assert all(b["title"].startswith("onsdag") for b in buttons[:-1]), buttons
    chosen = buttons[0]
    summary = text_of(say(servers, sender, chosen["payload"]))
    assert "Stemmer dette?" in summary and chosen["title"] in summary
    done = text_of(say(servers, sender, "/affirm"))
    assert "Besøket er bestilt" in done
    visits = [v for v in fhb_json(servers, "visits") if v["conversation_id"] == sender]
    assert len(visits) == 1
    assert visits[0]["citizen_name"] == "Kari Nordmann"
    assert visits[0]["phone"] == "+4791555555"
    assert visits[0]["status"] == "booked"
    assert visits[0]["start"].endswith(("+01:00", "+02:00"))
    assert tracker_store_is_sql(servers.tracker_url)
    transcript = subprocess.run(
        [FHB, "transcript", sender],
        env=cli_env(servers),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert (
        "Innbygger: Kari Nordmann" in transcript and "Bot: Takk! Besøket er bestilt" in transcript
    )
    free = {s["id"]: s["free"] for s in fhb_json(servers, "slots")}
    assert not free[int(chosen["payload"].split('"')[3])]


def test_decline_from_another_chat(servers: Settings) -> None:
    sender = "e2e-decline"
    assert "frivillig" in text_of(say(servers, sender, "/decline_visit"))
    assert "senere" in text_of(say(servers, sender, '/inform{"decline_reason":"no_need"}'))
    assert "Når passer" in text_of(say(servers, sender, "/affirm"))
    assert "Hva heter du" in text_of(say(servers, sender, "til våren"))
    assert "telefonnummer" in text_of(say(servers, sender, "Ola Hansen"))
    done = text_of(say(servers, sender, "/skip"))
    assert "Takk for at du svarte" in done
    declines = [d for d in fhb_json(servers, "declines") if d["conversation_id"] == sender]
    assert [
        (d["citizen_name"], d["reason"], d["wants_later"], d["later_when"]) for d in declines
    ] == [("Ola Hansen", "no_need", True, "til våren")]


def test_garbage_and_huge_input_get_an_answer(servers: Settings) -> None:
    for message in ("asdkjh qwe zzz", "🙂🙂🙂", "'; DROP TABLE visits; --", "x" * 10000):
        assert text_of(say(servers, "e2e-garbage", message)).strip()
