"""Pure Telegram formatting: splitting long texts, callback data, keyboards."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels import texts
from bot.channels.relay import Button, link_payload
from bot.channels.telegram import format as fmt


def test_short_text_is_one_part() -> None:
    assert fmt.split_text("  Hei!  ") == ["Hei!"]
    assert fmt.split_text("") == []


def test_split_prefers_paragraphs_then_lines_then_spaces() -> None:
    first, second = "a" * 60, "b" * 30
    assert fmt.split_text(f"{first}\n\n{'b' * 50}", limit=100) == [first, "b" * 50]
    assert fmt.split_text(f"{first}\n{second}\n\n{'c' * 60}", limit=100) == [
        f"{first}\n{second}",
        "c" * 60,
    ]
    assert fmt.split_text(f"{first} {second}\n{'c' * 60}", limit=100) == [
        f"{first} {second}",
        "c" * 60,
    ]
    assert fmt.split_text(f"{'a' * 50} {'b' * 50} {'c' * 50}", limit=110) == [
        f"{'a' * 50} {'b' * 50}",
        "c" * 50,
    ]


def test_split_cuts_a_word_only_when_it_must() -> None:
    assert fmt.split_text("x" * 250, limit=100) == ["x" * 100, "x" * 100, "x" * 50]


def test_split_counts_emoji_as_telegram_does() -> None:
    text = "😀" * 60  # 120 UTF-16 code units
    parts = fmt.split_text(text, limit=100)
    assert [fmt.utf16_len(p) for p in parts] == [100, 20]
    assert "".join(parts) == text


@given(st.text(alphabet=st.sampled_from("ab æø\n😀"), max_size=600))
def test_split_keeps_every_word_and_respects_the_limit(text: str) -> None:
    parts = fmt.split_text(text, limit=50)
    assert all(0 < fmt.utf16_len(p) <= 50 for p in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())


def test_real_limit_is_4096() -> None:
    parts = fmt.split_text(("Ord " * 1500).strip())
    assert len(parts) == 2 and all(len(p) <= 4096 for p in parts)


def test_callback_data_is_the_payload_when_it_fits_in_64_bytes() -> None:
    short = Button("Ja", "/affirm")
    exactly = Button("Tid", '/choose_slot{"slot_id":"' + "9" * 38 + '"}')
    assert len(exactly.payload.encode()) == 64
    assert fmt.callback_data(short) == "/affirm"
    assert fmt.callback_data(exactly) == exactly.payload


def test_a_long_or_multibyte_payload_gets_a_short_key() -> None:
    payload = '/choose_slot{"slot_id":"1","note":"' + "ø" * 20 + '"}'
    assert len(payload) <= 64 < len(payload.encode())
    data = fmt.callback_data(Button("Tid", payload))
    assert data.startswith(fmt.LONG_PAYLOAD) and len(data.encode()) <= 64
    assert data == fmt.long_payload_key(payload)
    assert data != fmt.long_payload_key(payload + " ")


def test_a_payload_that_looks_like_the_channels_own_data_is_never_used_as_is() -> None:
    assert fmt.callback_data(Button("Ferdig", fmt.DONE)) != fmt.DONE


def test_buttons_are_one_per_row() -> None:
    keyboard = fmt.buttons_keyboard([Button("Ja", "/affirm"), Button("Nei", "/deny")])
    assert [[(b.text, b.callback_data) for b in row] for row in keyboard.inline_keyboard] == [
        [("Ja", "/affirm")],
        [("Nei", "/deny")],
    ]


def test_chosen_keyboard_shows_the_choice() -> None:
    [[button]] = fmt.chosen_keyboard("Ja").inline_keyboard
    assert (button.text, button.callback_data) == ("✔ Valgt: Ja", fmt.DONE)


def test_forget_keyboard_uses_the_channels_own_data() -> None:
    keyboard = fmt.forget_keyboard()
    assert [row[0].callback_data for row in keyboard.inline_keyboard] == [
        fmt.FORGET_YES,
        fmt.FORGET_NO,
    ]
    assert [row[0].text for row in keyboard.inline_keyboard] == [texts.FORGET_YES, texts.FORGET_NO]


def test_phone_keyboard_shares_the_contact_and_keeps_rasas_buttons() -> None:
    keyboard = fmt.phone_keyboard([Button("Avbryt", "/stop")])
    rows = keyboard.keyboard
    assert rows[0][0].text == texts.SHARE_CONTACT and rows[0][0].request_contact
    assert rows[1][0].text == "Avbryt" and not rows[1][0].request_contact
    assert keyboard.one_time_keyboard and keyboard.resize_keyboard


def test_button_title_finds_the_pressed_button() -> None:
    keyboard = fmt.buttons_keyboard([Button("Ja", "/affirm"), Button("Nei", "/deny")])
    assert fmt.button_title(keyboard, "/deny") == "Nei"
    assert fmt.button_title(keyboard, "/other") is None
    assert fmt.button_title(None, "/deny") is None


@pytest.mark.parametrize("code", ["ABCDEFGHJK", "23456789XY"])
def test_link_payload(code: str) -> None:
    assert link_payload(code) == f'/link_citizen{{"invite_code":"{code}"}}'
