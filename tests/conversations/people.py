"""Simulated people: their goal, their facts, how they write, and what they will answer.

An answer may name a button: "[Ja]" presses the button whose title starts with "Ja" when the
bot shows one, and types "Ja" otherwise; "[Vet ikke|Nei]" presses the first of these shown.
A tuple of answers is tried in turn while the bot asks the same question again. The cast's
texts are typed exactly as written (already in the person's style) after filling in the facts:
{name} {year} {age} {address} {phone}, and {o_name} {o_year} ... for the other person.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import zlib
from dataclasses import dataclass

from tests.conversations.screen import Ask, Done
from tests.conversations.voice import Phrases, Style

MONTHS = (
    "januar februar mars april mai juni juli august september oktober november desember"
).split()
WEEKDAYS = "mandag tirsdag onsdag torsdag fredag lørdag søndag".split()
Answer = str | tuple[str, ...]  # one answer, or one per time the bot asks the same again
_SLOT_TITLE = re.compile(r"(\d{1,2})\.\s*(" + "|".join(MONTHS) + r")\D*?(\d{1,2})[.:](\d{2})")


class Goal(enum.Enum):
    """What a person came to do, and what they count as done on the screen."""

    BOOK = ("book for self", {Done.BOOKED})
    BOOK_ALL_FACTS = ("book for self, all four facts in the first message", {Done.BOOKED})
    RELATIVE = ("book as a relative with consent", {Done.BOOKED})
    RELATIVE_NO_CONSENT = ("relative without consent: call-back", {Done.CALLBACK_SAVED})
    DECLINE = ("decline with a reason", {Done.DECLINE_SAVED})
    POSTPONE = ("postpone: ask me later", {Done.DECLINE_SAVED})
    CANCEL = ("cancel a booked visit", {Done.CANCELLED})
    MOVE = ("move a booked visit", {Done.MOVED})
    FAQ_THEN_BOOK = ("ask questions, then book", {Done.BOOKED})
    QUESTION_IN_FORM = ("book, with a question in the middle", {Done.BOOKED})
    FEEDBACK = ("feedback after a visit", {Done.FEEDBACK_SAVED})
    PERSON = ("talk to a person", {Done.QUEUED, Done.CALLBACK_SAVED})
    CALLBACK = ("be called back", {Done.CALLBACK_SAVED})
    TOO_YOUNG = (
        "outside the age group, wants a visit",
        {Done.CALLBACK_SAVED, Done.CALLBACK_REFUSED},
    )

    def __init__(self, label: str, done_when: set[Done]) -> None:
        self.label = label
        self.done_when = frozenset(done_when)

    @property
    def books(self) -> bool:
        """The goal is a new booking."""
        return Done.BOOKED in self.done_when

    @property
    def for_someone_else(self) -> bool:
        """A relative writes for the person who would get the visit."""
        return self in (Goal.RELATIVE, Goal.RELATIVE_NO_CONSENT)


@dataclass(frozen=True)
class Facts:
    """One person's details, written the way the person writes them."""

    name: str
    age: int  # the age the person turns this year
    address: str
    phone: str
    she: bool = True

    def birth_year(self, this_year: int) -> int:
        """The year of birth that makes `age` this year."""
        return this_year - self.age

    def values(self, this_year: int, prefix: str = "") -> dict[str, object]:
        """The placeholders of this person's facts."""
        return {
            f"{prefix}name": self.name,
            f"{prefix}year": self.birth_year(this_year),
            f"{prefix}age": self.age,
            f"{prefix}address": self.address,
            f"{prefix}phone": self.phone,
            f"{prefix}pronoun": "hun" if self.she else "han",
            f"{prefix}pronoun_nn": "ho" if self.she else "han",
            f"{prefix}pronoun_cap": "Hun" if self.she else "Han",
            f"{prefix}pronoun_obj": "hennes" if self.she else "hans",
            f"{prefix}object": "henne" if self.she else "ham",
            f"{prefix}object_nn": "henne" if self.she else "han",
        }


@dataclass(frozen=True)
class Wish:
    """A wish for the time of the visit: the words typed, and what fits it."""

    words: Phrases | str
    weekdays: frozenset[int] = frozenset()  # 0 = Monday
    part: str | None = None  # "morning" (before 12) or "afternoon"
    not_before: dt.date | None = None
    before: dt.date | None = None

    def fits(self, when: dt.datetime) -> bool:
        """Whether a visit at `when` (local time) is what the person asked for."""
        if self.weekdays and when.weekday() not in self.weekdays:
            return False
        if self.part == "morning" and when.hour >= 12:
            return False
        if self.part == "afternoon" and when.hour < 12:
            return False
        if self.not_before and when.date() < self.not_before:
            return False
        return not (self.before and when.date() >= self.before)


def slot_time(title: str, today: dt.date) -> dt.datetime | None:
    """The local time a time button shows ("tirsdag 8. desember kl. 10.00"), or None."""
    match = _SLOT_TITLE.search(title.casefold())
    if not match:
        return None
    day, month_name, hour, minute = match.groups()
    month = MONTHS.index(month_name) + 1
    year = today.year + (1 if month < today.month else 0)
    try:
        return dt.datetime(year, month, int(day), int(hour), int(minute))
    except ValueError:
        return None


@dataclass(frozen=True)
class Person:
    """A simulated user: who they are, what they want, and how they answer."""

    key: str
    goal: Goal
    me: Facts
    style: Style
    opener: tuple[str, ...]  # what they write (or press) before reacting to questions
    other: Facts | None = None  # the person a relative writes for
    relation: str = ""  # how they write the relation: "mora mi"
    relations: frozenset[str] = frozenset()  # stored relations that are right (empty: any)
    relation_answer: Answer = ""  # their answer to "what are you to the person?"
    consent: Answer = "[Ja]"
    wish: Wish | None = None
    pick: int | None = None  # which fitting time they take (None: one of the first three)
    all_facts_first: bool = False
    bundles: bool = False  # gives two facts in one answer
    says_age: bool = False  # "Jeg er 79 år" instead of the year
    year_for_name: bool = False  # answers "Hva heter du?" with the birth year first
    annoyed: bool = False  # "Det skrev jeg jo: ..." when asked again for a fact
    checks_summary: bool = True
    aside: tuple[Ask, str] | None = None  # a question asked when the bot first asks this
    reasons: frozenset[str] = frozenset()  # decline reasons that count as right
    reason_answer: Answer = "[Det passer ikke nå]"
    reason_text: Answer = "[Hopp over]"
    alternative: Answer = "[Nei takk]"
    wants_later: bool = False
    later: Answer = "[Neste år]"
    gives_phone: bool = True
    accepts_callback: bool = True
    topic: Answer = "[Hopp over]"
    rating: int = 5
    rating_answer: Answer = "[5]"
    useful: str = "yes"
    useful_answer: Answer = "[Ja]"
    comment: Answer = "[Hopp over]"

    @property
    def choice(self) -> int:
        """Which of the fitting times they take: their own, or one of the first three (people
        differ, and users chatting at the same time then seldom race for one time)."""
        return self.pick if self.pick is not None else zlib.crc32(self.key.encode()) % 3

    @property
    def visit_for(self) -> Facts:
        """The person who gets the visit."""
        return self.other if self.goal.for_someone_else and self.other else self.me

    def values(self, this_year: int) -> dict[str, object]:
        """Every placeholder of the cast's texts."""
        values = {**self.me.values(this_year), "relation": self.relation}
        if self.other:
            values.update(self.other.values(this_year, prefix="o_"))
        return values
