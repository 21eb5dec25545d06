"""Invitation codes as printed in the letter: the alphabet, and reading one typed back."""

from __future__ import annotations

import re

# No 0/O, 1/I/L: a code is read off paper by older eyes. 31 symbols, 10 of them: ~49 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
_NOT_CODE = re.compile(f"[^{CODE_ALPHABET}]")


def normalise_code(raw: str | None) -> str | None:
    """A code as stored (upper case, no spaces or dashes), or None if it cannot be one."""
    if not raw:
        return None
    cleaned = re.sub(r"[\s\-_.]", "", str(raw)).upper()
    if len(cleaned) != CODE_LENGTH or _NOT_CODE.search(cleaned):
        return None
    return cleaned
