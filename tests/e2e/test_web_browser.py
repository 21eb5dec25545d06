"""The web chat in a real headless browser (Debian's chromium driven by playwright), against
the real Rasa and action servers: book a visit by clicking and typing, reload, forget, link
by the letter's code, and check accessibility with axe-core and reflow at 320 px."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
from pathlib import Path
from typing import Any, Iterator

import pytest
from sqlalchemy import select

from bot.channels import texts
from fhb.clock import system_clock
from fhb.conversation_ids import conversation_id
from fhb.db import citizens
from fhb.db import visits as visits_db
from fhb.db.engine import SqlAlchemyUnitOfWork
from fhb.db.models import Citizen
from fhb.settings import ROOT, Settings

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
RESULTS = ROOT / "var" / "test-results"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIMEOUT = 30_000  # ms: Rasa answers within a second or two; the first answer may be slower

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless (no browser download is possible here)."""
    if not CHROMIUM.exists():
        pytest.skip(
            "no /usr/bin/chromium: run scripts/ensure_deb.sh /usr/bin/chromium chromium "
            "(make test does)"
        )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class ChatPage:
    """One browser tab on the web chat, recording console errors and outside requests."""

    def __init__(self, browser: Any, url: str, *, width: int = 1000, height: int = 900) -> None:
        self.url = url
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, locale="nb-NO"
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT)
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on(
            "request",
            lambda r: (
                None
                if r.url.startswith(url) or r.url.startswith("data:")
                else self.foreign.append(r.url)
            ),
        )

    def open(self, query: str = "") -> None:
        """Load the chat and wait for the first bot message."""
        self.page.goto(f"{self.url}/{query}")
        expect(self.bot.first).to_be_visible()
        self.idle()

    @property
    def bot(self) -> Any:
        """The bot's messages."""
        return self.page.locator("#messages li.msg-bot")

    @property
    def input(self) -> Any:
        """The message field."""
        return self.page.get_by_label("Skriv meldingen din")

    def idle(self) -> None:
        """Wait until no answer is pending ("Kommunen skriver …" gone)."""
        expect(self.page.locator("#typing")).to_have_text("")

    def answer_after(self, count: int) -> str:
        """Wait for a new bot message after the first `count`; return all new texts."""
        expect(self.bot).not_to_have_count(count)
        self.idle()
        return "\n".join(self.bot.nth(i).inner_text() for i in range(count, self.bot.count()))

    def type(self, text: str) -> str:
        """Type a message, send it with Enter, return the bot's answer."""
        count = self.bot.count()
        self.input.fill(text)
        self.input.press("Enter")
        return self.answer_after(count)

    def choose(self, name: str, *, exact: bool = True) -> str:
        """Press an open choice button, return the bot's answer."""
        count = self.bot.count()
        self.page.locator("button.choice:not([disabled])").get_by_text(
            name, exact=exact
        ).first.click()
        return self.answer_after(count)

    def close(self) -> None:
        """Close the tab and its context."""
        self.context.close()


@pytest.fixture
def chat(browser: Any, channel_server: Any) -> Iterator[ChatPage]:
    """A tab on a freshly started `fhb serve`."""
    server = channel_server()
    page = ChatPage(browser, server.url)
    yield page
    page.close()


def run_axe(page: Any, **options: Any) -> list[dict[str, Any]]:
    """Run axe-core in the page (evaluated over CDP, so the page's CSP is untouched).

    Returns the violations; fails if axe found nothing to check (it did not really run).
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async (options) => await axe.run(document, options)", options)
    checked = len(result["passes"]) + len(result["violations"])
    print(
        f"axe-core {result['testEngine']['version']}: {len(result['passes'])} rule(s) "
        f"passed, {len(result['violations'])} violated, "
        f"{len(result['inapplicable'])} not applicable"
    )
    assert checked > 0, "axe-core checked nothing"
    return list(result["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    """The violations, readable in a test failure."""
    return "\n".join(
        f"{v['impact']}: {v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
    )


def test_booking_a_visit_in_the_browser(chat: ChatPage, servers: Settings) -> None:
    page = chat.page
    chat.open()
    greeting = chat.bot.first
    expect(greeting).to_contain_text("Kommunen:")
    expect(page.locator("header")).to_contain_text("Fjellvik kommune")
    expect(page.locator("header")).to_contain_text("Vil du heller ringe? Ring 33 44 55 66")

    assert "Hva heter du" in chat.choose("Bestille besøk")
    chosen = greeting.locator("button.choice.chosen")
    expect(chosen).to_have_text("✔ Du valgte: Bestille besøk")
    expect(greeting.locator("button.choice")).to_have_count(5)
    for button in greeting.locator("button.choice").all():
        expect(button).to_be_disabled()
    expect(chat.input).to_be_focused()
    expect(page.locator("#messages li.msg-user").last).to_contain_text("Du:")

    assert "født" in chat.type("Kari Nordmann")
    assert "adresse" in chat.type(str(dt.date.today().year - 78))
    assert "telefonnummer" in chat.type("Storgata 5")
    expect(chat.input).to_have_attribute("inputmode", "tel")
    expect(chat.input).to_have_attribute("autocomplete", "tel")
    chat.type("915 55 555")
    expect(chat.input).not_to_have_attribute("inputmode", "tel")
    slots = chat.bot.last.locator("button.choice")
    slot_title = slots.first.inner_text()
    assert slots.last.inner_text() == "Vis flere tider"
    summary = chat.choose(slot_title)
    assert "Stemmer dette?" in summary and slot_title in summary
    assert "Besøket er bestilt" in chat.choose("Ja, det stemmer")

    token = page.evaluate("() => localStorage.getItem('fhb-web-session')")
    conversation = conversation_id("web", token, servers.secret_key.encode())
    with SqlAlchemyUnitOfWork(servers.database_url, clock=system_clock) as session:
        visits = [v for v in visits_db.list_visits(session) if v.conversation_id == conversation]
        assert [(v.citizen.name, v.citizen.phone, v.status) for v in visits] == [
            ("Kari Nordmann", "+4791555555", "booked")
        ]
    assert token not in conversation

    # A reload shows the whole conversation again; the past choices stay marked.
    page.reload()
    expect(chat.bot.last).to_contain_text("Besøket er bestilt")
    chat.idle()
    expect(page.locator("#messages li.msg-user").first).to_contain_text("Bestille besøk")
    expect(page.locator("button.choice.chosen").first).to_have_text("✔ Du valgte: Bestille besøk")
    expect(page.locator("#messages")).to_contain_text("Kari Nordmann")

    # What the person sees after the reload: the last answer above the message field.
    last = chat.bot.last.bounding_box()
    composer = page.locator("#composer").bounding_box()
    assert last["y"] + last["height"] <= composer["y"] + 1, (last, composer)
    RESULTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(RESULTS / "web-chat.png"))
    page.screenshot(path=str(RESULTS / "web-chat-full.png"), full_page=True)
    assert chat.errors == [], chat.errors
    assert chat.foreign == [], f"requests to other hosts: {chat.foreign}"


def test_the_page_meets_wcag_21_aa(chat: ChatPage) -> None:
    chat.open()
    chat.choose("Bestille besøk")  # chosen and disabled buttons, a user message
    violations = run_axe(chat.page, runOnly={"type": "tag", "values": WCAG_TAGS})
    print(f"\naxe-core WCAG 2.1 A/AA: {len(violations)} violation(s)\n{describe(violations)}")
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], describe(serious)
    # What we aim for beyond AA: text contrast of at least 7:1 and large targets.
    stricter = run_axe(
        chat.page, runOnly={"type": "rule", "values": ["color-contrast-enhanced", "target-size"]}
    )
    print(
        f"axe-core 7:1 contrast and target size: {len(stricter)} violation(s)\n{describe(stricter)}"
    )
    assert stricter == [], describe(stricter)


def test_large_text_big_buttons_and_keyboard_use(chat: ChatPage) -> None:
    page = chat.page
    chat.open()
    assert page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)") >= 18
    for button in page.locator("button.choice").all():
        assert button.bounding_box()["height"] >= 48
    assert page.locator("#send").bounding_box()["height"] >= 48
    # The skip link comes first and leads to the message field.
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(chat.input).to_be_focused()
    # Shift+Enter makes a new line instead of sending.
    count = chat.bot.count()
    chat.input.type("Hei")
    chat.input.press("Shift+Enter")
    chat.input.type("der")
    expect(chat.input).to_have_value("Hei\nder")
    expect(chat.bot).to_have_count(count)
    # A paste over the limit is cut and the person is told.
    chat.input.fill("")
    page.evaluate("""() => {
        const data = new DataTransfer();
        data.setData('text/plain', 'x'.repeat(10000));
        const input = document.getElementById('message-input');
        input.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true}));
    }""")
    expect(page.locator("#input-notice")).to_contain_text("Teksten var for lang")


def test_reflow_at_320_px_without_horizontal_scrolling(browser: Any, channel_server: Any) -> None:
    server = channel_server()
    narrow = ChatPage(browser, server.url, width=320, height=640)
    try:
        narrow.open()
        narrow.choose("Bestille besøk")
        sizes = narrow.page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert sizes[0] <= sizes[1], f"horizontal scrolling at 320 px: {sizes}"
        narrow.page.screenshot(path=str(RESULTS / "web-chat-320.png"), full_page=True)
    finally:
        narrow.close()


def test_forgetting_the_conversation(chat: ChatPage) -> None:
    page = chat.page
    chat.open()
    chat.type("hva koster det?")
    page.get_by_role("button", name="Slett samtalen").click()
    expect(page.locator("#forget-confirm")).to_be_visible()
    expect(page.locator("#forget-question")).to_be_focused()
    page.get_by_role("button", name=texts.FORGET_YES).click()
    expect(chat.bot).to_have_count(1)
    expect(chat.bot.first).to_contain_text("Samtalen er slettet")
    expect(page.locator("#forget-confirm")).to_be_hidden()
    assert page.evaluate("() => localStorage.getItem('fhb-web-session')") is None
    page.reload()
    expect(chat.bot.first).to_contain_text("Hei!")
    expect(page.locator("#messages")).not_to_contain_text("hva koster det?")


def test_the_letters_code_links_the_chat(chat: ChatPage, servers: Settings) -> None:
    code = "WEBK2345XY"
    with SqlAlchemyUnitOfWork(servers.database_url, clock=system_clock) as session:
        citizens.import_citizens(
            session,
            [
                visits_db.CitizenDetails(
                    "Ingrid Webb", dt.date.today().year - 79, "Fjellveien 2", "+4791234567"
                )
            ],
        )
        citizen = session.execute(select(Citizen).where(Citizen.name == "Ingrid Webb")).scalar_one()
        citizens.add_invitation(session, citizen.id, code)
    chat.open(f"?kode={code.lower()[:5]}-{code.lower()[5:]}")
    expect(chat.bot.first).to_contain_text("Hei, Ingrid!")
    assert "kode" not in chat.page.url
    with SqlAlchemyUnitOfWork(servers.database_url, clock=system_clock) as session:
        invitation = citizens.invitation_by_code(session, code)
        assert invitation is not None and (invitation.conversation_id or "").startswith("web-")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging each request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:  # the stdlib's own name
        """Say nothing."""


@pytest.fixture
def kommune_site(tmp_path: Path) -> Iterator[str]:
    """A kommune's own web site (another origin) for the embed script; returns its URL."""
    site = tmp_path / "site"
    site.mkdir()
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_embed_script_puts_the_chat_on_a_kommunes_site(
    browser: Any, channel_server: Any, kommune_site: str, tmp_path: Path
) -> None:
    server = channel_server(FHB_WEB_FRAME_ANCESTORS=f"'self' {kommune_site}")
    (tmp_path / "site" / "index.html").write_text(
        '<!doctype html><html lang="nb"><head><title>Fjellvik kommune</title>'
        '<link rel="icon" href="data:,">'
        f'<script src="{server.url}/embed.js" defer></script></head>'
        "<body><h1>Fjellvik kommune</h1></body></html>",
        encoding="utf-8",
    )
    site = ChatPage(browser, server.url)
    try:
        page = site.page
        page.goto(f"{kommune_site}/index.html")
        open_button = page.get_by_role("button", name="Chat med oss")
        assert open_button.bounding_box()["height"] >= 48
        open_button.click()
        frame = page.frame_locator("iframe[title='Chat med kommunen']")
        expect(frame.locator("#messages li.msg-bot").first).to_contain_text("Hei!")
        page.get_by_role("button", name="Lukk chatten").click()
        expect(open_button).to_be_focused()
        assert site.errors == [], site.errors
    finally:
        site.close()


def test_another_site_may_not_frame_the_chat_by_default(
    browser: Any, channel_server: Any, kommune_site: str, tmp_path: Path
) -> None:
    server = channel_server()
    (tmp_path / "site" / "index.html").write_text(
        f'<!doctype html><html lang="nb"><head><title>Annen side</title></head><body>'
        f'<iframe title="chat" src="{server.url}/"></iframe></body></html>',
        encoding="utf-8",
    )
    site = ChatPage(browser, server.url)
    try:
        site.page.goto(f"{kommune_site}/index.html")
        site.page.wait_for_timeout(1500)
        frame = site.page.frame_locator("iframe[title='chat']")
        expect(frame.locator("#messages")).to_have_count(0)
        assert any("frame-ancestors" in e for e in site.errors), site.errors
    finally:
        site.close()
