"""Pure mapping of free-text answers to the stored categories (no Rasa types)."""

from __future__ import annotations

import re
import unicodedata

from fhb.db.models import DECLINE_REASONS

_REASON_WORDS: list[tuple[str, tuple[str, ...]]] = [
    (
        "has_services",
        (
            "hjemmesykepleie",
            "heimesjukepleie",
            "heimesykepleie",
            "hjemmetjeneste",
            "heimeteneste",
            "hjemmehjelp",
            "heimehjelp",
            "har hjelp",
            "får hjelp",
            "har tjenester",
            "trygghetsalarm",
            "tryggleiksalarm",
            "har allerede",
        ),
    ),
    ("not_at_home", ("hjemme", "heime", "inn i huset", "i huset mitt", "inn til meg")),
    ("feels_too_young", ("gammel", "ung", "ikke eldre", "for tidlig")),
    ("others_need_more", ("andre trenger", "andre som trenger", "mer behov", "andre har")),
    (
        "bad_timing",
        (
            "passer ikke",
            "ikke nå",
            "bortreist",
            "reiser",
            "travelt",
            "syk nå",
            "senere",
            "ikke tid",
            "sykehus",
        ),
    ),
    (
        "no_need",
        (
            "klarer meg",
            "greier meg",
            "trenger ikke",
            "ikke behov",
            "frisk",
            "har det bra",
            "har det fint",
            "ingen behov",
            "klarar meg",
        ),
    ),
]
_RELATIONS: list[tuple[str, tuple[str, ...]]] = [
    ("barnebarn", ("barnebarn",)),
    ("mor", ("mor", "mamma", "moren", "mora")),
    ("far", ("far", "pappa", "faren", "faren")),
    ("ektefelle", ("kone", "mann", "ektefelle", "samboer", "ektemann", "kona", "mannen", "gift")),
    ("barn", ("sønn", "datter", "dotter", "sonn", "barn", "dattera", "sønnen")),
    ("søsken", ("bror", "søster", "soster", "søsken", "broren", "søstera")),
    ("nabo", ("nabo",)),
    ("venn", ("venn", "venninne", "kamerat")),
    ("verge", ("verge", "hjelpeverge")),
]
_NUMBER_WORDS = {"en": 1, "ett": 1, "ein": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5}


_PLAIN_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e"})
# Endings a keyword may carry and still be the same word ("hjemmesykepleien", "unge").
_ENDINGS = r"(?:e|en|a|et|er|ene|ar|ane|s|n)?"


def fold(text: str) -> str:
    """Lower-case and trim; written without æøå, with them or with "aa" for "å", a word
    folds to one form ("får", "far" and "faar"; "nå", "na" and "naa"), so keywords match
    all of them."""
    text = unicodedata.normalize("NFC", text or "").lower().strip()
    return text.translate(_PLAIN_LETTERS).replace("aa", "a")


def _keyword(phrase: str) -> re.Pattern[str]:
    """A whole-word pattern for a keyword or phrase, allowing inflection endings: "heime"
    matches "heime" and "heimen", never the start of "heimesjukepleie"."""
    words = [re.escape(w) for w in fold(phrase).split()]
    return re.compile(r"\b" + r"\s+".join(words) + _ENDINGS + r"\b")


_REASON_PATTERNS = [(reason, [_keyword(word) for word in words]) for reason, words in _REASON_WORDS]


def reason_from_text(text: str) -> str:
    """Map a typed decline reason to a category; 'other' when nothing fits."""
    if text in DECLINE_REASONS:
        return text
    folded = fold(text)
    for reason, patterns in _REASON_PATTERNS:
        if any(pattern.search(folded) for pattern in patterns):
            return reason
    return "other"


_RELATION_PATTERNS = [
    (relation, [_keyword(word) for word in words]) for relation, words in _RELATIONS
]


def relation_from_text(text: str) -> str | None:
    """Map a typed relation ('datteren hennes') to a stored value, or None (whole words:
    "far" in "farmor" or "mor" in "morgen" is no relation)."""
    folded = fold(text)
    for relation, patterns in _RELATION_PATTERNS:
        if any(pattern.search(folded) for pattern in patterns):
            return relation
    return None


def rating_from_text(text: str) -> int | None:
    """Read a rating 1–5 from '4', 'terningkast 5', 'fire' or '5 av 5'."""
    folded = fold(text)
    match = re.search(r"(?<!\d)([1-5])(?!\d)", folded)
    if match:
        return int(match.group(1))
    for word, value in _NUMBER_WORDS.items():
        if re.search(rf"\b{word}\b", folded):
            return value
    return None


def useful_from_text(text: str) -> str | None:
    """Map 'ja', 'litt', 'nei' and similar to yes / partly / no."""
    folded = fold(text)
    if folded in ("yes", "partly", "no"):
        return folded
    if re.search(r"\b(litt|delvis|noe|sånn passe|passe|middels|tja)\b", folded):
        return "partly"
    if re.search(r"\b(nei|ikke|lite|unyttig|nope)\b", folded):
        return "no"
    if re.search(r"\b(ja|jo|veldig|nyttig|absolutt|godt|bra|jepp|jada|javisst)\b", folded):
        return "yes"
    return None


_ALTERNATIVE_PATTERNS = {
    key: [_keyword(word) for word in words]
    for key, words in {
        "phone": ("telefon", "telefonen", "ringe", "ring", "ringer", "på tlf", "tlf"),
        "office": ("kontor", "kontoret", "rådhus", "rådhuset", "servicetorg", "servicetorget"),
        "group": ("gruppe", "gruppemøte", "møte", "møtes", "sammen med andre", "kurs"),
    }.items()
}


def alternative_from_text(text: str) -> str | None:
    """Map 'på telefon', 'kontoret', 'gruppe' to phone / office / group, else None."""
    folded = fold(text)
    if folded in ("office", "group", "phone", "none"):
        return folded
    if any(p.search(folded) for p in _ALTERNATIVE_PATTERNS["phone"]):
        return "phone"
    if any(p.search(folded) for p in _ALTERNATIVE_PATTERNS["office"]):
        return "office"
    if any(p.search(folded) for p in _ALTERNATIVE_PATTERNS["group"]):
        return "group"
    if re.search(r"\b(nei|ingen|ikke)\b", folded):
        return "none"
    return None


RELATIONS = frozenset(
    ("mor", "far", "ektefelle", "barn", "barnebarn", "søsken", "nabo", "venn", "verge", "annen")
)
# "jeg spør for mora mi" names the citizen (the mother); the stored relation describes the
# relative who writes (a child). Values that are the same from both sides map to themselves.
_CITIZEN_TO_RELATIVE = {"mor": "barn", "far": "barn", "barn": "annen"}
_SPEAKS_ABOUT_SELF = re.compile(
    r"\b(?:jeg|eg|je)\s+(?:er|e)\s+(?P<next>\w+(?:\s+\w+)?)", re.IGNORECASE
)


def relative_relation(value: str | None, text: str) -> str | None:
    """The relative's relation to the citizen, from an NLU value and the message.

    'jeg er dattera hans' describes the writer (barn); 'jeg spør for mora mi' describes the
    citizen (mor), so the writer is a child (barn).
    """
    # The classifier may tag a word that is no relation ("min" in "til min mor"): the
    # message's own words then decide.
    relation = value if value in RELATIONS else None
    relation = relation or relation_from_text(value or "") or relation_from_text(text)
    about_self = any(
        relation_from_text(m.group("next")) for m in _SPEAKS_ABOUT_SELF.finditer(text)
    )  # "jeg er dattera hans", not "jeg er bekymret for mora mi"
    if relation is None or about_self:
        return relation
    return _CITIZEN_TO_RELATIVE.get(relation, relation)


# Words of a wish for the visit itself: "besøk" (besok, heimebesøk, besøket), "bestille",
# "time", "komme"/"kome" ("dere kan komme"), "takker ja".
_VISIT_WISH = re.compile(
    r"\b(?:\w*besok\w*|bestill\w*|book\w*|time|timen|kom|komme|kome|kommer|kjem|"
    r"takke[r]?\s+ja|takkar\s+ja)\b"
)


def speaks_of_a_visit(text: str) -> bool:
    """Whether a message speaks of the visit itself ("nei, jeg vil heller bestille besøk",
    "dere kan komme likevel"), not only of details ("jeg heter Terje Amundsen"): a message
    the classifier read as a wish for a visit is one only then."""
    return bool(_VISIT_WISH.search(fold(text)))


# A relative's answer to "the citizen's phone?" that points to their own number: "bruk mitt
# nummer", "ring meg", "samme som mitt", "mitt nr", "han har ikke telefon".
_WRITERS_NUMBER = re.compile(
    r"\b(?:(?:bruk|ta|send\w*|ring\w*)\s+(?:til\s+)?(?:mitt|min|meg|mitt\s+eget)|"
    r"(?:samme|same)\s+(?:som\s+)?(?:mitt|min|meg|mi)|"
    r"(?:mitt|mitt\s+eget|min)\s+(?:nummer|nr|telefon\w*|tlf|mobil\w*)|"
    r"(?:ring|kontakt|na)\s+(?:heller\s+)?(?:meg|til\s+meg)|"
    r"(?:har|hev)\s+(?:ikke|ikkje|ingen)\s+(?:egen\s+|eigen\s+)?(?:telefon|mobil|tlf)|"
    r"ingen\s+(?:telefon|mobil))\b"
)
_OTHER_DIGITS = re.compile(r"\d{3,}")


def means_writers_number(text: str) -> bool:
    """Whether an answer to the citizen's phone means the writer's own number, or that the
    citizen has none (so the writer's is the one to call); never when it holds a number."""
    folded = fold(text)
    return bool(_WRITERS_NUMBER.search(folded)) and not _OTHER_DIGITS.search(folded)
