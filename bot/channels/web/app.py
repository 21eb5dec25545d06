"""The web chat's routes: the page, its JSON API, embed.js and the static files.

The page keeps a random session token in the browser (localStorage) and sends it in the
X-FHB-Session header. The token is never Rasa's sender id: the conversation id is a keyed
hash of it (`relay.conversation_id("web", token, key)`), so knowing a conversation id does
not let anyone write into it. Every /api answer except /api/session is a JSON list of
messages, so the page shows an apology exactly like any other bot message.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from bot.channels import texts
from bot.channels.context import ChannelContext
from bot.channels.relay import (
    MAX_MESSAGE,
    BotMessage,
    RasaBusy,
    RasaUnavailable,
    check_text,
    link_payload,
    silence_during_takeover,
)
from bot.channels.web.messages import (
    Json,
    bot_message,
    from_bot,
    merge_history,
    note_message,
    valid_payload,
    valid_token,
)
from bot.channels.web.security import (
    BadBody,
    BodyTooLarge,
    SecureHeaders,
    frame_ancestors,
    read_json_object,
)
from fhb.conversation_ids import conversation_id
from fhb.db import contacts, notifications
from fhb.db.models import NotificationStatus, TakeoverStatus
from fhb.invitation_codes import normalise_code
from fhb.tracker import conversation_messages, delete_transcript

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
SESSION_HEADER = "x-fhb-session"
MAX_BODY = 16 * 1024
NO_STORE = {"cache-control": "no-store"}
LIVE_HEADER = "x-fhb-live"
KNOWN_CONTACTS = 50_000  # conversations remembered as recorded (oldest forgotten first)


def messages_response(
    messages: list[Json], status: int = 200, *, live: bool = False
) -> JSONResponse:
    """A JSON list of messages, never cached (it is personal). `live` tells the page that a
    person is (or will soon be) writing, so it asks for new messages every few seconds."""
    headers = {**NO_STORE, LIVE_HEADER: "1"} if live else NO_STORE
    return JSONResponse(messages, status_code=status, headers=headers)


def asset_version(*names: str) -> str:
    """A short hash of the static files, so browsers fetch new ones after an update."""
    digest = hashlib.sha256()
    for name in names:
        digest.update((STATIC / name).read_bytes())
    return digest.hexdigest()[:12]


class WebChat:
    """The handlers of the web chat, sharing the channel context."""

    def __init__(self, ctx: ChannelContext) -> None:
        self.ctx = ctx
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self.version = asset_version("chat.css", "chat.js")
        self.embed_source = (STATIC / "embed.js").read_text(encoding="utf-8")
        self._background: set[asyncio.Task[None]] = set()  # contact rows being written
        self._known: dict[str, None] = {}  # conversations whose contact row was written

    # --- helpers -----------------------------------------------------------------------------

    def _conversation(self, request: Request) -> str | None:
        """The conversation id for the request's session token, or None if it is malformed."""
        token = request.headers.get(SESSION_HEADER)
        if not valid_token(token):
            return None
        return conversation_id("web", str(token), self.ctx.key)

    def _unavailable(self, status: int = 503) -> JSONResponse:
        """Rasa or the database failed: apologise with the phone number."""
        return messages_response([from_bot(texts.unavailable(self.ctx.profile))], status)

    def _touch(self, conversation: str) -> None:
        """Remember that this conversation lives in the web chat (for system messages)."""
        try:
            with self.ctx.uow_factory() as session:
                contacts.touch_contact(session, conversation, "web", "web")
        except SQLAlchemyError as e:  # the type only: messages can hold personal data
            log.error("could not record the web contact: %s", type(e).__name__)

    def _remember_contact(self, conversation: str) -> None:
        """Record the contact in the background, so nobody waits on the visit database;
        once per conversation while this process runs (not a write for every message)."""
        if conversation in self._known:
            return
        self._known[conversation] = None
        if len(self._known) > KNOWN_CONTACTS:
            self._known.pop(next(iter(self._known)))  # the oldest: it may be written again
        task = asyncio.get_running_loop().create_task(asyncio.to_thread(self._touch, conversation))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _relay(self, conversation: str, text: str, notices: list[Json]) -> JSONResponse:
        """Record the contact, relay one message to Rasa, answer with the notices and replies."""
        sent_at = self.ctx.clock()
        try:
            replies = await self.ctx.relay.send(conversation, text, channel="web")
        except RasaBusy:  # never sent: nothing of it was registered, and it is safe to resend
            return messages_response(notices + [from_bot(texts.busy(self.ctx.profile))], 503)
        except RasaUnavailable:
            told = await asyncio.to_thread(self.ctx.after_failure, conversation, sent_at)
            return messages_response(notices + [from_bot(told)], 503)
        finally:
            # After the relay, never before it: a locked visit database must not hold up
            # the person's message (the row only tells where system messages go).
            self._remember_contact(conversation)
        live = await self._takeover(conversation)
        if live == TakeoverStatus.ACTIVE and replies:
            await silence_during_takeover(self.ctx.relay, conversation)
            replies = []
        if not replies and live != TakeoverStatus.ACTIVE:
            # Rasa answers nothing when an action fails; silence would leave the person
            # waiting. While a staff member has taken over, silence is right: they answer.
            log.warning("Rasa gave no reply to a web message")
            replies = [BotMessage(texts.unavailable(self.ctx.profile))]
        return messages_response(notices + [bot_message(m) for m in replies], live=live is not None)

    async def _takeover(self, conversation: str) -> str | None:
        """'waiting' or 'active' during a live takeover, else None (also on a DB error)."""
        try:
            return await self.ctx.takeover_status(conversation)
        except SQLAlchemyError as e:
            log.error("could not read the takeover state: %s", type(e).__name__)
            return None

    async def _body(self, request: Request) -> dict[str, Any] | JSONResponse:
        """The JSON body, or the kind answer to send instead (413 too large, 400 unreadable)."""
        try:
            return await read_json_object(request, limit=MAX_BODY)
        except BodyTooLarge:
            return messages_response([from_bot(texts.web_too_large(MAX_MESSAGE))], 413)
        except BadBody:
            return messages_response([from_bot(texts.WEB_BAD_REQUEST)], 400)

    @staticmethod
    def _session_lost() -> JSONResponse:
        """A missing or malformed session token."""
        return messages_response([from_bot(texts.WEB_SESSION_LOST)], 401)

    # --- pages ----------------------------------------------------------------------------

    async def page(self, request: Request) -> Response:
        """The chat page (the invitation code, if any, is read by chat.js from the URL)."""
        profile = self.ctx.profile
        page_texts = {
            **texts.WEB_PAGE,
            "maxChars": MAX_MESSAGE,
            "forgetDone": texts.FORGET_DONE,
            "forgetKept": texts.FORGET_KEPT,
            "idRemoved": texts.NATIONAL_ID_REMOVED,
            "offline": texts.unavailable(profile),
        }
        return self.templates.TemplateResponse(
            request,
            "chat.html",
            {
                "kommune": profile.name,
                "phone": texts.phone(profile),
                "phone_href": profile.phone.replace(" ", ""),
                "opening_hours": profile.opening_hours,
                "max_chars": MAX_MESSAGE,
                "forget_confirm": texts.FORGET_CONFIRM,
                "forget_yes": texts.FORGET_YES,
                "forget_no": texts.FORGET_NO,
                "page_texts": page_texts,
                "version": self.version,
            },
            headers={"cache-control": "no-cache"},
        )

    async def healthz(self, request: Request) -> Response:
        """Liveness for the launcher and the e2e fixture."""
        return PlainTextResponse("ok")

    async def embed(self, request: Request) -> Response:
        """The one-line embed script for a kommune's own web site."""
        return Response(
            self.embed_source,
            media_type="text/javascript; charset=utf-8",
            headers={
                "cache-control": "public, max-age=3600",
                "cross-origin-resource-policy": "cross-origin",
            },
        )

    # --- API ------------------------------------------------------------------------------

    async def new_session(self, request: Request) -> Response:
        """A fresh random session token for a new conversation."""
        return JSONResponse({"token": secrets.token_urlsafe(32)}, headers=NO_STORE)

    async def start(self, request: Request) -> Response:
        """Begin a conversation: link it to the letter's code if there is one, else greet."""
        conversation = self._conversation(request)
        if conversation is None:
            return self._session_lost()
        body = await self._body(request)
        if isinstance(body, JSONResponse):
            return body
        raw = body.get("code")
        notices: list[Json] = []
        message = "/greet"
        if isinstance(raw, str) and raw.strip():
            code = normalise_code(raw[:64])
            if code:
                message = link_payload(code)
            else:
                notices.append(from_bot(texts.INVALID_CODE))
        return await self._relay(conversation, message, notices)

    async def message(self, request: Request) -> Response:
        """One typed message ({"text"}) or pressed button ({"payload"}) relayed to Rasa."""
        conversation = self._conversation(request)
        if conversation is None:
            return self._session_lost()
        body = await self._body(request)
        if isinstance(body, JSONResponse):
            return body
        if "payload" in body:
            if not valid_payload(body["payload"]):
                return messages_response([from_bot(texts.WEB_BAD_REQUEST)], 400)
            # A payload is checked like typed text: a forged one may carry a fødselsnummer.
            pressed = check_text(body["payload"], max_chars=MAX_MESSAGE)
            notices = [from_bot(n) for n in pressed.notices]
            if pressed.text is None:
                return messages_response(notices)
            return await self._relay(conversation, pressed.text, notices)
        text = body.get("text")
        if not isinstance(text, str):
            return messages_response([from_bot(texts.WEB_BAD_REQUEST)], 400)
        # Typed text is never read as a command ("/intent{...}"): only buttons send those.
        checked = check_text(text.lstrip().lstrip("/"), max_chars=MAX_MESSAGE)
        notices = [from_bot(n) for n in checked.notices]
        if checked.text is None:
            return messages_response(notices)
        code = await asyncio.to_thread(self.ctx.known_code, checked.text)
        if code is not None:  # the code from the letter, typed in
            return await self._relay(conversation, link_payload(code), notices)
        return await self._relay(conversation, checked.text, notices)

    def _history(self, conversation: str) -> list[Json]:
        """The transcript and the system messages; queued ones count as delivered now."""
        transcript = conversation_messages(self.ctx.settings.tracker_url, conversation)
        with self.ctx.uow_factory() as session:
            notes = notifications.notifications_for(session, conversation)
            system = [note_message(n) for n in notes]
            for note in notes:
                if note.status == NotificationStatus.QUEUED:
                    notifications.set_notification_status(
                        session, note.id, NotificationStatus.DELIVERED
                    )
        return merge_history(transcript, system)

    async def history(self, request: Request) -> Response:
        """The whole conversation as the person saw it, for a reload."""
        conversation = self._conversation(request)
        if conversation is None:
            return self._session_lost()
        try:
            return messages_response(await asyncio.to_thread(self._history, conversation))
        except SQLAlchemyError as e:  # the type only: messages can hold personal data
            log.error("could not read the web conversation: %s", type(e).__name__)
            return self._unavailable()

    def _take_queued(self, conversation: str) -> list[Json]:
        """The system messages waiting for this conversation, marked delivered."""
        with self.ctx.uow_factory() as session:
            notes = notifications.queued_notifications(session, conversation)
            messages = [note_message(n) for n in notes]
            for note in notes:
                notifications.set_notification_status(
                    session, note.id, NotificationStatus.DELIVERED
                )
        return messages

    async def updates(self, request: Request) -> Response:
        """Messages the system started since the last poll (reminders, feedback requests)."""
        conversation = self._conversation(request)
        if conversation is None:
            return self._session_lost()
        try:
            queued = await asyncio.to_thread(self._take_queued, conversation)
        except SQLAlchemyError as e:  # the type only: messages can hold personal data
            log.error("could not read queued web messages: %s", type(e).__name__)
            return messages_response([], 503)
        return messages_response(queued, live=await self._takeover(conversation) is not None)

    def _forget(self, conversation: str) -> None:
        """Erase the transcript and unlink the chat; bookings stay."""
        delete_transcript(self.ctx.settings.tracker_url, conversation)
        with self.ctx.uow_factory() as session:
            contacts.forget_conversation(session, conversation)
        self._known.pop(conversation, None)  # a later message records the contact again

    async def forget(self, request: Request) -> Response:
        """ "Slett samtalen": erase this conversation (the page then forgets its token)."""
        conversation = self._conversation(request)
        if conversation is None:
            return self._session_lost()
        try:
            await asyncio.to_thread(self._forget, conversation)
        except SQLAlchemyError as e:  # the type only: messages can hold personal data
            log.error("could not forget a web conversation: %s", type(e).__name__)
            return self._unavailable()
        log.info("web conversation forgotten")
        return messages_response([from_bot(texts.FORGET_DONE)])


def web_routes(ctx: ChannelContext) -> list[BaseRoute]:
    """The web chat's routes, each answering with the security headers."""
    chat = WebChat(ctx)
    secure = [Middleware(SecureHeaders, ancestors=frame_ancestors())]

    def route(path: str, endpoint: Any, method: str = "GET") -> Route:
        """One route with the security headers."""
        return Route(path, endpoint, methods=[method], middleware=secure)

    return [
        route("/", chat.page),
        route("/healthz", chat.healthz),
        route("/embed.js", chat.embed),
        route("/api/session", chat.new_session, "POST"),
        route("/api/start", chat.start, "POST"),
        route("/api/message", chat.message, "POST"),
        route("/api/history", chat.history),
        route("/api/updates", chat.updates),
        route("/api/forget", chat.forget, "POST"),
        Mount("/static", app=StaticFiles(directory=str(STATIC)), name="static", middleware=secure),
    ]
