"""Pure formatting for Telegram: long texts in parts, Rasa's buttons as keyboards.

No network and no state here, so all of it is tested without a bot. Telegram limits a message
to 4096 characters (counted in UTF-16 code units) and a button's callback data to 64 bytes.
Older users need big targets, so every button gets a row of its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from telegram.constants import InlineKeyboardButtonLimit, MessageLimit

from bot.channels import texts
from bot.channels.relay import Button

MAX_TEXT = int(MessageLimit.MAX_TEXT_LENGTH)
MAX_DATA = int(InlineKeyboardButtonLimit.MAX_CALLBACK_DATA)
# Callback data the channel itself owns starts with this; it is never relayed to Rasa.
OWN_PREFIX = "fhb:"
DONE = "fhb:done"
FORGET_YES = "fhb:forget:yes"
FORGET_NO = "fhb:forget:no"
LONG_PAYLOAD = "fhb:p:"


def utf16_len(text: str) -> int:
    """The length Telegram counts: UTF-16 code units (an emoji may count as two)."""
    return len(text.encode("utf-16-le")) // 2


def _prefix_within(text: str, limit: int) -> str:
    """The longest prefix of `text` of at most `limit` UTF-16 code units."""
    if utf16_len(text) <= limit:
        return text
    end = min(len(text), limit)
    while utf16_len(text[:end]) > limit:
        end -= 1
    return text[:end]


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split a reply into parts Telegram accepts, at a paragraph, line or space if possible."""
    parts: list[str] = []
    rest = text.strip()
    while utf16_len(rest) > limit:
        window = _prefix_within(rest, limit)
        cut = -1
        for boundary in ("\n\n", "\n", " "):
            at = window.rfind(boundary)
            if at > len(window) // 4:
                cut = at
                break
        if cut <= 0:
            cut = len(window)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def fits_callback(payload: str) -> bool:
    """Tell whether a payload can be used as callback data as it is."""
    return 0 < len(payload.encode("utf-8")) <= MAX_DATA and not payload.startswith(OWN_PREFIX)


def long_payload_key(payload: str) -> str:
    """Short callback data for a payload over 64 bytes (the channel keeps the mapping)."""
    return LONG_PAYLOAD + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


def callback_data(button: Button) -> str:
    """The callback data of a Rasa button: its payload, or a key when that is too long."""
    return button.payload if fits_callback(button.payload) else long_payload_key(button.payload)


def inline_keyboard(choices: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    """An inline keyboard from (title, callback data) pairs, one button per row."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(title, callback_data=data)] for title, data in choices]
    )


def buttons_keyboard(buttons: Iterable[Button]) -> InlineKeyboardMarkup:
    """Rasa's buttons as an inline keyboard."""
    return inline_keyboard((b.title, callback_data(b)) for b in buttons)


def chosen_keyboard(title: str) -> InlineKeyboardMarkup:
    """What a keyboard becomes once a button was pressed: one button showing the choice."""
    return inline_keyboard([(texts.CHOSEN_MARK.format(title=title), DONE)])


def forget_keyboard() -> InlineKeyboardMarkup:
    """Yes and no for /slett (handled by the channel, never sent to Rasa)."""
    return inline_keyboard([(texts.FORGET_YES, FORGET_YES), (texts.FORGET_NO, FORGET_NO)])


def phone_keyboard(buttons: Iterable[Button]) -> ReplyKeyboardMarkup:
    """Telegram's share-contact button, with Rasa's buttons as plain buttons below it."""
    rows = [[KeyboardButton(texts.SHARE_CONTACT, request_contact=True)]]
    rows += [[KeyboardButton(b.title)] for b in buttons]
    return ReplyKeyboardMarkup(rows, one_time_keyboard=True, resize_keyboard=True)


def button_title(markup: InlineKeyboardMarkup | None, data: str) -> str | None:
    """The title of the button with this callback data in a message's keyboard."""
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == data:
                return button.text
    return None
