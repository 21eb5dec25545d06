"""Live takeover against real SQLite files: the queue in the repository, the `LiveChat`
service (claim, pause Rasa, write, hand back, the clock's timeouts) with a fake Rasa HTTP API
and a fake Telegram, and the dashboard pages under /staff/ko over HTTP."""

from __future__ import annotations

import datetime as dt
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from sqlalchemy.exc import IntegrityError

from bot.channels.context import ChannelContext
from bot.channels.relay import RasaRelay
from bot.outreach import notices
from bot.outreach.scheduler import Scheduler
from bot.staff.dashboard import live as live_pages
from bot.staff.takeover import IDLE_HANDBACK, TAKEOVER_REASON, LiveChat, TakeoverError
from fhb.clock import naive_utc
from fhb.db import answers as answers_db
from fhb.db import citizens, contacts, takeovers
from fhb.db import engine as engine_db
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.db.models import CallbackRequest, Citizen, Notification, Takeover
from fhb.profile import Profile
from tests.support.clock import NOW, Clock, frozen_uow
from tests.support.context import RASA_URL, channel_context, settings_for
from tests.support.rasa import ApiCall, FakeRasa, tracker_events
from tests.support.records import CONV, add_visit, tracker_with_events
from tests.support.staff import Login, access_rows, add_staff, csrf, dashboard_app, logins
from tests.support.telegram_channel import FakeTelegram

TG = "tg-" + "c" * 40
CHAT_ID = "12345"
PHONE = "+4791234567"
PHONE_SHOWN = "91 23 45 67"
RESPONSE = dt.timedelta(minutes=10)


T0 = naive_utc(NOW)


# --- fakes and fixtures -----------------------------------------------------------------------


def rasa_call(conversation: str, event: str) -> ApiCall:
    """The request that pauses or resumes a conversation (with the API token "tok")."""
    return tracker_events(conversation, event, token="tok")


@dataclass
class Env:
    """The channel context on the test database, its clock and the fake Rasa."""

    ctx: ChannelContext
    clock: Clock
    rasa: FakeRasa
    db_url: str

    def chat(self, telegram: FakeTelegram | None = None) -> LiveChat:
        """A LiveChat whose scheduler sends Telegram messages to `telegram`."""
        return LiveChat(self.ctx, Scheduler(self.ctx, telegram=telegram))

    def later(self, delta: dt.timedelta) -> None:
        """Move the clock on."""
        self.clock.now = self.clock.now + delta


@pytest.fixture
def env(db_url: str, tmp_path: Path, profile: Profile) -> Env:
    """A context with a frozen clock at NOW, a fake Rasa and a tracker with two chats."""
    tracker = f"sqlite:///{tmp_path / 'tracker.db'}"
    tracker_with_events(tracker)
    rasa, clock = FakeRasa(), Clock(NOW)
    ctx = channel_context(
        settings_for(db_url, tracker),
        profile,
        relay=RasaRelay(RASA_URL, api_token="tok", http=rasa.http()),
        key=b"takeover-test",
        uow_factory=lambda: SqlAlchemyUnitOfWork(db_url, clock=clock),
        clock=clock,
    )
    return Env(ctx, clock, rasa, db_url)


# --- database helpers -------------------------------------------------------------------------


def ask(url: str, conversation: str = CONV, *, at: dt.datetime = T0, channel: str = "web") -> int:
    """The conversation asks for a person at `at`; return the waiting takeover's id."""
    with frozen_uow(url) as session:
        takeover, _ = takeovers.request_takeover(
            session, conversation_id=conversation, channel=channel, now=at, deadline=at + RESPONSE
        )
        return int(takeover.id)


def set_status(
    url: str,
    takeover_id: int,
    status: str,
    *,
    taken_by: str | None = None,
    last_staff_at: dt.datetime | None = None,
) -> None:
    """Put a takeover straight into a state (arranging a test, not the code under test)."""
    with frozen_uow(url) as session:
        takeover = session.get(Takeover, takeover_id)
        takeover.status, takeover.taken_by = status, taken_by
        takeover.taken_at = takeover.last_staff_at = last_staff_at


def row(url: str, takeover_id: int) -> Takeover:
    """A takeover as stored now."""
    with frozen_uow(url) as session:
        found = takeovers.get_takeover(session, takeover_id)
        assert found is not None
        return found


def all_rows(url: str, model: type) -> list[Any]:
    """Every row of a table, oldest first."""
    with frozen_uow(url) as session:
        return engine_db.list_rows(session, model)


def sent(url: str, kind: str | None = None) -> list[Notification]:
    """The notifications, optionally of one kind, oldest first."""
    return [n for n in all_rows(url, Notification) if kind is None or n.kind == kind]


def reach(url: str, conversation: str = CONV, channel: str = "web", address: str = "web") -> None:
    """Remember where a conversation lives."""
    with frozen_uow(url) as session:
        contacts.touch_contact(session, conversation, channel, address)


# A visit booked in CONV, three days on, for Kari Nordmann with PHONE.
add_visit_from = partial(add_visit, conversation=CONV, phone=PHONE, visitor="Ola Berg")


def add_callback(url: str, conversation: str = CONV) -> None:
    """A call-back request the conversation gave."""
    with frozen_uow(url) as session:
        answers_db.add_callback(
            session, name="Kari", phone=PHONE, topic="besøk", conversation_id=conversation
        )


def add_decline(url: str, conversation: str = CONV) -> None:
    """A declined offer with a phone number."""
    with frozen_uow(url) as session:
        answers_db.add_decline(
            session,
            citizen_name="Kari Nordmann",
            phone=PHONE,
            reason="not_now",
            conversation_id=conversation,
        )


def link_citizen(url: str, conversation: str = CONV) -> None:
    """An imported citizen with a phone, linked to the conversation by an invitation code."""
    with frozen_uow(url) as session:
        citizen = Citizen(name="Per Imported", phone=PHONE, source="import")
        session.add(citizen)
        session.flush()
        citizens.add_invitation(session, int(citizen.id), "ABCD2345EF")
        assert citizens.link_invitation(session, "ABCD2345EF", conversation) is not None


def known(url: str, conversation: str = CONV) -> tuple[str | None, str | None]:
    """What `known_phone` finds."""
    with frozen_uow(url) as session:
        return citizens.known_phone(session, conversation)


# --- repository -------------------------------------------------------------------------------


def test_one_open_request_per_conversation(db_url: str) -> None:
    first = ask(db_url)
    with frozen_uow(db_url) as session:
        again, created = takeovers.request_takeover(
            session,
            conversation_id=CONV,
            channel="web",
            now=T0 + RESPONSE,
            deadline=T0 + 2 * RESPONSE,
        )
    assert (again.id, created) == (first, False)
    with pytest.raises(IntegrityError):  # the index holds even without the check first
        with frozen_uow(db_url) as session:
            session.add(
                Takeover(
                    conversation_id=CONV,
                    channel="web",
                    status="waiting",
                    requested_at=T0,
                    deadline=T0 + RESPONSE,
                )
            )
    with frozen_uow(db_url) as session:
        assert takeovers.end_takeover(session, first, status="closed", by="ada", now=T0)
    second = ask(db_url, at=T0 + RESPONSE)
    assert second != first
    assert [(t.id, t.status) for t in all_rows(db_url, Takeover)] == [
        (first, "closed"),
        (second, "waiting"),
    ]


def test_only_one_of_two_claims_wins(db_url: str) -> None:
    takeover_id = ask(db_url)
    with frozen_uow(db_url) as session:
        won = takeovers.claim_takeover(session, takeover_id, "ada", T0)
    with frozen_uow(db_url) as session:
        lost = takeovers.claim_takeover(session, takeover_id, "vera", T0)
    assert lost is None
    assert won is not None and (won.status, won.taken_by) == ("active", "ada")
    stored = row(db_url, takeover_id)
    assert (stored.status, stored.taken_by, stored.last_staff_at) == ("active", "ada", T0)

    late = ask(db_url, TG)
    set_status(db_url, late, "timed_out")
    with frozen_uow(db_url) as session:
        taken = takeovers.claim_takeover(session, late, "vera", T0)
    assert taken is not None and (taken.status, taken.taken_by) == ("active", "vera")


def concurrent_claims(url: str, staff: int = 8) -> list[str]:
    """`staff` members press "Ta over" on the same request at the same moment; who won."""
    takeover_id = ask(url)
    barrier = threading.Barrier(staff)

    def claim(username: str) -> str | None:
        barrier.wait()
        with frozen_uow(url) as session:
            taken = takeovers.claim_takeover(session, takeover_id, username, T0)
            return username if taken is not None else None

    with ThreadPoolExecutor(staff) as pool:
        results = list(pool.map(claim, [f"ansatt{n}" for n in range(staff)]))
    winners = [r for r in results if r is not None]
    assert row(url, takeover_id).taken_by == winners[0]
    return winners


def test_eight_staff_at_once_one_takes_it(db_url: str) -> None:
    assert len(concurrent_claims(db_url)) == 1


def test_eight_staff_at_once_one_takes_it_on_postgresql(pg_url: str) -> None:
    assert len(concurrent_claims(pg_url)) == 1
    with pytest.raises(IntegrityError):  # the partial unique index exists there too
        with frozen_uow(pg_url) as session:
            session.add(
                Takeover(
                    conversation_id=CONV,
                    channel="web",
                    status="waiting",
                    requested_at=T0,
                    deadline=T0 + RESPONSE,
                )
            )


def test_overdue_and_idle_takeovers(db_url: str) -> None:
    overdue = ask(db_url, "web-1", at=T0 - 2 * RESPONSE)
    ask(db_url, "web-2", at=T0 - RESPONSE / 2)  # still within its response time
    taken_late = ask(db_url, "web-3", at=T0 - 2 * RESPONSE)
    set_status(db_url, taken_late, "active", taken_by="ada", last_staff_at=T0)
    forgotten = ask(db_url, "web-4", at=T0 - 3 * IDLE_HANDBACK)
    set_status(
        db_url,
        forgotten,
        "active",
        taken_by="ada",
        last_staff_at=T0 - IDLE_HANDBACK - dt.timedelta(minutes=1),
    )
    with frozen_uow(db_url) as session:
        assert [t.id for t in takeovers.overdue_takeovers(session, T0)] == [overdue]
        assert [t.id for t in takeovers.idle_takeovers(session, T0 - IDLE_HANDBACK)] == [forgotten]


@pytest.mark.parametrize(
    "arrange, expected",
    [
        (None, (None, None)),
        (add_callback, ("Kari", PHONE)),
        (add_visit_from, ("Kari Nordmann", PHONE)),
        (
            lambda url: add_visit_from(
                url,
                phone=None,
                booked_by="relative",
                relative_name="Nils",
                relative_phone="+4799887766",
            ),
            ("Nils", "+4799887766"),
        ),
        (add_decline, ("Kari Nordmann", PHONE)),
        (link_citizen, ("Per Imported", PHONE)),
    ],
    ids=["nothing", "callback", "visit", "relative", "decline", "invitation"],
)
def test_known_phone(
    db_url: str, arrange: Callable[[str], None] | None, expected: tuple[str | None, str | None]
) -> None:
    if arrange is not None:
        arrange(db_url)
    assert known(db_url) == expected
    assert known(db_url, "web-other") == (None, None)  # another conversation's is not ours


# --- the LiveChat service ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "channel, address, status", [("web", "web", "queued"), ("telegram", CHAT_ID, "sent")]
)
async def test_take_pauses_the_bot_logs_and_tells_the_person(
    env: Env, channel: str, address: str, status: str
) -> None:
    reach(env.db_url, CONV, channel, address)
    takeover_id = ask(env.db_url)
    telegram = FakeTelegram()
    await env.chat(telegram).take(takeover_id, "vera")

    stored = row(env.db_url, takeover_id)
    assert (stored.status, stored.taken_by, stored.taken_at) == ("active", "vera", T0)
    assert env.rasa.api_calls == [rasa_call(CONV, "pause")]
    [entry] = access_rows(env.db_url)
    assert (entry.username, entry.action, entry.target, entry.reason) == (
        "vera",
        "takeover",
        CONV,
        TAKEOVER_REASON,
    )
    joined = notices.takeover_joined_text(env.ctx.profile)
    [note] = sent(env.db_url)
    assert (note.kind, note.ref, note.channel, note.status, note.text) == (
        "takeover_joined",
        str(takeover_id),
        channel,
        status,
        joined,
    )
    assert telegram.calls == ([(CHAT_ID, joined, [])] if channel == "telegram" else [])


@pytest.mark.parametrize("before", ["waiting", "timed_out"])
async def test_take_while_rasa_is_down_puts_it_back(env: Env, before: str) -> None:
    reach(env.db_url)
    takeover_id = ask(env.db_url)
    if before != "waiting":
        set_status(env.db_url, takeover_id, before)
    env.rasa.down = True
    with pytest.raises(TakeoverError, match="Rasa svarer ikke"):
        await env.chat().take(takeover_id, "vera")
    stored = row(env.db_url, takeover_id)
    assert (stored.status, stored.taken_by, stored.last_staff_at) == (before, None, None)
    assert sent(env.db_url) == []

    env.rasa.down = False  # it can be taken once Rasa is back
    await env.chat().take(takeover_id, "vera")
    assert row(env.db_url, takeover_id).status == "active"


async def taken(
    env: Env,
    telegram: FakeTelegram | None = None,
    *,
    channel: str = "web",
    address: str = "web",
    by: str = "vera",
) -> tuple[LiveChat, int]:
    """A LiveChat and a conversation that `by` has taken over."""
    reach(env.db_url, CONV, channel, address)
    chat = env.chat(telegram)
    takeover_id = ask(env.db_url)
    await chat.take(takeover_id, by)
    return chat, takeover_id


async def test_the_taker_writes_to_the_person(env: Env) -> None:
    chat, takeover_id = await taken(env)
    env.later(dt.timedelta(minutes=5))
    result = await chat.say(takeover_id, "vera", "  Hei, jeg heter Vera.  ")
    assert result.status == "queued"
    [note] = sent(env.db_url, "staff_message")
    assert note.text == notices.STAFF_PREFIX + "Hei, jeg heter Vera."
    assert note.text.startswith(notices.STAFF_PREFIX) and note.conversation_id == CONV
    assert row(env.db_url, takeover_id).last_staff_at == T0 + dt.timedelta(minutes=5)


@pytest.mark.parametrize(
    "username, text",
    [("ada", "Hei fra Ada"), ("vera", ""), ("vera", "   \n "), ("vera", "x" * 2001)],
    ids=["not-the-taker", "empty", "blank", "too-long"],
)
async def test_a_refused_staff_message_is_not_sent(env: Env, username: str, text: str) -> None:
    chat, takeover_id = await taken(env)
    with pytest.raises(TakeoverError):
        await chat.say(takeover_id, username, text)
    assert sent(env.db_url, "staff_message") == []


async def test_no_message_to_a_conversation_that_was_handed_back(env: Env) -> None:
    chat, takeover_id = await taken(env)
    await chat.hand_back(takeover_id, "vera")
    with pytest.raises(TakeoverError, match="ikke tatt over"):
        await chat.say(takeover_id, "vera", "Er du der?")
    assert sent(env.db_url, "staff_message") == []


@pytest.mark.parametrize(
    "ready, result, recorded",
    [(False, True, []), (True, False, ["failed"])],
    ids=["offline", "send-failed"],
)
async def test_a_telegram_message_that_cannot_go_out_is_an_error(
    env: Env, ready: bool, result: bool, recorded: list[str]
) -> None:
    telegram = FakeTelegram()
    chat, takeover_id = await taken(env, telegram, channel="telegram", address=CHAT_ID)
    telegram.ready, telegram.result = ready, result
    with pytest.raises(TakeoverError, match="ikke sendt"):
        await chat.say(takeover_id, "vera", "Hei!")
    assert [n.status for n in sent(env.db_url, "staff_message")] == recorded


async def test_hand_back_resumes_the_bot_and_tells_the_person(env: Env) -> None:
    chat, takeover_id = await taken(env)
    env.later(dt.timedelta(minutes=7))
    await chat.hand_back(takeover_id, "ada")  # any staff member may hand back
    assert env.rasa.api_calls == [rasa_call(CONV, "pause"), rasa_call(CONV, "resume")]
    stored = row(env.db_url, takeover_id)
    assert (stored.status, stored.ended_by, stored.ended_at) == (
        "closed",
        "ada",
        T0 + dt.timedelta(minutes=7),
    )
    [note] = sent(env.db_url, "takeover_left")
    assert note.text == notices.takeover_left_text(env.ctx.profile)
    with pytest.raises(TakeoverError):  # a second hand-back changes nothing
        await chat.hand_back(takeover_id, "vera")
    assert len(sent(env.db_url, "takeover_left")) == 1 and len(env.rasa.api_calls) == 2


async def test_hand_back_while_rasa_is_down_keeps_the_takeover(env: Env) -> None:
    chat, takeover_id = await taken(env)
    env.rasa.down = True
    with pytest.raises(TakeoverError, match="Rasa svarer ikke"):
        await chat.hand_back(takeover_id, "vera")
    stored = row(env.db_url, takeover_id)
    assert (stored.status, stored.taken_by, stored.ended_at) == ("active", "vera", None)
    assert sent(env.db_url, "takeover_left") == []


async def test_a_timeout_with_a_known_phone_registers_a_callback(env: Env) -> None:
    reach(env.db_url)
    add_visit_from(env.db_url)
    takeover_id = ask(env.db_url)
    reach(env.db_url, TG, "telegram", CHAT_ID)
    later_one = ask(env.db_url, TG, at=T0 + RESPONSE, channel="telegram")  # not due yet
    env.later(RESPONSE + dt.timedelta(minutes=1))
    chat = env.chat(FakeTelegram())

    assert await chat.run_timeouts() == 1
    stored = row(env.db_url, takeover_id)
    assert (stored.status, stored.ended_by) == ("timed_out", "system")
    [callback] = all_rows(env.db_url, CallbackRequest)
    assert (callback.phone, callback.name, callback.conversation_id) == (
        PHONE,
        "Kari Nordmann",
        CONV,
    )
    assert stored.callback_id == callback.id
    [note] = sent(env.db_url)
    assert (note.kind, note.ref, note.conversation_id) == (
        "handoff_timeout",
        str(takeover_id),
        CONV,
    )
    assert PHONE_SHOWN in note.text and json.loads(note.buttons) == []
    assert row(env.db_url, later_one).status == "waiting"

    assert await chat.run_timeouts() == 0  # nothing new on the next round
    assert len(all_rows(env.db_url, CallbackRequest)) == 1 and len(sent(env.db_url)) == 1
    assert env.rasa.api_calls == []  # the bot was never paused, so nothing to resume


async def test_a_timeout_without_a_phone_offers_a_callback(env: Env) -> None:
    reach(env.db_url, TG, "telegram", CHAT_ID)
    takeover_id = ask(env.db_url, TG, channel="telegram")
    env.later(RESPONSE)
    telegram = FakeTelegram()
    chat = env.chat(telegram)

    assert await chat.run_timeouts() == 1
    assert row(env.db_url, takeover_id).status == "timed_out"
    assert row(env.db_url, takeover_id).callback_id is None
    assert all_rows(env.db_url, CallbackRequest) == []
    text = notices.takeover_timeout_text(env.ctx.profile, callback_phone=None)
    assert telegram.calls == [(CHAT_ID, text, list(notices.CALLBACK_BUTTONS))]
    [note] = sent(env.db_url)
    assert (note.kind, note.status) == ("handoff_timeout", "sent")
    assert json.loads(note.buttons) == [{"title": "Ja, ring meg", "payload": "/request_callback"}]
    assert await chat.run_timeouts() == 0 and len(telegram.calls) == 1


async def test_a_forgotten_takeover_is_handed_back(env: Env) -> None:
    reach(env.db_url)
    reach(env.db_url, TG, "telegram", CHAT_ID)
    chat = env.chat(FakeTelegram())
    forgotten, busy = ask(env.db_url), ask(env.db_url, TG)
    await chat.take(forgotten, "vera")
    await chat.take(busy, "ada")
    env.later(IDLE_HANDBACK - dt.timedelta(minutes=5))
    await chat.say(busy, "ada", "Jeg sjekker det for deg.")
    env.later(dt.timedelta(minutes=6))  # the first is now idle for longer than IDLE_HANDBACK

    assert await chat.run_timeouts() == 1
    stored = row(env.db_url, forgotten)
    assert (stored.status, stored.ended_by) == ("closed", "system")
    assert env.rasa.api_calls[-1] == rasa_call(CONV, "resume")
    assert rasa_call(TG, "resume") not in env.rasa.api_calls
    assert row(env.db_url, busy).status == "active"
    assert [n.conversation_id for n in sent(env.db_url, "takeover_left")] == [CONV]


# --- races: a timeout against a take, an old request against a new one -----------------


async def test_a_takeover_taken_during_the_timeout_round_stays_active(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    reach(env.db_url)
    takeover_id = ask(env.db_url)
    env.later(RESPONSE)
    real = takeovers.overdue_takeovers

    def overdue_then_taken(session: Any, now: dt.datetime) -> list[Takeover]:
        """The overdue list, then a staff member takes the request before it is expired."""
        rows = real(session, now)
        with frozen_uow(env.db_url) as other:
            assert takeovers.claim_takeover(other, takeover_id, "vera", now) is not None
        return rows

    monkeypatch.setattr(takeovers, "overdue_takeovers", overdue_then_taken)
    await env.chat().run_timeouts()
    assert row(env.db_url, takeover_id).status == "active"
    assert sent(env.db_url, "handoff_timeout") == []


async def test_taking_an_old_timed_out_request_when_the_person_asked_again(env: Env) -> None:
    reach(env.db_url)
    old = ask(env.db_url)
    env.later(RESPONSE)
    await env.chat().run_timeouts()
    new = ask(env.db_url, at=naive_utc(env.clock.now))  # the person asks again: a new waiting row
    with pytest.raises(TakeoverError, match="på nytt"):
        await env.chat().take(old, "vera")
    assert row(env.db_url, old).status == "timed_out"
    with frozen_uow(env.db_url) as session:  # the queue shows only the new request
        queue = takeovers.takeover_queue(session, since=naive_utc(env.clock.now) - RESPONSE * 10)
        assert [t.id for t in queue] == [new]
    await env.chat().take(new, "vera")
    assert row(env.db_url, new).status == "active"


# --- the dashboard over HTTP ------------------------------------------------------------------


@pytest.fixture
def dash(env: Env) -> Iterator[Login]:
    """Log a staff member (`ada`, admin, or `vera`, visitor) in to the dashboard with the live
    takeover pages; each call gives a client with its own session."""
    add_staff(env.db_url)
    app = dashboard_app(env.ctx, extra=[live_pages.routes], live=env.chat(telegram=None))
    with logins(app) as login:
        yield login


def waiting_request(env: Env) -> int:
    """The web conversation CONV (which has messages in the tracker) asks for a person."""
    reach(env.db_url)
    return ask(env.db_url)


LIVE_ROUTES = [
    ("GET", "/staff/ko"),
    ("GET", "/staff/ko?del=liste"),
    ("GET", "/staff/ko/{id}"),
    ("GET", "/staff/ko/{id}?del=meldinger"),
    ("POST", "/staff/ko/{id}/ta-over"),
    ("POST", "/staff/ko/{id}/skriv"),
    ("POST", "/staff/ko/{id}/gi-tilbake"),
]


@pytest.mark.parametrize("method, path", LIVE_ROUTES)
def test_every_live_page_is_refused_without_a_login(
    dash: Login, env: Env, method: str, path: str
) -> None:
    takeover_id = waiting_request(env)
    response = dash("").request(
        method,
        path.format(id=takeover_id),
        data={"text": "hei"} if method == "POST" else None,
        follow_redirects=False,
    )
    if method == "GET":
        assert (response.status_code, response.headers["location"]) == (303, "/staff/login")
    else:
        assert response.status_code == 401 and "Logg inn" in response.text
    assert row(env.db_url, takeover_id).status == "waiting"
    assert env.rasa.api_calls == [] and sent(env.db_url) == []


@pytest.mark.parametrize("form", [{}, {"csrf": "forged"}], ids=["missing", "wrong"])
def test_taking_over_needs_the_csrf_token(dash: Login, env: Env, form: dict[str, str]) -> None:
    takeover_id = waiting_request(env)
    response = dash("vera").post(
        f"/staff/ko/{takeover_id}/ta-over", data=form, follow_redirects=False
    )
    assert response.status_code == 403
    assert row(env.db_url, takeover_id).status == "waiting"
    assert env.rasa.api_calls == [] and sent(env.db_url) == [] and access_rows(env.db_url) == []


def test_take_write_and_hand_back_in_the_dashboard(dash: Login, env: Env) -> None:
    takeover_id = waiting_request(env)
    page = f"/staff/ko/{takeover_id}"
    vera = dash("vera")
    queue = vera.get("/staff/ko")
    assert queue.status_code == 200 and "Ta over samtalen" in queue.text
    rows_only = vera.get("/staff/ko?del=liste")
    assert "Ta over samtalen" in rows_only.text and "<html" not in rows_only.text

    token = csrf(vera, "/staff/ko")
    took = vera.post(f"{page}/ta-over", data={"csrf": token}, follow_redirects=False)
    assert (took.status_code, took.headers["location"]) == (303, page)
    live = vera.get(page)
    assert live.status_code == 200
    assert "Hei! Hva vil du gjøre?" in live.text and "Innbygger" in live.text  # the tracker
    assert notices.takeover_joined_text(env.ctx.profile) in live.text
    messages = vera.get(f"{page}?del=meldinger")
    assert messages.status_code == 200 and "<html" not in messages.text
    assert "Hei! Hva vil du gjøre?" in messages.text

    wrote = vera.post(
        f"{page}/skriv",
        data={"csrf": token, "text": "Hei, jeg heter Vera."},
        follow_redirects=False,
    )
    assert wrote.status_code == 303 and wrote.headers["location"].startswith(page)
    assert "Hei, jeg heter Vera." in vera.get(page).text
    empty = vera.post(f"{page}/skriv", data={"csrf": token, "text": " "})
    assert empty.status_code == 409 and "Skriv en melding først" in empty.text
    assert len(sent(env.db_url, "staff_message")) == 1

    ada = dash("ada")
    away = ada.get(page, follow_redirects=False)
    assert (away.status_code, away.headers["location"]) == (303, "/staff/ko")
    assert ada.get(f"{page}?del=meldinger").status_code == 410
    assert "Ta over samtalen" not in ada.get("/staff/ko").text  # taken: not for ada

    back = vera.post(f"{page}/gi-tilbake", data={"csrf": token}, follow_redirects=False)
    assert (back.status_code, back.headers["location"]) == (303, "/staff/ko?ok=tilbake")
    stored = row(env.db_url, takeover_id)
    assert (stored.status, stored.ended_by) == ("closed", "vera")
    assert env.rasa.api_calls == [rasa_call(CONV, "pause"), rasa_call(CONV, "resume")]
    assert vera.get(page, follow_redirects=False).status_code == 303
    assert "gitt tilbake til boten" in vera.get("/staff/ko?ok=tilbake").text


def test_the_conversation_list_says_how_many_wait(dash: Login, env: Env) -> None:
    vera = dash("vera")
    assert "venter på en person" not in vera.get("/staff/").text
    waiting_request(env)
    assert "1 samtale venter på en person" in vera.get("/staff/").text
    reach(env.db_url, TG, "telegram", CHAT_ID)
    ask(env.db_url, TG, channel="telegram")
    assert "2 samtaler venter på en person" in vera.get("/staff/").text
