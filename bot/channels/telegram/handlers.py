"""What the Telegram bot does with each update: commands, typed text, buttons and contacts.

A gate in front turns away group chats and remembers where a private chat lives, so that
reminders reach it. The handlers turn an update into text or a button payload for Rasa
(`Replies.relay`), answer /hjelp and /slett themselves, and tell the person when something
went wrong.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.channels import texts
from bot.channels.context import ChannelContext
from bot.channels.relay import BotMessage, check_text, link_payload
from bot.channels.telegram import format as fmt
from bot.channels.telegram.replies import Replies, chat_id_of, remember
from fhb.db import contacts as contacts_db
from fhb.invitation_codes import normalise_code
from fhb.tracker import delete_transcript

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE


class UpdateHandlers:
    """The gate, the commands, buttons, contacts, text and error handler of the bot."""

    def __init__(
        self,
        ctx: ChannelContext,
        app: Application[Any, Any, Any, Any, Any, Any],
        replies: Replies,
    ) -> None:
        self.ctx = ctx
        self.app = app
        self.replies = replies
        self._chosen: OrderedDict[tuple[int, int], bool] = OrderedDict()

    def register(self) -> None:
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
        conv = self.replies.conversation(chat.id)
        try:
            await asyncio.to_thread(self._touch_contact, conv, chat.id)
        except SQLAlchemyError as e:
            log.warning(
                "could not save the Telegram contact (update %s): %s",
                update.update_id,
                type(e).__name__,
            )

    def _touch_contact(self, conv: str, chat_id: int) -> None:
        """Store or refresh the chat id of this conversation (runs in a thread)."""
        with self.ctx.uow_factory() as session:
            contacts_db.touch_contact(session, conv, "telegram", str(chat_id))

    async def _on_start(self, update: Update, context: Context) -> None:
        """/start greets; /start <code> (the letter's deep link) links the citizen."""
        chat_id = chat_id_of(update)
        payload = "/greet"
        if context.args:
            code = normalise_code("".join(context.args))
            if code:
                payload = link_payload(code)
            else:
                await self.replies.render(chat_id, [BotMessage(texts.INVALID_CODE)])
        await self.replies.relay(update, payload)

    async def _on_help(self, update: Update, context: Context) -> None:
        """/hjelp: how the chat works, then the bot's own help from Rasa."""
        await self.replies.render(
            chat_id_of(update), [BotMessage(texts.help_text(self.ctx.profile))]
        )
        await self.replies.relay(update, "/help")

    async def _on_stop(self, update: Update, context: Context) -> None:
        """/stopp: ask Rasa to stop what is going on."""
        await self.replies.relay(update, "/stop")

    async def _on_forget(self, update: Update, context: Context) -> None:
        """/slett: ask before erasing the conversation."""
        await self.app.bot.send_message(
            chat_id_of(update), texts.FORGET_CONFIRM, reply_markup=fmt.forget_keyboard()
        )

    async def _on_text(self, update: Update, context: Context) -> None:
        """Check typed text (size, fødselsnummer) and relay it; a reply button's title maps
        back to its payload."""
        chat_id = chat_id_of(update)
        message = update.message
        checked = check_text(message.text if message else None)
        for notice in checked.notices:
            await self.app.bot.send_message(chat_id, notice)
        if checked.text is None:
            return
        said = checked.text
        code = await asyncio.to_thread(self.ctx.known_code, said)
        if code is not None:  # the code from the letter, typed in
            await self.replies.relay(update, link_payload(code))
            return
        payload = self.replies.reply_button_payload(chat_id, said)
        if payload is None and said.startswith("/"):
            # An unknown command: let the NLU read the words instead of Rasa taking the
            # text as an intent name.
            said = said.lstrip("/") or said
        await self.replies.relay(update, payload or said)

    async def _on_contact(self, update: Update, context: Context) -> None:
        """A shared contact: relay its phone number as text."""
        contact = update.message.contact if update.message else None
        checked = check_text(contact.phone_number if contact else None)
        if checked.text is None:
            await self._on_other(update, context)
            return
        await self.replies.relay(update, checked.text)

    async def _on_other(self, update: Update, context: Context) -> None:
        """Voice, photos, stickers, files, locations: only text is read."""
        await self.replies.render(
            chat_id_of(update), [BotMessage(texts.text_only(self.ctx.profile))]
        )

    async def _on_button(self, update: Update, context: Context) -> None:
        """A pressed inline button: answer it, mark the keyboard, then act on the choice."""
        query = update.callback_query
        if query is None:
            return
        data = query.data or ""
        message = query.message
        key = (chat_id_of(update), message.message_id) if message else None
        if data == fmt.DONE or (key is not None and key in self._chosen):
            await query.answer(texts.ALREADY_CHOSEN)
            return
        await query.answer()
        markup = getattr(message, "reply_markup", None)
        title = fmt.button_title(markup, data)
        if key is not None:
            remember(self._chosen, key, True)
            with contextlib.suppress(TelegramError):
                await query.edit_message_reply_markup(fmt.chosen_keyboard(title or ""))
        if data in (fmt.FORGET_YES, fmt.FORGET_NO):
            await self._forget(chat_id_of(update), confirmed=data == fmt.FORGET_YES)
            return
        if data.startswith(fmt.LONG_PAYLOAD):
            payload = self.replies.long_payload(data) or title  # after a restart: the title
        elif data.startswith(fmt.OWN_PREFIX):
            payload = None
        else:
            payload = data
        if not payload:
            return
        # Callback data is checked like typed text: a forged one may carry a fødselsnummer.
        checked = check_text(payload)
        for notice in checked.notices:
            await self.app.bot.send_message(chat_id_of(update), notice)
        if checked.text is not None:
            await self.replies.relay(update, checked.text)

    async def _forget(self, chat_id: int, *, confirmed: bool) -> None:
        """Erase the transcript and the chat's links (bookings stay), or keep everything."""
        if not confirmed:
            await self.replies.render(chat_id, [BotMessage(texts.FORGET_KEPT)])
            return
        conv = self.replies.conversation(chat_id)
        try:
            await asyncio.to_thread(delete_transcript, self.ctx.settings.tracker_url, conv)
            await asyncio.to_thread(self._forget_conversation, conv)
        except SQLAlchemyError as e:
            log.warning("/slett failed: %s", type(e).__name__)
            await self.replies.render(chat_id, [BotMessage(texts.forget_failed(self.ctx.profile))])
            return
        await self.replies.render(chat_id, [BotMessage(texts.FORGET_DONE)])
        self.replies.forget_chat(chat_id)

    def _forget_conversation(self, conv: str) -> None:
        """Unlink the conversation in the visit database (runs in a thread)."""
        with self.ctx.uow_factory() as session:
            contacts_db.forget_conversation(session, conv)

    async def _on_error(self, update: object, context: Context) -> None:
        """Log first, then tell the person something went wrong (with the phone number)."""
        update_id = update.update_id if isinstance(update, Update) else None
        log.error(
            "Telegram update %s failed: %s",
            update_id,
            type(context.error).__name__,
            exc_info=context.error,
        )
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is not None and chat.type == ChatType.PRIVATE:
            with contextlib.suppress(TelegramError):
                await self.app.bot.send_message(chat.id, texts.unavailable(self.ctx.profile))
