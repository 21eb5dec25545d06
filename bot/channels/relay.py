"""The channel core shared by Telegram and the web chat: check, mask, relay, parse.

Rasa owns the dialogue. A channel turns what a person sent into text or a button payload,
`check_text` makes it safe (size, fødselsnummer), `RasaRelay.send` posts it to Rasa's REST
channel under an opaque conversation id, and `parse_replies` turns Rasa's JSON into
`BotMessage`s the channel renders.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol, Sequence

import aiohttp

from bot.channels import texts
from fhb.db.takeovers import TAKEOVER_REQUESTED
from fhb.invitation_codes import normalise_code
from fhb.language.validation import mask_national_ids

log = logging.getLogger(__name__)

MAX_MESSAGE = 2000
TURN_FAILED = "fhb_failed"  # Rasa's answer holds {"custom": {this: ...}}: the turn failed
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Refused(Exception):
    """Nothing listens at the server: the request never arrived (safe to send elsewhere)."""


class HttpFailed(Exception):
    """The request failed on its way or took too long: it may have arrived."""


@dataclass(frozen=True)
class HttpReply:
    """A server's answer: status and body."""

    status: int
    body: bytes


class Http(Protocol):
    """The HTTP client the relay uses (`AiohttpClient`; a stand-in in tests)."""

    async def post(self, url: str, *, json: Any, params: dict[str, str] | None = None) -> HttpReply:
        """POST JSON; Refused or HttpFailed when there is no answer."""

    async def get(self, url: str) -> HttpReply:
        """GET; Refused or HttpFailed when there is no answer."""

    async def aclose(self) -> None:
        """Close the connections."""


# Our HTTP servers (uvicorn, Rasa's Sanic) close a connection after 5 s without a request.
# A client that reuses such a connection just as the server closes it gets no answer
# ("Server disconnected"), so every client of ours drops an idle connection sooner.
IDLE_CONNECTION_SECONDS = 2.0


class AiohttpClient:
    """The relay's HTTP client: aiohttp, with a pool of kept-alive connections.

    httpx took 2.3 ms of CPU a request here against aiohttp's 0.5 ms (same machine, same
    answers, 3,000 requests each): 29 % of the channel server's CPU under load (py-spy).
    An idle connection is closed after 2 s, before Rasa's server closes it (5 s), so a
    message is never sent down a connection the server is just closing.
    """

    def __init__(self, timeout: float) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _client(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._loop is not loop:  # a session serves one loop
            connector = aiohttp.TCPConnector(limit=200, keepalive_timeout=IDLE_CONNECTION_SECONDS)
            self._session = aiohttp.ClientSession(timeout=self._timeout, connector=connector)
            self._loop = loop
        return self._session

    async def _request(self, method: str, url: str, **kwargs: Any) -> HttpReply:
        try:
            async with self._client().request(method, url, **kwargs) as response:
                return HttpReply(response.status, await response.read())
        except aiohttp.ClientConnectorError as e:  # refused, no such host: never arrived
            raise Refused(type(e).__name__) from e
        except (aiohttp.ClientError, asyncio.TimeoutError) as e:
            raise HttpFailed(type(e).__name__) from e

    async def post(self, url: str, *, json: Any, params: dict[str, str] | None = None) -> HttpReply:
        """POST JSON."""
        return await self._request("POST", url, json=json, params=params)

    async def get(self, url: str) -> HttpReply:
        """GET."""
        return await self._request("GET", url)

    async def aclose(self) -> None:
        """Close the pool (only in the loop that made it)."""
        if self._session is not None and self._loop is asyncio.get_running_loop():
            await self._session.close()
        self._session = None


class RasaUnavailable(Exception):
    """Rasa (or the action server behind it) did not answer in time, or answered an error."""


class RasaBusy(RasaUnavailable):
    """Every seat at the conversation's Rasa server stayed taken for the whole wait: the
    message was never sent, so nothing of it was registered."""


@dataclass(frozen=True)
class Button:
    """One choice: what the person sees and what is sent to Rasa when it is pressed."""

    title: str
    payload: str


@dataclass(frozen=True)
class BotMessage:
    """One message from the bot. `ask` is set when the bot asks for a kind of input."""

    text: str
    buttons: tuple[Button, ...] = ()
    ask: str | None = None


@dataclass(frozen=True)
class Checked:
    """A person's text after the checks: what to relay (None: nothing) and notices first."""

    text: str | None
    notices: tuple[str, ...] = field(default_factory=tuple)


def check_text(text: str | None, *, max_chars: int = MAX_MESSAGE) -> Checked:
    """Strip control characters, refuse a paste that is too long, mask fødselsnummer."""
    cleaned = _CONTROL.sub("", text or "").strip()
    if not cleaned:
        return Checked(None, (texts.EMPTY_MESSAGE,))
    if len(cleaned) > max_chars:
        return Checked(None, (texts.too_long(max_chars),))
    masked = mask_national_ids(cleaned)
    notices = (texts.NATIONAL_ID_REMOVED,) if masked != cleaned else ()
    return Checked(masked, notices)


def typed_code(text: str | None) -> str | None:
    """The invitation code when a message is nothing but one ("6TB4-FT5J-B3"), else None.

    Codes always mix digits and letters, so a ten-letter word or a phone number is not one.
    """
    code = normalise_code(text)
    if code and any(c.isdigit() for c in code) and any(c.isalpha() for c in code):
        return code
    return None


def link_payload(code: str) -> str:
    """What a chat opened with an invitation code sends to Rasa."""
    return "/link_citizen" + json.dumps({"invite_code": code}, separators=(",", ":"))


def parse_replies(replies: list[dict[str, Any]]) -> list[BotMessage]:
    """Rasa's REST replies as messages; a custom `{"input": ...}` marks the one before it."""
    messages: list[BotMessage] = []
    for reply in replies:
        custom = reply.get("custom")
        if isinstance(custom, dict) and custom.get("input") and messages:
            last = messages[-1]
            messages[-1] = BotMessage(last.text, last.buttons, str(custom["input"]))
            continue
        buttons = tuple(
            Button(
                str(b.get("title") or b.get("payload") or ""),
                str(b.get("payload") or b.get("title") or ""),
            )
            for b in reply.get("buttons") or []
        )
        if reply.get("text") or buttons:
            messages.append(BotMessage(str(reply.get("text") or ""), buttons))
    return messages


def button_for_payload(messages: list[BotMessage], payload: str) -> Button | None:
    """The button with this payload among `messages`, if any."""
    for message in messages:
        for button in message.buttons:
            if button.payload == payload:
                return button
    return None


async def silence_during_takeover(relay: RasaRelay, conversation: str) -> None:
    """The bot answered although a staff member has taken the conversation over.

    That happens when Rasa started a new session meanwhile (a new session is never paused).
    The caller drops the answers; this pauses the conversation again.
    """
    log.warning("the bot answered during a takeover (a new Rasa session?); pausing again")
    try:
        await relay.pause(conversation)
    except RasaUnavailable:
        log.error("could not pause the conversation again")


def route(conversation: str, servers: Sequence[str]) -> list[str]:
    """The servers in the order this conversation tries them (rendezvous hashing).

    Stable: a conversation always goes to the same server while it is up, and when one
    stops, only its conversations move (each to its next server), with their trackers read
    from the shared tracker store. Rasa's lock store is per conversation, and two Rasa
    processes must never serve one conversation at once, so nothing is spread at random.
    """

    def weight(server: str) -> bytes:
        return hashlib.sha256(f"{server}|{conversation}".encode()).digest()

    return sorted(servers, key=weight, reverse=True)


class RasaRelay:
    """Post text to Rasa's REST channel and return the parsed replies (async); pause and
    resume a conversation through Rasa's HTTP API (live takeover) with the API token.

    With several Rasa servers each conversation goes to one of them (`route`). A server that
    refuses the connection (stopped, restarting) is passed over for `down_for` seconds and
    the conversation's next server answers. A server that is slow or fails during the
    message is never asked again for the same message: it may still finish the turn.
    """

    def __init__(
        self,
        rasa_url: str | Sequence[str],
        *,
        timeout: float = 10.0,
        api_token: str = "",
        http: Http | None = None,
        down_for: float = 5.0,
        now: Callable[[], float] = time.monotonic,
        seats: int = 4,
        queue_timeout: float | None = None,
    ) -> None:
        urls = [rasa_url] if isinstance(rasa_url, str) else list(rasa_url)
        self.servers = [u.rstrip("/") for u in urls]
        self._http: Http = http if http is not None else AiohttpClient(timeout)
        self._token = api_token
        self._down_for = down_for
        self._now = now
        self._down_until: dict[str, float] = {}
        # At most `seats` messages at a time at each Rasa server; the others wait in turn
        # (asyncio's semaphore is first come, first served). Rasa serves the messages it
        # has all at once, sharing one core: 200 at a time would make every one of them
        # slower than the timeout, while in turn most are answered quickly.
        self._seats = {server: asyncio.Semaphore(seats) for server in self.servers}
        self._queue_timeout = timeout if queue_timeout is None else queue_timeout
        # Called when a reply says the conversation was just put in the staff queue.
        self.on_takeover_requested: Callable[[], None] = lambda: None

    def servers_for(self, conversation: str) -> list[str]:
        """This conversation's servers, in order, those refusing connections last."""
        ordered = route(conversation, self.servers)
        now = self._now()
        return sorted(ordered, key=lambda s: self._down_until.get(s, 0.0) > now)

    async def _post(
        self, conversation: str, path: str, body: Any, params: dict[str, str] | None = None
    ) -> HttpReply:
        """POST to the conversation's server; on a refused connection, to its next one.
        HttpFailed for no answer in time or an error status."""
        servers = self.servers_for(conversation)
        for i, server in enumerate(servers):
            try:
                reply = await self._post_seated(server, path, body, params)
            except Refused:  # nothing listens there: the message never arrived
                self._down_until[server] = self._now() + self._down_for
                if i + 1 < len(servers):
                    log.warning("a Rasa server refused the connection; trying the next one")
                    continue
                raise
            self._down_until.pop(server, None)
            if reply.status >= 400:
                raise HttpFailed(f"status {reply.status}")
            return reply
        raise Refused("no Rasa server")  # only with an empty list

    async def _post_seated(
        self, server: str, path: str, body: Any, params: dict[str, str] | None
    ) -> HttpReply:
        """POST once a seat at `server` is free; RasaBusy when none frees up in time."""
        seats = self._seats[server]
        try:
            await asyncio.wait_for(seats.acquire(), self._queue_timeout)
        except asyncio.TimeoutError:
            raise RasaBusy("every seat stayed taken") from None
        try:
            return await self._http.post(server + path, json=body, params=params)
        finally:
            seats.release()

    async def send(
        self,
        conversation: str,
        text: str,
        *,
        channel: str,
        metadata: dict[str, Any] | None = None,
    ) -> list[BotMessage]:
        """Relay one checked message; raise RasaUnavailable when Rasa fails or is slow."""
        body = {
            "sender": conversation,
            "message": text,
            "input_channel": channel,
            "metadata": metadata or {},
        }
        try:
            reply = await self._post(conversation, "/webhooks/rest/webhook", body)
            replies = json.loads(reply.body)
        except RasaBusy:
            log.warning("relay to Rasa: no free seat in time; the message was not sent")
            raise
        except (Refused, HttpFailed, ValueError) as e:
            log.warning("relay to Rasa failed: %s", type(e).__name__)  # no id: it finds the person
            raise RasaUnavailable(type(e).__name__) from e
        if not isinstance(replies, list):
            raise RasaUnavailable("unexpected reply")
        customs: list[dict[str, Any]] = [
            r["custom"]
            for r in replies
            if isinstance(r, dict) and isinstance(r.get("custom"), dict)
        ]
        if any(TURN_FAILED in c for c in customs):
            raise RasaUnavailable("the turn failed")  # marked by bot.rasa_channel
        if any(c.get(TAKEOVER_REQUESTED) for c in customs):
            self.on_takeover_requested()
        return parse_replies(replies)

    async def append_events(self, conversation: str, events: list[dict[str, Any]]) -> None:
        """Append events to a conversation's tracker; raise RasaUnavailable on any failure."""
        try:
            await self._post(
                conversation,
                f"/conversations/{conversation}/tracker/events",
                events,
                params={"token": self._token, "include_events": "NONE"},
            )
        except (Refused, HttpFailed) as e:
            log.warning("Rasa API call failed: %s", type(e).__name__)
            raise RasaUnavailable(type(e).__name__) from e

    async def pause(self, conversation: str) -> None:
        """Stop the bot answering in one conversation (its messages are still recorded)."""
        await self.append_events(conversation, [{"event": "pause"}])

    async def resume(self, conversation: str) -> None:
        """Let the bot answer again."""
        await self.append_events(conversation, [{"event": "resume"}])

    async def is_up(self) -> bool:
        """Tell whether a Rasa server answers at all (used before retrying after an outage)."""
        for server in self.servers:
            try:
                if (await self._http.get(server + "/")).status == 200:
                    return True
            except (Refused, HttpFailed):
                continue
        return False

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()
