"""The Norwegian texts of system-started messages and of the invitation letter."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import pytest

from bot.channels.relay import Button
from bot.outreach import notices
from fhb.invitation_codes import normalise_code
from fhb.profile import Profile

CODE = "ABCD2345XY"


def other_kommune(profile: Profile) -> Profile:
    """Another municipality: every value must come from the profile, not from the code."""
    return dataclasses.replace(
        profile,
        name="Elvdal kommune",
        phone="+4722334455",
        opening_hours="mandag kl. 10–12",
        visit_minutes=45,
        cost="",
        interpreter="",
        visitors=(("Per Lie", ""),),
        age_from=75,
        age_to=76,
    )


def sentences(text: str) -> list[str]:
    """Split a text into sentences."""
    return [s for s in re.split(r"(?<=[.!?])\s+|\n", text) if s.strip()]


def letter(profile: Profile, **overrides: Any) -> notices.LetterText:
    """The letter to Kari Nordmann with a fixed code and date."""
    values: dict[str, Any] = {
        "name": "Kari Nordmann",
        "address": "Storgata 5, 3210 Fjellvik",
        "code": CODE,
        "today": dt.date(2026, 11, 22),
        "web_url": "https://chat.fjellvik.no/",
        "telegram_username": "fjellvik_bot",
    }
    values.update(overrides)
    return notices.letter_text(profile, **values)


def letter_words(text: notices.LetterText) -> str:
    """All the words of a letter as one text."""
    parts = [
        text.sender,
        text.date,
        *text.address_lines,
        text.title,
        text.greeting,
        *text.paragraphs,
        text.answer_heading,
        text.code_line,
        text.code_note,
        *text.closing_paragraphs,
        *text.signature,
    ]
    parts += [f"{w.title}: {w.text}" for w in text.answer_ways]
    return "\n".join(parts)


# --- chat notices ---------------------------------------------------------------------


def test_reminder_says_when_who_where_and_what_to_do(profile: Profile) -> None:
    text = notices.reminder_text(
        profile,
        slot_label="tirsdag 24. november kl. 10.00",
        visitor="Kari Hansen",
        address="Storgata 5",
    )
    assert "Du får besøk i morgen, tirsdag 24. november kl. 10.00." in text
    assert "Kari Hansen (sykepleier) kommer til Storgata 5." in text
    assert "omtrent 60 minutter" in text
    assert "33 44 55 66 (hverdager kl. 08.00–15.30)" in text
    assert "Trykk på et valg" in text


def test_reminder_without_address_or_known_role(profile: Profile) -> None:
    text = notices.reminder_text(
        profile, slot_label="onsdag 2. desember kl. 12.00", visitor="Vikar Vik", address=None
    )
    assert "Vikar Vik kommer på besøk." in text
    assert "(" not in text.split("Vikar Vik")[1].split(".")[0]
    assert "None" not in text


def test_a_relative_is_told_who_gets_the_visit(profile: Profile) -> None:
    reminder = notices.reminder_text(
        profile,
        slot_label="tirsdag 24. november kl. 10.00",
        visitor="Kari Hansen",
        address="Storgata 5",
        for_name="Kari Nordmann",
    )
    assert "Kari Nordmann får besøk i morgen" in reminder and "Du får besøk" not in reminder
    feedback = notices.feedback_request_text(profile, for_name="Kari Nordmann")
    assert "Takk for at Kari Nordmann tok imot besøk" in feedback


def test_feedback_request_and_new_offer(profile: Profile) -> None:
    feedback = notices.feedback_request_text(profile, visitor="Ola Berg")
    assert "besøk av Ola Berg fra Fjellvik kommune" in feedback
    assert "hvordan det var" in feedback
    assert "besøk fra Fjellvik kommune" in notices.feedback_request_text(profile)
    offer = notices.new_offer_text(profile)
    assert "senere" in offer and "Besøket er gratis." in offer and "frivillig" in offer
    assert "33 44 55 66" in offer


def test_every_value_comes_from_the_profile(profile: Profile) -> None:
    elvdal = other_kommune(profile)
    texts = [
        notices.reminder_text(elvdal, slot_label="i dag", visitor="Per Lie", address=None),
        notices.feedback_request_text(elvdal),
        notices.new_offer_text(elvdal),
        letter_words(letter(elvdal)),
    ]
    for text in texts:
        assert "Fjellvik kommune" not in text and "33 44 55 66" not in text
        assert "Elvdal kommune" in text
        assert "  " not in text and "None" not in text
    assert all("22 33 44 55" in texts[i] for i in (0, 2, 3))  # the short thank-you has none
    assert "Elvdal kommune" in texts[0] and "45 minutter" in texts[0]
    assert "gratis" not in texts[2]  # Elvdal's profile says nothing about the cost
    assert "fra 75 til 76 år" in texts[3] and "Per Lie" in texts[3]


@pytest.mark.parametrize(
    "buttons", [notices.REMINDER_BUTTONS, notices.FEEDBACK_BUTTONS, notices.NEW_OFFER_BUTTONS]
)
def test_buttons_send_intents_the_bot_knows(
    buttons: tuple[Button, ...], domain: dict[str, Any]
) -> None:
    for button in buttons:
        assert button.payload.startswith("/")
        assert button.payload[1:] in domain["intents"]
        assert len(button.payload.encode()) <= 64  # Telegram's callback data limit
        assert button.title and button.title[0].isupper()


# --- the invitation letter ------------------------------------------------------------


def test_group_code_reads_back_as_the_code() -> None:
    assert notices.group_code(CODE) == "ABCD-2345-XY"
    assert normalise_code(notices.group_code(CODE)) == CODE


def test_letter_with_telegram_web_and_phone(profile: Profile) -> None:
    text = letter(profile)
    assert (text.sender, text.date) == ("Fjellvik kommune", "22. november 2026")
    assert text.address_lines == ("Kari Nordmann", "Storgata 5", "3210 Fjellvik")
    assert text.greeting == "Hei Kari Nordmann,"
    assert [w.link for w in text.answer_ways] == [
        f"https://t.me/fjellvik_bot?start={CODE}",
        f"https://chat.fjellvik.no/?kode={CODE}",
        None,
    ]
    assert "t.me/fjellvik_bot?start=" + CODE in text.answer_ways[0].text
    assert f"https://chat.fjellvik.no/?kode={CODE}" in text.answer_ways[1].text
    assert text.answer_ways[2].text == "33 44 55 66, hverdager kl. 08.00–15.30."
    assert text.code_line == "Koden din: ABCD-2345-XY"
    body = " ".join(text.paragraphs)
    assert "råd og veiledning" in body and "frivillig" in body and "Besøket er gratis." in body
    assert "omtrent 60 minutter" in body
    assert "Kari Hansen (sykepleier) eller Ola Berg (fysioterapeut)" in body
    assert "fra 77 til 80 år" in body
    assert "senere" in " ".join(text.closing_paragraphs)


def test_letter_without_telegram_or_address(profile: Profile) -> None:
    text = letter(profile, telegram_username="", address=None)
    assert [w.title for w in text.answer_ways] == ["Chat med oss på nettsiden", "Ring oss"]
    assert "t.me" not in letter_words(text)
    assert text.address_lines == ("Kari Nordmann",)


def test_sentences_are_short(profile: Profile) -> None:
    texts = [
        notices.reminder_text(
            profile,
            slot_label="tirsdag 24. november kl. 10.00",
            visitor="Kari Hansen",
            address="Storgata 5",
        ),
        notices.feedback_request_text(profile, visitor="Kari Hansen"),
        notices.new_offer_text(profile),
        letter_words(letter(profile, telegram_username="")),
    ]
    for text in texts:
        longest = max(sentences(text), key=lambda s: len(s.split()))
        assert len(longest.split()) <= 20, longest
