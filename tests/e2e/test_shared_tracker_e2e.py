"""Two Rasa servers on the machine's PostgreSQL (shared tracker store) and Redis (shared lock
store), each with its own action server, as `FHB_RASA_SERVERS=2 fhb run` starts them, and
`fhb serve` relaying to both (issues 11 and 12):

- while both are up, every message of a conversation reaches the same Rasa server;
- a booking whose Rasa server is killed half-way finishes on the other, its answers kept;
- a tracker database that refuses connections (ALLOW_CONNECTIONS false) gets the honest
  apology (503), never an answer that has forgotten the conversation, and the chat goes on
  where it was once the database is back.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
from pathlib import Path
from typing import Any, Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.channels.relay import AiohttpClient, HttpReply, RasaRelay, route
from bot.launcher import server_names, server_starters, stop_servers, wait_until_ready
from fhb.clock import system_clock
from fhb.db import visits as visits_db
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.settings import Settings
from fhb.tracker import conversation_messages
from tests.e2e.conftest import FHB, MODEL, ChannelServer, always_open_profile, cli_env, free_port
from tests.e2e.webchat import WebChat

pytestmark = pytest.mark.e2e

TRACKER_DB = f"fhb_e2e_tracker_{os.getpid()}"


def free_pair() -> int:
    """A port whose next port is free too."""
    for _ in range(50):
        port = free_port()
        try:
            with socket.socket() as s:
                s.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    raise RuntimeError("no two free ports in a row")


def admin(url: str, *statements: str) -> None:
    """Run statements on the machine's PostgreSQL outside a transaction."""
    engine = create_engine(url, future=True, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def refuse_connections(admin_url: str, refuse: bool) -> None:
    """Let nobody connect to the tracker database (and end the open connections), or undo it."""
    admin(admin_url, f"ALTER DATABASE {TRACKER_DB} ALLOW_CONNECTIONS {str(not refuse).lower()}")
    if refuse:
        admin(
            admin_url,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{TRACKER_DB}' AND pid <> pg_backend_pid()",
        )


class Pair:
    """The two pairs of servers, how to start each again, and their settings."""

    def __init__(self, settings: Settings, admin_url: str, log_dir: Path) -> None:
        self.settings = settings
        self.admin_url = admin_url
        self.log_dir = log_dir
        self.starters = server_starters(settings, log_dir=log_dir)
        self.processes = {name: start() for name, start in self.starters.items()}

    def rasa_name(self, url: str) -> str:
        """The process name of the Rasa server at `url`."""
        port = int(url.rsplit(":", 1)[1])
        return next(
            rasa for rasa, _, rasa_port, _ in server_names(self.settings) if rasa_port == port
        )


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    """Two Rasa servers (and two action servers) on a fresh PostgreSQL tracker database and
    the machine's Redis; the visits in a SQLite file."""
    pg, redis = os.environ.get("FHB_TEST_POSTGRES_URL"), os.environ.get("FHB_TEST_REDIS_URL")
    if not pg or not redis:
        pytest.skip("FHB_TEST_POSTGRES_URL and FHB_TEST_REDIS_URL are not set (CI sets them)")
    if not MODEL.exists():
        pytest.skip("no trained model: run `make test`, which trains it first")
    tmp = tmp_path_factory.mktemp("pair")
    admin(pg, f"DROP DATABASE IF EXISTS {TRACKER_DB}", f"CREATE DATABASE {TRACKER_DB}")
    rasa_port, action_port = free_pair(), free_pair()
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'fhb.db'}",
        tracker_url=make_url(pg).set(database=TRACKER_DB).render_as_string(hide_password=False),
        profile_path=always_open_profile(tmp / "kommune.yml"),
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_port=action_port,
        rasa_port=rasa_port,
        host="127.0.0.1",
        secret_key="e2e-test-key",  # what cli_env gives `fhb serve`,
        rasa_servers=2,
        redis_url=redis,
    )
    env = cli_env(settings)
    subprocess.run([FHB, "init-db"], env=env, check=True, capture_output=True)
    subprocess.run([FHB, "generate-slots"], env=env, check=True, capture_output=True)
    servers = Pair(settings, pg, tmp / "logs")
    try:
        wait_until_ready(settings, list(servers.processes.values()), timeout=300)
        yield servers
    finally:
        stop_servers(list(servers.processes.values()))
        refuse_connections(pg, False)
        admin(pg, f"DROP DATABASE IF EXISTS {TRACKER_DB} WITH (FORCE)")


@pytest.fixture
def chat_server(pair: Pair, tmp_path: Path) -> Iterator[ChannelServer]:
    """`fhb serve` relaying to both Rasa servers."""
    server = ChannelServer(
        pair.settings,
        tmp_path / "serve.log",
        FHB_RASA_URL=",".join(pair.settings.rasa_urls),
        FHB_RELAY_TIMEOUT="10",
    )
    server.wait_ready()
    yield server
    server.stop()


def test_while_both_are_up_each_conversation_stays_on_one_server(pair: Pair) -> None:
    urls = list(pair.settings.rasa_urls)
    assert len(urls) == 2
    ids = [f"web-pair-{i}" for i in range(40)]
    chosen = [c for u in urls for c in [c for c in ids if route(c, urls)[0] == u][:2]]
    served: dict[str, set[int]] = {c: set() for c in chosen}

    class Recording(AiohttpClient):
        """The real client, noting which server each conversation's message went to."""

        async def post(
            self, url: str, *, json: Any, params: dict[str, str] | None = None
        ) -> HttpReply:
            served[json["sender"]].add(int(url.split("/")[2].rsplit(":", 1)[1]))
            return await super().post(url, json=json, params=params)

    async def talk() -> None:
        relay = RasaRelay(urls, timeout=60, http=Recording(60))
        try:
            for said in ("hei", "Hva er et forebyggende hjemmebesøk?", "takk"):
                for conversation in chosen:
                    assert await relay.send(conversation, said, channel="web")
        finally:
            await relay.aclose()

    asyncio.run(talk())
    assert all(len(ports) == 1 for ports in served.values()), served
    assert {p for ports in served.values() for p in ports} == {
        int(u.rsplit(":", 1)[1]) for u in urls
    }  # both servers had work


def test_a_tracker_database_that_refuses_connections_gets_an_honest_apology(
    pair: Pair, chat_server: ChannelServer
) -> None:
    chat = WebChat(chat_server.url, pair.settings.secret_key.encode())
    chat.start()
    assert "Hva heter du" in chat.press("Bestille besøk")

    refuse_connections(pair.admin_url, True)
    try:
        for _ in range(3):
            text_ = chat.say("Halvor Nedetid")
            assert chat.status == 503 and "vet ikke sikkert" in text_, text_
    finally:
        refuse_connections(pair.admin_url, False)

    text_ = chat.say("Halvor Nedetid")  # the form is where it was
    assert chat.status == 200 and "født" in text_, text_
    # The other Rasa server lost its connections too: its first message after the outage
    # is answered as well (a dead pooled connection is replaced, not used).
    urls = list(pair.settings.rasa_urls)
    home = route(chat.conversation, urls)[0]
    other = next(
        c
        for c in (WebChat(chat_server.url, pair.settings.secret_key.encode()) for _ in range(40))
        if route(c.conversation, urls)[0] != home
    )
    other.start()
    titles = [b["title"] for m in other.last for b in m.get("buttons") or []]
    assert other.status == 200 and "Bestille besøk" in titles, other.last
    said = [
        m["text"]
        for m in conversation_messages(pair.settings.tracker_url, chat.conversation)
        if m["from"] == "user"
    ]
    assert said[-1] == "Halvor Nedetid" and said.count("Halvor Nedetid") == 1


def test_a_booking_finishes_on_the_other_server_when_its_own_is_killed(
    pair: Pair, chat_server: ChannelServer
) -> None:
    chat = WebChat(chat_server.url, pair.settings.secret_key.encode())
    year = system_clock().year - 79
    chat.start()
    assert "Hva heter du" in chat.press("Bestille besøk")
    assert "født" in chat.say("Torbjørg Failover")
    assert "adresse" in chat.say(str(year))

    home = pair.rasa_name(route(chat.conversation, list(pair.settings.rasa_urls))[0])
    pair.processes[home].kill()  # the last test of the module: nothing needs it again
    pair.processes[home].wait()
    text_ = chat.say("Skifteveien 12")  # answered by the other server, form state intact
    assert chat.status == 200 and "telefonnummer" in text_, text_
    chat.say("917 00 112")
    assert "Stemmer dette?" in chat.press()
    summary = chat.last[-1]["text"]
    assert "Torbjørg Failover" in summary and "Skifteveien 12" in summary, summary
    assert "Besøket er bestilt" in chat.press("Ja, det stemmer")

    with SqlAlchemyUnitOfWork(pair.settings.database_url, clock=system_clock) as session:
        booked = [
            (v.citizen.name, v.citizen.birth_year, v.citizen.address)
            for v in visits_db.list_visits(session)
            if v.conversation_id == chat.conversation
        ]
    assert booked == [("Torbjørg Failover", year, "Skifteveien 12")]
