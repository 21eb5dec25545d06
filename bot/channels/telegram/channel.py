"""The Telegram channel: python-telegram-bot (v22, async) in front of Rasa's REST channel.

Rasa owns the dialogue. This module turns Telegram updates into text or button payloads,
relays them under an opaque conversation id, and renders Rasa's replies: buttons as inline
keyboards, a question for the phone number with Telegram's share-contact button. It keeps only
what Telegram itself needs in memory (the reply keyboard on screen, payloads over 64 bytes,
pressed keyboards).

Updates from different chats are handled concurrently; one chat's updates run in order
(`ChatOrderedProcessor`). Outgoing messages are paced by `bot.ratelimit.ChatRateLimiter`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import Response
from telegram import (
    BotCommand,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    BaseRateLimiter,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.channels import texts
from bot.channels.context import ChannelContext
from bot.channels.relay import (
    BotMessage,
    Button,
    RasaUnavailable,
    check_text,
    link_payload,
    silence_during_takeover,
)
from bot.channels.telegram import format as fmt
from bot.channels.telegram.ratelimit import ChatRateLimiter
from fhb.conversation_ids import conversation_id
from fhb.db import contacts as contacts_db
from fhb.invitation_codes import normalise_code
from fhb.tracker import delete_transcript

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TYPING_EVERY = 4.0
_MEMORY = 10_000  # entries kept in each in-memory map before the oldest are dropped

Context = ContextTypes.DEFAULT_TYPE
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup


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


def _remember(store: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    """Put a value in a bounded in-memory map, dropping the oldest entries."""
    store[key] = value
    store.move_to_end(key)
    while len(store) > _MEMORY:
        store.popitem(last=False)


class TelegramChannel:
    """The Telegram bot: start/stop, webhook endpoint, and messages the scheduler starts."""

    def __init__(self, ctx: ChannelContext, *, rate_limiter: BaseRateLimiter[Any] | None = None,
                 typing_every: float = TYPING_EVERY) -> None:
        self.ctx = ctx
        self._typing_every = typing_every
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
        self._long_payloads: OrderedDict[str, str] = OrderedDict()
        self._chosen: OrderedDict[tuple[int, int], bool] = OrderedDict()
        self._reply_buttons: dict[int, dict[str, str]] = {}
        self._add_handlers()

    # --- life cycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Connect to Telegram: long polling (default) or register the webhook."""
        settings = self.ctx.settings
        webhook = settings.telegram_mode == "webhook"
        if webhook and not (settings.telegram_webhook_url and settings.telegram_webhook_secret):
            log.error("Telegram webhook mode needs FHB_TELEGRAM_WEBHOOK_URL and "
                      "FHB_TELEGRAM_WEBHOOK_SECRET; refusing to start")
            raise RuntimeError("Telegram webhook mode without a webhook URL or secret")
        await self.app.initialize()  # getMe: raises InvalidToken for a refused token
        try:
            if webhook:
                await self.app.bot.set_webhook(settings.telegram_webhook_url,
                                               secret_token=settings.telegram_webhook_secret,
                                               allowed_updates=ALLOWED_UPDATES)
            elif self.app.updater is not None:
                await self.app.bot.delete_webhook()
                await self.app.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        except TelegramError:
            log.error("could not connect to Telegram; check TELEGRAM_BOT_TOKEN")
            await self.app.shutdown()
            raise
        try:
            await self.app.bot.set_my_commands(
                [BotCommand(name, about) for name, about in texts.TELEGRAM_COMMANDS])
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
            await self._render(int(chat_id), [BotMessage(text, tuple(buttons))])
        except (TelegramError, ValueError) as e:
            log.warning("Telegram notification not sent: %s", type(e).__name__)
            return False
        return True

    # --- handlers ---------------------------------------------------------------------------

    def _add_handlers(self) -> None:
        """Register the gate, the commands, buttons, contacts, text and everything else."""
        new = filters.UpdateType.MESSAGE
        app = self.app
        app.add_handler(TypeHandler(Update, self._gate), group=-1)
        app.add_handler(CommandHandler("start", self._on_start, filters=new))
        app.add_handler(CommandHandler(["hjelp", "help"], self._on_help, filters=new))
        app.add_handler(CommandHandler(["stopp", "stop"], self._on_stop, filters=new))
        app.add_handler(CommandHandler("slett", self._on_forget, filters=new))
        app.add_handler(CallbackQueryHandler(self._on_button))
        app.add_handler(MessageHandler(new & filters.CONTACT, self._on_contact))
        app.add_handler(MessageHandler(new & filters.TEXT, self._on_text))
        app.add_handler(MessageHandler(new, self._on_other))
        app.add_error_handler(self._on_error)

    def conversation(self, chat_id: int) -> str:
        """The opaque conversation id Rasa knows this chat by."""
        return conversation_id("telegram", chat_id, self.ctx.key)

    async def _gate(self, update: Update, context: Context) -> None:
        """Refuse group chats; remember where a private chat lives so reminders reach it."""
        chat = update.effective_chat
        if chat is None or chat.type == ChatType.CHANNEL:
            raise ApplicationHandlerStop
        if chat.type != ChatType.PRIVATE:
            if update.callback_query is not None:
                await update.callback_query.answer(texts.PRIVATE_ONLY)
            elif update.message is not None:
                await update.message.reply_text(texts.PRIVATE_ONLY)
            raise ApplicationHandlerStop
        conv = self.conversation(chat.id)
        try:
            await asyncio.to_thread(self._touch_contact, conv, chat.id)
        except SQLAlchemyError as e:
            log.warning("could not save the Telegram contact (update %s): %s",
                        update.update_id, type(e).__name__)

    def _touch_contact(self, conv: str, chat_id: int) -> None:
        """Store or refresh the chat id of this conversation (runs in a thread)."""
        with self.ctx.uow_factory() as session:
            contacts_db.touch_contact(session, conv, "telegram", str(chat_id))

    async def _on_start(self, update: Update, context: Context) -> None:
        """/start greets; /start <code> (the letter's deep link) links the citizen."""
        chat_id = _chat_id(update)
        payload = "/greet"
        if context.args:
            code = normalise_code("".join(context.args))
            if code:
                payload = link_payload(code)
            else:
                await self._render(chat_id, [BotMessage(texts.INVALID_CODE)])
        await self._relay(update, payload)

    async def _on_help(self, update: Update, context: Context) -> None:
        """/hjelp: how the chat works, then the bot's own help from Rasa."""
        await self._render(_chat_id(update), [BotMessage(texts.help_text(self.ctx.profile))])
        await self._relay(update, "/help")

    async def _on_stop(self, update: Update, context: Context) -> None:
        """/stopp: ask Rasa to stop what is going on."""
        await self._relay(update, "/stop")

    async def _on_forget(self, update: Update, context: Context) -> None:
        """/slett: ask before erasing the conversation."""
        await self.app.bot.send_message(_chat_id(update), texts.FORGET_CONFIRM,
                                        reply_markup=fmt.forget_keyboard())

    async def _on_text(self, update: Update, context: Context) -> None:
        """Check typed text (size, fødselsnummer) and relay it; a reply button's title maps
        back to its payload."""
        chat_id = _chat_id(update)
        message = update.message
        checked = check_text(message.text if message else None)
        for notice in checked.notices:
            await self.app.bot.send_message(chat_id, notice)
        if checked.text is None:
            return
        said = checked.text
        code = await asyncio.to_thread(self.ctx.known_code, said)
        if code is not None:  # the code from the letter, typed in
            await self._relay(update, link_payload(code))
            return
        payload = self._reply_buttons.get(chat_id, {}).get(said)
        if payload is None and said.startswith("/"):
            # An unknown command: let the NLU read the words instead of Rasa taking the
            # text as an intent name.
            said = said.lstrip("/") or said
        await self._relay(update, payload or said)

    async def _on_contact(self, update: Update, context: Context) -> None:
        """A shared contact: relay its phone number as text."""
        contact = update.message.contact if update.message else None
        checked = check_text(contact.phone_number if contact else None)
        if checked.text is None:
            await self._on_other(update, context)
            return
        await self._relay(update, checked.text)

    async def _on_other(self, update: Update, context: Context) -> None:
        """Voice, photos, stickers, files, locations: only text is read."""
        await self._render(_chat_id(update), [BotMessage(texts.text_only(self.ctx.profile))])

    async def _on_button(self, update: Update, context: Context) -> None:
        """A pressed inline button: answer it, mark the keyboard, then act on the choice."""
        query = update.callback_query
        if query is None:
            return
        data = query.data or ""
        message = query.message
        key = (_chat_id(update), message.message_id) if message else None
        if data == fmt.DONE or (key is not None and key in self._chosen):
            await query.answer(texts.ALREADY_CHOSEN)
            return
        await query.answer()
        markup = getattr(message, "reply_markup", None)
        title = fmt.button_title(markup, data)
        if key is not None:
            _remember(self._chosen, key, True)
            with contextlib.suppress(TelegramError):
                await query.edit_message_reply_markup(fmt.chosen_keyboard(title or ""))
        if data in (fmt.FORGET_YES, fmt.FORGET_NO):
            await self._forget(_chat_id(update), confirmed=data == fmt.FORGET_YES)
            return
        if data.startswith(fmt.LONG_PAYLOAD):
            payload = self._long_payloads.get(data) or title  # after a restart: the title
        elif data.startswith(fmt.OWN_PREFIX):
            payload = None
        else:
            payload = data
        if payload:
            await self._relay(update, payload)

    async def _forget(self, chat_id: int, *, confirmed: bool) -> None:
        """Erase the transcript and the chat's links (bookings stay), or keep everything."""
        if not confirmed:
            await self._render(chat_id, [BotMessage(texts.FORGET_KEPT)])
            return
        conv = self.conversation(chat_id)
        try:
            await asyncio.to_thread(delete_transcript, self.ctx.settings.tracker_url, conv)
            await asyncio.to_thread(self._forget_conversation, conv)
        except SQLAlchemyError as e:
            log.warning("/slett failed: %s", type(e).__name__)
            await self._render(chat_id, [BotMessage(texts.forget_failed(self.ctx.profile))])
            return
        await self._render(chat_id, [BotMessage(texts.FORGET_DONE)])
        self._reply_buttons.pop(chat_id, None)

    def _forget_conversation(self, conv: str) -> None:
        """Unlink the conversation in the visit database (runs in a thread)."""
        with self.ctx.uow_factory() as session:
            contacts_db.forget_conversation(session, conv)

    async def _on_error(self, update: object, context: Context) -> None:
        """Log first, then tell the person something went wrong (with the phone number)."""
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("Telegram update %s failed: %s", update_id, type(context.error).__name__,
                  exc_info=context.error)
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is not None and chat.type == ChatType.PRIVATE:
            with contextlib.suppress(TelegramError):
                await self.app.bot.send_message(chat.id, texts.unavailable(self.ctx.profile))

    # --- relay and render -------------------------------------------------------------------

    async def _relay(self, update: Update, text: str) -> None:
        """Send text to Rasa (typing shown meanwhile) and render the replies, or apologise."""
        chat_id = _chat_id(update)
        try:
            async with self._typing(chat_id):
                messages = await asyncio.wait_for(
                    self.ctx.relay.send(self.conversation(chat_id), text, channel="telegram"),
                    timeout=self.ctx.settings.relay_timeout,
                )
        except (RasaUnavailable, asyncio.TimeoutError) as e:
            # Not recorded either, so the staff member would not see it: apologise.
            log.warning("Rasa did not answer Telegram update %s: %s", update.update_id,
                        type(e).__name__)
            await self._render(chat_id, [BotMessage(texts.unavailable(self.ctx.profile))])
            return
        if await self._taken_over(chat_id):
            # A staff member answers; Rasa only recorded the message.
            if messages:
                await silence_during_takeover(self.ctx.relay, self.conversation(chat_id))
            return
        if not messages:
            # Rasa answers nothing at all when an action fails (the action server is down):
            # silence would leave the person waiting, so they get the phone number instead.
            log.warning("Rasa gave no reply to Telegram update %s", update.update_id)
            messages = [BotMessage(texts.unavailable(self.ctx.profile))]
        await self._render(chat_id, messages)

    async def _taken_over(self, chat_id: int) -> bool:
        """Tell whether a staff member has taken this chat over (the bot is paused)."""
        try:
            status = await asyncio.to_thread(self.ctx.takeover_status, self.conversation(chat_id))
        except SQLAlchemyError as e:
            log.warning("could not read the takeover state: %s", type(e).__name__)
            return False
        return status == "active"

    @contextlib.asynccontextmanager
    async def _typing(self, chat_id: int) -> AsyncIterator[None]:
        """Show "typing…" until the block ends, repeated every few seconds."""

        async def keep_typing() -> None:
            """Send the chat action now and again until cancelled."""
            while True:
                with contextlib.suppress(TelegramError):
                    await self.app.bot.send_chat_action(chat_id, ChatAction.TYPING)
                await asyncio.sleep(self._typing_every)

        task = asyncio.create_task(keep_typing())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _render(self, chat_id: int, messages: list[BotMessage]) -> None:
        """Send Rasa's messages: long texts in parts, the keyboard on the last part.

        A reply keyboard (the phone question) stays until the next reply, which removes it
        with its first message that has no keyboard of its own.
        """
        remove = chat_id in self._reply_buttons
        for message in messages:
            parts = fmt.split_text(message.text)
            if not parts and (message.buttons or message.ask):
                parts = [texts.CHOOSE]
            markup = self._markup(chat_id, message)
            for i, part in enumerate(parts):
                part_markup: Markup | ReplyKeyboardRemove | None = None
                if i == len(parts) - 1:
                    part_markup = markup
                if isinstance(part_markup, ReplyKeyboardMarkup):
                    remove = False
                elif part_markup is None and remove:
                    part_markup, remove = ReplyKeyboardRemove(), False
                    self._reply_buttons.pop(chat_id, None)
                await self.app.bot.send_message(chat_id, part, reply_markup=part_markup)

    def _markup(self, chat_id: int, message: BotMessage) -> Markup | None:
        """The keyboard of one message; remembers reply-keyboard titles and long payloads."""
        if message.ask == "phone":
            self._reply_buttons[chat_id] = {b.title: b.payload for b in message.buttons}
            return fmt.phone_keyboard(message.buttons)
        if not message.buttons:
            return None
        for button in message.buttons:
            data = fmt.callback_data(button)
            if data != button.payload:
                _remember(self._long_payloads, data, button.payload)
        return fmt.buttons_keyboard(message.buttons)


def _chat_id(update: Update) -> int:
    """The id of the chat an update came from (the gate lets only chats through)."""
    chat = update.effective_chat
    if chat is None:
        raise ValueError("update without a chat")
    return chat.id
