"""Pure validators and cleaners for what users type (no Rasa types here)."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import phonenumbers
from stdnum.exceptions import ValidationError
from stdnum.no import fodselsnummer

MAX_FIELD = 200
_NAME_PREFIX = re.compile(
    r"^(hei[,!. ]*)?(jeg heter|eg heiter|navnet (mitt )?er|namnet (mitt )?er|"
    r"mitt navn er|han heter|hun heter|ho heiter|det er|dette er|jeg er)\s+",
    re.IGNORECASE,
)
_ADDRESS_PREFIX = re.compile(
    r"^(jeg bor i|jeg bor på|eg bur i|eg bur på|han bor i|hun bor i|ho bur i|"
    r"adressen (min |hans |hennes )?er|adressa (mi )?er|bor i|bor på)\s+",
    re.IGNORECASE,
)
# Everyday words that do not occur in Norwegian names or street addresses: a typed answer
# containing one is a sentence ("ja takk", "jeg vil ikke"), not a name or an address.
SENTENCE_WORDS = frozenset(
    "jeg eg du dere vi meg deg ja nei ok okei takk hei hallo ikke ikkje vil ville kan "
    "kunne skal må hva kva hvem kven hvorfor hvordan korleis når er var har hadde det dette "
    "den som og men eller for på til fra med om av at hjelp besøk besok robot avbryt stopp "
    "glem ring telefon nummer tlf spørsmål vet veit lurer".split()
)
# Words that answer "who are you to her?" rather than "what is your name?".
NOT_NAMES = frozenset(
    "mor mora moren mamma far faren pappa datter datteren dattera dotter dottera sønn sønnen "
    "sonn sonnen barn barnet barnebarn barnebarnet bror broren søster søsteren søstera soster "
    "kone kona mann mannen ektefelle samboer nabo naboen venn vennen venninne verge "
    "hjelpeverge pårørende parorende svigersønn svigerdatter sønnesønn datterdatter "
    "enke enkemann pensjonist".split()
)

# Words about time and doubt that are in no Norwegian name: "neste år kanskje", typed to
# "Hva heter du?" as a late answer to the question before, is no name.
NEVER_IN_NAMES = frozenset(
    "neste forrige år aar ar kanskje kanskjer senere seinere seinare igjen uke uka veke "
    "måned måneden mnd ettermiddag formiddag gang ganger dager ennå enda snart tidlig "
    "sikkert usikker vanskelig passer".split()
)

# Sounds and small words people type while they think or answer ("hmm", "tja", "greit"):
# a message of only these is not a name, however short a name can be.
INTERJECTIONS = frozenset(
    "tja tjo jaha javel joa jada nja neida nææ næh næ greit fint bra flott kanskje vel "
    "altså altsa huff uff oi hæ hae aha åja aja jaså jasa sikkert unnskyld beklager vent "
    "skjønner skjonner forstår forstar".split()
)
_SOUND = re.compile(r"^(?:h+m+|m+h*m+|e+h*m*|ø+h*m*|o+h*m*|æ+h*m*|a+h+|he+|hæ+|ha+ha+)$")


def is_interjection(word: str) -> bool:
    """A thinking sound or a filler word, not a name ("hmm", "øh", "tja")."""
    word = word.lower().strip(".,!?…")
    return word in INTERJECTIONS or bool(_SOUND.match(word))


def clean_text(text: str | None) -> str:
    """Trim, collapse whitespace and drop control characters."""
    if not text:
        return ""
    text = "".join(ch for ch in text if ch.isprintable() or ch == " ")
    return re.sub(r"\s+", " ", text).strip()


def normalize_phone(text: str | None) -> str | None:
    """Return a valid Norwegian phone number in E.164, or None."""
    text = clean_text(text)[:100]
    if not text:
        return None
    for match in phonenumbers.PhoneNumberMatcher(text, "NO"):
        if phonenumbers.is_valid_number(match.number):
            return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    compact = re.sub(r"[^\d+]", "", text)
    try:
        number = phonenumbers.parse(compact, "NO")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_birth_year(text: str | None, *, this_year: int) -> int | None:
    """Find a plausible birth year (an age of 50 to 110) in the text."""
    text = clean_text(text)
    for match in re.finditer(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", text):
        year = int(match.group(1))
        if this_year - 110 <= year <= this_year - 50:
            return year
    short = re.search(r"(?<!\d)(\d{1,2})[./](\d{1,2})[./](\d{2})(?!\d)", text)
    if short:
        year = 1900 + int(short.group(3))
        if this_year - 110 <= year <= this_year - 50:
            return year
    return None


def parse_age_as_birth_year(text: str | None, *, this_year: int) -> int | None:
    """Read 'jeg er 78 år' as a birth year (the year they turn that age)."""
    match = re.search(r"(?<!\d)(\d{2,3})\s*år", clean_text(text), re.IGNORECASE)
    if match and 50 <= int(match.group(1)) <= 110:
        return this_year - int(match.group(1))
    return None


# What people put before an answer they feel they gave already ("som sagt Granveien 24",
# "Det skrev jeg jo: Ingrid Moen"), and after a name ("Solveig Nilsen heter jeg").
_FILLER = re.compile(
    r"^(?:som sagt|som jeg sa|som eg sa|det skrev jeg jo|jeg skrev jo|eg skreiv jo|"
    r"det har jeg skrevet|det står over|ja|ok|okei)[,:.!]*\s+",
    re.IGNORECASE,
)
_NAME_SUFFIX = re.compile(
    r"\s+(?:heter jeg|heiter eg|heter eg|er navnet mitt|er navnet)\s*$", re.IGNORECASE
)


def strip_filler(text: str) -> str:
    """The answer without the words around it ("som sagt …", "… heter jeg")."""
    text = clean_text(text)
    if ":" in text and len(text.split(":")[-1].split()) >= 1:
        head, _, tail = text.rpartition(":")
        if tail.strip() and len(head.split()) <= 6:
            text = tail.strip()
    for _ in range(2):
        text = _FILLER.sub("", text)
    return _NAME_SUFFIX.sub("", text).strip(" .,!")


def clean_name(text: str | None) -> str | None:
    """Return a person's name from a typed answer, or None if it cannot be one."""
    text = _NAME_PREFIX.sub("", strip_filler(text or "")).strip(" .,!")
    if not 2 <= len(text) <= MAX_FIELD:
        return None
    if any(ch.isdigit() for ch in text) or not re.search(r"[A-Za-zÆØÅæøåÀ-ÿ]", text):
        return None
    if re.search(r"[<>{}\[\];=\\|@#$%^*_~`/]", text):
        return None
    words = text.split()
    if len(words) > 6 or any(w.lower().strip(".,!?") in SENTENCE_WORDS for w in words):
        return None
    if any(w.lower().strip(".,!?") in NEVER_IN_NAMES for w in words):
        return None
    if all(w.lower().strip(".,!?") in NOT_NAMES for w in words):
        return None  # "datter", "mor", "naboen": who someone is, not what they are called
    if all(is_interjection(w) for w in words):
        return None  # "hmm", "tja", "greit": thinking aloud, not a name
    return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in words)


def clean_address(text: str | None) -> str | None:
    """Return a street address from a typed answer, or None if it cannot be one."""
    text = _ADDRESS_PREFIX.sub("", strip_filler(text or "")).strip(" .!")
    if not 4 <= len(text) <= MAX_FIELD:
        return None
    if not re.search(r"[A-Za-zÆØÅæøå]{2,}", text) or re.search(r"[<>{};=\\|/]", text):
        return None
    words = text.split()
    if len(words) > 8 or any(w.lower().strip(".,!?") in SENTENCE_WORDS for w in words):
        return None
    return text[:1].upper() + text[1:]


def clean_free_text(text: str | None, *, limit: int = 1000) -> str | None:
    """Return free text (a reason, a comment, a topic) cut to a sane length."""
    text = mask_national_ids(clean_text(text))
    return text[:limit] if text else None


def mask_national_ids(text: str) -> str:
    """Replace every valid Norwegian national identity number (fødselsnummer or D-number)
    with asterisks, however it is written: split by spaces, hyphens, dots, slashes or
    invisible characters, in any script's digits, or inside a button payload's JSON."""
    if text.startswith("/") and "{" in text:
        text = _mask_payload(text)
    spans = _national_id_spans(text)
    if not spans:
        return text
    out, at = [], 0
    for start, end, digits in spans:
        out.append(text[at:start] + "*" * digits)
        at = end
    return "".join(out) + text[at:]


def contains_national_id(text: str) -> bool:
    """Tell whether the text holds a valid national identity number."""
    return mask_national_ids(text) != text


# What may stand between the digits of one number: spaces of every width (a line break
# starts another fact), hyphens and dashes, dots, slashes, and characters nobody sees.
_SEPARATORS = frozenset(" \t.-/\u2212")
_SEPARATOR_CATEGORIES = frozenset(("Zs", "Pd", "Cf", "Mn", "Me"))


def _digit(ch: str) -> str | None:
    """The ASCII digit a character stands for ('５', '٥', '𝟓' are 5), or None."""
    if "0" <= ch <= "9":
        return ch
    if ch.isascii():
        return None
    normal = unicodedata.normalize("NFKC", ch)
    if len(normal) == 1 and normal.isdigit():
        value = unicodedata.digit(normal, None)
        return None if value is None else str(value)
    return None


def _is_separator(ch: str) -> bool:
    """Whether a character may stand between the digits of one number."""
    if ch in _SEPARATORS:
        return True
    if ch.isascii():
        return False
    normal = unicodedata.normalize("NFKC", ch)
    return normal in _SEPARATORS or unicodedata.category(ch) in _SEPARATOR_CATEGORIES


def _is_national_id(number: str) -> bool:
    """Whether eleven ASCII digits are a fødselsnummer or D-number: both check digits and
    a real birth date. Unlike stdnum's is_valid(), this never asks the clock whether the
    person is born yet (a number typed is masked whatever day it is)."""
    if number[9] != fodselsnummer.calc_check_digit1(number[:9]):
        return False
    if number[10] != fodselsnummer.calc_check_digit2(number[:10]):
        return False
    try:
        fodselsnummer.get_birth_date(number)
    except ValidationError:
        return False
    return True


def _national_id_spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end, digit count) of every part of the text that holds a national id.

    A run of digits and separators is read as one string of digits; any eleven digits in a
    row that make a valid number are masked, from their first to their last character.
    """
    spans: list[tuple[int, int, int]] = []
    run: list[tuple[int, str]] = []  # (position, digit) of the current run

    def close_run() -> None:
        marked: set[int] = set()
        for first in range(len(run) - 10):
            if _is_national_id("".join(d for _, d in run[first : first + 11])):
                marked.update(range(first, first + 11))
        for first, last in _ranges(sorted(marked)):
            spans.append((run[first][0], run[last][0] + 1, last - first + 1))
        run.clear()

    for position, ch in enumerate(text):
        digit = _digit(ch)
        if digit is not None:
            run.append((position, digit))
        elif not (run and _is_separator(ch)):
            close_run()
    close_run()
    return spans


def _ranges(indexes: list[int]) -> list[tuple[int, int]]:
    """Sorted indexes as (first, last) ranges of consecutive ones."""
    ranges: list[tuple[int, int]] = []
    for index in indexes:
        if ranges and ranges[-1][1] == index - 1:
            ranges[-1] = (ranges[-1][0], index)
        else:
            ranges.append((index, index))
    return ranges


def _mask_payload(payload: str) -> str:
    """A button payload ("/intent{...}") with the national ids in its JSON masked.

    Rasa decodes the JSON, so a number written with \\u escapes is only seen once decoded.
    The payload is rewritten only when something was masked; JSON that does not parse is
    left to the plain text masking.
    """
    intent, brace, rest = payload.partition("{")
    try:
        entities = json.loads(brace + rest)
        masked = _mask_json(entities)
    except (ValueError, RecursionError):
        return payload
    if masked == entities:
        return payload
    return intent + json.dumps(masked, ensure_ascii=False, separators=(",", ":"))


def _mask_json(value: Any) -> Any:
    """A decoded JSON value with every string, key and integer masked."""
    if isinstance(value, dict):
        return {_mask_json(k): _mask_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_json(v) for v in value]
    if isinstance(value, str):
        return mask_national_ids(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return "*" * 11 if contains_national_id(str(value)) else value
    return value
