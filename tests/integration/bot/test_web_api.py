"""The web chat's HTTP API against a fake Rasa (in-process) and real SQLite files."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, Callable, Iterator

import httpx
import pytest
from rasa.shared.core.events import BotUttered, UserUttered
from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
)
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.channels import texts
from bot.channels.context import ChannelContext
from bot.channels.open_takeovers import OpenTakeovers
from bot.channels.relay import RasaBusy, RasaRelay
from bot.channels.web.app import MAX_BODY, web_routes
from bot.channels.web.messages import merge_history, valid_payload, valid_token
from bot.channels.web.security import frame_ancestors
from fhb.conversation_ids import conversation_id
from fhb.db import citizens, contacts, notifications, takeovers, visits
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.db.models import Notification
from fhb.profile import Profile
from fhb.settings import Settings
from tests.support import ROOT
from tests.support.clock import clock, frozen_uow
from tests.support.rasa import FakeRasa, answers, tracker_events

KEY = b"unit-test-key"
VALID_FNR = "15108695088"  # checksum-valid, synthetic (python-stdnum's examples)
GREETING = {
    "text": "Hei! Hva vil du gjøre?",
    "buttons": [{"title": "Bestille besøk", "payload": "/book_visit"}],
}


class Harness:
    """The web routes on a test client, with the fake Rasa and the databases."""

    def __init__(
        self, client: TestClient, rasa: FakeRasa, settings: Settings, ctx: ChannelContext
    ) -> None:
        self.client = client
        self.rasa = rasa
        self.settings = settings
        self.ctx = ctx
        self.token = client.post("/api/session").json()["token"]

    @property
    def conversation(self) -> str:
        """The conversation id the server derives from the token."""
        return conversation_id("web", self.token, KEY)

    def headers(self, token: str | None = None) -> dict[str, str]:
        """The session header."""
        return {"X-FHB-Session": token or self.token}

    def say(self, **body: Any) -> httpx.Response:
        """POST /api/message."""
        return self.client.post("/api/message", json=body, headers=self.headers())

    def uow(self) -> SqlAlchemyUnitOfWork:
        """A unit of work on the visit database."""
        return frozen_uow(self.settings.database_url)


def make_events_table(url: str) -> Table:
    """The tracker store's `events` table, as Rasa's SQLTrackerStore creates it."""
    metadata = MetaData()
    table = Table(
        "events",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("sender_id", String(255), nullable=False, index=True),
        Column("type_name", String(255), nullable=False),
        Column("timestamp", Float),
        Column("intent_name", String(255)),
        Column("action_name", String(255)),
        Column("data", Text),
    )
    engine = create_engine(url, future=True)
    metadata.create_all(engine)
    engine.dispose()
    return table


def store_events(url: str, sender: str, events: list[Any]) -> None:
    """Append Rasa events to the tracker store the way SQLTrackerStore serialises them."""
    table = make_events_table(url)
    engine = create_engine(url, future=True)
    with engine.begin() as conn:
        for event in events:
            data = event.as_dict()
            conn.execute(
                table.insert().values(
                    sender_id=sender,
                    type_name=data["event"],
                    timestamp=data["timestamp"],
                    intent_name=(data.get("parse_data") or {}).get("intent", {}).get("name"),
                    action_name=None,
                    data=json.dumps(data),
                )
            )
    engine.dispose()


@pytest.fixture
def make_harness(
    db_url: str, tmp_path: Path, profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Harness]]:
    """A factory: the web chat with a fresh fake Rasa (env vars may be set first)."""
    clients: list[TestClient] = []

    def make(**env: str) -> Harness:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
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
        rasa = FakeRasa(answers(GREETING))
        ctx = ChannelContext(
            settings=settings,
            profile=profile,
            key=KEY,
            relay=RasaRelay(rasa.url, http=rasa.http()),
            clock=clock,
        )
        client = TestClient(Starlette(routes=web_routes(ctx)))
        clients.append(client)
        return Harness(client, rasa, settings, ctx)

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def web(make_harness: Callable[..., Harness]) -> Harness:
    """The web chat with default settings and a session token."""
    return make_harness()


# --- sessions and relaying -------------------------------------------------------------------


def test_a_session_token_is_random_and_well_formed(web: Harness) -> None:
    tokens = {web.client.post("/api/session").json()["token"] for _ in range(3)}
    assert len(tokens) == 3
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{43}", t) for t in tokens)
    assert web.client.post("/api/session").headers["cache-control"] == "no-store"


def test_a_message_is_relayed_on_the_web_channel_under_an_opaque_id(web: Harness) -> None:
    response = web.say(text="hei")
    assert response.status_code == 200
    assert response.json() == [
        {
            "from": "bot",
            "text": GREETING["text"],
            "buttons": GREETING["buttons"],
            "ask": None,
            "time": None,
        }
    ]
    [body] = web.rasa.bodies
    assert body["message"] == "hei"
    assert body["input_channel"] == "web"
    assert body["sender"] == web.conversation
    assert body["sender"].startswith("web-") and web.token not in body["sender"]
    with web.uow() as session:
        contact = contacts.contact_for(session, web.conversation)
        assert (contact.channel, contact.address) == ("web", "web")


def test_a_pressed_button_sends_its_payload(web: Harness) -> None:
    assert web.say(payload='/choose_slot{"slot_id":"12"}').status_code == 200
    assert web.rasa.messages == ['/choose_slot{"slot_id":"12"}']


@pytest.mark.parametrize(
    "payload",
    [
        "book_visit",
        "/book visit",
        "/" + "a" * 200,
        '/link_citizen{"invite_code":"ABCD234567"}',
        "/greet\n/book_visit",
        42,
        None,
    ],
)
def test_a_malformed_payload_is_refused_without_relaying(web: Harness, payload: Any) -> None:
    response = web.say(payload=payload)
    assert response.status_code == 400
    assert response.json()[0]["text"] == texts.WEB_BAD_REQUEST
    assert web.rasa.bodies == []


def test_typed_text_is_never_read_as_a_command(web: Harness) -> None:
    web.say(text='/link_citizen{"invite_code":"ABCD234567"}')
    assert not web.rasa.messages[0].startswith("/")


def test_a_fodselsnummer_never_reaches_rasa(web: Harness) -> None:
    response = web.say(text=f"Jeg heter Kari, personnummer {VALID_FNR[:6]} {VALID_FNR[6:]}")
    assert response.status_code == 200
    sent = web.rasa.messages[0]
    assert re.sub(r"\D", "", sent) == ""
    assert "***********" in sent
    assert response.json()[0]["text"] == texts.NATIONAL_ID_REMOVED
    assert response.json()[1]["text"] == GREETING["text"]


def test_a_long_paste_gets_a_kind_answer_and_is_not_relayed(web: Harness) -> None:
    response = web.say(text="Jeg lurer på noe. " * 556)  # 10 008 characters
    assert response.status_code == 200
    assert [m["text"] for m in response.json()] == [texts.too_long(2000)]
    assert web.rasa.bodies == []


def test_an_empty_message_is_answered_without_relaying(web: Harness) -> None:
    assert web.say(text="   ").json()[0]["text"] == texts.EMPTY_MESSAGE
    assert web.rasa.bodies == []


def test_a_body_over_16_kb_is_refused_with_413(web: Harness) -> None:
    response = web.client.post(
        "/api/message", headers=web.headers(), content=json.dumps({"text": "ø" * 9000}).encode()
    )
    assert response.status_code == 413
    assert response.json()[0]["text"] == texts.web_too_large(2000)
    assert web.rasa.bodies == []


def test_a_body_without_content_length_is_cut_at_16_kb(web: Harness) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(40):
            yield b"x" * 1024
        yield b'"}'

    response = web.client.post("/api/message", headers=web.headers(), content=chunks())
    assert response.status_code == 413
    assert MAX_BODY == 16 * 1024 and web.rasa.bodies == []


def test_a_body_that_is_not_json_is_refused(web: Harness) -> None:
    response = web.client.post("/api/message", headers=web.headers(), content=b"hei")
    assert response.status_code == 400
    assert response.json()[0]["text"] == texts.WEB_BAD_REQUEST


@pytest.mark.parametrize("token", ["", "short", "x" * 42 + "!", "a" * 44, "../" * 15])
@pytest.mark.parametrize(
    "method, path",
    [
        ("POST", "/api/message"),
        ("POST", "/api/start"),
        ("GET", "/api/history"),
        ("GET", "/api/updates"),
        ("POST", "/api/forget"),
    ],
)
def test_a_bad_token_is_refused_with_401(web: Harness, token: str, method: str, path: str) -> None:
    response = web.client.request(
        method, path, json={"text": "hei"}, headers={"X-FHB-Session": token} if token else {}
    )
    assert response.status_code == 401
    assert response.json()[0]["text"] == texts.WEB_SESSION_LOST
    assert web.rasa.bodies == []


def test_rasa_down_gives_an_apology_with_the_phone_number(web: Harness, profile: Profile) -> None:
    web.rasa.down = True
    response = web.say(text="hei")
    assert response.status_code == 503
    [message] = response.json()
    assert message["text"] == texts.unavailable(profile)
    assert "33 44 55 66" in message["text"]


def test_a_message_never_sent_for_lack_of_a_seat_says_so(
    web: Harness, profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def busy(*args: object, **kwargs: object) -> None:
        raise RasaBusy("every seat stayed taken")

    monkeypatch.setattr(RasaRelay, "send", busy)
    response = web.say(text="hei")
    assert response.status_code == 503
    [message] = response.json()
    assert message["text"] == texts.busy(profile)  # true: it never reached the bot
    assert "Ingenting av den ble registrert" in message["text"] and "33 44 55 66" in message["text"]


def test_a_visit_booked_before_the_answer_timed_out_is_confirmed(
    web: Harness, profile: Profile
) -> None:
    """Rasa timed out on "Ja", but the action had written the visit: the person is told it
    is registered, never that nothing was."""
    with web.uow() as session:
        from fhb.db import slots as slots_db
        from fhb.slot_plan import plan_slots
        from tests.support.clock import NOW

        slots_db.add_slots(session, plan_slots(profile, start=NOW.date(), weeks=1))
        slot, _ = slots_db.list_slots(session, after=NOW.replace(tzinfo=None))[0]
        visits.book_visit(
            session,
            slot_id=slot.id,
            citizen=visits.CitizenDetails("Kari Nordmann", 1948, "Storgata 5", None),
            conversation_id=web.conversation,
        )
    web.rasa.down = True
    response = web.say(text="ja")
    assert response.status_code == 503
    [message] = response.json()
    assert message["text"].startswith("Beklager at svaret tok tid. Besøket ditt er registrert")
    assert "Storgata 5" in message["text"]


def test_without_a_new_visit_the_person_hears_we_are_not_sure(web: Harness) -> None:
    web.rasa.down = True
    [message] = web.say(text="ja").json()
    assert "vet ikke sikkert" in message["text"]
    assert "ikke registrert" not in message["text"]


# --- starting a conversation -----------------------------------------------------------------


def test_a_new_conversation_starts_with_the_greeting(web: Harness) -> None:
    response = web.client.post("/api/start", json={}, headers=web.headers())
    assert response.json()[0]["buttons"] == GREETING["buttons"]
    assert web.rasa.messages == ["/greet"]


def test_the_letters_code_is_normalised_and_linked(web: Harness) -> None:
    web.client.post("/api/start", json={"code": " abcd-2345 67"}, headers=web.headers())
    assert web.rasa.messages == ['/link_citizen{"invite_code":"ABCD234567"}']


def test_a_typed_code_from_the_letter_links_only_when_it_is_on_the_list(web: Harness) -> None:
    with frozen_uow(web.settings.database_url) as session:
        citizens.import_citizens(session, [visits.CitizenDetails("Kari", 1948, None, None)])
        citizens.add_invitation(session, 1, "ABCD234567")
    web.say(text="abcd-2345-67")
    web.say(text="ZZZZ-9999-99")  # the shape of a code, but nobody's: read as text
    assert web.rasa.messages == ['/link_citizen{"invite_code":"ABCD234567"}', "ZZZZ-9999-99"]


def test_a_malformed_code_is_explained_then_the_greeting_follows(web: Harness) -> None:
    response = web.client.post("/api/start", json={"code": "IO1-nope"}, headers=web.headers())
    assert [m["text"] for m in response.json()] == [texts.INVALID_CODE, GREETING["text"]]
    assert web.rasa.messages == ["/greet"]


def test_a_phone_question_asks_for_the_phone_keypad(web: Harness) -> None:
    web.rasa.script = answers(
        {"text": "Hvilket telefonnummer kan vi nå deg på?"},
        {"custom": {"input": "phone"}},
    )
    assert web.say(text="Storgata 5").json()[0]["ask"] == "phone"


# --- history, updates, forgetting ------------------------------------------------------------


def add_notification(
    web: Harness,
    *,
    ref: str,
    text: str,
    status: str,
    created_at: dt.datetime,
    buttons: str | None = None,
) -> None:
    """A system-started message for the harness's conversation."""
    with web.uow() as session:
        note = notifications.claim_notification(
            session,
            kind="reminder",
            ref=ref,
            conversation_id=web.conversation,
            channel="web",
            text=text,
            buttons=buttons,
            status=status,
        )
        assert note is not None
        note.created_at = created_at


def test_history_merges_the_transcript_and_system_messages_in_time_order(web: Harness) -> None:
    start = dt.datetime(2026, 11, 23, 9, 0)
    t0 = start.replace(tzinfo=dt.timezone.utc).timestamp()
    menu = [{"title": "Bestille besøk", "payload": "/book_visit"}]
    store_events(
        web.settings.tracker_url,
        web.conversation,
        [
            UserUttered("/greet", timestamp=t0),
            BotUttered("Hei! Hva vil du gjøre?", data={"buttons": menu}, timestamp=t0 + 1),
            UserUttered("/book_visit", timestamp=t0 + 10),
            BotUttered("Hva heter du?", timestamp=t0 + 11),
        ],
    )
    store_events(
        web.settings.tracker_url, "web-someone-else", [UserUttered("hemmelig", timestamp=t0 + 2)]
    )
    add_notification(
        web,
        ref="1:1",
        text="Husk besøket i morgen.",
        status="queued",
        created_at=start + dt.timedelta(seconds=5),
        buttons=json.dumps([{"title": "Flytte besøket", "payload": "/move_visit"}]),
    )
    response = web.client.get("/api/history", headers=web.headers())
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert [(m["from"], m["text"]) for m in response.json()] == [
        ("bot", "Hei! Hva vil du gjøre?"),
        ("bot", "Husk besøket i morgen."),
        ("user", "Bestille besøk"),
        ("bot", "Hva heter du?"),
    ]
    first, note, _, last = response.json()
    assert first["buttons"] == menu and first["time"] == t0 + 1
    assert note["buttons"] == [{"title": "Flytte besøket", "payload": "/move_visit"}]
    assert note["time"] == t0 + 5
    assert last["buttons"] == []
    # shown in the history, so not fetched again as an update
    assert web.client.get("/api/updates", headers=web.headers()).json() == []


def test_the_last_messages_buttons_come_back_after_a_reload(web: Harness) -> None:
    t0 = 1_790_000_000.0
    slots = [{"title": "tirsdag 1. desember kl. 10.00", "payload": '/choose_slot{"slot_id":"3"}'}]
    store_events(
        web.settings.tracker_url,
        web.conversation,
        [
            UserUttered("Kari Nordmann", timestamp=t0),
            BotUttered("Hvilken tid passer?", data={"buttons": slots}, timestamp=t0 + 1),
        ],
    )
    assert web.client.get("/api/history", headers=web.headers()).json()[-1]["buttons"] == slots


def test_history_of_a_new_conversation_is_empty(web: Harness) -> None:
    assert web.client.get("/api/history", headers=web.headers()).json() == []


def test_updates_are_delivered_once(web: Harness) -> None:
    now = dt.datetime(2026, 11, 23, 9, 0)
    add_notification(
        web, ref="1:1", text="Husk besøket i morgen kl. 10.", status="queued", created_at=now
    )
    add_notification(web, ref="1:2", text="Sendt på Telegram", status="sent", created_at=now)
    first = web.client.get("/api/updates", headers=web.headers())
    assert [m["text"] for m in first.json()] == ["Husk besøket i morgen kl. 10."]
    assert web.client.get("/api/updates", headers=web.headers()).json() == []
    with web.uow() as session:
        statuses = {n.ref: n.status for n in session.query(Notification)}
    assert statuses == {"1:1": "delivered", "1:2": "sent"}


def test_polling_while_idle_changes_nothing(web: Harness) -> None:
    for _ in range(3):
        response = web.client.get("/api/updates", headers=web.headers())
        assert (response.status_code, response.json()) == (200, [])
    assert web.rasa.bodies == []


def test_forgetting_erases_the_transcript_and_the_link_but_not_bookings(web: Harness) -> None:
    web.say(text="hei")
    store_events(
        web.settings.tracker_url,
        web.conversation,
        [
            UserUttered("hei", timestamp=1_790_000_000.0),
            BotUttered("Hei!", timestamp=1_790_000_001.0),
        ],
    )
    store_events(
        web.settings.tracker_url, "web-other", [UserUttered("hei", timestamp=1_790_000_000.0)]
    )
    add_notification(
        web,
        ref="9:9",
        text="Husk besøket",
        status="delivered",
        created_at=dt.datetime(2026, 11, 23, 9, 0),
    )
    response = web.client.post("/api/forget", headers=web.headers())
    assert response.status_code == 200
    assert response.json()[0]["text"] == texts.FORGET_DONE
    assert web.client.get("/api/history", headers=web.headers()).json() == []
    with web.uow() as session:
        assert contacts.contact_for(session, web.conversation) is None
        assert [n.text for n in session.query(Notification)] == [None]
    engine = create_engine(web.settings.tracker_url, future=True)
    with engine.connect() as conn:
        senders = conn.exec_driver_sql("SELECT sender_id FROM events").scalars().all()
    engine.dispose()
    assert senders == ["web-other"]


# --- page, embed script, headers -------------------------------------------------------------


def test_the_page_is_norwegian_with_the_kommune_and_phone_and_no_inline_script(
    web: Harness,
) -> None:
    response = web.client.get("/?kode=ABCD234567")
    assert response.status_code == 200
    page = response.text
    assert '<html lang="nb">' in page
    assert "Fjellvik kommune" in page and "33 44 55 66" in page
    assert 'href="tel:+4733445566"' in page
    assert 'for="message-input"' in page and "Skriv meldingen din" in page
    assert 'role="log"' in page and "Slett samtalen" in page
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    data = re.search(r'<script type="application/json" id="fhb-texts">(.*?)</script>', page, re.S)
    assert json.loads(data.group(1))["maxChars"] == 2000


@pytest.mark.parametrize(
    "path", ["/", "/healthz", "/embed.js", "/static/chat.js", "/static/chat.css", "/api/updates"]
)
def test_every_response_has_the_security_headers(web: Harness, path: str) -> None:
    response = web.client.get(path)
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'self'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_frame_ancestors_come_from_the_environment(make_harness: Callable[..., Harness]) -> None:
    web = make_harness(FHB_WEB_FRAME_ANCESTORS="'self' https://www.fjellvik.kommune.no")
    csp = web.client.get("/").headers["content-security-policy"]
    assert csp.endswith("frame-ancestors 'self' https://www.fjellvik.kommune.no")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("", "'self'"),
        ("https://a.no https://b.no", "https://a.no https://b.no"),
        ("https://a.no; script-src *", "'self'"),
        ("https://a.no\r\nX-Evil: 1", "https://a.no"),
        ("'none'", "'none'"),
    ],
)
def test_frame_ancestors_keep_only_sources(raw: str, expected: str) -> None:
    assert frame_ancestors(raw) == expected


def test_embed_js_is_served_as_javascript(web: Harness) -> None:
    response = web.client.get("/embed.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "Chat med oss" in response.text and "iframe" in response.text


def test_healthz(web: Harness) -> None:
    response = web.client.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok")


# --- pure helpers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token, ok",
    [
        ("A" * 43, True),
        ("a-_" * 14 + "Z", True),
        ("A" * 42, False),
        (None, False),
        ("A" * 42 + "=", False),
        ("A" * 42 + "\n", False),
    ],
)
def test_token_shape(token: str | None, ok: bool) -> None:
    assert valid_token(token) is ok


@pytest.mark.parametrize(
    "payload, ok",
    [
        ("/book_visit", True),
        ('/choose_slot{"slot_id":"12"}', True),
        ("/affirm", True),
        ("Hva er forebyggende hjemmebesøk?", False),
        ("/link_citizen", False),
        ("/" + "x" * 61, False),
        ('/inform{"a":"' + "b" * 200 + '"}', False),
    ],
)
def test_payload_shape(payload: str, ok: bool) -> None:
    assert valid_payload(payload) is ok


def test_merge_history_keeps_each_lists_order_on_equal_times() -> None:
    transcript = [
        {"from": "user", "text": "a", "time": 5.0},
        {"from": "bot", "text": "b", "time": 5.0},
    ]
    notes = [{"from": "bot", "text": "n", "time": 5.0}]
    assert [m["text"] for m in merge_history(transcript, notes)] == ["a", "b", "n"]


def taken_over(harness: Harness, status: str = "active") -> None:
    """Put the harness's conversation in the staff queue, or taken over by a person."""
    at = dt.datetime(2026, 11, 23, 9, 0)
    with harness.uow() as session:
        takeover, _ = takeovers.request_takeover(
            session,
            conversation_id=harness.conversation,
            channel="web",
            now=at,
            deadline=at + dt.timedelta(minutes=10),
        )
        if status == "active":
            takeovers.claim_takeover(session, takeover.id, "kari", at)


def test_no_reply_from_rasa_gets_the_apology(make_harness: Callable[..., Harness]) -> None:
    harness = make_harness()
    harness.rasa.script = answers()
    response = harness.say(text="hei")
    assert response.status_code == 200
    assert "33 44 55 66" in response.json()[0]["text"]
    assert "x-fhb-live" not in response.headers


def test_while_a_person_has_taken_over_the_bot_is_silent(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness()
    taken_over(harness)
    harness.rasa.script = answers()  # Rasa records the message and, paused, answers nothing
    response = harness.say(text="hallo, er du der?")
    assert (response.status_code, response.json()) == (200, [])
    assert response.headers["x-fhb-live"] == "1"
    assert harness.rasa.messages[-1] == "hallo, er du der?"  # recorded for the staff member
    assert (
        harness.client.get("/api/updates", headers=harness.headers()).headers["x-fhb-live"] == "1"
    )


def test_an_answer_during_a_takeover_is_dropped_and_the_bot_paused_again(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness()
    taken_over(harness)
    response = harness.say(text="hei")  # a new Rasa session is not paused: it answers
    assert response.json() == []
    assert harness.rasa.api_calls == [tracker_events(harness.conversation, "pause")]


def test_while_waiting_for_a_person_the_bot_still_answers(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness()
    taken_over(harness, status="waiting")
    response = harness.say(text="hva koster det?")
    assert response.json()[0]["text"] == GREETING["text"]
    assert response.headers["x-fhb-live"] == "1"  # the page polls often: someone is coming


def test_a_request_for_a_person_is_live_in_its_own_answer(
    make_harness: Callable[..., Harness],
) -> None:
    """The staff queue is read once a second at most, but the answer to the message that
    asked for a person already says someone is coming (the page then polls every 3 s)."""
    harness = make_harness()
    assert "x-fhb-live" not in harness.say(text="hei").headers  # the queue was just read

    def handoff(message: str) -> list[dict[str, Any]]:
        taken_over(harness, status="waiting")  # as the action server does, in its process
        return [{"text": "Jeg har sagt fra."}, {"custom": {takeovers.TAKEOVER_REQUESTED: True}}]

    harness.rasa.script = handoff
    response = harness.say(text="kan jeg snakke med et menneske")
    assert response.headers["x-fhb-live"] == "1"
    assert [m["text"] for m in response.json()] == ["Jeg har sagt fra."]  # no empty bubble


def test_a_takeover_made_elsewhere_shows_within_a_second(
    make_harness: Callable[..., Harness],
) -> None:
    """One read of the queue serves the messages of the next second; then it is read again."""
    harness = make_harness()
    reads: list[int] = []
    seconds = [0.0]

    def read() -> dict[str, str]:
        reads.append(1)
        return harness.ctx.read_open_takeovers()

    harness.ctx.open_takeovers = OpenTakeovers(read, max_age=1.0, now=lambda: seconds[0])
    for _ in range(5):
        assert "x-fhb-live" not in harness.say(text="hei").headers
    assert len(reads) == 1
    taken_over(harness, status="waiting")  # by another channel server
    seconds[0] += 0.5
    assert "x-fhb-live" not in harness.say(text="hei").headers  # not read again yet
    seconds[0] += 0.5
    assert harness.say(text="hei").headers["x-fhb-live"] == "1"
    assert len(reads) == 2
