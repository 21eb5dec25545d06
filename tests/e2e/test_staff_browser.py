"""The staff dashboard in a real headless browser (Debian's Chromium via playwright), against
the real channel server, Rasa and the action server: log in, see a web chat conversation,
open its transcript (logged), mark a visit completed, and open the evaluation report."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest

from fhb.clock import system_clock
from fhb.conversation_ids import conversation_id
from fhb.db import staff as staff_db
from fhb.db import takeovers
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.db.models import Citizen, Slot, Visit
from fhb.settings import ROOT, Settings
from tests.e2e.conftest import FHB, cli_env
from tests.e2e.test_web_browser import WCAG_TAGS, describe, run_axe

pytestmark = pytest.mark.e2e
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RESULTS = ROOT / "var" / "test-results"
PASSWORD = "et-langt-passord-for-test"


def accessible(page: Any, what: str) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page; a screenshot is kept."""
    page.screenshot(path=str(RESULTS / f"staff-{what}.png"), full_page=True)
    violations = run_axe(page, runOnly={"type": "tag", "values": WCAG_TAGS})
    assert violations == [], f"{what}:\n{describe(violations)}"


@pytest.fixture
def browser_page() -> Iterator[Any]:
    """A page in Debian's Chromium."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: `make test` installs it (scripts/ensure_deb.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page
        browser.close()


def web_chat(url: str, *messages: dict[str, str]) -> None:
    """A citizen's conversation through the web chat's API."""
    token = httpx.post(f"{url}/api/session", timeout=10).json()["token"]
    headers = {"X-FHB-Session": token}
    httpx.post(f"{url}/api/start", json={}, headers=headers, timeout=60)
    for message in messages:
        httpx.post(f"{url}/api/message", json=message, headers=headers, timeout=60)


def past_visit(settings: Settings) -> int:
    """A visit that took place yesterday (staff record its outcome afterwards)."""
    start = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0) - dt.timedelta(
        days=1
    )
    with SqlAlchemyUnitOfWork(settings.database_url, clock=system_clock) as session:
        slot = Slot(start=start, end=start + dt.timedelta(hours=1), visitor="Kari Hansen")
        citizen = Citizen(
            name="Sigrid Dahl",
            birth_year=1948,
            address="Bakkeveien 2",
            phone="+4791234567",
            source="chat",
        )
        visit = Visit(slot=slot, citizen=citizen, status="booked", conversation_id="web-past")
        session.add_all([slot, citizen, visit])
        session.flush()
        return int(visit.id)


def test_a_staff_session_in_the_browser(
    servers: Settings, channel_server: Any, browser_page: Any
) -> None:
    from playwright.sync_api import expect

    subprocess.run(
        [FHB, "staff", "add", "ada", "--role", "admin", "--password-stdin"],
        input=f"{PASSWORD}\n",
        text=True,
        env=cli_env(servers),
        check=True,
        capture_output=True,
    )
    server = channel_server()
    web_chat(server.url, {"payload": "/request_human"})
    visit_id = past_visit(servers)
    page = browser_page
    RESULTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{server.url}/staff/")  # not logged in: the login page
    expect(page.get_by_role("heading", name="Logg inn")).to_be_visible()
    accessible(page, "login")
    page.get_by_label("Brukernavn").fill("ada")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", name="Samtaler")).to_be_visible()
    row = page.locator("tr", has_text="Vil snakke med en person").first
    expect(row).to_contain_text("Nettchat")
    accessible(page, "conversations")

    row.get_by_role("link").click()
    page.get_by_label("Kvalitetskontroll av chatboten").check()
    page.get_by_role("button", name="Åpne samtalen").click()
    expect(page.locator(".bubble.user", has_text="request_human")).to_have_count(1)
    accessible(page, "transcript")
    with SqlAlchemyUnitOfWork(servers.database_url, clock=system_clock) as session:
        [entry] = [e for e in staff_db.access_log(session) if e.action == "transcript"]
        assert (entry.username, entry.reason) == ("ada", "Kvalitetskontroll av chatboten")

    page.goto(f"{server.url}/staff/besok/{visit_id}")
    for legend in ("Henvist til andre tjenester i kommunen?", "Ble det brukt tolk?"):
        page.get_by_role("group", name=legend).get_by_label("Nei").check()
    page.locator("fieldset").nth(2).get_by_label("Ja").check()
    page.get_by_role("button", name="Lagre som gjennomført").click()
    expect(page.locator("main")).to_contain_text("gjennomført")
    with SqlAlchemyUnitOfWork(servers.database_url, clock=system_clock) as session:
        visit = session.get(Visit, visit_id)
        assert (visit.status, visit.referred, visit.joined_activity) == ("completed", False, True)
    page.goto(f"{server.url}/staff/besok")
    accessible(page, "calendar")

    page.goto(f"{server.url}/staff/rapport")
    expect(page.get_by_role("heading", level=1)).to_contain_text("rapport", ignore_case=True)
    assert page.locator("svg").count() >= 3
    accessible(page, "report")
    page.goto(f"{server.url}/staff/kontoer")
    expect(page.locator("main")).to_contain_text("ada (deg)")
    accessible(page, "accounts")


def test_live_takeover_in_the_browser(
    servers: Settings, channel_server: Any, browser_page: Any
) -> None:
    """The newcomer's path, both sides in Chromium: a citizen in the web chat asks for a
    person; the staff member sees it in the list, takes it over, sees the citizen's next
    message appear by itself, answers, and hands back. The citizen's page shows each step
    within seconds, without a reload (it polls every 3 s while a person is on)."""
    from playwright.sync_api import expect

    subprocess.run(
        [FHB, "staff", "add", "liv", "--role", "visitor", "--password-stdin"],
        input=f"{PASSWORD}\n",
        text=True,
        env=cli_env(servers),
        check=True,
        capture_output=True,
    )
    server = channel_server()
    page = browser_page
    RESULTS.mkdir(parents=True, exist_ok=True)

    chat = page.context.browser.new_page()  # the citizen, in a browser context of their own
    chat.goto(server.url)
    expect(chat.locator("#messages li.msg-bot").first).to_contain_text("Hei!")
    chat.locator("#message-input").fill("kan jeg snakke med et menneske")
    chat.locator("#message-input").press("Enter")
    expect(chat.locator("#messages")).to_contain_text("En ansatt svarer deg her i chatten")
    token = chat.evaluate("window.localStorage.getItem('fhb-web-session')")
    conv = conversation_id("web", token, b"e2e-test-key")

    page.goto(f"{server.url}/staff/login")
    page.get_by_label("Brukernavn").fill("liv")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.locator(".alert")).to_contain_text("venter på en person")
    page.get_by_role("link", name="Kø", exact=True).click()
    row = page.locator("tr", has_text=conv[:14])
    expect(row).to_contain_text("Venter")
    accessible(page, "queue")
    row.get_by_role("button", name="Ta over samtalen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Du chatter med innbyggeren")
    expect(page.locator(".bubble.system")).to_contain_text("Nå skriver du med en ansatt")
    expect(chat.locator("#messages")).to_contain_text("Nå skriver du med en ansatt", timeout=10000)

    chat.locator("#message-input").fill("Hei, jeg lurer på om dere kan komme i mars")
    chat.locator("#message-input").press("Enter")
    # No reload: the page's own refresh (static/live.js, every 3 s) shows the new message.
    expect(page.locator(".bubble.user", has_text="komme i mars")).to_be_visible(timeout=15000)
    page.get_by_label("Ditt svar").fill("Ja, det går fint. Jeg ringer deg i morgen.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".bubble.staff")).to_contain_text("Jeg ringer deg i morgen")
    accessible(page, "live-chat")
    for what, path in (("live-chat", None), ("queue", "/staff/ko"), ("conversations", "/staff/")):
        page.set_viewport_size({"width": 768, "height": 1024})  # a tablet, upright
        if path:
            page.goto(f"{server.url}{path}")
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        page.screenshot(path=str(RESULTS / f"staff-{what}-tablet.png"), full_page=True)
        assert wide <= 768, f"{what} scrolls sideways on a tablet ({wide} px)"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server.url}/staff/ko")
    page.locator("tr", has_text=conv[:14]).get_by_role("link", name="Fortsett samtalen").click()
    expect(chat.locator("#messages")).to_contain_text(
        "Ansatt: Ja, det går fint. Jeg ringer deg i morgen.", timeout=10000
    )
    assert chat.locator("#messages li.msg-bot", has_text="33 44 55 66").count() == 1  # no
    # apology for the message the bot did not answer: only the queue message has the number
    chat.screenshot(path=str(RESULTS / "web-chat-live.png"), full_page=True)

    page.get_by_role("button", name="Gi tilbake til boten").click()
    expect(page.locator(".done")).to_contain_text("gitt tilbake til boten")
    expect(chat.locator("#messages")).to_contain_text(
        "Nå svarer chatboten deg igjen", timeout=10000
    )
    with SqlAlchemyUnitOfWork(servers.database_url, clock=system_clock) as session:
        assert takeovers.open_takeover(session, conv) is None
