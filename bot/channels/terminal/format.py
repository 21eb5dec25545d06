"""Pure formatting for the terminal chat: Rasa's JSON replies to text and choices."""

from __future__ import annotations

from typing import Any

MAX_MESSAGE = 2000


def render_replies(replies: list[dict[str, Any]]) -> tuple[str, list[dict[str, str]]]:
    """Return the text to print and the buttons of the last reply that had any."""
    lines: list[str] = []
    buttons: list[dict[str, str]] = []
    for reply in replies:
        if reply.get("text"):
            lines.append(reply["text"])
        if reply.get("buttons"):
            buttons = list(reply["buttons"])
            lines.extend(f"  {i}) {b.get('title', '')}" for i, b in enumerate(buttons, 1))
    return "\n".join(lines), buttons


def to_message(typed: str, buttons: list[dict[str, str]]) -> str | None:
    """A typed number picks a button (its payload); other text is sent as it is."""
    typed = typed.strip()
    if typed.isdigit() and 1 <= int(typed) <= len(buttons):
        return buttons[int(typed) - 1].get("payload") or buttons[int(typed) - 1].get("title")
    return typed or None
