"""One run of the simulated users: open a chat for each, arrange what must exist, let them
chat a few at a time, judge each from the database, and write the report."""

from __future__ import annotations

import datetime as dt
import os
import time
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

from fhb.clock import system_clock
from fhb.settings import ROOT, Settings, secret_key
from tests.conversations import report
from tests.conversations.cast import cast
from tests.conversations.chat import Conversation, WebChat, talk
from tests.conversations.judge import arrange, judge
from tests.conversations.people import Person

REPORT = ROOT / "var" / "test-results" / "conversations.md"
WORKERS = int(os.environ.get("FHB_CONVERSATION_WORKERS") or 4)


def local_today() -> dt.date:
    """Today in Oslo, as the bot sees it (the real servers run on the real clock)."""
    return system_clock().astimezone(ZoneInfo("Europe/Oslo")).date()


CAST = cast(local_today())


def run_all(
    people: list[Person], settings: Settings, web_url: str
) -> tuple[list[Conversation], str]:
    """Every person's conversation, judged; and the summary line for the terminal."""
    today = local_today()
    key = secret_key(settings)
    started = time.monotonic()
    prepared: list[tuple[WebChat, Conversation]] = []
    for person in people:  # one at a time, so that the arranged visits' slots differ
        chat = WebChat(web_url, key)
        earlier = sum(c.arranged is not None for _, c in prepared)
        arranged = arrange(settings.database_url, person, chat.conversation_id, index=earlier)
        prepared.append((chat, Conversation(person, chat.conversation_id, arranged)))
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        done = list(pool.map(lambda job: talk(*job, today=today), prepared))
    for conversation in done:
        conversation.problems = judge(
            settings.database_url,
            conversation.person,
            conversation.conversation_id,
            conversation.arranged,
        )
    numbers = report.figures(done, seconds=time.monotonic() - started, workers=WORKERS)
    title = f"Simulated users against the real bot, {today:%Y-%m-%d}"
    report.write(REPORT, report.markdown(done, numbers, title=title))
    return done, f"{numbers.summary()}\nreport: {REPORT.relative_to(ROOT)}"
