"""The time expression inside a longer message: a booking request's wish, a later time.

`wish_in_request` reads the first message of a booking request and keeps only what it says
about when the visit should be; `later_when_expression` cuts "til våren" out of "Jeg har
nettopp operert hofta, spør meg til våren". Both return the typed words (never the rest of
the message), and what they return parses to the same wish or date on its own.
"""

from __future__ import annotations

import datetime
import re

from fhb.language.dates.calendar import Span
from fhb.language.dates.patterns import normalize
from fhb.language.dates.scan import UNSUITABLE_RE, ClauseScan, scan_message
from fhb.language.dates.wish import parse_later_when, parse_time_wish

# Words that belong to the expression when they come right before it.
_LEAD_WORDS = frozenset({"helst", "hellst", "gjerne", "heller", "aller", "best", "bare", "kun"})
_NEGATION_WORDS = frozenset({"ikke", "ikkje", "aldri"})
_PREFERENCE_WORDS = frozenset({"helst", "hellst", "gjerne", "heller", "best"})
# Words that may stand between two parts of one expression ("tirsdag eller onsdag",
# "neste tirsdag på formiddagen", "kl 10 er for tidlig").
_JOIN_WORDS = frozenset({"pa", "i", "om", "eller", "og", "den", "ved", "rundt", "ca", "er", "blir"})
# Words of a short message that say nothing but the time ("Neste uke, takk").
_FILLER_WORDS = frozenset(
    "hei hallo ja takk gjerne helst kanskje ok okei da vel det er passer passar fint bra"
    " greit for meg oss og eller".split()
)
SHORT_MESSAGE_WORDS = 6

# The time is tied to the visit: coming, visiting, suiting, preferring ...
_STRONG_TIE_RE = re.compile(
    r"\b(?:kom|komme|kommer|kommet|kjem|koma|komma|besok\w*|vitj\w*|innom|passe\w*|passa\w*"
    r"|gar\s+(?:fint|bra|greit|an|ikke|ikkje)|helst|hellst|gjerne|heller|best|onsk\w*"
    r"|foretrekk\w*|hjemme|heime)\b"
)
# ... or, for anything but today, at least to being able to or to a time for it.
_WEAK_TIE_RE = re.compile(r"\b(?:kan|kunne|ledig\w*|avtale\w*|time|timen|tid|tida|tiden)\b")
# A constraint word opening the expression ("etter jul", "før kl 12", "fra mars").
_BOUND_START_RE = re.compile(
    r"\s*(?:etter|for|fore|fra|innen|innan|over|mellom|tidligst|senest|ikke|ikkje|unntatt)\b"
)
# A clause about something else that has a date: a birthday, an operation, a funeral.
_OTHER_EVENT_RE = re.compile(
    r"\b(?:fyller|fylte|fyldte|bursdag\w*|fodselsdag\w*|fodt|fodd|operert|operasjon\w*"
    r"|dode|dodde|begravelse\w*|gravferd\w*)\b"
)
# Asking for a later contact: "spør meg til våren", "ring meg i mars".
_LATER_TIE_RE = re.compile(
    r"\b(?:spor\w*|ring\w*|kontakt\w*|hor|hore|horer|send\w*|skriv\w*|prov\w*|igjen|tilbake"
    r"|helst|gjerne|heller|passe\w*|passa\w*|bedre|kom|komme|besok\w*)\b"
)


def wish_in_request(text: str, *, today: datetime.date) -> str | None:
    """Only what a booking request's first message says about when the visit should be.

    A clause's time counts when the clause ties it to the visit ("kan dere komme",
    "passer", "besøk ... neste uke", "helst", "ikke"), when the expression opens with a
    constraint ("etter nyttår", "før kl 12"), or when the whole message is short and says
    nothing but a time ("Neste uke?"). "i dag" alone needs a strong tie, so small talk
    ("Fint vær i dag") is no wish, nor is a date of another event ("Jeg fyller 80 i mars").
    A clause of nothing but a time right after a counted one counts too ("..., men i
    morgen"). The typed words of each counted clause are returned
    (clauses joined by ", ", a negation kept as "... passer ikke", a preference as
    "helst ..."); None when there is no wish.
    """
    clauses, _ = scan_message(text, today)
    short = len(normalize(text).split()) <= SHORT_MESSAGE_WORDS
    counted: list[tuple[ClauseScan, str]] = []
    previous_counted = False
    for clause in clauses:
        counts = bool(clause.runs) and (
            _tied(clause, today) or ((short or previous_counted) and _only_time(clause))
        )
        piece = _clause_piece(text, clause) if counts else ""
        if piece:
            counted.append((clause, piece))
        previous_counted = bool(piece)
    pieces = [
        _with_preference(clause, piece) if len(counted) > 1 else piece for clause, piece in counted
    ]
    wish = ", ".join(pieces)
    return wish if pieces and parse_time_wish(wish, today=today) is not None else None


def later_when_expression(text: str, *, today: datetime.date) -> tuple[str, datetime.date] | None:
    """The words of a later-contact time and its date: ('til våren', 1 March) or None.

    Only date expressions count (not a time of day), and not one that means only today;
    one in a clause that asks for the contact ("spør meg", "ring", "ta kontakt", "helst")
    wins, else the first. The words are as typed, in lower case, with single spaces; the
    date is `parse_later_when` of those words.
    """
    found: list[tuple[bool, str, datetime.date]] = []
    for clause in scan_message(text, today)[0]:
        for start, end in _groups(clause, {"date", "both"}):
            start = _extend_left(clause, start, lead=False)
            words = _typed(text, clause, start, end)
            if "date" in clause.negated and not _has_word(clause, start, end, _NEGATION_WORDS):
                continue
            when = parse_later_when(words, today=today)
            if when is not None and _is_later(words, when, today):
                tied = _LATER_TIE_RE.search(clause.text) is not None
                found.append((tied, " ".join(words.lower().split()), when))
    if not found:
        return None
    _, words, when = next((item for item in found if item[0]), found[0])
    return words, when


def _is_later(words: str, when: datetime.date, today: datetime.date) -> bool:
    """True unless the expression means only today (or an earlier day): 'i dag', 'nå'."""
    if when > today:
        return True
    wish = parse_time_wish(words, today=today)
    return wish is not None and (wish.end is None or wish.end > today)


def _tied(clause: ClauseScan, today: datetime.date) -> bool:
    """True when the clause ties its time to the visit (see `wish_in_request`)."""
    strong = _STRONG_TIE_RE.search(clause.text) is not None
    weak = _WEAK_TIE_RE.search(clause.text) is not None
    if clause.negated:
        unsuitable = UNSUITABLE_RE.search(clause.residual) is not None
        return strong or weak or unsuitable or _negation_before_run(clause, max_gap=1)
    if any(_BOUND_START_RE.match(clause.text, run.start) for run in clause.runs):
        return True
    if _OTHER_EVENT_RE.search(clause.text):
        return False
    if strong:
        return True
    found = clause.found
    only_today = all(span == Span(today, today) for span in found.spans) and not (
        found.weekdays_next or found.weekdays_any or found.exact
    )
    return weak and not only_today


def _negation_before_run(clause: ClauseScan, *, max_gap: int) -> bool:
    """True when 'ikke' stands at most `max_gap` words before a time expression."""
    for negation in re.finditer(r"\b(?:ikke|ikkje|aldri)\b", clause.residual):
        following = [run for run in clause.runs if run.start >= negation.end()]
        if (
            following
            and len(clause.residual[negation.end() : following[0].start].split()) <= max_gap
        ):
            return True
    return False


def _only_time(clause: ClauseScan) -> bool:
    """True when nothing but the time and filler words is left of the clause."""
    return all(word in _FILLER_WORDS for word in clause.residual.split())


def _groups(clause: ClauseScan, kinds: set[str]) -> list[tuple[int, int]]:
    """Runs of the given kinds, joined when only a joining word or two stands between."""
    groups: list[tuple[int, int]] = []
    for run in clause.runs:
        if run.kind not in kinds:
            continue
        if groups:
            gap = clause.residual[groups[-1][1] : run.start].split()
            if len(gap) <= 2 and all(word in _JOIN_WORDS for word in gap):
                groups[-1] = (groups[-1][0], max(groups[-1][1], run.end))
                continue
        groups.append((run.start, run.end))
    return groups


def _extend_left(clause: ClauseScan, start: int, *, lead: bool = True) -> int:
    """Move `start` back to a negation at most two words before it ('ikke komme i dag'), then
    (with `lead`) over lead words ('helst', 'gjerne') and 'eller' right before."""
    words = list(re.finditer(r"\S+", clause.residual[:start]))
    for index in range(len(words) - 1, max(len(words) - 3, 0) - 1, -1):
        if words[index].group() in _NEGATION_WORDS:
            start = words[index].start()
            del words[index:]
            break
    while lead and words and words[-1].group() in _LEAD_WORDS | {"eller"}:
        start = words.pop().start()
    return start


def _has_word(clause: ClauseScan, start: int, end: int, wanted: frozenset[str]) -> bool:
    """True when one of `wanted` is a word of the clause between start and end."""
    return any(word in wanted for word in clause.text[start:end].split())


def _typed(text: str, clause: ClauseScan, start: int, end: int) -> str:
    """The typed characters behind clause.text[start:end] (without outer spaces)."""
    while start < end and clause.text[start] == " ":
        start += 1
    while end > start and clause.text[end - 1] == " ":
        end -= 1
    if start >= end:
        return ""
    return text[clause.offsets[start] : clause.offsets[end - 1] + 1]


def _clause_piece(text: str, clause: ClauseScan) -> str:
    """The typed words of a counted clause's times, with its negation and preference."""
    pieces = []
    negation_kept = False
    for start, end in _groups(clause, {"date", "time", "both", "asap"}):
        start = _extend_left(clause, start)
        negation_kept |= _has_word(clause, start, end, _NEGATION_WORDS)
        pieces.append(_typed(text, clause, start, end))
    piece = " ".join(p for p in pieces if p)
    if piece and clause.negated and not negation_kept:
        piece += " passer ikke"
    return piece


def _with_preference(clause: ClauseScan, piece: str) -> str:
    """'helst ' + piece when the clause prefers its time and the piece lost the word."""
    words = set(normalize(piece).split())
    if not clause.preferred or clause.negated or words & _PREFERENCE_WORDS:
        return piece
    return "helst " + piece
