"""Every fact one message holds: phone, birth year or age, name, street address, relation.

Older people write several facts at once ("Hei, jeg heter Oddny Berg, født 1947, bor i
Bakkeveien 3 og telefonen min er 90 12 34 56"); the forms take them all instead of asking
again. Pure: no Rasa types and no clock (the current year is passed in).

Each fact is found where the wording marks it ("jeg heter", "født", "bor i", a street name
ending in -veien, "tlf"), and its words are removed before the next fact is looked for, so
the postcode in "Bakkeveien 3, 1947 Sandvika" is never read as a birth year.
"""

from __future__ import annotations

import dataclasses
import functools
import re

import phonenumbers

from fhb.language.understanding import fold, relation_from_text
from fhb.language.validation import (
    clean_address,
    clean_name,
    clean_text,
    mask_national_ids,
)

OLDEST = 110
YOUNGEST = 50


@dataclasses.dataclass(frozen=True)
class Facts:
    """What one message said; None where it said nothing."""

    name: str | None = None
    other_name: str | None = None
    birth_year: int | None = None
    age: int | None = None
    phone: str | None = None
    phone_owner: str | None = None  # "self" ("mitt nummer er …"), "other" ("hennes …")
    address: str | None = None
    relation: str | None = None

    def values(self) -> dict[str, str]:
        """The facts found, as slot-ready strings."""
        found = {
            "name": self.name,
            "birth_year": str(self.birth_year) if self.birth_year else None,
            "phone": self.phone,
            "address": self.address,
            "relation": self.relation,
        }
        return {key: value for key, value in found.items() if value}


# --- phone -------------------------------------------------------------------------------


# Words just before a number that tell whose it is.
_OWN_PHONE = re.compile(
    r"\b(?:mitt|min|meg|mobilen min|jeg har|eg har|nå meg|treffe meg|ring meg|ringe meg|"
    r"mitt eget|mitt nummer)\b[^.!?]{0,25}$",
    re.IGNORECASE,
)
_OTHER_PHONE = re.compile(
    r"\b(?:hennes|hans|hennar|hun har|han har|ho har|henne|ham|hennes nummer|mor har|"
    r"far har|mamma har|pappa har)\b[^.!?]{0,25}$",
    re.IGNORECASE,
)
# The writer named by their tie to the citizen ("Jeg er sønnen hans, Geir, tlf …",
# "dette er dattera hennar, mob …"): "hans"/"hennes" belongs to the family word, and the
# number that follows is the writer's.
_TIES = (
    r"(?:sønn|sonn|son|datter|dotter|svigersønn|svigersonn|svigerdatter|barnebarn|nabo|"
    r"bror|søster|soster|syster|niese|nevø|nevo|kone|kona|mann|sambo|venn|venninne)\w*"
)
_WRITER_AS_RELATIVE = re.compile(
    r"\b(?:jeg er|eg er|je er|dette er|her er|det er)\s+(?:\w+\s+)?"
    + _TIES
    + r"\s+(?:hans|hennes|hennar|hennas)\b[^.!?]{0,25}$",
    re.IGNORECASE,
)


# A detail said to be wrong: "ikke 1948 men 1947", "født 1948 er feil, det skal være
# 1947", "telefon 91234567 er feil, riktig er …", "ikke Storgata 5 men Storgata 7".
_NOT_BEFORE = re.compile(r"\b(?:ikke|ikkje|ikkj|ikk)\s*$", re.IGNORECASE)
_WRONG_AFTER = re.compile(r"^\s*(?:er|var|e)\s+(?:feil|galt|gale)\b", re.IGNORECASE)


def _said_wrong(text: str, start: int, end: int) -> bool:
    return bool(_NOT_BEFORE.search(text[:start]) or _WRONG_AFTER.match(text[end:]))


def _phones(text: str) -> tuple[str | None, str | None, str]:
    """The first valid Norwegian number (E.164), whose it is, and the text without numbers."""
    found: str | None = None
    owner: str | None = None
    rest = text
    for match in phonenumbers.PhoneNumberMatcher(text, "NO"):
        if not phonenumbers.is_valid_number(match.number):
            continue
        if found is None and not _said_wrong(text, match.start, match.end):
            found = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            before = text[max(0, match.start - 40) : match.start]
            if _OWN_PHONE.search(before) or _WRITER_AS_RELATIVE.search(before):
                owner = "self"
            elif _OTHER_PHONE.search(before):
                owner = "other"
        rest = rest.replace(match.raw_string, " , ")
    return found, owner, rest


# --- address -----------------------------------------------------------------------------

# Endings of Norwegian street names ("Bakkeveien", "Kirkegata", "Solbakken", "Furulia").
_STREET_ENDINGS = (
    "veien vegen veg vei vn gata gaten gate gt allé alle alleen plassen plass stien stig "
    "bakken bakke lia tunet tun ringen svingen haugen åsen jordet kroken løkka brekka "
    "vollen myra hagen enga torget torg bråten berget toppen sletta grenda kleiva kollen "
    "brygga bryggen marka moen dalen lunden parken kaia kaien stranda vika neset holmen "
    "tomta gården skogen feltet høgda lykkja bøen teigen bakkane haugane"
).split()
_ENDING = "|".join(sorted((re.escape(e) for e in _STREET_ENDINGS), key=len, reverse=True))
_FOLDED_ENDING = "|".join(
    sorted({re.escape(fold(e)) for e in _STREET_ENDINGS}, key=len, reverse=True)
)
_WORD = r"[A-Za-zÆØÅæøåÀ-ÿ][A-Za-zÆØÅæøåÀ-ÿ'.-]*"
_CAPITAL = r"[A-ZÆØÅÀ-Þ][A-Za-zÆØÅæøåÀ-ÿ'.-]*"
_NUMBER = r"\d{1,4}(?:\s?[A-Ha-h])?(?![\d])"
_POSTAL = r"(?:,?\s*(?P<postcode>\d{4})\s+(?P<place>" + _CAPITAL + r"|[a-zæøå]{3,}))?"
# "Olav Kyrres gate 5", "Bakkeveien 3", "kirkeveien 12b", "Storgata 7, 1234 Sted".
_STREET = re.compile(
    r"\b(?P<street>(?:" + _CAPITAL + r"\s+){0,2}(?:" + _WORD + r")?(?:" + _ENDING + r"|"
    r"" + _FOLDED_ENDING + r"))\s+(?P<number>" + _NUMBER + r")\b" + _POSTAL,
    re.IGNORECASE,
)
# "bor i Solbakken 3", "adressen min er Nedre Slottsgate 4": any words after the cue.
_CUED_STREET = re.compile(
    r"\b(?:bor|bur|adressen(?:\s+(?:min|hans|hennes|vår))?\s+er|adressa(?:\s+(?:mi|hans|"
    r"hennar|hennes))?\s+er|adresse:?)\s+(?:(?:i|på|paa|pa)\s+)?"
    r"(?P<street>"
    + _WORD
    + r"(?:\s+"
    + _WORD
    + r"){0,2}?)\s+(?P<number>"
    + _NUMBER
    + r")\b"
    + _POSTAL,
    re.IGNORECASE,
)
_NOT_STREET_START = {
    "jeg",
    "eg",
    "er",
    "og",
    "i",
    "på",
    "pa",
    "paa",
    "bor",
    "bur",
    "min",
    "mi",
    "en",
    # "adressen er feil, det er Storgata 5": the correction's words before the street
    "det",
    "den",
    "feil",
    "skal",
    "være",
    "vere",
    "rett",
    "riktig",
    "ny",
    "nye",
    "ikke",
    "ikkje",
    "men",
    "nei",
}


_STREET_PREPOSITIONS = frozenset({"i", "på", "pa", "paa"})


def _after(match: re.Match[str], popped: list[str]) -> int:
    """Where the street starts in the message, after the words taken off its start."""
    street, end = match.group("street"), 0
    for word in popped:
        end = street.index(word, end) + len(word)
    return match.start("street") + end


def _address(text: str) -> tuple[str | None, str]:
    """A street address with its number (and postcode and place if given), and the rest."""
    for pattern in (_CUED_STREET, _STREET):
        for match in pattern.finditer(text):
            words = match.group("street").split()
            popped: list[str] = []
            while words and words[0].lower() in _NOT_STREET_START:
                popped.append(words.pop(0))
            # "Olga Hansen i Sjøveien 3", "en leilighet i storgata 15": the street starts
            # after the last "i"/"på" inside the match
            inner = [i for i, w in enumerate(words) if w.lower() in _STREET_PREPOSITIONS]
            if inner and inner[-1] < len(words) - 1:
                popped += words[: inner[-1] + 1]
                words = words[inner[-1] + 1 :]
            # "ikke Storgata 5 men …": the words taken off the street's start count as before it
            before = " ".join([text[: match.start("street")], *popped])
            if not words or _NOT_BEFORE.search(before) or _WRONG_AFTER.match(text[match.end() :]):
                continue
            street = " ".join(words)
            address = f"{street} {match.group('number').replace(' ', '')}"
            if match.group("postcode"):
                address += f", {match.group('postcode')} {match.group('place').capitalize()}"
            cleaned = clean_address(address)
            if cleaned:
                # what is left of the message keeps the words taken off the street's start
                # ("Olga Hansen" of "Olga Hansen i Sjøveien 3") unless the cue took them
                start = match.start() if pattern is _CUED_STREET else _after(match, popped)
                return cleaned, text[:start] + " , " + text[match.end() :]
    return None, text


# --- birth year and age ------------------------------------------------------------------

_BORN = re.compile(
    r"\b(?:født|fødd|fodt|fodd|f\.?)\s*(?:i\s+|den\s+|år\s+)?"
    r"(?:\d{1,2}\s*[./]\s*\d{1,2}\s*[./]\s*|\d{1,2}\.?\s+[a-zæøå]+\.?\s+)?"
    r"(?P<year>\d{4}|'?\d{2})(?!\d)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\d,.])(?P<year>19\d\d|20\d\d)(?![\d])")
_DATE_YEAR = re.compile(r"(?<!\d)\d{1,2}\s*[./]\s*\d{1,2}\s*[./]\s*(?P<year>\d{4}|\d{2})(?!\d)")
_AGE = re.compile(
    r"(?:\b(?:jeg|eg|je|han|hun|ho|mor|far|mamma|pappa|mora|faren|moren)\s+(?:er|e|blir|fyller)"
    r"(?:\s+(?:snart|nesten|over|nå|altså))?"
    r"|\b(?:fyller|fylte|blir|snart|på|pa|paa))\s+(?P<age>\d{2,3})(?:\s*(?:år|aar|ar))?\b"
    r"|(?<![\d])(?P<age2>\d{2,3})\s*(?:år|aar|ar)\s*(?:gammel|gamal|i år|i aar|i ar)\b"
    r"|\ber\s+(?P<age3>\d{2,3})\s*(?:år|aar|ar)\b"
    r"|\((?P<age4>\d{2,3})\s*(?:år|aar|ar)?\)"  # "Gerd Lie (82)"
    r"|(?<=,)\s*(?P<age5>\d{2,3})\s*(?:år|aar|ar)\b(?=\s*[,.)]|\s+og\b)",  # "Ragnhild, 79 år,"
    re.IGNORECASE,
)


def _plausible(year: int, this_year: int) -> bool:
    return this_year - OLDEST <= year <= this_year - YOUNGEST


def _full_year(digits: str, this_year: int) -> int:
    """'1948' → 1948; '48' → 1948 (a two-digit year is always last century or earlier)."""
    digits = digits.lstrip("'")
    if len(digits) == 4:
        return int(digits)
    year = 1900 + int(digits)
    return year if _plausible(year, this_year) else 1800 + int(digits)


def _birth_year(text: str, this_year: int) -> tuple[int | None, int | None, str]:
    """Birth year and age (either may be None) and the text without them."""
    for pattern in (_BORN, _DATE_YEAR, _YEAR):
        for match in pattern.finditer(text):
            year = _full_year(match.group("year"), this_year)
            if _plausible(year, this_year) and not _said_wrong(text, *match.span()):
                rest = text[: match.start()] + " , " + text[match.end() :]
                return year, None, rest
    for match in _AGE.finditer(text):
        age = int(next(g for g in match.group("age", "age2", "age3", "age4", "age5") if g))
        if YOUNGEST <= age <= OLDEST:
            rest = text[: match.start()] + " , " + text[match.end() :]
            return this_year - age, age, rest
    return None, None, text


# --- name --------------------------------------------------------------------------------

_NAME_CUE = re.compile(
    r"\b(?:jeg heter|je heter|jeg hetter|jeg het|eg heiter|eg heter|navnet mitt er|"
    r"navnet er|mitt navn er|namnet mitt er|mitt namn er|navn:|namn:)\s+(?P<rest>.+)",
    re.IGNORECASE | re.DOTALL,
)
# A name corrected at the summary: "nei, navn er feil, det er sigrid vang", "navnet skal
# være Sigrid Vang", "rett navn er …", "navnet mitt er skrevet feil, jeg heter …" (the last
# is _NAME_CUE's).
_NAME_WORDS = r"(?:navn|navnet|namn|namnet)"
_WRONG = (
    r"(?:dessverre\s+)?(?:(?:skrevet|skrive|skreve|stavet|stava)\s+)?"
    r"(?:feil|galt|gale|feilskrevet|feilskrive|feilstavet|feilstava|ikke riktig|ikke rett|"
    r"ikkje rett|ikkje riktig)(?:\s+(?:skrevet|skrive|stavet|stava))?"
)
_BE = r"(?:er|e|skal\s+(?:være|vere|vera|vaere|stå|staa|sta))"
_CORRECTED_NAME_CUE = re.compile(
    r"\b(?:(?:"
    + _NAME_WORDS
    + r"(?:\s+(?:mitt|mit))?\s+(?:er|var|e|ble|vart)\s+"
    + _WRONG
    + r"|(?:er|var)\s+(?:dessverre\s+)?"
    + _NAME_WORDS
    + r"\s+"
    + _WRONG
    + r")[\s,.;:!-]*(?:(?:det|den|navnet|namnet|rett|riktig|korrekt)\s+)?"
    + _BE
    + r"\s+|"
    + _NAME_WORDS
    + r"\s+skal\s+(?:være|vere|vera|vaere)\s+|"
    r"(?:rett|riktig|korrekt)e?\s+(?:" + _NAME_WORDS + r"\s+)(?:er|e)\s+)(?P<rest>.+)",
    re.IGNORECASE | re.DOTALL,
)
# Someone else's name: "mor heter Oddny Berg", "navnet hennes er …".
_OTHER_NAME_CUE = re.compile(
    r"\b(?:hun|han|ho|hen|mor|far|mora|moren|faren|mamma|pappa|kona|mannen|søsteren|"
    r"søstera|broren|naboen|\w+\s+min|\w+\s+mi|\w+\s+mitt)\s+(?:heter|heiter|het)\s+"
    r"(?P<rest>.+)|\bnavnet (?:hennes|hans) er\s+(?P<rest2>.+)",
    re.IGNORECASE | re.DOTALL,
)
# "til mamma, Gerd Lie, født 1946", "Far min Nils Berg (81)": the name right after the
# family word.
_RELATIVE_THEN_NAME = re.compile(
    r"\b(?i:mor|mora|moren|mamma|far|faren|pappa|bestemor|bestefar|svigermor|svigerfar|"
    r"søster|søstera|bror|broren|tante|onkel)(?:\s+(?i:min|mi|mitt))?(?:\s*[,(]\s*|\s+)"
    r"(?P<rest>[A-ZÆØÅ].+)",
    re.DOTALL,
)
# "Jeg er datter av Oddny Berg", "eg er sonen til Nils Vik": the writer's relative, named
# after "av"/"til" (a capitalised name, or any name in a message written all in lower case).
_CHILD_OF = re.compile(
    r"\b(?i:datter|datteren|dattera|dotter|dottera|sønn|sønnen|sonn|sonnen|son|sonen|"
    r"barnebarn|barnebarnet|svigerdatter|svigersønn|svigersonn|nabo|naboen|niese|nevø|nevo)"
    r"\s+(?i:av|til|åt|at|aat)\s+(?P<rest>\w.+)",
    re.DOTALL,
)
_NOT_A_NAME_START = frozenset(
    "en ei et ein eit den det ho hun han henne ham honom hans hennes hennar meg min mi mitt "
    "som noen nokon ein".split()
)
# The writer's name after their tie to the citizen: "Jeg er sønnen hans, Geir Berg".
_TIE_THEN_NAME = re.compile(
    r"\b(?i:jeg er|eg er|je er|dette er|her er)\s+(?:\w+\s+)?(?i:"
    + _TIES
    + r")(?:\s+(?i:hans|hennes|hennar|hennas))?\s*,\s*(?P<rest>\w.+)",
    re.DOTALL,
)
# Weaker cues: only followed by a capitalised name ("Dette er Kari Nordmann").
_CAPITAL_CUE = re.compile(
    r"\b(?i:dette er|det er|her er|jeg er|eg er)\s+(?P<rest>[A-ZÆØÅ].+)", re.DOTALL
)
_SIGNATURE = re.compile(
    r"\b(?:hilsen|helsing|mvh|med vennlig hilsen|vennlig hilsen|beste hilsen|"
    r"mvh\.|hilsen fra|helsing frå|helsing fra)[,:.]?\s+(?P<rest>[^\n]+?)\s*[.!]?\s*$",
    re.IGNORECASE,
)
# Words that end a name: "jeg heter Kari og bor ...", "heter Per, født ...".
_NAME_STOP = frozenset(
    "og eller men født fodt fødd fodd f bor bur fra frå i på pa er og jeg eg har vil skal "
    "kan tlf telefon telefonen mobil nummer nr adresse adressen som her med til "
    "ringe ring hei takk".split()
)
_LOWER_NAME_STOP = frozenset("feil galt gale ikke ikkje riktig rett skrevet".split())
_NAME_WORD = re.compile(r"^[A-Za-zÆØÅæøåÀ-ÿ][A-Za-zÆØÅæøåÀ-ÿ'.-]*$")


def _name_from(rest: str, *, capitals_only: bool) -> str | None:
    words: list[str] = []
    for raw in re.split(r"\s+", rest.strip()):
        word = raw.strip(',.;:!?()"')
        ends = raw != raw.rstrip(",.;:!?")
        if not word or not _NAME_WORD.match(word) or word.lower() in _NAME_STOP:
            break
        if word in _LOWER_NAME_STOP:  # "Kari Feil" is a name; "Kari, feil" is not
            break
        if capitals_only and not word[0].isupper():
            break
        words.append(word)
        if ends or len(words) == 4:
            break
    return clean_name(" ".join(words)) if words else None


# A name put right at the summary: "nei det er ikke Kari Vik, men Kari Vang" (whole names,
# capitalised: "ikke denne uken men neste uke" is no name).
_NAME_INSTEAD = re.compile(
    r"\b(?i:ikke|ikkje)\s+[A-ZÆØÅ][\w'-]+(?:\s+[A-ZÆØÅ][\w'-]+){0,3}\s*,?\s+(?i:men)\s+"
    r"(?:(?i:det er|det skal være|det skal vere)\s+)?(?P<rest>[A-ZÆØÅ].+)",
    re.DOTALL,
)


# "Solveig Nilsen heter jeg"
_NAME_BEFORE_CUE = re.compile(
    r"(?:^|[.,!]\s*)(?P<rest>[A-ZÆØÅ][\w'-]+(?:\s+[A-ZÆØÅ][\w'-]+){0,3})\s+"
    r"(?:heter jeg|heiter eg|heter eg|er navnet mitt)\b"
)


# "jeg er 80 år og heter Ragnhild Solberg": the clause's subject decides whose name it is.
_AND_NAMED = re.compile(r"\b(?:og|,)\s*(?:heter|heiter)\s+(?P<rest>.+)", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:jeg|eg|je)\b", re.IGNORECASE)
_THIRD_PERSON = re.compile(
    r"\b(?:hun|han|ho|mor|far|mora|faren|mamma|pappa|kona|mannen|naboen)\b", re.IGNORECASE
)


def _clause_before(text: str, end: int) -> str:
    """The words from the last sentence end up to `end`."""
    return re.split(r"[.!?]", text[:end])[-1]


def _named_after_and(text: str, *, first_person: bool) -> str | None:
    """A name after "… og heter", when the clause is about the writer (or someone else)."""
    for match in _AND_NAMED.finditer(text):
        clause = _clause_before(text, match.start())
        mine = bool(_FIRST_PERSON.search(clause)) and not _THIRD_PERSON.search(clause)
        if mine == first_person and (mine or _THIRD_PERSON.search(clause)):
            name = _name_from(match.group("rest"), capitals_only=False)
            if name:
                return name
    return None


def _name(text: str, original: str) -> str | None:
    """The writer's name from "jeg heter …", "mitt navn er …" or a signature (`original`
    is the whole message, for the subject of "… og heter")."""
    after_and = _named_after_and(original, first_person=True)
    if after_and:
        return after_and
    before = _NAME_BEFORE_CUE.search(text)
    if before:
        name = _name_from(before.group("rest"), capitals_only=True)
        if name:
            return name
    instead = _whole_name(_NAME_INSTEAD, text, capitals_only=True)
    if instead:
        return instead
    for cue in (_CORRECTED_NAME_CUE, _NAME_CUE):
        for match in cue.finditer(text):
            name = _name_from(match.group("rest"), capitals_only=False)
            if name:
                return name
    signature = _SIGNATURE.search(text.strip())
    if signature:
        name = _name_from(signature.group("rest"), capitals_only=False)
        if name:
            return name
    lower_case = not any(ch.isupper() for ch in original)
    return _whole_name(_TIE_THEN_NAME, text, capitals_only=not lower_case) or _whole_name(
        _CAPITAL_CUE, text, capitals_only=True
    )


def _whole_name(cue: re.Pattern[str], text: str, *, capitals_only: bool) -> str | None:
    """The first name of two words or more after one of the weaker `cue`s (no family
    word: "Jeg er naboen, Per Olsen" but not "dette er Mor")."""
    for match in cue.finditer(text):
        name = _name_from(match.group("rest"), capitals_only=capitals_only)
        if name and " " in name and relation_from_text(name) is None:
            return name
    return None


# "Ingrid Moen, født 1946, Granveien 24, tlf 41 23 45 67": a list that starts with a name.
# Read from the message with its facts taken out, where each left a comma: "Solveig Berg
# fodt 1948, bor i …" becomes "Solveig Berg , , …". "Solveig Berg her, …" is an
# introduction too. Lower case only counts in a message written all in lower case.
_LEADING_NAME = re.compile(
    r"^(?P<rest>[A-ZÆØÅ][\w'-]+(?:\s+(?!Her\b)[A-ZÆØÅ][\w'-]+){1,3})(?:\s+her\b)?\s*[,.;:]"
)
_LOWER_LEADING_NAME = re.compile(
    r"^(?P<rest>[a-zæøå][\w'-]+(?:\s+(?!her\b)[a-zæøå][\w'-]+){1,2})(?:\s+her\b)?\s*[,.;:]"
)
_GREETING = re.compile(
    r"^\s*(?:(?:hei|hallo|heisann|goddag|god\s+(?:dag|morgen|kveld|ettermiddag))\b[\s,.!:;]*)+",
    re.IGNORECASE,
)
_NOT_LEADING = frozenset("hei hallo god takk mvh hilsen kjære til fra".split())


def _leading_name(rest: str, original: str) -> str | None:
    """A name that opens a list of details (only used when the message holds others).

    `rest` is the message without its facts; `original` the whole message.
    """
    text = _GREETING.sub("", rest, count=1)
    match = _LEADING_NAME.match(text)
    if match is None and not any(ch.isupper() for ch in original):
        match = _LOWER_LEADING_NAME.match(text)
    if not match or match.group("rest").split()[0].lower() in _NOT_LEADING:
        return None
    name = clean_name(match.group("rest"))
    if name is None or relation_from_text(name) or _STREET.search(match.group(0)):
        return None
    return name


def _other_name(text: str, original: str) -> str | None:
    """The name of the person the writer speaks about ("mor heter Oddny Berg")."""
    after_and = _named_after_and(original, first_person=False)
    if after_and:
        return after_and
    for match in _OTHER_NAME_CUE.finditer(text):
        name = _name_from(match.group("rest") or match.group("rest2"), capitals_only=False)
        if name:
            return name
    for match in _RELATIVE_THEN_NAME.finditer(text):
        name = _name_from(match.group("rest"), capitals_only=True)
        if name:
            return name
    lower_case = not any(ch.isupper() for ch in original)
    for match in _CHILD_OF.finditer(text):
        if match.group("rest").split()[0].lower() in _NOT_A_NAME_START:
            continue
        name = _name_from(match.group("rest"), capitals_only=not lower_case)
        if name and (" " in name or not lower_case) and relation_from_text(name) is None:
            return name
    return None


# --- the whole message -------------------------------------------------------------------


def _prepared(text: str | None) -> str:
    """The message as every reader here sees it: cleaned, national ids masked, cut."""
    return mask_national_ids(clean_text(text))[:2000]


def without_facts(text: str | None, *, this_year: int) -> str:
    """The message with its phone numbers, address and birth year taken out, so what is
    left can be read for other things (a time wish: "født i 1948." is no date of a visit)."""
    text = _prepared(text)
    _, _, rest = _phones(text)
    _, rest = _address(rest)
    _, _, rest = _birth_year(rest, this_year)
    return rest


def own_words(text: str | None, *, this_year: int) -> str:
    """The message without the person's details: phone numbers, address, birth year or age,
    the names it gives and the words that introduce them ("jeg heter", "bor i", "tlf").

    What a person writes as a reason or a comment is stored as free text and read by staff;
    a name or a phone number in it belongs in its own field, not there ("Ragnhild Solberg
    fodt 1947 bor i Kirkeveien 3 tlf 93456789" leaves nothing). Empty when nothing else is
    left. A message without details comes back as it was (cleaned)."""
    facts = extract_facts(text, this_year=this_year)
    if facts == Facts():
        return _prepared(text).strip()
    rest = without_facts(text, this_year=this_year)
    for name in (facts.name, facts.other_name):
        if name:
            words = r"\s+".join(re.escape(word) for word in name.split())
            rest = re.sub(rf"(?<!\w){words}(?!\w)", " ", rest, flags=re.IGNORECASE)
    rest = _PHONE_WORDS.sub(" ", _FACT_CUES.sub(" ", rest))
    rest = re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\s+", " ", rest))
    rest = re.sub(r"([,.;:])(?:\s*[,.;:])+", r"\1", rest).strip(" ,.;:-")
    rest = _LOOSE_ENDS.sub("", rest).strip(" ,.;:-")
    if not any(word.casefold() not in _FILLER for word in re.findall(r"[^\W\d_]{2,}", rest)):
        return ""
    return rest


# Words that introduce a detail, and words that say nothing on their own.
_FACT_CUES = re.compile(
    r"\b(?:(?:jeg|eg|je)\s+(?:heter|heiter|hetter|het)|(?:mitt|mi)\s+(?:navn|namn)\s+er|"
    r"(?:navnet|namnet)\s+mitt\s+er|(?:jeg\s+|eg\s+)?(?:bor|bur)\s+(?:i|på|pa|paa)|"
    r"(?:er\s+)?(?:født|fodt|fødd|fodd)(?:\s+i)?|adresse(?:n)?(?:\s+(?:min|mi|er))*:?)(?!\w)",
    re.IGNORECASE,
)
# "og" left at the start, a greeting's sign-off left at the end.
_LOOSE_ENDS = re.compile(r"^(?:og|men)\s+|[\s,]+(?:mvh|hilsen|helsing)$", re.IGNORECASE)
_FILLER = frozenset(
    "og er her hei hallo heisann takk mvh hilsen helsing jeg eg je min mitt mi år ar aar "
    "gammel f".split()
)


def without_phone_and_year(text: str | None, *, this_year: int) -> str:
    """The message with its phone numbers and birth year or age taken out, so an answer to
    "which address?" can be checked for what is left ("fodt 1947" leaves nothing)."""
    text = _prepared(text)
    _, _, rest = _phones(text)
    _, _, rest = _birth_year(rest, this_year)
    rest = _PHONE_WORDS.sub(" ", rest)
    return re.sub(r"\s*,(?:\s*,)+", ",", rest).strip(" ,.;:")


# The words a phone number leaves behind ("tlf", "og mobilen min er").
_PHONE_WORDS = re.compile(
    r"\b(?:og\s+)?(?:tlf|telefon|telefonen|telefonnummer|mobil|mobilen|mobilnummer|"
    r"nummer|nummeret|nr)\b\.?(?:\s+(?:min|mitt|mi|er|:))*",
    re.IGNORECASE,
)


# Several actions of one turn read the same message (the start of a booking, then its
# form's validator), and a starting form reads the earlier ones again: each is read once
# (issue 12, py-spy). The last messages stay in the process's memory, as in Rasa's.
@functools.lru_cache(maxsize=256)
def extract_facts(text: str | None, *, this_year: int) -> Facts:
    """Every fact in one message (see the module docstring)."""
    text = _prepared(text)
    if not text or text.startswith("/"):
        return Facts()
    phone, phone_owner, rest = _phones(text)
    address, rest = _address(rest)
    birth_year, age, rest = _birth_year(rest, this_year)
    name = _name(rest, text)
    if name is None and (phone or address or birth_year):
        name = _leading_name(rest, text)
    return Facts(
        name=name,
        other_name=_other_name(rest, text),
        birth_year=birth_year,
        age=age,
        phone=phone,
        phone_owner=phone_owner,
        address=address,
        relation=relation_from_text(rest),
    )
