"""A person in front of the screen: reads what the bot asks and answers it in their own way.

The Reader keeps what the person has seen and said, and the ways they answer (type in their
style, press a button, say yes or no, restate their errand); the reaction table itself is
`rules.RULES`. People simplify when the bot asks the same thing again, press the button when
typing did not work, give up when asked the same question five times in a row, and refuse a
booking they did not come for.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter

from tests.conversations import phrases as P
from tests.conversations.people import Answer, Facts, Goal, Person
from tests.conversations.rules import RULES
from tests.conversations.screen import Ask, Screen
from tests.conversations.turn import Turn
from tests.conversations.voice import Phrases, Voice, fold

IDLE = (Ask.MENU, Ask.NOTHING, Ask.ANYTHING_ELSE)
PATIENCE = 5  # the same question this many times in a row, and the person gives up


# What a person types (and may press) to restate their errand.
ERRANDS: dict[Goal, tuple[Phrases, str | None]] = {
    Goal.BOOK: (P.BOOK, "Bestille besøk"),
    Goal.BOOK_ALL_FACTS: (P.BOOK, "Bestille besøk"),
    Goal.FAQ_THEN_BOOK: (P.BOOK, "Bestille besøk"),
    Goal.QUESTION_IN_FORM: (P.BOOK, "Bestille besøk"),
    Goal.TOO_YOUNG: (P.BOOK, "Bestille besøk"),
    Goal.RELATIVE: (P.BOOK_FOR_OTHER, None),
    Goal.RELATIVE_NO_CONSENT: (P.BOOK_FOR_OTHER, None),
    Goal.DECLINE: (P.DECLINE, "Takke nei til besøk"),
    Goal.POSTPONE: (P.POSTPONE, None),
    Goal.CANCEL: (P.CANCEL, None),
    Goal.MOVE: (P.MOVE, None),
    Goal.FEEDBACK: (P.FEEDBACK, "Gi tilbakemelding"),
    Goal.PERSON: (P.PERSON, "Snakke med en person"),
    Goal.CALLBACK: (P.CALL_ME, None),
}


class Reader:
    """One person's mind during one conversation."""

    def __init__(self, person: Person, *, today: dt.date) -> None:
        self.person: Person = person
        self.today: dt.date = today
        self.rng = random.Random(person.key)
        self.voice = Voice(person.style, self.rng)
        self.values: dict[str, object] = person.values(today.year)
        self.openers = list(person.opener)
        self.asked: Counter[tuple[Ask, bool]] = Counter()
        self.subjects: dict[Ask, Facts] = {}
        self.last_question: Screen | None = None
        self.done_turn: int | None = None
        self.closed = False
        self.aside_done = False
        self.wish_said = 0
        self.time_tries = 0
        self.restated = 0
        self.corrections = 0
        self.refusals = 0
        self.question: tuple[Ask, str] | None = None
        self.streak = 0  # how many times in a row the same question was on the screen
        self.seen: Counter[tuple[Ask, str]] = Counter()  # how often each question was asked
        self.gave_up: str | None = None
        self.last_summary: Screen | None = None
        self.turns = 0

    # --- what the person sees -----------------------------------------------------------------

    @property
    def done(self) -> bool:
        """The person has seen their errand done."""
        return self.done_turn is not None

    def notice(self, screen: Screen) -> None:
        """Read the screen: is the errand done?"""
        if not self.done and self.person.goal.done_when & screen.done:
            self.done_turn = self.turns

    def react(self, screen: Screen) -> Turn | None:
        """The next thing the person sends, or None when they are finished."""
        turn = self._react(screen)
        if turn is not None:
            self.turns += 1
        return turn

    def _react(self, screen: Screen) -> Turn | None:
        """The reaction table, with openers, asides and the polite goodbye around it."""
        if self.done:
            if self.closed or not (self.person.style.polite or self.rng.random() < 0.3):
                return None
            self.closed = True
            return self.type(P.CLOSING)
        if self.openers and (self.turns == 0 or screen.ask in IDLE):
            return self.choose(self.openers.pop(0), screen)
        if screen.ask is Ask.FORM_HINT and self.last_question is not None:
            screen = dataclasses.replace(self.last_question, messages=screen.messages)
        question = (screen.ask, fold(screen.asking))
        self.streak = self.streak + 1 if question == self.question else 1
        self.question = question
        self.seen[question] += 1
        if screen.ask not in IDLE and self.streak >= PATIENCE:
            self.gave_up = f"gave up: the bot asked {screen.asking!r} {PATIENCE} times in a row"
            return None
        if screen.ask in IDLE and self.restated >= PATIENCE:
            self.gave_up = f"gave up: said what they came for {PATIENCE} times"
            return None
        aside = self.person.aside
        if aside and not self.aside_done and screen.ask is aside[0]:
            self.aside_done = True
            self.last_question = screen
            return self.type(aside[1])
        if screen.ask not in IDLE:
            self.last_question = screen
        if screen.ask is Ask.CONFIRM:
            self.last_summary = screen
        if self.wrong_errand(screen):
            return self.refuse(screen)
        return RULES[screen.ask](self, screen)

    def wrong_errand(self, screen: Screen) -> bool:
        """The bot is booking a visit, but the person did not come to book one."""
        goal = self.person.goal
        if goal.books or goal is Goal.TOO_YOUNG or goal is Goal.RELATIVE:
            return False
        booking = {Ask.BIRTH_YEAR, Ask.ADDRESS, Ask.CONFIRM}
        if goal is not Goal.MOVE:
            booking.add(Ask.TIME)
        if goal is Goal.MOVE and screen.ask is Ask.CONFIRM and not screen.says("navn:"):
            return False  # "Vil du flytte besøket til ...?"
        return screen.ask in booking

    def refuse(self, screen: Screen) -> Turn:
        """Say no to a booking they did not ask for; the third time, press "Avbryt"."""
        self.refusals += 1
        if self.refusals >= 3 and screen.button("Avbryt"):
            return self.choose("[Avbryt]", screen)
        kind = {
            Goal.DECLINE: "decline",
            Goal.POSTPONE: "decline",
            Goal.CANCEL: "cancel",
            Goal.MOVE: "cancel",
            Goal.FEEDBACK: "feedback",
            Goal.RELATIVE_NO_CONSENT: "no_consent",
        }.get(self.person.goal, "call")
        return self.type(P.NOT_BOOKING[kind])

    # --- ways of answering ----------------------------------------------------------------

    def type(self, phrases: Phrases | str, **facts: object) -> Turn:
        """Type a phrase in this person's style."""
        return Turn(self.voice.say(phrases, **{**self.values, **facts}))

    def choose(self, answers: Answer, screen: Screen) -> Turn:
        """A cast answer; several are tried in turn while the bot asks the same again.
        "[Title]" presses that button when shown, else types the words."""
        if isinstance(answers, tuple):
            asked = self.seen[self.question] if self.question else 1
            spec = answers[min(asked, len(answers)) - 1] if answers else ""
        else:
            spec = answers
        if spec.startswith("[") and spec.endswith("]"):
            titles = spec[1:-1].split("|")
            button = screen.button(*titles)
            if button is not None:
                return Turn(button.title, button.payload)
            return Turn(self.voice.dress(titles[0]))
        return Turn(spec.format(**self.values))

    def press_or_type(self, screen: Screen, titles: tuple[str, ...], phrases: Phrases) -> Turn:
        """Press one of these buttons as often as this person presses, else type; asked again,
        type the button's words; asked a third time, anyone presses it."""
        button = screen.button(*titles)
        asked = self.seen[self.question] if self.question else 1
        if button is not None and asked == 2:
            return Turn(self.voice.dress(button.title))  # typed as shown on the button
        pressing = asked >= 3 or self.rng.random() < self.person.style.presses
        if button is not None and pressing:
            return Turn(button.title, button.payload)
        return self.type(phrases)

    def yes(self, screen: Screen) -> Turn:
        """Yes, by button or typed."""
        return self.press_or_type(screen, ("Ja",), P.YES)

    def no(self, screen: Screen) -> Turn:
        """No, by button or typed."""
        return self.press_or_type(screen, ("Nei",), P.NO)

    def restate(self, screen: Screen) -> Turn:
        """Say again what they came for; from the second time, press the menu button."""
        self.restated += 1
        phrases, title = ERRANDS[self.person.goal]
        button = screen.button(title) if title else None
        if button is not None and self.restated >= 2:
            return Turn(button.title, button.payload)
        return self.type(phrases)
