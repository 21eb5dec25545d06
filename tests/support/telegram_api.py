"""A local fake of the Telegram Bot API, enough for bot/channels/telegram/ and its tests.

It serves `/bot<token>/<method>` like api.telegram.org: getMe, getUpdates (long polling with
offset), sendMessage, answerCallbackQuery, editMessageReplyMarkup, sendChatAction, setWebhook,
deleteWebhook, getWebhookInfo and setMyCommands. Bodies may be JSON or url-encoded forms (PTB
sends forms whose complex values are JSON). Every call is recorded with its time; helpers make
a simulated person send text, press buttons, share a contact or send a voice message, and
wait for the bot's messages. It checks what the real API checks that matters here: text length,
64-byte callback data, a message to edit must exist, and no getUpdates while a webhook is set.

    with FakeTelegramAPI() as api:   # api.url -> FHB_TELEGRAM_API_URL, api.token
        api.user_sends(42, "hei")
        api.wait_for_messages(42, 1)
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from typing_extensions import Self

from tests.support.servers import BackgroundServer

TOKEN = "123456789:TEST-fake-token-for-the-fake-api"
BOT_USER = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "FHB-bot",
    "username": "fhb_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
# Form values PTB sends as plain strings; every other form value is JSON.
_STRING_FIELDS = {
    "text",
    "callback_query_id",
    "url",
    "secret_token",
    "action",
    "caption",
    "parse_mode",
    "chat_id",
    "inline_message_id",
}
_MAX_TEXT = 4096
_MAX_DATA = 64


@dataclass(frozen=True)
class Call:
    """One request the bot made: the method, its parameters, and when (time.monotonic)."""

    method: str
    params: dict[str, Any]
    at: float
    ok: bool = True


@dataclass
class SentMessage:
    """A message the bot sent, as the fake keeps it (its keyboard may be edited later)."""

    chat_id: int
    message_id: int
    text: str
    reply_markup: dict[str, Any] | None
    at: float
    edits: list[dict[str, Any]] = field(default_factory=list)

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(text, callback data) of the inline buttons, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]

    @property
    def keyboard(self) -> list[dict[str, Any]]:
        """The buttons of a reply keyboard (text, request_contact)."""
        rows = (self.reply_markup or {}).get("keyboard") or []
        return [b if isinstance(b, dict) else {"text": b} for row in rows for b in row]


def _parse_form_value(key: str, value: str) -> Any:
    """A form value as the API reads it: strings stay strings, the rest is JSON."""
    if key in _STRING_FIELDS:
        if key == "chat_id" and value.lstrip("-").isdigit():
            return int(value)
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _error(code: int, description: str, **parameters: Any) -> JSONResponse:
    """A Bot API error answer."""
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return JSONResponse(body, status_code=code)


def _ok(result: Any) -> JSONResponse:
    """A Bot API success answer."""
    return JSONResponse({"ok": True, "result": result})


class FakeTelegramAPI:
    """The fake server and the simulated people who write to the bot."""

    def __init__(self, *, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.messages: dict[int, SentMessage] = {}
        self.webhook: dict[str, Any] = {}
        self.blocked_chats: set[int] = set()
        self._pending: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._fail_sends = 0
        self._retry_after = 1
        self._closing = False
        self._lock = threading.Lock()
        app = Starlette(
            routes=[Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"])]
        )
        self._server = BackgroundServer(app)
        self.url = self._server.url

    # --- life cycle -------------------------------------------------------------------------

    def __enter__(self) -> Self:
        """Start serving."""
        self._server.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """End long polls and stop serving."""
        self._closing = True
        self._server.stop()

    # --- the API ----------------------------------------------------------------------------

    async def _endpoint(self, request: Request) -> JSONResponse:
        """Dispatch /bot<token>/<method> to the method's handler and record the call."""
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.path_params["method"]
        params: dict[str, Any] = dict(request.query_params)
        if "json" in request.headers.get("content-type", ""):
            params.update(await request.json())
        elif request.method == "POST":
            body = (await request.body()).decode("utf-8")
            params.update({k: _parse_form_value(k, v) for k, v in parse_qsl(body)})
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        response: JSONResponse = await handler(params)
        with self._lock:
            self.calls.append(
                Call(method, params, time.monotonic(), ok=response.status_code == 200)
            )
        return response

    async def _api_getMe(self, params: dict[str, Any]) -> JSONResponse:
        """The bot's own user."""
        return _ok(BOT_USER)

    async def _api_getUpdates(self, params: dict[str, Any]) -> JSONResponse:
        """Pending updates from `offset` on, waiting up to `timeout` seconds for one."""
        if self.webhook.get("url"):
            return _error(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while True:
            with self._lock:
                if offset:
                    self._pending = [u for u in self._pending if u["update_id"] >= offset]
                ready = self._pending[:limit]
            if ready or self._closing or time.monotonic() >= deadline:
                return _ok(ready)
            await asyncio.sleep(0.01)

    async def _api_sendMessage(self, params: dict[str, Any]) -> JSONResponse:
        """Store and return a message; 429 while failures are queued."""
        with self._lock:
            if self._fail_sends > 0:
                self._fail_sends -= 1
                return _error(
                    429,
                    f"Too Many Requests: retry after {self._retry_after}",
                    retry_after=self._retry_after,
                )
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked_chats:
            return _error(403, "Forbidden: bot was blocked by the user")
        text = str(params.get("text") or "")
        if not text.strip():
            return _error(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > _MAX_TEXT:
            return _error(400, "Bad Request: message is too long")
        markup = params.get("reply_markup")
        for row in (markup or {}).get("inline_keyboard") or []:
            for button in row:
                if len(str(button.get("callback_data", "")).encode()) > _MAX_DATA:
                    return _error(400, "Bad Request: BUTTON_DATA_INVALID")
        with self._lock:
            sent = SentMessage(chat_id, next(self._message_ids), text, markup, time.monotonic())
            self.messages[sent.message_id] = sent
        return _ok(self._message_json(sent))

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> JSONResponse:
        """Replace a sent message's inline keyboard."""
        sent = self.messages.get(int(params.get("message_id") or 0))
        if sent is None or sent.chat_id != int(params.get("chat_id") or 0):
            return _error(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup")
        if markup == sent.reply_markup:
            return _error(400, "Bad Request: message is not modified")
        with self._lock:
            sent.edits.append(markup or {})
            sent.reply_markup = markup
        return _ok(self._message_json(sent))

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> JSONResponse:
        """Acknowledge a button press."""
        return _ok(True)

    async def _api_sendChatAction(self, params: dict[str, Any]) -> JSONResponse:
        """Show "typing…"."""
        return _ok(True)

    async def _api_setMyCommands(self, params: dict[str, Any]) -> JSONResponse:
        """The command menu."""
        return _ok(True)

    async def _api_setWebhook(self, params: dict[str, Any]) -> JSONResponse:
        """Register a webhook (then getUpdates is refused, as on Telegram)."""
        self.webhook = {"url": params.get("url"), "secret_token": params.get("secret_token")}
        return _ok(True)

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> JSONResponse:
        """Remove the webhook."""
        self.webhook = {}
        return _ok(True)

    async def _api_getWebhookInfo(self, params: dict[str, Any]) -> JSONResponse:
        """The registered webhook."""
        return _ok(
            {
                "url": self.webhook.get("url") or "",
                "has_custom_certificate": False,
                "pending_update_count": 0,
            }
        )

    def _message_json(self, sent: SentMessage) -> dict[str, Any]:
        """A sent message as the API returns it (only inline keyboards are echoed)."""
        message: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "from": BOT_USER,
            "chat": _chat(sent.chat_id),
            "text": sent.text,
        }
        if sent.reply_markup and "inline_keyboard" in sent.reply_markup:
            message["reply_markup"] = sent.reply_markup
        return message

    # --- test controls ----------------------------------------------------------------------

    def fail_next_sends(self, n: int, *, retry_after: int = 1) -> None:
        """Answer the next `n` sendMessage calls with 429 Too Many Requests."""
        with self._lock:
            self._fail_sends, self._retry_after = n, retry_after

    def calls_to(self, method: str) -> list[Call]:
        """The recorded calls of one method, oldest first."""
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def sent_to(self, chat_id: int) -> list[SentMessage]:
        """The messages the bot sent to a chat, oldest first."""
        with self._lock:
            return [m for m in self.messages.values() if m.chat_id == chat_id]

    def wait_for_messages(self, chat_id: int, n: int, timeout: float = 10) -> list[SentMessage]:
        """Block until the chat has at least `n` messages from the bot; return them all."""
        deadline = time.monotonic() + timeout
        while len(self.sent_to(chat_id)) < n:
            if time.monotonic() > deadline:
                raise AssertionError(self._timeout_report(chat_id, n))
            time.sleep(0.02)
        return self.sent_to(chat_id)

    async def messages_arrive(self, chat_id: int, n: int, timeout: float = 10) -> list[SentMessage]:
        """`wait_for_messages` for async tests (lets the bot's event loop run meanwhile)."""
        deadline = time.monotonic() + timeout
        while len(self.sent_to(chat_id)) < n:
            if time.monotonic() > deadline:
                raise AssertionError(self._timeout_report(chat_id, n))
            await asyncio.sleep(0.02)
        return self.sent_to(chat_id)

    def _timeout_report(self, chat_id: int, n: int) -> str:
        """What arrived instead, for a failing test."""
        texts = [m.text[:80] for m in self.sent_to(chat_id)]
        return f"expected {n} messages to chat {chat_id}, got {len(texts)}: {texts}"

    # --- simulated people -------------------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates (it gets the next update_id); return the id."""
        with self._lock:
            update_id = next(self._update_ids)
            self._pending.append({**update, "update_id": update_id})
        return update_id

    def message_update(
        self, chat_id: int, *, chat_type: str = "private", **fields: Any
    ) -> dict[str, Any]:
        """An update with a new message from a person (without update_id)."""
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": _chat(chat_id, chat_type),
            "from": _person(chat_id),
            **fields,
        }
        return {"message": message}

    def text_update(self, chat_id: int, text: str, *, chat_type: str = "private") -> dict[str, Any]:
        """An update with typed text; a leading /command gets its bot_command entity."""
        fields: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            fields["entities"] = [
                {
                    "type": "bot_command",
                    "offset": 0,
                    "length": len(command.encode("utf-16-le")) // 2,
                }
            ]
        return self.message_update(chat_id, chat_type=chat_type, **fields)

    def user_sends(self, chat_id: int, text: str, *, chat_type: str = "private") -> int:
        """A person types `text` in the chat."""
        return self.push_update(self.text_update(chat_id, text, chat_type=chat_type))

    def user_presses(self, chat_id: int, message_id: int, data: str) -> int:
        """A person presses the inline button with callback `data` under a bot message."""
        sent = self.messages[message_id]
        query = {
            "id": f"cq-{message_id}-{time.monotonic_ns()}",
            "from": _person(chat_id),
            "chat_instance": f"ci-{chat_id}",
            "data": data,
            "message": self._message_json(sent),
        }
        return self.push_update({"callback_query": query})

    def user_shares_contact(
        self, chat_id: int, phone_number: str, *, first_name: str = "Kari"
    ) -> int:
        """A person presses the share-contact button."""
        contact = {"phone_number": phone_number, "first_name": first_name, "user_id": chat_id}
        return self.push_update(self.message_update(chat_id, contact=contact))

    def user_sends_voice(self, chat_id: int) -> int:
        """A person sends a voice message."""
        voice = {
            "file_id": "voice-1",
            "file_unique_id": "v1",
            "duration": 3,
            "mime_type": "audio/ogg",
        }
        return self.push_update(self.message_update(chat_id, voice=voice))

    def user_sends_photo(self, chat_id: int) -> int:
        """A person sends a photo."""
        photo = [{"file_id": "photo-1", "file_unique_id": "p1", "width": 90, "height": 90}]
        return self.push_update(self.message_update(chat_id, photo=photo))

    def user_sends_location(self, chat_id: int) -> int:
        """A person shares a location."""
        location = {"latitude": 59.91, "longitude": 10.75}
        return self.push_update(self.message_update(chat_id, location=location))


def _chat(chat_id: int, chat_type: str = "private") -> dict[str, Any]:
    """A chat object (private chats carry the person's name, groups a title)."""
    if chat_type == "private":
        return {"id": chat_id, "type": "private", "first_name": "Kari"}
    return {"id": chat_id, "type": chat_type, "title": "Pensjonistforeningen"}


def _person(user_id: int) -> dict[str, Any]:
    """The person writing (a user id equal to the private chat id, as on Telegram)."""
    return {"id": abs(user_id), "is_bot": False, "first_name": "Kari", "language_code": "nb"}
