"""Short answers that lead to a write: an explicit yes, a question, and who a request is for.

Consent is never guessed: only an unambiguous yes is a yes. "Nei, hun vet ikke om det ennå",
"ja, men jeg må spørre henne først" and "kanskje" are not. Pure: no Rasa types.
"""

from __future__ import annotations

import re
from typing import Literal

from fhb.language.understanding import fold

YES: Literal["yes"] = "yes"
NO: Literal["no"] = "no"
UNSURE: Literal["unsure"] = "unsure"
Answer = Literal["yes", "no", "unsure"]

# Button payloads of the yes/no questions.
_PAYLOADS: dict[str, Answer] = {"/affirm": YES, "/deny": NO, "/unsure": UNSURE}


def _words(*phrases: str) -> re.Pattern[str]:
    """Whole-word alternatives, matched on folded text (without æøå)."""
    body = "|".join(r"\s+".join(re.escape(w) for w in fold(p).split()) for p in phrases)
    return re.compile(rf"\b(?:{body})\b")


_UNSURE = _words(
    "vet ikke",
    "veit ikke",
    "vet ikkje",
    "veit ikkje",
    "vet ik",
    "vett ikke",
    "usikker",
    "kanskje",
    "tja",
    "aner ikke",
    "ikke sikker",
    "ikkje sikker",
    "ikke helt sikker",
    "må spørre",
    "ma sporre",
    "skal spørre",
    "skal høre",
    "må høre",
    "ikke spurt",
    "ikkje spurt",
    "har ikke snakket",
    "ikke snakket",
    "ikkje snakka",
    "vet ikke helt",
    "får se",
    "far se",
    "vi får se",
    "ikke bestemt",
    "ikkje bestemt",
    "tror det",
    "trur det",
    "antar det",
    "regner med",
    "sikkert",
    "muligens",
    "mulig",
    "kan hende",
    "ikke enda",
    "ikke ennå",
    "ikkje enno",
    "enno ikkje",
    "ennå ikke",
    "enda ikke",
)
_NO = _words(
    "nei",
    "neida",
    "nope",
    "niks",
    "nix",
    "nei takk",
    "ikke",
    "ikkje",
    "ikkje",
    "aldri",
    "ingen",
    "vil ikke",
    "ønsker ikke",
    "nekter",
    "ennå",
    "enda",
    "enno",
    "ikke enda",
    "har ikke",
    "har ikkje",
    "sa nei",
    "sagt nei",
)
# A yes that needs nothing else: the whole answer is one of these (after fillers).
_YES_START = _words(
    "ja",
    "jo",
    "jepp",
    "jada",
    "javisst",
    "ja visst",
    "jaja",
    "absolutt",
    "selvfølgelig",
    "selvsagt",
    "sjølvsagt",
    "sjolvsagt",
    "gjerne",
    "ok",
    "okei",
    "okay",
    "greit",
    "fint",
    "stemmer",
    "det stemmer",
    "riktig",
    "korrekt",
    "yes",
    "jepp",
    "jau",
    "ja da",
    "klart",
    "det har hun",
    "det har han",
    "det har ho",
    "det vil hun",
    "det vil han",
    "det vil ho",
    "hun vil",
    "han vil",
    "ho vil",
    "hun vil gjerne",
    "han vil gjerne",
    "ho vil gjerne",
    "hun har sagt ja",
    "han har sagt ja",
    "ho har sagt ja",
    "hun er enig",
    "han er enig",
    "ho er einig",
    "hun samtykker",
    "han samtykker",
    "har samtykket",
    "sagt ja",
    "hun ønsker det",
    "han ønsker det",
    "de vil gjerne",
    "vi vil gjerne",
    "det vil jeg",
    "det vil eg",
    "gjerne det",
)
_QUESTION_START = _words(
    "hva",
    "kva",
    "hvem",
    "kven",
    "hvor",
    "kor",
    "hvordan",
    "korleis",
    "hvorfor",
    "kvifor",
    "når",
    "hvilken",
    "hvilke",
    "kva for",
    "kan jeg",
    "kan eg",
    "kan man",
    "kan hun",
    "kan han",
    "må jeg",
    "må eg",
    "må hun",
    "må han",
    "er det",
    "koster",
    "får jeg",
    "får eg",
    "skal jeg",
    "skal eg",
    "blir det",
    "gjelder det",
    "trenger jeg",
)
# A question without a question mark, anywhere in the message.
_ASKS = _words(
    "lurer på",
    "lurar på",
    "lure på",
    "vil vite",
    "vil gjerne vite",
    "ville vite",
    "har et spørsmål",
    "har eit spørsmål",
    "spørre om",
    "forklare",
    # "Jeg forstår ikke helt hva dette går ut på": a question without a question mark.
    "forstår ikke hva",
    "forstår ikke helt hva",
    "forstår ikkje kva",
    "skjønner ikke hva",
    "skjønner ikke helt hva",
    "skjønar ikkje kva",
    "forstår ikke hvorfor",
    "skjønner ikke hvorfor",
)
PLAIN_ANSWER_WORDS = 6
_BUT = _words("men", "bare", "berre", "hvis", "viss", "om hun", "om han", "dersom")


def is_question(text: str | None) -> bool:
    """Tell whether a message asks something (a question mark, or a question's first words)."""
    text = (text or "").strip()
    if not text or text.startswith("/"):
        return False
    if "?" in text:
        return True
    folded = fold(text)
    return bool(_QUESTION_START.match(folded) or _ASKS.search(folded))


# The start of a second question inside a sentence: "…, og om min mann kan være med?",
# "hva koster det og hvor lenge varer det". Besides _QUESTION_START's words.
_PART_START = _words(
    "om",
    "kan dere",
    "kan de",
    "kan vi",
    "kan noen",
    "må dere",
    "må vi",
    "er dere",
    "er de",
    "finnes det",
    "trenger",
    "trengs det",
    "er jeg",
    "er eg",
    "er hun",
    "er han",
    "kommer dere",
    "kommer det",
    "har dere",
    "gjør dere",
    "skriver dere",
    "hører jeg",
    "spør dere",
)
_LEADING_AND = re.compile(r"^(?:og|men|sa|eller)\s+")  # folded: "så" is "sa"
_SENTENCES = re.compile(r"[^.?!]+[.?!]*")
_CLAUSES = re.compile(r",|\s(?:og|men|samt|sa)\s")  # on folded text: "så" is "sa"
MAX_QUESTIONS = 3


def count_questions(text: str | None) -> int:
    """How many questions a message asks (at most MAX_QUESTIONS): "Hva koster det, og hvor
    lenge varer besøket?" asks two, "Hvor lang tid tar det? Jeg har fysioterapi kl 14." one.
    A sentence counts its clauses that start as a question, or one if it ends with a
    question mark (and is more than a word: "Hei?" asks nothing)."""
    text = (text or "").strip()
    if not text or text.startswith("/"):
        return 0
    count = 0
    for sentence in _SENTENCES.findall(fold(text)):
        clauses = [_LEADING_AND.sub("", c.strip()) for c in _CLAUSES.split(sentence.strip(" .?!"))]
        asked = sum(
            1
            for c in clauses
            if c and (_QUESTION_START.match(c) or _PART_START.match(c) or _ASKS.search(c))
        )
        if not asked and sentence.rstrip().endswith("?") and len(sentence.split()) > 1:
            asked = 1
        count += asked
    return min(count, MAX_QUESTIONS)


# A second-ranked answer is only given above this confidence: on 44 messages written for
# it (24 with two questions, 20 with one) it added 11 right answers and 1 wrong one (whose
# first answer was wrong too), where 0.05 added 12 and 2; with the next training of the
# model, 10 right and 3 wrong (two of them near: "topics" for "hva gjør dere på besøket").
EXTRA_ANSWER_CONFIDENCE = 0.08


def extra_answers(ranking: list[tuple[str, float]], first: str, questions: int) -> list[str]:
    """The further answers for a message that asks `questions` questions: the next-ranked
    ones (key, confidence; best first) above EXTRA_ANSWER_CONFIDENCE, one per further
    question, never `first` again."""
    further = [(key, confidence) for key, confidence in ranking if key != first]
    return [
        key
        for key, confidence in further[: max(0, questions - 1)]
        if confidence >= EXTRA_ANSWER_CONFIDENCE
    ]


# The question each FAQ answer answers, as a person would ask it (keyed by the response
# selector's key): when the bot is unsure which was asked, it offers its best guesses as
# buttons, and a button sends its question as if typed.
FAQ_QUESTIONS = {
    "faq/what_is": "Hva er forebyggende hjemmebesøk?",
    "faq/purpose": "Hvorfor tilbyr kommunen besøket?",
    "faq/eligibility": "Hvem kan få besøk?",
    "faq/cost": "Koster det noe?",
    "faq/voluntary": "Må jeg ta imot besøket?",
    "faq/duration": "Hvor lenge varer besøket?",
    "faq/topics": "Hva snakker vi om?",
    "faq/who_visits": "Hvem kommer på besøk?",
    "faq/privacy": "Har dere taushetsplikt?",
    "faq/relative_present": "Kan noen i familien være med?",
    "faq/location": "Kan vi møtes et annet sted?",
    "faq/preparation": "Må jeg forberede noe?",
    "faq/existing_services": "Jeg har hjemmetjeneste. Gjelder det meg?",
    "faq/interpreter": "Kan jeg få tolk?",
    "faq/why_contacted": "Hvorfor fikk jeg brev?",
    "faq/local_offers": "Hvilke aktiviteter finnes for eldre?",
    "faq/volunteering": "Kan jeg bli frivillig?",
    "faq/after_visit": "Hva skjer etter besøket?",
}
# Below this confidence of its best answer the selector is more often wrong than right
# (tests/nlu/test_nlu.yml, 58 held-out questions: below 0.2, 3 of 9 answers right; from 0.2
# to 0.4, 11 of 13), so the bot asks which question it was instead of answering.
UNSURE_FAQ_CONFIDENCE = 0.2
UNSURE_CHOICES = 3


def unsure_choices(ranking: list[tuple[str, float]]) -> list[str]:
    """The questions to offer when the best answer (ranking: key, confidence; best first)
    is below UNSURE_FAQ_CONFIDENCE: the best guesses' questions, at most UNSURE_CHOICES;
    none when the selector is sure enough."""
    if not ranking or ranking[0][1] >= UNSURE_FAQ_CONFIDENCE:
        return []
    keys = [key for key, _ in ranking if key in FAQ_QUESTIONS]
    return [FAQ_QUESTIONS[key] for key in keys[:UNSURE_CHOICES]]


def is_plain_answer(text: str | None) -> bool:
    """Tell whether a message can be the bare answer to a form's question: short, typed,
    and not a question ("Oddny Berg", "90 12 34 56", "Bakkeveien 3, 1234 Sted")."""
    text = (text or "").strip()
    return (
        bool(text)
        and not text.startswith("/")
        and not is_question(text)
        and (len(text.split()) <= PLAIN_ANSWER_WORDS)
    )


def yes_no(text: str | None) -> Answer | None:
    """Read an answer to a yes/no question; None for a question (answer it, ask again).

    Yes only when it is unambiguous; everything else that is not a question is no or unsure,
    so a relative's "ikke ennå" or "ja, men ..." never becomes consent.
    """
    raw = (text or "").strip()
    if raw in _PAYLOADS:
        return _PAYLOADS[raw]
    folded = fold(raw)
    if not folded or folded.startswith("/"):
        return UNSURE
    if is_question(raw) and not _YES_START.match(folded) and not _NO.match(folded):
        return None
    if _UNSURE.search(folded):
        plain_no = re.match(r"nei\b", folded) and not re.search(r"\b(?:vet|veit)\b", folded)
        return NO if plain_no else UNSURE
    if _NO.search(folded):
        return NO
    if _YES_START.match(folded) and not _BUT.search(folded) and "?" not in raw:
        return YES
    return UNSURE


# Who a request is for ------------------------------------------------------------------
_RELATIVES = (
    r"(?:mor|mora|moren|mamma|far|faren|pappa|fars|mors|kona|kone|mannen|mann|ektemann|"
    r"ektefelle|samboer|sonn|sonnen|datter|datteren|dattera|dotter|dottera|bror|broren|"
    r"soster|sosteren|sostera|svigermor|svigerfar|tante|onkel|besteforeldre|bestemor|"
    r"bestefar|nabo|naboen|venn|vennen|venninne|venninna|foreldre|foreldrene|"
    r"svoger|svigerinne|fetter|kusine)(?:en|a|et|ene|n)?"
)
_FOR_OTHER = re.compile(
    r"\b(?:for|til|pa vegne av|pa vegner av|paa vegne av|vegne av)\s+(?:min|mi|mitt|mine|"
    r"var|vaar|hennes|hans|henne|ham|han|ho)?\s*" + _RELATIVES + r"\b"
    r"|\b" + _RELATIVES + r"\s+(?:min|mi|mitt|mine|var)\b(?:\s+\w+){0,4}\s+"
    r"(?:vil|ville|trenger|onsker|skal|kan|bor|er|fyller|fikk|har fatt|har fått|"
    r"heter|heiter)\b"
    r"|\b(?:min|mi|mitt)\s+" + _RELATIVES + r"\b(?:\s+\w+){0,4}\s+(?:vil|trenger|onsker|"
    r"skal ha|kan fa|fa|faa|bor|er|fyller|fikk|heter)\b"
    r"|\b(?:jeg|eg)\s+(?:er|e)\s+(?:sonnen|dattera|datteren|dottera|barnebarnet|naboen|"
    r"kona|mannen|verge|hjelpeverge|broren|sostera|sosteren|svigersonnen|svigerdattera|"
    r"svigerdatteren|niesen|nevoen)\b"
    r"|\bskriver (?:for|pa vegne av)\b|\bpa vegne av\b|\bspor for\b|\bsporr for\b"
    r"|\b(?:henne|ham|han|ho|hun)\s+(?:vil|onsker|trenger)\b"
    r"|\b(?:til|for) (?:henne|ham|han|ho|dem)\b"
    r"|^(?:hei\W+)?" + _RELATIVES + r"\s+(?:min\s+|mi\s+)?(?:vil|onsker|trenger|lurer|har fatt)\b"
)
_FOR_SELF = re.compile(
    r"\b(?:jeg|eg|je)\s+(?:vil|ville|onsker|onskjer|trenger|treng|kunne tenke meg|har lyst)"
    r"\b(?:\s+\w+){0,3}\s+(?:besok|besoket|hjemmebesok|heimebesok|time|en tid|ei tid)\b"
    r"|\b(?:til|for) meg(?: selv| sjolv)?\b|\bmeg selv\b|\bmeg sjolv\b"
    r"|\b(?:kan|kunne) (?:dere|de|nokon|noen) (?:komme|kome) (?:til|hjem til) meg\b"
    r"|\b(?:jeg|eg) (?:er|e) (?:\d{2}|over \d{2})\b|\b(?:jeg|eg) fikk (?:et |eit )?brev\b"
    r"|\bbesoke meg\b|\bbesok (?:hos|til) meg\b"
)


# "besøk til mor", "besøk for faren min": the visit itself is for someone else.
_VISIT_FOR_OTHER = re.compile(
    r"\bbesok(?:et)?\s+(?:til|for|hos|åt|at)\s+(?:min\s+|mi\s+|mitt\s+|var\s+)?"
    r"(?:" + _RELATIVES + r"|henne|ham|han|ho|dem)\b"
)


def who_for(text: str | None) -> Literal["self", "other"] | None:
    """Whether a request is for the writer or for someone else; None when unclear.

    A relative mentioned in passing ("datteren min sa jeg skulle prøve denne chatten,
    jeg vil gjerne ha besøk") is not a request on someone's behalf.
    """
    raw = (text or "").strip()
    if raw.startswith("/"):
        return None
    folded = fold(raw)
    if _VISIT_FOR_OTHER.search(folded):
        return "other"
    other = bool(_FOR_OTHER.search(folded))
    own = bool(_FOR_SELF.search(folded))
    if other and not own:
        return "other"
    if own and not other:
        return "self"
    return None


# Keyboard noise ------------------------------------------------------------------------
_KEYBOARD_RUNS = ("qwer", "wert", "asdf", "sdfg", "dfgh", "fghj", "ghjk", "hjkl", "zxcv", "xcvb")
_VOWELS = frozenset("aeiouy")


def looks_like_noise(text: str | None) -> bool:
    """Tell whether a message is keyboard noise ("asdfgh", "jjjjj", "???", "123123"), which
    no answer fits: the bot asks to rephrase instead of answering a guessed question."""
    folded = fold(text or "")
    if not folded or folded.startswith("/"):
        return False
    words = re.findall(r"[a-z]+", folded)
    if not words:
        digits = re.sub(r"\D", "", folded)
        return not digits or bool(re.fullmatch(r"(\d+?)\1+", digits))
    if len(words) > 3:
        return False
    letters = "".join(words)
    if any(re.search(r"(.)\1{3,}", word) for word in words):
        return True
    if any(run in letters for run in _KEYBOARD_RUNS):
        return True
    voweless = [w for w in words if len(w) >= 4 and not set(w) & _VOWELS]
    return len(voweless) * 2 >= len(words)


_CALL_BACK = _words(
    "ring meg",
    "ringe meg",
    "ring til meg",
    "ringe til meg",
    "ringe meg opp",
    "ring meg opp",
    "ringe tilbake",
    "ring tilbake",
    "ringer meg",
    "ringe oss",
    "ring oss",
    "ringe henne",
    "ringe han",
    "ringe ham",
    "ringe mor",
    "ringe far",
    "bli oppringt",
    "bli ringt",
    "ringt opp",
    "ringe opp",
    "ringe kan",
    "ring kan",
    "kontakte meg",
    "ta kontakt med meg",
    "ringje meg",
    "ringe meg",
)


def wants_call_back(text: str | None) -> bool:
    """Tell whether a message asks the municipality to call ("Kan dere ringe meg?")."""
    raw = (text or "").strip()
    return not raw.startswith("/") and bool(_CALL_BACK.search(fold(raw)))


# A whole answer that declines an optional question ("Hvilket telefonnummer kan vi nå deg
# på? Du kan også trykke «Hopp over»"): "nei takk", "helst ikke", "ingen kommentar", "har
# ikke telefon", "nei, det trengs ikke". Read phrase by phrase from the start; every word
# must be one of these (folded: "nei, ellers takk!" is "nei ellers takk"), and one of them
# must say no ("takk" alone, or "telefon", does not).
_NEUTRAL = frozenset(
    " ".join(fold(p).split())
    for p in (
        "takk",
        "tusen takk",
        "ellers takk",
        "ellers",
        "dessverre",
        "telefon",
        "mobil",
        "mobiltelefon",
        "tlf",
        "nummer",
        "noe nummer",
        "si det",
        "oppgi det",
        "gi det",
    )
)
_REFUSING = (
    "nei",
    "neida",
    "nei nei",
    "nope",
    "niks",
    "det er greit",
    "det går bra",
    "det trengs ikke",
    "det trengst ikkje",
    "trengs ikke",
    "det er ikke nødvendig",
    "ikke nødvendig",
    "ikkje naudsynt",
    "helst ikke",
    "helst ikkje",
    "vil helst ikke",
    "vil ikke",
    "vil ikkje",
    "jeg vil ikke",
    "eg vil ikkje",
    "det vil jeg ikke",
    "jeg vil helst ikke",
    "ingen",
    "ingenting",
    "ikke noe",
    "ikkje noko",
    "ingen ting",
    "har ingen",
    "har ikke",
    "har ikkje",
    "jeg har ikke",
    "eg har ikkje",
    "jeg har ingen",
    "ingen kommentar",
    "ingen kommentarer",
    "ingen flere",
    "det er alt",
    "ikke nå",
    "ikkje no",
    "hopp over",
)
_REFUSAL_PHRASES = sorted((fold(p).split() for p in (*_REFUSING, *_NEUTRAL)), key=len, reverse=True)


def is_refusal(text: str | None) -> bool:
    """Whether the whole message declines to answer (an optional question's skip)."""
    words = re.sub(r"[^\w\s]", " ", fold(text or "")).split()
    if not words or any(ch.isdigit() for word in words for ch in word):
        return False
    says_no = False
    while words:
        phrase = next((p for p in _REFUSAL_PHRASES if words[: len(p)] == p), None)
        if phrase is None:
            return False
        says_no = says_no or " ".join(phrase) not in _NEUTRAL
        words = words[len(phrase) :]
    return says_no
