"""Synthetic fødselsnummer and the shapes people type them in (issue 11), shared by the
masking tests at every level.

Every number is made up: an invented birth date and individual digits with the check digits
computed by python-stdnum, never a real person's number.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Callable

from hypothesis import strategies as st
from stdnum.no import fodselsnummer


def synthetic_fnr(day: int, month: int, year: int, individual: int) -> str:
    """A checksum-valid number for a made-up date (`day` + 40 makes a D-number): the first
    individual digits from `individual` on whose check digits are single digits."""
    for serial in range(individual, individual + 100):
        base = f"{day:02d}{month:02d}{year % 100:02d}{serial % 1000:03d}"
        first = fodselsnummer.calc_check_digit1(base)
        second = fodselsnummer.calc_check_digit2(base + first)
        if len(first) == 1 and len(second) == 1:
            return base + first + second
    raise AssertionError("no check digits found")


FNR = synthetic_fnr(1, 1, 1948, 123)  # 01014812...
D_NUMBER = synthetic_fnr(41, 1, 1948, 123)  # a D-number: the day plus 40
FNR_1986 = synthetic_fnr(15, 10, 1986, 200)


def digits_of(text: str) -> str:
    """Every digit a reader (or Rasa) could take from the text, as ASCII, in order."""
    normal = unicodedata.normalize("NFKC", text)
    return "".join(
        str(unicodedata.digit(c)) for c in normal if unicodedata.digit(c, None) is not None
    )


def pieces(text: str) -> list[str]:
    """The text, and for a button payload ("/intent{...}") every key and value Rasa decodes
    from its JSON."""
    found = [text]
    intent, brace, rest = text.partition("{")
    if not (intent.startswith("/") and brace):
        return found
    try:
        entities = json.loads(brace + rest)
    except ValueError:
        return found
    stack = [entities]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.extend(str(k) for k in item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            found.append(str(item))
    return found


def reaches_rasa(number: str, text: str) -> bool:
    """Whether the number can be read from the text or from a payload's decoded JSON."""
    return any(number in digits_of(piece) for piece in pieces(text))


def script(zero: str) -> Callable[[str], str]:
    """Write ASCII digits in the script whose zero is `zero`."""
    return lambda n: "".join(chr(ord(zero) + int(d)) for d in n)


def between(sep: str, groups: tuple[int, ...]) -> Callable[[str], str]:
    """Split the number into groups of these sizes joined by `sep`."""

    def shape(n: str) -> str:
        parts, at = [], 0
        for size in groups:
            parts.append(n[at : at + size])
            at += size
        return sep.join(parts)

    return shape


def json_escaped(n: str) -> str:
    """Every digit as a JSON \\u escape (Rasa decodes them)."""
    return "".join(f"\\u{ord(d):04x}" for d in n)


# (name, how the number is written) — `n` is the 11 digits.
SHAPES: list[tuple[str, Callable[[str], str]]] = [
    ("plain", lambda n: n),
    ("space 6+5", between(" ", (6, 5))),
    ("hyphen 6+5 (010148-12345)", between("-", (6, 5))),
    ("two spaces", between("  ", (6, 5))),
    ("three spaces", between("   ", (6, 5))),
    ("spaced hyphen", between(" - ", (6, 5))),
    ("dotted date (01.01.48 12345)", lambda n: f"{n[:2]}.{n[2:4]}.{n[4:6]} {n[6:]}"),
    ("dotted date, hyphen", lambda n: f"{n[:2]}.{n[2:4]}.{n[4:6]}-{n[6:]}"),
    ("slashed date", lambda n: f"{n[:2]}/{n[2:4]}/{n[4:6]} {n[6:]}"),
    ("slash 6/5", between("/", (6, 5))),
    ("dot 6.5", between(".", (6, 5))),
    ("hyphenated date", lambda n: f"{n[:2]}-{n[2:4]}-{n[4:6]}-{n[6:]}"),
    ("groups of four (0101 4812 345)", between(" ", (4, 4, 3))),
    ("groups of three", between(" ", (3, 3, 3, 2))),
    ("pairs", between(" ", (2, 2, 2, 3, 2))),
    ("tab", between("\t", (6, 5))),
    ("non-breaking space", between("\u00a0", (6, 5))),
    ("narrow non-breaking space", between("\u202f", (6, 5))),
    ("thin and figure spaces", lambda n: f"{n[:2]}\u2009{n[2:4]}\u2007{n[4:]}"),
    ("ideographic space", between("\u3000", (6, 5))),
    ("zero-width space", between("\u200b", (6, 5))),
    ("zero-width space between every digit", lambda n: "\u200b".join(n)),
    ("zero-width joiner and word joiner", lambda n: f"{n[:3]}\u200d{n[3:7]}\u2060{n[7:]}"),
    ("soft hyphen", between("\u00ad", (6, 5))),
    ("byte order mark", between("\ufeff", (6, 5))),
    ("en dash", between("\u2013", (6, 5))),
    ("non-breaking hyphen", between("\u2011", (6, 5))),
    ("minus sign", between("\u2212", (6, 5))),
    ("fullwidth digits", script("\uff10")),
    (
        "fullwidth digits and hyphen",
        lambda n: script("\uff10")(n[:6]) + "\uff0d" + script("\uff10")(n[6:]),
    ),
    ("Arabic-Indic digits", script("\u0660")),
    ("Persian digits", script("\u06f0")),
    ("Devanagari digits", script("\u0966")),
    ("mathematical bold digits", script("\U0001d7ce")),
    ("ASCII and fullwidth mixed", lambda n: n[:6] + script("\uff10")(n[6:])),
    ("in a sentence", lambda n: f"Fødselsnummeret mitt er {n[:6]} {n[6:]}, kan dere komme?"),
    ("in brackets", lambda n: f"(fnr {n})"),
    ("glued to letters", lambda n: f"fnr:{n}."),
    ("after a digit", lambda n: f"7{n}"),
    ("two lines", lambda n: f"Kari Nordmann\n{n[:6]} {n[6:]}\nGranveien 24"),
    ("button payload", lambda n: f'/inform{{"name":"{n}"}}'),
    ("button payload, spaced value", lambda n: f'/inform{{"name":"{n[:6]} {n[6:]}"}}'),
    ("button payload, JSON escapes", lambda n: f'/inform{{"name":"{json_escaped(n)}"}}'),
    ("button payload, in a list", lambda n: f'/inform{{"names":["Kari", "{n}"]}}'),
    ("button payload, as a key", lambda n: f'/inform{{"{n}":"x"}}'),
    ("button payload, unparsable JSON", lambda n: f'/inform{{"name":"{n}"'),
]


SEPARATORS = [" ", "  ", "-", " - ", ".", "/", "\u00a0", "\u202f", "\u200b", "\u2060", "\u2013"]
SCRIPTS = ["0", "\uff10", "\u0660", "\u06f0", "\u0966"]


@st.composite
def typed_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A synthetic valid number (fødselsnummer or D-number) and one way of typing it."""
    day = draw(st.integers(1, 28)) + draw(st.sampled_from([0, 40]))
    number = synthetic_fnr(
        day, draw(st.integers(1, 12)), draw(st.integers(1900, 1999)), draw(st.integers(0, 399))
    )
    zero = draw(st.sampled_from(SCRIPTS))
    written = [script(zero)(d) for d in number]
    cuts = draw(st.sets(st.integers(1, 10), max_size=4))
    out = ""
    for i, digit in enumerate(written):
        if i in cuts:
            out += draw(st.sampled_from(SEPARATORS))
        out += digit
    return number, out
