"""The simulated users' report: success rate, turns per booking, repeats, failed transcripts."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.conversations.chat import MAX_REPEAT, TURN_LIMIT, Conversation
from tests.conversations.people import Goal

TARGET = 0.95  # the target success rate
LONGEST_SHOWN = 5  # successful conversations shown in full: where the turns go


@dataclass(frozen=True)
class Figures:
    """The numbers of one run."""

    users: int
    succeeded: int
    booking_turns: float | None  # mean user turns until "Besøket er bestilt"
    bookings: int
    all_facts_turns: float | None  # the same, for those who gave all four facts at once
    all_facts_bookings: int
    longest_repeat: int
    longest_repeat_user: str
    seconds: float
    workers: int

    @property
    def rate(self) -> float:
        """Share of users whose errand the database shows done."""
        return self.succeeded / self.users if self.users else 0.0

    def summary(self) -> str:
        """One line for the terminal."""
        return (
            f"{self.succeeded}/{self.users} simulated users succeeded ({self.rate:.1%}, "
            f"target {TARGET:.0%}); user turns per booking {_mean(self.booking_turns)}, "
            f"all four facts first {_mean(self.all_facts_turns)}; longest run of one bot "
            f"message {self.longest_repeat}; {self.seconds:.0f} s with {self.workers} workers"
        )


def _mean(value: float | None) -> str:
    """A mean for the report, or a dash."""
    return "–" if value is None else f"{value:.1f}"


def figures(conversations: list[Conversation], *, seconds: float, workers: int) -> Figures:
    """Count the run."""
    booked = [c for c in conversations if c.person.goal.books and c.success]
    turns = [c.done_turn for c in booked if c.done_turn is not None]
    all_facts = [
        c.done_turn for c in booked if c.person.all_facts_first and c.done_turn is not None
    ]
    worst = max(conversations, key=lambda c: c.longest_repeat, default=None)
    return Figures(
        users=len(conversations),
        succeeded=sum(c.success for c in conversations),
        booking_turns=statistics.fmean(turns) if turns else None,
        bookings=len(turns),
        all_facts_turns=statistics.fmean(all_facts) if all_facts else None,
        all_facts_bookings=len(all_facts),
        longest_repeat=worst.longest_repeat if worst else 0,
        longest_repeat_user=worst.person.key if worst else "",
        seconds=seconds,
        workers=workers,
    )


def markdown(conversations: list[Conversation], numbers: Figures, *, title: str) -> str:
    """The whole report."""
    out = [
        f"# {title}",
        "",
        f"**{numbers.succeeded} of {numbers.users} users succeeded: {numbers.rate:.1%}** "
        f"(target {TARGET:.0%}). Success is judged from the visit database only, plus: no bot "
        f"message more than {MAX_REPEAT} times in a row, and done within {TURN_LIMIT} user "
        "turns.",
        "",
        f"- User turns per booking: {_mean(numbers.booking_turns)} "
        f"({numbers.bookings} bookings); with all four facts in the first message: "
        f"{_mean(numbers.all_facts_turns)} ({numbers.all_facts_bookings} bookings).",
        f"- Longest run of one identical bot message: {numbers.longest_repeat} "
        f"({numbers.longest_repeat_user}).",
        f"- {numbers.seconds:.0f} s, {numbers.workers} users at a time.",
        "",
        "| goal | users | succeeded |",
        "| --- | --- | --- |",
    ]
    per_goal = Counter(c.person.goal for c in conversations)
    won = Counter(c.person.goal for c in conversations if c.success)
    for goal in Goal:
        if per_goal[goal]:
            out.append(f"| {goal.label} | {per_goal[goal]} | {won[goal]} |")
    failed = [c for c in conversations if not c.success]
    out += ["", f"## Failures ({len(failed)})", ""]
    for c in failed:
        out += [
            f"### {c.person.key}: {c.person.goal.label}",
            "",
            f"Style: {c.person.style.describe()}.",
            "",
            "Why: " + "; ".join(c.failures),
            "",
            "```",
            c.transcript(),
            "```",
            "",
        ]
    succeeded = [c for c in conversations if c.success]
    longest = sorted(succeeded, key=lambda c: -(c.done_turn or 0))[:LONGEST_SHOWN]
    out += [f"## The {len(longest)} longest successful conversations", ""]
    for c in longest:
        out += [
            f"### {c.person.key}: {c.person.goal.label}, done after {c.done_turn} turns",
            "",
            f"Style: {c.person.style.describe()}.",
            "",
            "```",
            c.transcript(),
            "```",
            "",
        ]
    out += [
        "## Every user",
        "",
        "| user | goal | user turns | done after | result |",
        "| --- | --- | --- | --- | --- |",
    ]
    for c in conversations:
        result = "ok" if c.success else "FAILED: " + "; ".join(c.failures)
        done = c.done_turn if c.done_turn is not None else "–"
        out.append(
            f"| {c.person.key} | {c.person.goal.label} | {c.user_turns} | {done} | {result} |"
        )
    return "\n".join(out) + "\n"


def write(path: Path, text: str) -> None:
    """Write the report, making its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
