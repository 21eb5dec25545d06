"""The scheduler on a real SQLite file: each system-started message goes out at most once."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
from functools import partial
from typing import Callable

import pytest
from sqlalchemy import select

from bot.channels.context import ChannelContext
from bot.channels.relay import RasaRelay
from bot.outreach.scheduler import Scheduler, due_messages, is_daytime
from fhb.clock import naive_utc
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.db.models import ChannelContact, Decline, Feedback, Notification, Slot, Visit
from fhb.profile import Profile
from fhb.settings import Settings
from tests.support import ROOT, records
from tests.support.clock import NOW, Clock, frozen_uow
from tests.support.telegram_channel import FakeTelegram

UTC = dt.timezone.utc
MONDAY_10 = NOW  # Monday 23 November 2026, 10:00 in Oslo (CET, UTC+1)


def oslo(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A November 2026 time in Oslo (UTC+1), as aware UTC."""
    return dt.datetime(2026, 11, day, hour - 1, minute, tzinfo=UTC)


Build = Callable[[FakeTelegram | None], Scheduler]


@pytest.fixture
def clock() -> Clock:
    """A fresh frozen clock at Monday 10:00 in Oslo."""
    return Clock()


@pytest.fixture
def make_scheduler(db_url: str, profile: Profile, clock: Clock) -> Build:
    """Build a Scheduler on the test database (a new one is a 'restart')."""
    settings = Settings(
        database_url=db_url,
        tracker_url="sqlite://",
        profile_path=ROOT / "data" / "kommune.yml",
        rasa_url="http://127.0.0.1:9",
        action_port=0,
        rasa_port=0,
        host="127.0.0.1",
        scheduler_interval=0.0,
    )

    def build(telegram: FakeTelegram | None) -> Scheduler:
        ctx = ChannelContext(
            settings=settings,
            profile=profile,
            relay=RasaRelay(settings.rasa_url),
            key=b"test-key",
            uow_factory=lambda: SqlAlchemyUnitOfWork(db_url, clock=clock),
            clock=clock,
        )
        return Scheduler(ctx, telegram=telegram)

    return build


def add_contact(
    url: str, conversation: str, channel: str = "telegram", address: str = "1001"
) -> None:
    """Remember where a conversation lives."""
    with frozen_uow(url) as session:
        session.add(ChannelContact(conversation_id=conversation, channel=channel, address=address))


# A visit (returns its id) booked in the chat "tg-1" by Kari Nordmann of Storgata 5, last
# changed a day before MONDAY_10; `start=` is required.
add_visit = partial(
    records.add_visit,
    conversation="tg-1",
    address="Storgata 5",
    updated=MONDAY_10 - dt.timedelta(days=1),
)


def move_visit(url: str, visit_id: int, start: dt.datetime, updated: dt.datetime) -> int:
    """Move a visit to a new slot at `start`; return the slot id."""
    with frozen_uow(url) as session:
        visit = session.get(Visit, visit_id)
        visit.slot = Slot(
            start=naive_utc(start), end=naive_utc(start + dt.timedelta(hours=1)), visitor="Ola Berg"
        )
        visit.updated_at = naive_utc(updated)
        session.flush()
        return int(visit.slot_id)


def add_decline(
    url: str, *, conversation: str = "tg-1", later: dt.date | None, wants_later: bool = True
) -> int:
    """A declined offer, maybe with a wish for a visit later."""
    with frozen_uow(url) as session:
        decline = Decline(
            reason="bad_timing",
            wants_later=wants_later,
            later_date=later,
            conversation_id=conversation,
        )
        session.add(decline)
        session.flush()
        return int(decline.id)


def notifications(url: str) -> list[Notification]:
    """All notification rows."""
    with frozen_uow(url) as session:
        return list(session.execute(select(Notification).order_by(Notification.id)).scalars())


# --- reminders ------------------------------------------------------------------------


async def test_a_reminder_goes_out_once_even_after_a_restart(
    db_url: str, make_scheduler: Build
) -> None:
    visit_id = add_visit(db_url, start=oslo(24, 10))
    add_contact(db_url, "tg-1", address="555")
    telegram = FakeTelegram()
    first = make_scheduler(telegram)
    created = await first.run_once()
    assert await first.run_once() == []
    assert await make_scheduler(telegram).run_once() == []

    assert len(created) == 1 and len(telegram.calls) == 1
    chat_id, text, buttons = telegram.calls[0]
    assert chat_id == "555"
    assert "i morgen, tirsdag 24. november kl. 10.00" in text
    assert "Kari Hansen (sykepleier)" in text and "Storgata 5" in text
    assert "33 44 55 66" in text
    assert [b.payload for b in buttons] == ["/cancel_visit", "/reschedule_visit"]
    (note,) = notifications(db_url)
    assert (note.id, note.kind, note.status, note.channel) == (
        created[0],
        "reminder",
        "sent",
        "telegram",
    )
    with frozen_uow(db_url) as session:
        assert note.ref == f"{visit_id}:{session.get(Visit, visit_id).slot_id}"
    assert json.loads(note.buttons) == [
        {"title": "Avlys besøket", "payload": "/cancel_visit"},
        {"title": "Flytte besøket", "payload": "/reschedule_visit"},
    ]


async def test_a_relative_who_booked_is_reminded_for_the_citizen(
    db_url: str, make_scheduler: Build
) -> None:
    add_visit(db_url, start=oslo(24, 10), booked_by="relative")
    add_contact(db_url, "tg-1")
    telegram = FakeTelegram()
    await make_scheduler(telegram).run_once()
    (call,) = telegram.calls
    assert "Kari Nordmann får besøk i morgen, tirsdag 24. november kl. 10.00." in call[1]


@pytest.mark.parametrize("local_hour, local_minute", [(5, 0), (8, 59), (20, 0), (23, 30)])
async def test_nothing_is_sent_or_claimed_at_night(
    db_url: str, make_scheduler: Build, clock: Clock, local_hour: int, local_minute: int
) -> None:
    add_visit(db_url, start=oslo(24, 10))
    add_contact(db_url, "tg-1")
    telegram = FakeTelegram()
    clock.now = oslo(23, local_hour, local_minute)
    assert await make_scheduler(telegram).run_once() == []
    assert telegram.calls == [] and notifications(db_url) == []
    clock.now = oslo(23, 9, 0)  # the next round in daytime sends it
    assert len(await make_scheduler(telegram).run_once()) == 1


def test_daytime_is_local_nine_to_eight(profile: Profile) -> None:
    assert is_daytime(oslo(23, 9, 0), profile)
    assert is_daytime(oslo(23, 19, 59), profile)
    assert not is_daytime(oslo(23, 20, 0), profile)
    # In summer (CEST, UTC+2) 07:30 UTC is 09:30 in Oslo.
    assert is_daytime(dt.datetime(2026, 6, 1, 7, 30, tzinfo=UTC), profile)
    assert not is_daytime(dt.datetime(2026, 6, 1, 6, 30, tzinfo=UTC), profile)


async def test_only_visits_tomorrow_get_a_reminder(db_url: str, make_scheduler: Build) -> None:
    add_visit(db_url, start=oslo(25, 10), conversation="tg-2days")
    add_visit(db_url, start=oslo(23, 14), conversation="tg-today")
    add_visit(db_url, start=oslo(24, 23, 30), conversation="tg-late")  # still tomorrow locally
    add_visit(db_url, start=oslo(24, 12), conversation="tg-cancelled", status="cancelled")
    for conversation in ("tg-2days", "tg-today", "tg-late", "tg-cancelled"):
        add_contact(db_url, conversation, address=conversation)
    telegram = FakeTelegram()
    await make_scheduler(telegram).run_once()
    assert [chat for chat, _, _ in telegram.calls] == ["tg-late"]


async def test_no_reminder_right_after_booking_but_later_that_day(
    db_url: str, make_scheduler: Build, clock: Clock
) -> None:
    clock.now = oslo(23, 18, 0)
    add_visit(db_url, start=oslo(24, 10), updated=clock.now - dt.timedelta(minutes=5))
    add_contact(db_url, "tg-1")
    telegram = FakeTelegram()
    assert await make_scheduler(telegram).run_once() == []
    clock.now = oslo(23, 19, 0)
    assert await make_scheduler(telegram).run_once() == []
    clock.now = oslo(23, 19, 56)  # booked at 17:55: two hours have passed, still daytime
    assert len(await make_scheduler(telegram).run_once()) == 1


async def test_a_moved_visit_gets_a_new_reminder(
    db_url: str, make_scheduler: Build, clock: Clock
) -> None:
    visit_id = add_visit(db_url, start=oslo(24, 10))
    add_contact(db_url, "tg-1")
    telegram = FakeTelegram()
    scheduler = make_scheduler(telegram)
    await scheduler.run_once()
    new_slot = move_visit(db_url, visit_id, oslo(24, 13), updated=clock.now)
    assert await scheduler.run_once() == []  # moved a moment ago: wait
    clock.now += dt.timedelta(hours=2)
    assert len(await scheduler.run_once()) == 1
    assert await scheduler.run_once() == []
    assert [n.ref for n in notifications(db_url)][1] == f"{visit_id}:{new_slot}"
    moved_text = telegram.calls[1][1]
    assert "kl. 13.00" in moved_text and "Ola Berg (fysioterapeut)" in moved_text


# --- feedback requests and new offers -------------------------------------------------


async def test_one_feedback_request_after_a_completed_visit(
    db_url: str, make_scheduler: Build
) -> None:
    visit_id = add_visit(db_url, start=oslo(20, 10), status="completed")
    add_contact(db_url, "tg-1")
    telegram = FakeTelegram()
    scheduler = make_scheduler(telegram)
    assert len(await scheduler.run_once()) == 1
    assert await scheduler.run_once() == []
    (note,) = notifications(db_url)
    assert (note.kind, note.ref) == ("feedback_request", str(visit_id))
    assert "hvordan det var" in telegram.calls[0][1]
    assert [b.payload for b in telegram.calls[0][2]] == ["/give_feedback", "/deny"]


async def test_no_feedback_request_when_given_already_or_long_ago(
    db_url: str, make_scheduler: Build
) -> None:
    answered = add_visit(db_url, start=oslo(20, 10), status="completed", conversation="tg-a")
    add_visit(
        db_url,
        start=oslo(2, 10),
        status="completed",
        conversation="tg-old",
        updated=MONDAY_10 - dt.timedelta(days=15),
    )
    add_visit(db_url, start=oslo(20, 12), status="no_show", conversation="tg-noshow")
    with frozen_uow(db_url) as session:
        session.add(Feedback(visit_id=answered, rating=5, useful="yes", conversation_id="tg-a"))
    for conversation in ("tg-a", "tg-old", "tg-noshow"):
        add_contact(db_url, conversation)
    telegram = FakeTelegram()
    assert await make_scheduler(telegram).run_once() == []
    assert telegram.calls == []


async def test_one_new_offer_when_a_postponed_visit_is_due(
    db_url: str, make_scheduler: Build
) -> None:
    decline_id = add_decline(db_url, later=dt.date(2026, 11, 23))
    add_contact(db_url, "tg-1")
    telegram = FakeTelegram()
    scheduler = make_scheduler(telegram)
    assert len(await scheduler.run_once()) == 1
    assert await scheduler.run_once() == []
    (note,) = notifications(db_url)
    assert (note.kind, note.ref) == ("new_offer", str(decline_id))
    assert "frivillig" in telegram.calls[0][1] and "gratis" in telegram.calls[0][1]
    assert [b.payload for b in telegram.calls[0][2]] == ["/book_visit", "/decline_visit"]


async def test_no_new_offer_when_not_due_booked_since_or_answered_no(
    db_url: str, make_scheduler: Build
) -> None:
    add_decline(db_url, conversation="tg-booked", later=dt.date(2026, 11, 20))
    add_visit(db_url, start=oslo(30, 10), conversation="tg-booked")
    add_decline(db_url, conversation="tg-future", later=dt.date(2026, 11, 24))
    add_decline(db_url, conversation="tg-ancient", later=dt.date(2025, 3, 1))
    add_decline(db_url, conversation="tg-no", later=dt.date(2026, 11, 1))
    add_decline(db_url, conversation="tg-no", later=None, wants_later=False)
    add_decline(db_url, conversation="tg-never", later=dt.date(2026, 11, 1), wants_later=False)
    for conversation in ("tg-booked", "tg-future", "tg-ancient", "tg-no", "tg-never"):
        add_contact(db_url, conversation)
    telegram = FakeTelegram()
    assert await make_scheduler(telegram).run_once() == []
    assert telegram.calls == []


# --- channels and failures ------------------------------------------------------------


async def test_a_web_message_is_queued_not_sent(db_url: str, make_scheduler: Build) -> None:
    add_visit(db_url, start=oslo(24, 10), conversation="web-1")
    add_contact(db_url, "web-1", channel="web", address="browser-token")
    telegram = FakeTelegram()
    created = await make_scheduler(telegram).run_once()
    assert telegram.calls == []
    (note,) = notifications(db_url)
    assert (note.id, note.status, note.channel) == (created[0], "queued", "web")
    assert "kl. 10.00" in note.text


async def test_a_conversation_without_contact_gets_nothing(
    db_url: str, make_scheduler: Build
) -> None:
    add_visit(db_url, start=oslo(24, 10), conversation="phoned-in")
    telegram = FakeTelegram()
    assert await make_scheduler(telegram).run_once() == []
    assert telegram.calls == [] and notifications(db_url) == []


@pytest.mark.parametrize(
    "telegram", [FakeTelegram(result=False), FakeTelegram(error=RuntimeError("network down"))]
)
async def test_a_failed_send_is_marked_and_not_retried(
    db_url: str, make_scheduler: Build, telegram: FakeTelegram
) -> None:
    telegram.calls.clear()
    add_visit(db_url, start=oslo(24, 10))
    add_contact(db_url, "tg-1")
    assert len(await make_scheduler(telegram).run_once()) == 1
    assert await make_scheduler(telegram).run_once() == []
    assert len(telegram.calls) == 1
    assert [n.status for n in notifications(db_url)] == ["failed"]


async def test_telegram_contact_waits_while_telegram_is_switched_off(
    db_url: str, make_scheduler: Build
) -> None:
    add_visit(db_url, start=oslo(24, 10))
    add_contact(db_url, "tg-1")
    assert await make_scheduler(None).run_once() == []
    assert notifications(db_url) == []
    telegram = FakeTelegram()
    assert len(await make_scheduler(telegram).run_once()) == 1
    assert [n.status for n in notifications(db_url)] == ["sent"]


async def test_telegram_contact_waits_while_telegram_is_not_connected(
    db_url: str, make_scheduler: Build
) -> None:
    add_visit(db_url, start=oslo(24, 10))
    add_contact(db_url, "tg-1")
    telegram = FakeTelegram(ready=False)
    assert await make_scheduler(telegram).run_once() == []
    assert telegram.calls == [] and notifications(db_url) == []
    telegram.ready = True
    assert len(await make_scheduler(telegram).run_once()) == 1


def due_setup(url: str) -> None:
    """Three due messages on Telegram: a reminder, a feedback request, a new offer."""
    add_visit(url, start=oslo(24, 10), conversation="tg-r")
    add_visit(url, start=oslo(20, 10), conversation="tg-f", status="completed")
    add_decline(url, conversation="tg-o", later=dt.date(2026, 11, 22))
    for conversation in ("tg-r", "tg-f", "tg-o"):
        add_contact(url, conversation, address=conversation)


async def test_two_schedulers_at_once_still_send_each_message_once(
    db_url: str, make_scheduler: Build
) -> None:
    due_setup(db_url)
    telegram = FakeTelegram()
    rounds = await asyncio.gather(*(make_scheduler(telegram).run_once() for _ in range(3)))
    assert sorted(i for ids in rounds for i in ids) == [n.id for n in notifications(db_url)]
    assert sorted(chat for chat, _, _ in telegram.calls) == ["tg-f", "tg-o", "tg-r"]


def test_schedulers_in_separate_threads_send_each_message_once(
    db_url: str, make_scheduler: Build
) -> None:
    due_setup(db_url)
    telegram = FakeTelegram()
    start = threading.Barrier(4)
    results: list[list[int]] = []

    def run() -> None:
        scheduler = make_scheduler(telegram)
        start.wait()
        results.append(asyncio.run(scheduler.run_once()))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 4
    assert sum(len(ids) for ids in results) == 3
    assert sorted(chat for chat, _, _ in telegram.calls) == ["tg-f", "tg-o", "tg-r"]


def test_due_messages_leaves_out_what_was_claimed(db_url: str, profile: Profile) -> None:
    due_setup(db_url)
    with frozen_uow(db_url) as session:
        due = due_messages(session, MONDAY_10, profile)
    assert sorted(d.kind for d in due) == ["feedback_request", "new_offer", "reminder"]
    with frozen_uow(db_url) as session:
        session.add(
            Notification(
                kind=due[0].kind,
                ref=due[0].ref,
                channel="telegram",
                conversation_id=due[0].conversation_id,
                status="sent",
            )
        )
    with frozen_uow(db_url) as session:
        again = due_messages(session, MONDAY_10, profile)
    assert again == due[1:]


async def test_run_forever_survives_a_failed_round_and_stops_when_cancelled(
    make_scheduler: Build, caplog: pytest.LogCaptureFixture
) -> None:
    scheduler = make_scheduler(FakeTelegram())
    rounds = 0
    third = asyncio.Event()

    async def flaky_round() -> list[int]:
        nonlocal rounds
        rounds += 1
        if rounds == 1:
            raise RuntimeError("database gone for personal-data-42")
        if rounds == 3:
            third.set()
        return []

    scheduler.run_once = flaky_round  # type: ignore[method-assign]
    task = asyncio.create_task(scheduler.run_forever())
    await asyncio.wait_for(third.wait(), timeout=5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert rounds >= 3
    assert "RuntimeError" in caplog.text and "personal-data-42" not in caplog.text
