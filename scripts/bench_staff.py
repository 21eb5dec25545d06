"""Benchmark: the staff dashboard with 10 000 conversations and 100 000 tracker events.

Run with `make bench` (or `.venv/bin/python scripts/bench_staff.py [--conversations N]`).
It builds throw-away SQLite files (the visit database and a tracker store with Rasa's own
events schema), logs in through the real dashboard app, and times each page over repeated
requests. The baseline, measured in the same run on the same data, is the naive way to build
the list: read every event and group them in Python. The report goes to
var/bench/staff-dashboard.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable

from sqlalchemy import create_engine, text
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.channels.context import ChannelContext
from bot.channels.relay import RasaRelay
from bot.outreach.scheduler import Scheduler
from bot.staff import auth as staff_auth
from bot.staff.dashboard.app import staff_routes
from bot.staff.dashboard.conversations import REASONS
from bot.staff.dashboard.live import routes as live_routes
from bot.staff.takeover import LiveChat
from fhb.clock import naive_utc, system_clock
from fhb.db import (
    answers,
    takeovers,
)
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.db.migrate import upgrade
from fhb.profile import load_profile
from fhb.settings import Settings

ROOT = Path(__file__).resolve().parent.parent

INTENTS = [
    "greet",
    "book_visit",
    "inform",
    "faq",
    "affirm",
    "deny",
    "request_human",
    "decline_visit",
    "nlu_fallback",
    "thank",
]
PASSWORD = "benchmark-passord"


def make_tracker(url: str, conversations: int, per_conversation: int) -> list[str]:
    """Rasa's events table (same columns and index) filled with user and bot events."""
    rng = random.Random(42)
    engine = create_engine(url, future=True)
    ids = [f"{rng.choice(['web', 'tg'])}-{i:040d}" for i in range(conversations)]
    with engine.begin() as db:
        db.execute(
            text(
                "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) "
                "NOT NULL, type_name VARCHAR(255) NOT NULL, timestamp FLOAT, "
                "intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"
            )
        )
        db.execute(text("CREATE INDEX ix_events_sender_id ON events (sender_id)"))
        start = 1_760_000_000.0
        rows = []
        for n, sender in enumerate(ids):
            when = start + n * 60
            for k in range(per_conversation):
                user = k % 2 == 0
                intent = rng.choice(INTENTS) if user else None
                event = (
                    {
                        "event": "user",
                        "text": "hei",
                        "timestamp": when + k,
                        "parse_data": {"intent": {"name": intent, "confidence": 0.9}},
                    }
                    if user
                    else {"event": "bot", "text": "Hei! Hva vil du gjøre?", "timestamp": when + k}
                )
                data = json.dumps(event, ensure_ascii=False)
                rows.append(
                    {
                        "s": sender,
                        "t": "user" if user else "bot",
                        "ts": when + k,
                        "i": intent,
                        "a": None if user else "utter_greet",
                        "d": data,
                    }
                )
        db.execute(
            text(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, "
                "action_name, data) VALUES (:s, :t, :ts, :i, :a, :d)"
            ),
            rows,
        )
    engine.dispose()
    return ids


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock milliseconds of `repeat` calls (after one warm-up call)."""
    call()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return times


def naive_list(url: str) -> list[tuple[str, float]]:
    """The baseline: every event into Python, grouped and sorted there."""
    engine = create_engine(url, future=True)
    with engine.connect() as db:
        rows = db.execute(text("SELECT sender_id, timestamp, intent_name FROM events")).all()
    engine.dispose()
    last: dict[str, float] = defaultdict(float)
    for sender, when, _intent in rows:
        last[sender] = max(last[sender], when)
    return sorted(last.items(), key=lambda item: -item[1])[:50]


def csrf_of(html: str) -> str:
    """The CSRF token of a page's form."""
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    if match is None:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def main() -> int:
    """Build the data, time the pages and the baseline, write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=10, help="events per conversation")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="fhb-bench-"))
    db_url, tracker_url = f"sqlite:///{tmp / 'fhb.db'}", f"sqlite:///{tmp / 'tracker.db'}"
    upgrade(db_url)
    ids = make_tracker(tracker_url, args.conversations, args.events)
    with SqlAlchemyUnitOfWork(db_url, clock=system_clock) as session:
        staff_auth.create_account(session, "bench", PASSWORD, "admin")
        for n, conversation in enumerate(ids[: args.conversations // 10]):
            answers.add_decline(
                session, reason="no_need", wants_later=n % 2 == 0, conversation_id=conversation
            )
        # The live-takeover queue of a busy day: 500 requests for a person in the last 24 h,
        # 20 still waiting, the rest timed out, and one taken over by the bench user.
        now = naive_utc(system_clock())
        for n, conversation in enumerate(ids[-500:]):
            at = now - dt.timedelta(minutes=2 * (500 - n))
            takeover, _ = takeovers.request_takeover(
                session,
                conversation_id=conversation,
                channel="web",
                now=at,
                deadline=at + dt.timedelta(minutes=10),
            )
            if n < 479:
                takeovers.end_takeover(
                    session, takeover.id, status="timed_out", by="system", now=at
                )
            elif n == 499:
                claimed = takeovers.claim_takeover(session, takeover.id, "bench", now)
                if claimed is None:
                    raise RuntimeError("the bench user could not take over")
                live_id = claimed.id
    settings = Settings(
        database_url=db_url,
        tracker_url=tracker_url,
        profile_path=ROOT / "data" / "kommune.yml",
        rasa_url="http://rasa.test",
        action_port=0,
        rasa_port=0,
        host="127.0.0.1",
    )
    ctx = ChannelContext(
        settings=settings,
        profile=load_profile(settings.profile_path),
        key=b"bench",
        relay=RasaRelay("http://rasa.test"),
    )
    live = LiveChat(ctx, Scheduler(ctx))
    app = Starlette(routes=staff_routes(ctx, extra=[live_routes], live=live))
    client = TestClient(app, base_url="http://127.0.0.1")
    client.post(
        "/staff/login",
        data={
            "csrf": csrf_of(client.get("/staff/login").text),
            "username": "bench",
            "password": PASSWORD,
        },
    )
    csrf = csrf_of(client.get("/staff/").text)

    def get(path: str) -> Callable[[], object]:
        def call() -> object:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return response

        return call

    def open_transcript() -> object:
        response = client.post(
            f"/staff/samtaler/{ids[len(ids) // 2]}", data={"csrf": csrf, "reason": REASONS[2]}
        )
        assert response.status_code == 200
        return response

    cases = [
        (
            "baseline: every event into Python, grouped there (no HTML)",
            lambda: naive_list(tracker_url),
        ),
        ("conversation list, first page", get("/staff/")),
        ("conversation list, page 100", get("/staff/?side=100")),
        ("filter: wants a person", get("/staff/?flagg=person")),
        ("filter: declined (ids from the visit database)", get("/staff/?flagg=declined")),
        (
            "filter: intent book_visit and a date range",
            get("/staff/?intent=book_visit&fra=2025-10-01&til=2025-10-05"),
        ),
        ("search: a word in every conversation (worst case; logged)", get("/staff/?sok=hei")),
        ("search: a word nobody wrote (logged)", get("/staff/?sok=besøk")),
        ("search: the start of a conversation id", get(f"/staff/?sok={ids[7][:9]}")),
        ("open a transcript (reason + access log row)", open_transcript),
        ("live takeover: the queue (500 requests today)", get("/staff/ko")),
        (
            "live takeover: the conversation's refresh (every 3 s while taken over)",
            get(f"/staff/ko/{live_id}?del=meldinger"),
        ),
    ]
    results = [(name, timed(call, args.repeat)) for name, call in cases]
    lines = [
        "# Staff dashboard benchmark",
        "",
        f"{args.conversations:,} conversations, {args.conversations * args.events:,} tracker "
        f"events, {args.conversations // 10:,} declines; SQLite files; {args.repeat} timed "
        "requests each after one warm-up, through the real app (Starlette test client).",
        "",
        "| what | median ms | p95 ms | max ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, times in results:
        ordered = sorted(times)
        p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
        lines.append(f"| {name} | {statistics.median(times):.1f} | {p95:.1f} | {max(times):.1f} |")
    report = "\n".join(lines) + "\n"
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "staff-dashboard.md").write_text(report, encoding="utf-8")
    print(report)
    print(f"report: {out / 'staff-dashboard.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
