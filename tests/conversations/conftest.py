"""The simulated users' fixtures: one run per test session, against the real servers.

`servers` is the e2e fixture (the real action server and Rasa, one set per test run shared
with tests/e2e); `web_chat` adds the channel server (`fhb serve`), and `conversation_run` lets
the selected users chat (run.py) and hands the verdicts to the tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from fhb.settings import Settings
from tests.conversations.chat import Conversation
from tests.conversations.people import Person
from tests.conversations.run import CAST, run_all
from tests.e2e.conftest import ChannelServer, servers  # noqa: F401 - the shared fixture

if TYPE_CHECKING:
    from _pytest.terminal import TerminalReporter

SUMMARY = pytest.StashKey[str]()


def selected_people(session: pytest.Session) -> list[Person]:
    """The users whose tests were selected (everyone when no single user was picked)."""
    keys = {
        item.callspec.params["person"].key
        for item in session.items
        if hasattr(item, "callspec") and "person" in item.callspec.params
    }
    return [p for p in CAST if p.key in keys] or list(CAST)


@pytest.fixture(scope="session")
def web_chat(
    servers: Settings,  # noqa: F811 - the imported fixture
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """`fhb serve` against the shared servers (a long relay timeout: 2 cores, many chats)."""
    log = Path(tmp_path_factory.mktemp("conversations")) / "serve.log"
    server = ChannelServer(servers, log, FHB_RELAY_TIMEOUT="120")
    try:
        server.wait_ready()
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def conversation_run(
    request: pytest.FixtureRequest,
    servers: Settings,  # noqa: F811 - the imported fixture
    web_chat: str,
) -> dict[str, Conversation]:
    """Every selected user's conversation, judged, by the user's key."""
    done, summary = run_all(selected_people(request.session), servers, web_chat)
    request.config.stash[SUMMARY] = summary
    return {c.person.key: c for c in done}


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    """Print the run's figures at the end of the session."""
    summary = terminalreporter.config.stash.get(SUMMARY, None)
    if summary:
        terminalreporter.write_sep("-", "simulated users (tests/conversations)")
        for line in summary.splitlines():
            terminalreporter.write_line(line)
