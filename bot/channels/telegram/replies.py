"""The Rasa side of a Telegram chat: relay what the person said and send Rasa's replies.

Text goes to Rasa under the chat's opaque conversation id while "typing…" is shown; the
replies become Telegram messages, long texts in parts, buttons as inline keyboards and a
question for the phone number with Telegram's share-contact button. While a staff member has
taken the chat over, Rasa only records and the bot stays silent. Only what Telegram itself
needs is kept in memory: the titles of the reply keyboard on screen and payloads too long for
64 bytes of callback data.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import Application

from bot.channels import texts
from bot.channels.context import ChannelContext
from bot.channels.relay import BotMessage, RasaBusy, RasaUnavailable, silence_during_takeover
from bot.channels.telegram import format as fmt
from fhb.conversation_ids import conversation_id
from fhb.db.models import TakeoverStatus

log = logging.getLogger(__name__)

TYPING_EVERY = 4.0
_MEMORY = 10_000  # entries kept in each in-memory map before the oldest are dropped

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup


def remember(store: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    """Put a value in a bounded in-memory map, dropping the oldest entries."""
    store[key] = value
    store.move_to_end(key)
    while len(store) > _MEMORY:
        store.popitem(last=False)


def chat_id_of(update: Update) -> int:
    """The id of the chat an update came from (the gate lets only chats through)."""
    chat = update.effective_chat
    if chat is None:
        raise ValueError("update without a chat")
    return chat.id


class Replies:
    """Relay a chat's text to Rasa and render Rasa's replies as Telegram messages."""

    def __init__(
        self,
        ctx: ChannelContext,
        app: Application[Any, Any, Any, Any, Any, Any],
        *,
        typing_every: float = TYPING_EVERY,
    ) -> None:
        self.ctx = ctx
        self.app = app
        self._typing_every = typing_every
        self._long_payloads: OrderedDict[str, str] = OrderedDict()
        self._reply_buttons: dict[int, dict[str, str]] = {}

    def conversation(self, chat_id: int) -> str:
        """The opaque conversation id Rasa knows this chat by."""
        return conversation_id("telegram", chat_id, self.ctx.key)

    def reply_button_payload(self, chat_id: int, title: str) -> str | None:
        """The payload of the reply-keyboard button with this title, when one is on screen."""
        return self._reply_buttons.get(chat_id, {}).get(title)

    def long_payload(self, data: str) -> str | None:
        """The payload behind a shortened callback data, while it is still remembered."""
        return self._long_payloads.get(data)

    def forget_chat(self, chat_id: int) -> None:
        """Drop what is remembered about the chat's reply keyboard."""
        self._reply_buttons.pop(chat_id, None)

    async def relay(self, update: Update, text: str) -> None:
        """Send text to Rasa (typing shown meanwhile) and render the replies, or apologise."""
        chat_id = chat_id_of(update)
        sent_at = self.ctx.clock()
        try:
            async with self._typing(chat_id):
                messages = await asyncio.wait_for(
                    self.ctx.relay.send(self.conversation(chat_id), text, channel="telegram"),
                    timeout=self.ctx.settings.relay_timeout,
                )
        except RasaBusy:
            # Never sent (no seat at Rasa freed up in time): nothing of it was registered,
            # so the person is told so and may simply send it again.
            log.warning("Rasa was too busy for Telegram update %s", update.update_id)
            await self.render(chat_id, [BotMessage(texts.busy(self.ctx.profile))])
            return
        except (RasaUnavailable, asyncio.TimeoutError) as e:
            # Rasa may still finish the turn: confirm a visit it booked meanwhile, else say
            # that we are not sure (never that nothing was registered).
            log.warning(
                "Rasa did not answer Telegram update %s: %s", update.update_id, type(e).__name__
            )
            told = await asyncio.to_thread(
                self.ctx.after_failure, self.conversation(chat_id), sent_at
            )
            await self.render(chat_id, [BotMessage(told)])
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
        await self.render(chat_id, messages)

    async def _taken_over(self, chat_id: int) -> bool:
        """Tell whether a staff member has taken this chat over (the bot is paused)."""
        try:
            status = await self.ctx.takeover_status(self.conversation(chat_id))
        except SQLAlchemyError as e:
            log.warning("could not read the takeover state: %s", type(e).__name__)
            return False
        return status == TakeoverStatus.ACTIVE

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

    async def render(self, chat_id: int, messages: list[BotMessage]) -> None:
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
                remember(self._long_payloads, data, button.payload)
        return fmt.buttons_keyboard(message.buttons)
