"""Retention: old conversations leave the tracker store, their stats stay, and the report's
numbers do not change; `fhb purge` and the daily job."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text

from bot.channels.context import ChannelContext
from bot.channels.relay import RasaRelay
from bot.cli import main
from bot.outreach import retention
from fhb import tracker as tracker_store
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.db.models import ChannelContact, ConversationStat
from fhb.profile import Profile
from fhb.read.report import evaluation
from fhb.settings import Settings
from tests.support import ROOT
from tests.support.clock import NOW, clock, frozen_uow
from tests.support.records import CONV, OTHER, tracker_with_events

OLD_TG = "tg-" + "1" * 40  # June: asked for a person
OLD_WEB = "web-" + "2" * 40  # June: two fallbacks, resolved by the bot
OLD_CLI = "cli-" + "3" * 40  # July
LONG = "web-" + "4" * 40  # started in June, still going on in November
YEAR = (dt.date(2025, 11, 24), dt.date(2026, 11, 23))


def add_events(url: str, rows: list[tuple[str, dt.datetime, str | None, str | None]]) -> None:
    """Append (conversation, time, intent, action) events to a Rasa-like events table."""
    engine = create_engine(url, future=True)
    with engine.begin() as db:
        db.execute(
            text(
                "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, "
                "sender_id TEXT, type_name TEXT, timestamp REAL, intent_name TEXT, "
                "action_name TEXT, data TEXT)"
            )
        )
        for sender, when, intent, action in rows:
            stamp = when.timestamp()
            kind = "user" if intent else "action"
            db.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, intent_name, "
                    "action_name, data) VALUES (:s, :k, :t, :i, :a, :d)"
                ),
                {
                    "s": sender,
                    "k": kind,
                    "t": stamp,
                    "i": intent,
                    "a": action,
                    "d": json.dumps({"event": kind, "text": "hemmelig", "timestamp": stamp}),
                },
            )
    engine.dispose()


def senders(url: str) -> dict[str, int]:
    """Conversation id -> number of events left in the tracker store."""
    engine = create_engine(url, future=True)
    with engine.connect() as db:
        rows = db.execute(text("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id"))
        result = {str(s): int(n) for s, n in rows}
    engine.dispose()
    return result


def utc(month: int, day: int, hour: int = 10) -> dt.datetime:
    """An aware UTC time in 2026."""
    return dt.datetime(2026, month, day, hour, tzinfo=dt.timezone.utc)


@pytest.fixture
def tracker(tmp_path: Path) -> str:
    """Two recent conversations (CONV, OTHER), three old ones and one long one."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    tracker_with_events(url)
    add_events(
        url,
        [
            (OLD_TG, utc(6, 1), "greet", None),
            (OLD_TG, utc(6, 1, 11), "request_human", None),
            (OLD_TG, utc(6, 1, 12), None, "action_human_handoff"),
            (OLD_WEB, utc(6, 2), "nlu_fallback", None),
            (OLD_WEB, utc(6, 2, 11), "nlu_fallback", None),
            (OLD_CLI, utc(7, 3), "greet", None),
            (LONG, utc(6, 5), "greet", None),
            (LONG, utc(11, 10), "book_visit", None),
        ],
    )
    return url


def stats(db_url: str) -> dict[str, ConversationStat]:
    """The conversation_stats rows by conversation id."""
    with frozen_uow(db_url) as session:
        rows = session.execute(select(ConversationStat)).scalars().all()
        return {row.conversation_id: row for row in rows}


def year(db_url: str, tracker: str) -> Any:
    """The report for the 12 months up to the frozen today."""
    with frozen_uow(db_url) as session:
        return evaluation(session, tracker, *YEAR, tz="Europe/Oslo")


def test_only_old_conversations_are_purged_and_their_stats_kept(db_url: str, tracker: str) -> None:
    def uow() -> SqlAlchemyUnitOfWork:
        """A unit of work on the test database."""
        return frozen_uow(db_url)

    assert retention.purge(uow, tracker, NOW, 90, dry_run=True) == 3
    assert len(senders(tracker)) == 6 and stats(db_url) == {}  # a dry run changes nothing
    assert retention.purge(uow, tracker, NOW, 90) == 3
    assert senders(tracker) == {CONV: 3, OTHER: 1, LONG: 2}
    kept = stats(db_url)
    assert set(kept) == {OLD_TG, OLD_WEB, OLD_CLI}
    tg = kept[OLD_TG]
    assert (tg.channel, tg.started_at, tg.last_at, tg.events, tg.wanted_person, tg.fallbacks) == (
        "telegram",
        dt.datetime(2026, 6, 1, 10),
        dt.datetime(2026, 6, 1, 12),
        3,
        True,
        0,
    )
    assert (kept[OLD_WEB].channel, kept[OLD_WEB].wanted_person, kept[OLD_WEB].fallbacks) == (
        "web",
        False,
        2,
    )
    assert kept[OLD_CLI].purged_at == NOW.replace(tzinfo=None)
    assert retention.purge(uow, tracker, NOW, 90) == 0  # nothing left to purge
    assert retention.purge(uow, tracker, NOW, 200) == 0
    assert retention.purge(uow, tracker, NOW, 12) == 1  # LONG's last event: 13 days ago
    assert retention.purge(uow, tracker, NOW, 1) == 2  # CONV and OTHER: 3 days ago
    assert senders(tracker) == {} and len(stats(db_url)) == 6


def test_the_reports_numbers_survive_the_purge(db_url: str, tracker: str) -> None:
    before = year(db_url, tracker)
    assert before.channels == {"tg": 2, "web": 3, "cli": 1}
    assert before.resolved_by_bot == 4
    assert retention.purge(lambda: frozen_uow(db_url), tracker, NOW, 90) == 3
    assert year(db_url, tracker) == before
    assert retention.purge(lambda: frozen_uow(db_url), tracker, NOW, 1) == 3
    assert senders(tracker) == {} and year(db_url, tracker) == before


def test_a_conversation_taken_up_again_adds_to_its_stats(db_url: str, tracker: str) -> None:
    def uow() -> SqlAlchemyUnitOfWork:
        """A unit of work on the test database."""
        return frozen_uow(db_url)

    retention.purge(uow, tracker, NOW, 90)
    before = year(db_url, tracker)
    add_events(tracker, [(OLD_CLI, utc(9, 1), "request_human", None)])
    assert retention.purge(uow, tracker, NOW, 30) == 1
    row = stats(db_url)[OLD_CLI]
    assert (row.started_at, row.last_at, row.events, row.wanted_person) == (
        dt.datetime(2026, 7, 3, 10),
        dt.datetime(2026, 9, 1, 10),
        2,
        True,
    )
    after = year(db_url, tracker)
    assert after.channels == before.channels  # still one conversation
    assert after.resolved_by_bot == before.resolved_by_bot - 1


def test_an_interrupted_purge_does_not_count_twice(
    db_url: str, tracker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def uow() -> SqlAlchemyUnitOfWork:
        """A unit of work on the test database."""
        return frozen_uow(db_url)

    before = year(db_url, tracker)

    def broken(url: str, counted: list[tracker_store.ConversationCounts]) -> int:
        raise OSError("the tracker store went away")

    with monkeypatch.context() as patch:
        patch.setattr(tracker_store, "delete_counted", broken)
        with pytest.raises(OSError):
            retention.purge(uow, tracker, NOW, 90)
    assert len(senders(tracker)) == 6 and stats(db_url)[OLD_TG].events == 3
    assert retention.purge(uow, tracker, NOW, 90) == 3
    assert stats(db_url)[OLD_TG].events == 3 and stats(db_url)[OLD_WEB].fallbacks == 2
    assert year(db_url, tracker) == before


def test_the_purge_keeps_contacts(db_url: str, tracker: str) -> None:
    with frozen_uow(db_url) as session:
        session.add(ChannelContact(conversation_id=OLD_TG, channel="telegram", address="42"))
    retention.purge(lambda: frozen_uow(db_url), tracker, NOW, 90)
    with frozen_uow(db_url) as session:
        assert session.get(ChannelContact, OLD_TG) is not None


def test_a_retention_under_one_day_is_refused(db_url: str, tracker: str) -> None:
    with pytest.raises(ValueError):
        retention.purge(lambda: frozen_uow(db_url), tracker, NOW, 0)


def test_fhb_purge(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'cli-tracker.db'}"
    now = NOW
    monkeypatch.setattr("bot.cli.CLOCK", clock)
    add_events(
        url,
        [
            ("tg-gammel", now - dt.timedelta(days=200), "greet", None),
            ("web-gammel", now - dt.timedelta(days=91), "greet", None),
            ("web-ny", now - dt.timedelta(days=2), "greet", None),
        ],
    )
    monkeypatch.setenv("FHB_DATABASE_URL", db_url)
    monkeypatch.setenv("FHB_TRACKER_URL", url)
    monkeypatch.setenv("FHB_PROFILE", str(ROOT / "data" / "kommune.yml"))
    assert main(["purge", "--dry-run"]) == 0
    assert "2 samtaler er eldre enn 90 dager" in capsys.readouterr().out
    assert len(senders(url)) == 3
    assert main(["purge"]) == 0
    assert "2 samtaler eldre enn 90 dager er slettet" in capsys.readouterr().out
    assert senders(url) == {"web-ny": 1} and set(stats(db_url)) == {"tg-gammel", "web-gammel"}


def context(db_url: str, tracker: str, profile: Profile) -> ChannelContext:
    """A channel context on the test stores with the frozen clock."""
    settings = Settings(
        database_url=db_url,
        tracker_url=tracker,
        profile_path=ROOT / "data" / "kommune.yml",
        rasa_url="http://rasa.test",
        action_port=0,
        rasa_port=0,
        host="127.0.0.1",
    )
    return ChannelContext(
        settings=settings,
        profile=profile,
        key=b"retention-test",
        relay=RasaRelay("http://rasa.test"),
        clock=clock,
    )


async def test_the_daily_job_once_with_a_frozen_clock(
    db_url: str, tracker: str, profile: Profile
) -> None:
    assert profile.retention_days == 90
    assert await retention.purge_once(context(db_url, tracker, profile)) == 3
    assert set(senders(tracker)) == {CONV, OTHER, LONG}


async def test_the_daily_job_survives_a_failure(
    db_url: str,
    tracker: str,
    profile: Profile,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[int] = []
    done: list[int] = []
    real = retention.purge

    def flaky(*args: Any, **kwargs: Any) -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("secret detail: hemmelig")
        done.append(real(*args, **kwargs))
        return done[-1]

    monkeypatch.setattr(retention, "purge", flaky)
    task = asyncio.create_task(retention.purge_daily(context(db_url, tracker, profile), every=0.01))
    with caplog.at_level(logging.ERROR, logger="bot.outreach.retention"):
        for _ in range(200):
            await asyncio.sleep(0.01)
            if done:
                break
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert done[0] == 3 and set(senders(tracker)) == {CONV, OTHER, LONG}
    assert "retention purge failed: RuntimeError" in caplog.text
    assert "hemmelig" not in caplog.text
