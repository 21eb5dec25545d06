"""What a person reads on the screen: which question the bot asks, and what it says is done.

Recognised by key phrases of the responses in domain.yml (and of the questions being added:
"Gjelder det deg selv eller noen andre?", "Har personen selv sagt ja til å få besøk?"), and by
the buttons, never by Rasa's internals: the bot may reword a sentence and keep its meaning.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any


class Ask(enum.Enum):
    """What the bot's last message asks for."""

    SELF_OR_OTHER = "self or someone else"
    RELATION = "relation"
    NAME = "name"
    BIRTH_YEAR = "birth year"
    ADDRESS = "address"
    PHONE = "phone"
    CONSENT = "consent"
    TIME = "time"
    CONFIRM = "confirmation"
    CORRECTION = "what is wrong?"
    CONFIRM_CANCEL = "confirm cancelling"
    REASON = "reason"
    REASON_TEXT = "reason in own words"
    ALTERNATIVE = "alternative place"
    WANTS_LATER = "ask again later?"
    LATER_WHEN = "when later"
    CALLBACK_OFFER = "call-back offer"
    TOPIC = "call-back topic"
    RATING = "rating"
    USEFUL = "useful"
    COMMENT = "comment"
    FEEDBACK_INVITE = "feedback invitation"
    ALREADY_BOOKED = "already booked"
    FORM_HINT = "answer the question"
    ANYTHING_ELSE = "anything else?"
    MENU = "menu"
    NOTHING = "nothing"


class Done(enum.Enum):
    """What the bot says has happened."""

    BOOKED = "booked"
    CANCELLED = "cancelled"
    MOVED = "moved"
    DECLINE_SAVED = "decline saved"
    CALLBACK_SAVED = "call-back saved"
    FEEDBACK_SAVED = "feedback saved"
    QUEUED = "a person answers in the chat"
    NOT_IN_GROUP = "not in the target group"
    CALLBACK_REFUSED = "no call-back"
    GOODBYE = "goodbye"


# (question, key phrases): the first match wins, so the specific ones come first.
QUESTIONS: tuple[tuple[Ask, tuple[str, ...]], ...] = (
    (Ask.SELF_OR_OTHER, ("deg selv eller noen andre", "deg selv eller en annen", "for deg selv")),
    (Ask.CONSENT, ("sagt ja til", "samtykke", "vet personen om", "vil personen selv")),
    (Ask.RELATION, ("hva er du for", "hvem er du for", "hvordan kjenner du")),
    (Ask.CONFIRM_CANCEL, ("avbestille dette besøket", "vil du avbestille?")),
    (Ask.ALREADY_BOOKED, ("du har allerede et besøk",)),
    (Ask.CONFIRM, ("stemmer dette", "vil du flytte besøket til", "er dette riktig")),
    (Ask.CORRECTION, ("hva er feil", "hva skal rettes")),
    (Ask.LATER_WHEN, ("høre fra oss igjen?", "når skal vi ta kontakt", "når vil du at vi")),
    (Ask.WANTS_LATER, ("spør deg igjen", "spør igjen senere", "kontakte deg igjen senere")),
    (Ask.REASON_TEXT, ("fortell gjerne med egne ord", "med dine egne ord")),
    (Ask.REASON, ("fortelle hvorfor", "hvorfor vil du ikke", "hva er grunnen")),
    (Ask.ALTERNATIVE, ("annet sted enn hjemme",)),
    (
        Ask.CALLBACK_OFFER,
        ("vil du heller at vi ringer", "at noen fra kommunen ringer", "ringer deg?"),
    ),
    (Ask.TOPIC, ("hva gjelder det",)),
    (Ask.RATING, ("hvor fornøyd", "fra 1 til 5")),
    (Ask.USEFUL, ("nyttig", "«litt»")),
    (Ask.COMMENT, ("si noe mer om besøket", "noe mer om besøket")),
    (Ask.FEEDBACK_INVITE, ("hvordan det var", "gi tilbakemelding?")),
    (Ask.NAME, ("hva heter", "navnet", "fornavn og etternavn")),
    (Ask.BIRTH_YEAR, ("født", "årstallet", "fødselsår")),
    (Ask.ADDRESS, ("adresse",)),
    (Ask.PHONE, ("telefonnummer", "8 siffer")),
    (Ask.TIME, ("ledige tider", "tidspunktet", "annen tid", "hvilken tid", "når passer det")),
    (Ask.FORM_HINT, ("trenger svar på spørsmålet",)),
    (Ask.ANYTHING_ELSE, ("noe mer jeg kan hjelpe", "noe annet jeg kan hjelpe")),
    (Ask.MENU, ("hva vil du gjøre",)),
)

DONE: tuple[tuple[Done, tuple[str, ...]], ...] = (
    (Done.BOOKED, ("besøket er bestilt",)),
    (Done.CANCELLED, ("besøket er avbestilt",)),
    (Done.MOVED, ("besøket er flyttet",)),
    (Done.DECLINE_SAVED, ("takk for at du svarte", "vi ringer deg for å avtale")),
    (Done.CALLBACK_SAVED, ("så snart vi kan", "vi ringer deg så snart", "vi ringer personen")),
    (Done.FEEDBACK_SAVED, ("svaret ditt er lagret",)),
    (Done.QUEUED, ("en ansatt svarer deg", "står allerede i kø")),
    (Done.NOT_IN_GROUP, ("ikke i den gruppen", "ikke i målgruppen")),
    (Done.CALLBACK_REFUSED, ("hvis du ombestemmer deg",)),
    (Done.GOODBYE, ("ha det bra",)),
)

MENU_BUTTONS = {"bestille besøk", "takke nei til besøk"}
# A question asking about the person the visit is for when someone else writes.
ABOUT_SOMEONE_ELSE = ("personen", "hun ", "han ", "den som skal ha besøk")
# The same question asked again after an answer the bot could not use.
RE_ASK = ("forstod ikke", "fikk ikke med meg", "ser ikke ut som", "trenger et telefonnummer")


@dataclass(frozen=True)
class Button:
    """A button: what the person sees and what pressing it sends."""

    title: str
    payload: str

    @property
    def is_time(self) -> bool:
        """A time slot button."""
        return self.payload.startswith("/choose_slot")


@dataclass(frozen=True)
class Message:
    """One bot message as the web page shows it."""

    text: str
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class Screen:
    """The bot's answer to one turn, read: the question, what is done, the buttons."""

    messages: tuple[Message, ...]
    ask: Ask
    asking: str = ""  # the text of the message that asks
    done: frozenset[Done] = field(default_factory=frozenset)

    @property
    def buttons(self) -> tuple[Button, ...]:
        """Every button on this answer, in order."""
        return tuple(b for m in self.messages for b in m.buttons)

    @property
    def time_buttons(self) -> tuple[Button, ...]:
        """The time slot buttons."""
        return tuple(b for b in self.buttons if b.is_time)

    @property
    def about_someone_else(self) -> bool:
        """The question is about the person who gets the visit, not the writer."""
        text = self.asking.casefold()
        return any(word in text for word in ABOUT_SOMEONE_ELSE)

    @property
    def is_re_ask(self) -> bool:
        """The bot did not understand the last answer and asks again."""
        text = self.asking.casefold()
        return any(word in text for word in RE_ASK)

    def button(self, *titles: str) -> Button | None:
        """The first button whose title starts with one of `titles` (any case)."""
        for wanted in titles:
            for button in self.buttons:
                if button.title.casefold().startswith(wanted.casefold()):
                    return button
        return None

    def says(self, *phrases: str) -> bool:
        """Whether any message contains one of the phrases (any case)."""
        text = " ".join(m.text for m in self.messages).casefold()
        return any(p.casefold() in text for p in phrases)


def message_from_json(raw: dict[str, Any]) -> Message:
    """A message of the web chat's JSON API."""
    buttons = tuple(
        Button(str(b.get("title") or ""), str(b.get("payload") or b.get("title") or ""))
        for b in raw.get("buttons") or []
    )
    return Message(str(raw.get("text") or ""), buttons)


def question_of(message: Message) -> Ask:
    """The question one message asks (NOTHING when it asks none)."""
    text = re.sub(r"\s+", " ", message.text.casefold())
    titles = {b.title.casefold() for b in message.buttons}
    if any(b.is_time for b in message.buttons):
        return Ask.TIME
    if MENU_BUTTONS & titles:  # the greeting, help, "what now", "stopped": the main menu
        return Ask.MENU
    for ask, phrases in QUESTIONS:
        if any(p in text for p in phrases):
            return ask
    if {"meg selv", "noen andre"} & titles:
        return Ask.SELF_OR_OTHER
    return Ask.NOTHING


def read(messages: list[Message]) -> Screen:
    """Read one answer: the last message that asks something decides the question."""
    done = frozenset(
        d for d, phrases in DONE for m in messages if any(p in m.text.casefold() for p in phrases)
    )
    for message in reversed(messages):
        ask = question_of(message)
        if ask is not Ask.NOTHING:
            return Screen(tuple(messages), ask, message.text, done)
    return Screen(tuple(messages), Ask.NOTHING, "", done)
