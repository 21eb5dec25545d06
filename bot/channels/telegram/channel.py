"""The Telegram channel: python-telegram-bot (v22, async) in front of Rasa's REST channel.

Rasa owns the dialogue. This module builds the bot application, connects it to Telegram (long
polling, or a webhook on the channel server), accepts webhook calls and sends the messages the
system starts (reminders). What the bot does with an update is in `handlers`; relaying to Rasa
and rendering its replies in `replies`.

Updates from different chats are handled concurrently; one chat's updates run in order
(`ChatOrderedProcessor`). Outgoing messages are paced by
`bot.channels.telegram.ratelimit.ChatRateLimiter`.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import Application, BaseRateLimiter, BaseUpdateProcessor

from bot.channels import texts
from bot.channels.context import ChannelContext
from bot.channels.relay import BotMessage, Button
from bot.channels.telegram.handlers import UpdateHandlers
from bot.channels.telegram.ratelimit import ChatRateLimiter
from bot.channels.telegram.replies import TYPING_EVERY, Replies

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Run updates of different chats concurrently and the updates of one chat in order."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await the update's processing under its chat's lock (FIFO, so in arrival order)."""
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._users[chat.id] = self._users.get(chat.id, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[chat.id] -= 1
            if not self._users[chat.id]:
                del self._users[chat.id], self._locks[chat.id]

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""


class TelegramChannel:
    """The Telegram bot: start/stop, webhook endpoint, and messages the scheduler starts."""

    def __init__(
        self,
        ctx: ChannelContext,
        *,
        rate_limiter: BaseRateLimiter[Any] | None = None,
        typing_every: float = TYPING_EVERY,
    ) -> None:
        self.ctx = ctx
        settings = ctx.settings
        builder = (
            Application.builder()
            .token(settings.telegram_token)
            .rate_limiter(rate_limiter or ChatRateLimiter())
            .concurrent_updates(ChatOrderedProcessor())
        )
        if settings.telegram_api_url:
            url = settings.telegram_api_url.rstrip("/")
            builder = builder.base_url(f"{url}/bot").base_file_url(f"{url}/file/bot")
        if settings.telegram_mode == "webhook":
            builder = builder.updater(None)
        self.app: Application[Any, Any, Any, Any, Any, Any] = builder.build()
        self._replies = Replies(ctx, self.app, typing_every=typing_every)
        UpdateHandlers(ctx, self.app, self._replies).register()

    def conversation(self, chat_id: int) -> str:
        """The opaque conversation id Rasa knows this chat by."""
        return self._replies.conversation(chat_id)

    # --- life cycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Connect to Telegram: long polling (default) or register the webhook."""
        settings = self.ctx.settings
        webhook = settings.telegram_mode == "webhook"
        if webhook and not (settings.telegram_webhook_url and settings.telegram_webhook_secret):
            log.error(
                "Telegram webhook mode needs FHB_TELEGRAM_WEBHOOK_URL and "
                "FHB_TELEGRAM_WEBHOOK_SECRET; refusing to start"
            )
            raise RuntimeError("Telegram webhook mode without a webhook URL or secret")
        await self.app.initialize()  # getMe: raises InvalidToken for a refused token
        try:
            if webhook:
                await self.app.bot.set_webhook(
                    settings.telegram_webhook_url,
                    secret_token=settings.telegram_webhook_secret,
                    allowed_updates=ALLOWED_UPDATES,
                )
            elif self.app.updater is not None:
                await self.app.bot.delete_webhook()
                await self.app.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        except TelegramError:
            log.error("could not connect to Telegram; check TELEGRAM_BOT_TOKEN")
            await self.app.shutdown()
            raise
        try:
            await self.app.bot.set_my_commands(
                [BotCommand(name, about) for name, about in texts.TELEGRAM_COMMANDS]
            )
        except TelegramError as e:
            log.warning("could not set the Telegram command menu: %s", e)
        await self.app.start()
        log.info("Telegram channel started (%s)", settings.telegram_mode)

    @property
    def ready(self) -> bool:
        """Tell whether the bot is connected and can send (the scheduler asks)."""
        return bool(self.app.running)

    async def stop(self) -> None:
        """Stop polling and processing; the webhook stays registered for the next start."""
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()

    async def handle_webhook(self, request: Request) -> Response:
        """Accept an update from Telegram when the secret header matches; 403 otherwise."""
        secret = self.ctx.settings.telegram_webhook_secret
        given = request.headers.get(SECRET_HEADER, "")
        if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("Telegram webhook call refused: wrong or missing secret token")
            return Response(status_code=403)
        try:
            data = await request.json()
            update = Update.de_json(data, self.app.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            log.warning("Telegram webhook call refused: not an update")
            return Response(status_code=400)
        await self.app.update_queue.put(update)
        return Response(status_code=200)

    async def send_notification(self, chat_id: str, text: str, buttons: list[Button]) -> bool:
        """Send a message the system starts (reminders); True when Telegram accepted it."""
        try:
            await self._replies.render(int(chat_id), [BotMessage(text, tuple(buttons))])
        except (TelegramError, ValueError) as e:
            log.warning("Telegram notification not sent: %s", type(e).__name__)
            return False
        return True
