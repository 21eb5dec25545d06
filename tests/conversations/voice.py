"""How a simulated person writes: bokmål or nynorsk, long and polite or terse, without æøå,
with typos, in small letters. The facts (name, street, phone) are written the way the person
writes them in the cast, and typos never touch them: people do not misspell their own name.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

Phrases = Mapping[str, Sequence[str]]  # register ("nb", "nn", "polite", "terse") → templates

ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})
_WORD = re.compile(r"\{[^}]*\}|[A-Za-zÆØÅæøå]+")


@dataclass(frozen=True)
class Style:
    """A person's way of writing."""

    nynorsk: bool = False
    polite: bool = False  # long, polite messages
    terse: bool = False  # a word or two
    ascii: bool = False  # no æøå: "besok", "pa", "fodt"
    typos: float = 0.0  # share of longer words with a typo
    lower: bool = False  # no capitals and no full stops
    presses: float = 0.5  # how often they press an offered button instead of typing

    def describe(self) -> str:
        """A few words for the report."""
        parts = [
            "nynorsk" if self.nynorsk else "bokmål",
            "polite" if self.polite else "",
            "terse" if self.terse else "",
            "no æøå" if self.ascii else "",
            f"typos {self.typos:.0%}" if self.typos else "",
            "lower case" if self.lower else "",
            f"presses {self.presses:.0%}",
        ]
        return ", ".join(p for p in parts if p)


def typo(word: str, rng: random.Random) -> str:
    """One plausible slip of the finger: two letters swapped, one dropped, or one doubled."""
    i = rng.randrange(1, len(word) - 2)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


class Voice:
    """Turns a phrase (templates per register) and the facts into what the person types."""

    def __init__(self, style: Style, rng: random.Random) -> None:
        self.style = style
        self.rng = rng

    def template(self, phrases: Phrases | str) -> str:
        """Choose a template for this person's register."""
        if isinstance(phrases, str):
            return phrases
        style = self.style
        for register, wanted in (
            ("polite", style.polite),
            ("nn", style.nynorsk),
            ("terse", style.terse),
            ("nb", True),
        ):
            if wanted and phrases.get(register):
                return self.rng.choice(list(phrases[register]))
        return self.rng.choice([t for options in phrases.values() for t in options])

    def dress(self, template: str) -> str:
        """Apply the writing style to a template (the {facts} are left alone)."""
        style = self.style
        if style.ascii:
            template = template.translate(ASCII)
        if style.typos:

            def slip(match: re.Match[str]) -> str:
                """A typo in this word, now and then."""
                word = match.group(0)
                if word.startswith("{") or len(word) < 5 or self.rng.random() >= style.typos:
                    return word
                return typo(word, self.rng)

            template = _WORD.sub(slip, template)
        if style.lower:
            template = template.lower().rstrip(".!")
        return template

    def say(self, phrases: Phrases | str, **facts: object) -> str:
        """What the person types for `phrases`, with the facts filled in."""
        return self.dress(self.template(phrases)).format(**facts)


def fold(text: str) -> str:
    """Text compared the way a reader compares it: any case, æøå or not, no punctuation."""
    text = text.translate(ASCII).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())
