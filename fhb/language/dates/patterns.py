"""Compiled regex patterns and text helpers (normalising, consuming matches)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import TypeVar

from fhb.language.dates.vocabulary import (
    BOUND_KW,
    COUNT,
    COUNT_WORDS,
    HOUR_WORD,
    MONTH_ANY,
    MONTH_SAFE,
    OFFSET_UNIT,
    PREFIX,
    TOKEN_BARE,
    TOKEN_KL,
    TOKEN_KL_SECOND,
    UNIT,
    WEEK_WORD,
    WEEKDAY,
)

_T = TypeVar("_T")


def _compile(*parts: str) -> re.Pattern[str]:
    """Compile pattern pieces for the normalised (lower-case, ASCII-folded) text."""
    return re.compile("".join(parts))


# -------------------------------------------------------------------------- patterns

_GREETING_RE = _compile(
    r"\bgo(?:d|dt)?\s*(?:morgen|morgon|morn|kveld|kvald|ettermiddag|formiddag",
    r"|dag|natt|jul|helg|nyttar)\b|\bgomorn\b",
)
NEXT_YEAR_RE = _compile(r"\b(?:til\s+|i\s+lopet\s+av\s+)?neste\s+ar(?:et)?\b")
ASAP_RE = _compile(
    r"\bsa\s+(?:snart|fort|raskt|tidlig|tidleg)\s+som\s+",
    r"(?:mulig|mogleg|mogeleg|det\s+(?:er|gar)\s+an)\b",
    r"|\bsa\s+snart\s+som\s+det\s+gar\b",
    r"|\bsnarest(?:\s+(?:mulig|mogleg|rad))?\b",
    r"|\b(?:fortest|raskest|snoggast|tidligst|tidlegast)\s+(?:mulig|mogleg|mogeleg)\b",
    r"|\b(?:forste|fyrste)\s+(?:ledige|mulige|beste|ledig)\b",
    r"|\bmed\s+(?:en|ein)\s+gang\b|\bstraks\b|\bdet\s+haster\b",
    r"|\bnar\s+som\s+helst\b|\bhvilken\s+som\s+helst\s+dag\b",
    r"|\bkva\s+tid\s+som\s+helst\b",
)

KL_RANGE_RE = _compile(
    rf"\b(?:mellom|fra)\s+(?P<a>{TOKEN_KL})\s*(?:og|til|-)\s*",
    rf"(?P<b>{TOKEN_KL_SECOND})",
    rf"|(?P<a2>{TOKEN_KL})\s*(?:-|til)\s*(?P<b2>{TOKEN_KL_SECOND})",
)
KL_BOUND_RE = _compile(rf"\b(?P<kw>{BOUND_KW})\s+(?P<a>{TOKEN_KL})")
KL_EXACT_RE = _compile(rf"(?P<a>{TOKEN_KL})")

DAY_RANGE_RE = _compile(
    r"(?:\b(?:mellom|fra)\s+)?(?:\bden\s+)?(?<![\d.:/])\b(?P<d1>\d{1,2})\s*\.?\s*",
    r"(?:-|til|og|eller)\s*(?:den\s+)?(?P<d2>\d{1,2})\s*\.?\s*",
    rf"(?P<month>{MONTH_ANY})",
)
DAY_MONTH_RE = _compile(
    PREFIX,
    r"(?:\bden\s+)?(?<![\d.:/])\b(?P<day>\d{1,2})\s*\.?\s*",
    rf"(?P<month>{MONTH_ANY})(?:\s*(?P<year>\d{{4}})(?!\d))?",
)
NUMERIC_DATE_RE = _compile(
    PREFIX,
    r"(?<![\d.:/,])\b(?P<day>\d{1,2})[./](?P<month>\d{1,2})",
    r"(?:[./](?P<year>\d{4}|\d{2}))?(?!\d|[./:]\d)",
)
DEN_DAY_RE = _compile(
    PREFIX,
    r"\bden\s+(?P<day>\d{1,2})(?:\s*\.|de\b|te\b|e\b)?",
    rf"(?!\s*[.:/]?\s*\d)(?!\s*{UNIT})",
)

RELATIVE_DAY_RE = _compile(
    r"\b(?P<today>i\s*dag)\b",
    r"|\b(?P<later>over\s*i\s*(?:morgen|morgon)|i\s*over\s*(?:morgen|morgon|morra)",
    r"|i\s*(?:morgen|morgon|morra|mora|mara|morn))\b",
    r"|\bi\s*(?P<part>kveld|kvald|ettermidd?ag|fore?midd?ag)\b",
)

_CHRISTMAS = r"(?:jul|julen|jula|jol|jola|juleferien|julehelga|julehelgen|juletider"
CHRISTMAS_BEFORE_RE = _compile(
    r"\b(?:for|fore|innen|innan)\s+",
    _CHRISTMAS,
    r"|julaften)\b",
)
NEW_YEAR_AFTER_RE = _compile(
    r"\b(?:etter|over)\s+",
    _CHRISTMAS,
    r"|nyttar|nyttaret|nyttarsaften|nyttarsdag|helligdagene|hoytidene|arsskiftet)\b",
    r"|\bpa\s+nyaret\b|\bi\s+det\s+nye\s+aret\b",
)
ROMJUL_RE = _compile(r"\b(?:i\s+|pa\s+)?romjul(?:a|en)?\b")
EASTER_RE = _compile(
    r"\b(?P<kw>for|fore|innen|innan|etter|over)\s+",
    r"(?:paske|pasken|paska|paskeferien|paskehelga|paskehelgen)\b",
)
# "vår" is also "our": bare "var" only counts when no noun follows it.
_BARE_SPRING = (
    r"var(?=\s*(?:$|[.,/-]|(?:og|eller|kanskje|helst|gjerne|da|sa|hvis|om|en|ei"
    r"|pa|i|etter|for|neste)\b))"
)
SEASON_RE = _compile(
    r"\b(?P<prep>i\s+lopet\s+av|utover|til|neste|denne|etter|over|fore|for|innen",
    r"|innan|i|pa)\s+(?:(?P<inner>neste|denne)\s+)?",
    r"(?P<season>varen|sommeren|sommaren|sommer|sommar|hosten|hausten|host|haust",
    r"|vinteren|vinter|",
    _BARE_SPRING,
    r")\b",
)

_MONTH_QUAL = (
    r"(?:(?:i|pa)\s+)?(?:begynnelsen|starten|byrjinga|slutten|enden|midten)\s+av"
    r"|(?:forst|fyrst|sist|midt|tidlig|tidleg|sent|seint)\s+i"
)
MONTH_RE = _compile(
    PREFIX,
    rf"(?:(?P<qual>{_MONTH_QUAL})\s+",
    r"|(?P<prep>i\s+lopet\s+av|utover|gjennom|i|til|pa)\s+)?",
    rf"\b(?P<m1>{MONTH_SAFE})",
    rf"(?:\s*(?:eller|og|-|/|til)\s*(?:i\s+)?(?P<m2>{MONTH_SAFE}))?",
    r"(?:\s+(?P<year>\d{4})(?!\d))?",
)
RELATIVE_MONTH_RE = _compile(
    PREFIX,
    rf"(?:(?P<qual>{_MONTH_QUAL})\s+)?",
    r"(?:(?P<which>neste|kommende|denne|i\s+neste|i\s+denne)\s+)?",
    r"\b(?P<word>maneden|maned|manaden|manad|mnd)\b",
)

_WEEK_QUAL = (
    r"tidlig|tidleg|(?:i\s+)?(?:begynnelsen|starten|byrjinga|midten|slutten|enden)"
    r"\s+av|forst\s+i|fyrst\s+i|midt\s+i|sist\s+i|sent|seint|mot\s+slutten\s+av"
    r"|i\s+lopet\s+av|resten\s+av"
)
WEEK_RE = _compile(
    PREFIX,
    rf"(?:(?P<qual>{_WEEK_QUAL})\s+(?:i\s+)?)?",
    r"(?:(?P<which>i\s+neste|i\s+denne|neste|nest|kommende|denne|i)\s+)?",
    rf"\b{WEEK_WORD}\b(?:\s*(?:nr\.?\s*)?(?P<n1>\d{{1,2}})(?!\d)",
    rf"(?:\s*(?:-|og|eller|til|/)\s*(?:{WEEK_WORD}\s*)?(?P<n2>\d{{1,2}})(?!\d))?)?",
)
WEEKEND_RE = _compile(
    PREFIX,
    r"\b(?:(?P<prep>i|denne|til)\s+)?(?P<word>helga|helgen|helg)\b",
)
HALF_YEAR_RE = _compile(
    r"\b(?P<prep>om|etter|innen|innan)\s+(?:et|eit|ett|eitt|en|ein)\s+",
    r"(?:halvt\s+ar|halvar)\b",
)
OFFSET_RE = _compile(
    rf"\b(?P<prep>om|etter|innen|innan)\s+(?P<n>{COUNT})\s+",
    OFFSET_UNIT,
)

BARE_RANGE_RE = _compile(
    rf"\b(?:mellom|fra)\s+(?P<a>{TOKEN_BARE})\s*(?:og|til|-)\s*",
    rf"(?P<b>{TOKEN_BARE})",
)
BARE_BOUND_RE = _compile(rf"\b(?P<kw>{BOUND_KW})\s+(?P<a>{TOKEN_BARE})")
ABOUT_TIME_RE = _compile(
    r"\b(?:(?:rundt|ved|i|omkring|ca\.?)\s+)?",
    rf"(?P<a>\d{{1,2}}|{HOUR_WORD})(?:\s*-?\s*tid|(?<=tt)id)(?:en|a)\b",
    rf"|\b(?:rundt|ca\.?|cirka|omkring|omtrent|ved)\s+(?P<b>{TOKEN_BARE})",
)
HALF_HOUR_RE = _compile(
    r"\b(?P<a>(?:halv|kvart\s+over|kvart\s+pa)\s+",
    rf"(?:\d{{1,2}}(?!\d)|{HOUR_WORD}\b))",
)
DOT_TIME_RE = _compile(r"(?<![\d.:/])(?P<a>\d{1,2}\.\d{2})(?!\d|[./]\d)")

NOT_TOO_EARLY_RE = _compile(
    r"\bikk(?:e|je)\s+(?:(?:for|altfor|alt\s+for|sa|so|veldig|sa\s+veldig)\s+)?tidl[ie]g",
    r"(?:\s+(?:pa|om)\s+(?:dagen|morgenen|morgonen|formiddagen))?\b",
)
# "kl 10 er for tidlig", "formiddagen er litt for tidleg", "kl 14 blir for sent"; not after
# "ikke" (that is NOT_TOO_EARLY_RE).
TOO_EARLY_OR_LATE_RE = _compile(
    r"\b(?P<neg>ikk(?:e|je)\s+(?:(?:sa|so|veldig)\s+)?)?(?:litt\s+|alt\s*)?",
    r"for\s+(?P<which>tidl[ie]g|sent|seint)\b",
)
BEFORE_LUNCH_RE = _compile(r"\b(?:for|fore)\s+lun(?:sj|ch)\w*")
AFTER_LUNCH_RE = _compile(r"\better\s+lun(?:sj|ch)\w*")
PART_RE = _compile(
    r"\b(?:(?P<mod>tidlig|tidleg|sen|sein|sent|seint)\s+(?:(?:pa|om)\s+)?)?",
    r"(?P<part>fore?midd?ag\w*|ettermidd?ag\w*|kv[ae]ld\w*)",
)
MIDDAY_RE = _compile(r"\bmidt\s+pa\s+dagen?\b|\b(?:rundt\s+)?lun(?:sj|ch)\w*")
MORNING_RE = _compile(
    r"\b(?:tidlig|tidleg)(?:\s+pa\s+(?:dagen|morgenen|morgonen))?\b",
    r"|\b(?:om|pa)\s+morg[eo]nen\b|\bmorg[eo]n(?:en|stund|tid|timene)\b",
    r"|(?<=dag)\s+morg[eo]n\b",
)

WORKDAYS_RE = _compile(
    r"\b(?:pa\s+)?(?:en\s+)?(?:hverdag|hverdager|hverdagar|kvardag|kvardagar",
    r"|ukedag|ukedager|vekedag|vekedagar)\b",
)
WEEKDAY_RE = _compile(
    r"(?:\b(?P<mod>fra|etter|over|fore|for|innen|innan|senest|seinast)\s+",
    r"(?:pa\s+)?)?",
    r"(?:\b(?P<neg>ikke|ikkje|unntatt|utenom|bortsett\s+fra)\s+",
    r"(?:(?!men\b|og\b)[a-z]+\s+)?(?:(?:pa|om)\s+)?)?",
    r"(?:\b(?P<art>en|ei|ein|alle|hver|kvar)\s+)?",
    r"(?:\b(?:neste|nest|kommende|forstkommende|denne|pa)\s+)?",
    rf"\b(?P<day>{WEEKDAY})(?P<suffix>ene|ane|en|er|ar)?\b",
)
LATER_OFFSET_RE = _compile(
    r"\b(?:om|etter)\s+(?:(?P<half>(?:et|eit|ett|eitt|en|ein)\s+",
    rf"(?:halvt\s+ar|halvar))|(?P<n>{COUNT})\s+",
    OFFSET_UNIT,
    ")",
)


# ---------------------------------------------------------------------- text helpers


def normalize(text: str) -> str:
    """Lower-case, fold æøå and accents to ASCII, keep only what patterns use."""
    folded = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    folded = unicodedata.normalize("NFKD", folded.replace("aa", "a"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = re.sub(r"[\u2010-\u2015]", "-", folded)
    folded = re.sub(r"(?<=\d),(?=\d)", ".", folded)
    folded = re.sub(r"[^a-z0-9.:/\-\s]", " ", folded)
    return " " + re.sub(r"\s+", " ", folded).strip() + " "


def strip_greetings(text: str) -> str:
    """Remove greetings such as 'god morgen' or 'god kveld' that are not wishes."""
    return _GREETING_RE.sub(" ", text)


def blank_greetings(text: str) -> str:
    """Like `strip_greetings`, but keep every other character where it is."""
    return _GREETING_RE.sub(lambda m: " " * len(m.group()), text)


def key(words: str | None) -> str:
    """Collapse whitespace in a matched keyword (None becomes '')."""
    return " ".join(words.split()) if words else ""


def consume(
    pattern: re.Pattern[str], text: str, handler: Callable[[re.Match[str]], _T | None]
) -> tuple[list[_T], str]:
    """Apply `handler` to each match and blank out accepted ones -> (results, text)."""
    results: list[_T] = []
    pieces: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        result = handler(match)
        if result is None:
            continue
        results.append(result)
        pieces.append(text[last : match.start()])
        pieces.append(" " * (match.end() - match.start()))
        last = match.end()
    pieces.append(text[last:])
    return results, "".join(pieces)


def flatten(groups: list[list[_T]]) -> list[_T]:
    """Flatten one level of nesting."""
    return [item for group in groups for item in group]


def _count(words: str) -> int:
    """Turn a count such as '3', 'tre' or 'et par' into an int."""
    words = key(words)
    return int(words) if words.isdigit() else COUNT_WORDS[words]


def unit_kind(unit: str) -> str:
    """'dager' -> 'days', 'uker'/'veker' -> 'weeks', 'måneder'/'år' -> 'months'."""
    if unit.startswith("d"):
        return "days"
    return "weeks" if unit.startswith(("u", "v")) else "months"


def unit_amount(count: str, unit: str) -> int:
    """Number of days/weeks/months in 'tre måneder', 'et år' (= 12 months), ..."""
    return _count(count) * (12 if unit == "ar" else 1)
