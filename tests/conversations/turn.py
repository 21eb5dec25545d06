"""What a simulated person sends: typed text, or a pressed button."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Turn:
    """Typed text, or a pressed button (its title and payload)."""

    text: str
    payload: str | None = None
