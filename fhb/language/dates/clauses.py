"""Clauses of a message and the normalised text with a map back to what was typed.

A message such as "Helst etter jul, før jul er det så travelt" says two things: a wish and a
reason. The scan reads each clause on its own, so a clause can be negated ("jeg kan ikke i
dag"), preferred ("helst ...") or ignored without touching the others, and the words of a
time expression can be cut out of the typed text again (`normalize_mapped`).
"""

from __future__ import annotations

import re
import unicodedata

# Where one clause ends and the next begins: , ; ! ? and line breaks (not a decimal comma),
# a full stop after a word that is not an abbreviation, the conjunctions "men", "fordi",
# "ettersom", "så" (not "så snart", "så tidlig", "så travelt" ...) and "og" before a new
# subject ("..., og jeg vil gjerne ha besøk").
_BREAK_RE = re.compile(
    r"[;!?\n]+|,(?!\d)|(?<!\d),"
    r"|(?<=[^\W\d_]{2})\.(?=\s|$)"
    r"|\s(?:men|fordi|ettersom)\s"
    r"|\s(?:så|sa)\s+(?!(?:snart|fort|raskt|tidlig|tidleg|sent|seint|lenge|mye|mykje|travelt"
    r"|travel|veldig|godt|fint|bra|mange|langt|ofte|ille|lite|som|vidt)\b)"
    r"|\s(?:og)\s+(?=(?:jeg|eg|vi|me|dere|de|du|han|hun|ho|det)\b)",
    re.IGNORECASE,
)
# Words that end with a full stop without ending the sentence ("kl. 13", "15. des. kl 10").
_ABBREVIATIONS = frozenset(
    "kl ca nr mnd osv dvs evt ev bl pr tlf ref stk etg jan feb mar apr jun jul aug sep sept"
    " okt nov des man tir ons tor fre lor lør son søn".split()
)


def split_clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause of `text`, in order, without the separators."""
    clauses: list[tuple[int, int]] = []
    start = 0
    for match in _BREAK_RE.finditer(text):
        if match.group() == "." and _is_abbreviation(text, match.start()):
            continue
        clauses.append((start, match.start()))
        start = match.end()
    clauses.append((start, len(text)))
    return [(s, e) for s, e in clauses if text[s:e].strip()]


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the word before the full stop at `dot` is a known abbreviation."""
    word = re.search(r"[^\W\d_]+$", text[:dot])
    return word is not None and word.group().lower() in _ABBREVIATIONS


def normalize_mapped(text: str) -> tuple[str, list[int]]:
    """`patterns.normalize(text)` and, per character of it, its index in `text`.

    The steps are the same as `normalize` (lower case, æøå and accents folded, "aa" -> "a",
    dashes, decimal commas, other characters to spaces, runs of spaces collapsed, one space
    around), done on (character, index) pairs so every folded character remembers where it
    was typed. The padding spaces map to 0 and len(text).
    """
    pairs = [(low, i) for i, char in enumerate(text) for low in char.lower()]
    pairs = [(c, i) for ch, i in pairs for c in {"æ": "ae", "ø": "o", "å": "a"}.get(ch, ch)]
    pairs = _fold_double_a(pairs)
    pairs = [
        (c, i)
        for ch, i in pairs
        for c in unicodedata.normalize("NFKD", ch)
        if not unicodedata.combining(c)
    ]
    pairs = [("-" if "\u2010" <= c <= "\u2015" else c, i) for c, i in pairs]
    pairs = [(_kept(pairs, k), i) for k, (_, i) in enumerate(pairs)]
    chars: list[str] = [" "]
    offsets: list[int] = [0]
    for char, index in pairs:
        if char.isspace():
            if chars[-1] != " ":
                chars.append(" ")
                offsets.append(index)
        else:
            chars.append(char)
            offsets.append(index)
    if chars[-1] != " ":
        chars.append(" ")
        offsets.append(len(text))
    else:
        offsets[-1] = len(text)
    if len(chars) == 1:
        return "  ", [0, len(text)]
    return "".join(chars), offsets


def _fold_double_a(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """'aa' -> 'a' from left to right, like str.replace (old spelling of 'å')."""
    out: list[tuple[str, int]] = []
    k = 0
    while k < len(pairs):
        out.append(pairs[k])
        double = pairs[k][0] == "a" and k + 1 < len(pairs) and pairs[k + 1][0] == "a"
        k += 2 if double else 1
    return out


def _kept(pairs: list[tuple[str, int]], k: int) -> str:
    """The character at k as `normalize` keeps it: a decimal comma becomes '.', others ' '."""
    char = pairs[k][0]
    if char == ",":
        before = k > 0 and pairs[k - 1][0].isdecimal()
        after = k + 1 < len(pairs) and pairs[k + 1][0].isdecimal()
        return "." if before and after else " "
    if char.isspace() or re.fullmatch(r"[a-z0-9.:/\-]", char):
        return char
    return " "
