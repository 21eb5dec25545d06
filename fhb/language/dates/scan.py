"""The scan: the date and time expressions of each clause, and how the clause says them.

Each clause is scanned on its own (`scan_message`) and then merged (`merge_clauses`):

* a negated clause ("jeg kan ikke i dag", "mandag passer ikke", "før jul er det så travelt")
  turns its dates into exclusions, its clock bounds around ("etter kl 14 går ikke" -> before
  14) and its parts of day into the rest of the day ("ikke på formiddagen" -> from 12);
  a polite "kan dere ikke komme tirsdag?" is no negation, nor is "har ikke noe på tirsdag";
  "ikke" right before an expression negates only that kind (date or time of day);
* a preferred clause ("helst", "gjerne", "heller", "best") wins when dates contradict, and
  its weekday names replace the others' unless the text says "eller";
* "kl 10 er for tidlig" means from 10:30, "kl 14 er for sent" until 13:30, and "for tidlig"
  alone from 10:00.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar, cast

from fhb.language.dates.calendar import Span
from fhb.language.dates.clauses import normalize_mapped, split_clauses
from fhb.language.dates.clock import Clock, ClockItem
from fhb.language.dates.date_extractors import (
    WeekdayItem,
    extract_explicit_dates,
    extract_holidays,
    extract_months,
    extract_offsets,
    extract_relative_days,
    extract_seasons,
    extract_weekdays,
    extract_weeks,
)
from fhb.language.dates.patterns import NEXT_YEAR_RE, blank_greetings, normalize, strip_greetings
from fhb.language.dates.time_extractors import (
    extract_asap,
    extract_bare_times,
    extract_evaluations,
    extract_kl_times,
    extract_parts_of_day,
)
from fhb.language.dates.vocabulary import PART_HALVES, PART_WINDOWS

_T = TypeVar("_T")

ALL_KINDS = frozenset({"date", "time", "asap"})
_NEGATION_RE = re.compile(r"\b(?:ikke|ikkje|aldri)\b")
# A clause opening "Kan dere ikke komme tirsdag?" asks politely; "har ikke noe på tirsdag"
# means free then.
_NOT_NEGATION_RE = re.compile(
    r"^\s*(?:kan|kunne|vil|ville|skal)\s+(?:dere|du|de|dykk|dokker)\s+ikk(?:e|je)\b"
    r"|\bikk(?:e|je)\s+(?:noe|noko|(?:noen|nokon)\s+(?:avtaler?|planer|timer?)\b)\b"
)
UNSUITABLE_RE = re.compile(
    r"\b(?:travelt|travel|opptatt|umulig|vanskelig|vanskeleg|darlig|darleg|uheldig|borte"
    r"|bortreist|innlagt|pa\s+(?:ferie|reise|sykehus|sykehuset|sjukehus|sjukehuset)"
    r"|hos\s+(?:legen|lekjaren|tannlegen|frisoren|fysioterapeuten))\b"
)
_PREFERENCE_RE = re.compile(
    r"\b(?:helst|hellst|gjerne|heller|best|foretrekker|foretrekk|foretrekkjer|ideelt)\b"
)


@dataclass
class Findings:
    """Everything recognised in a text or a clause (the accumulator of the scan)."""

    spans: list[Span] = field(default_factory=list)
    preferred_spans: list[Span] = field(default_factory=list)
    excluded_spans: list[Span] = field(default_factory=list)
    weekdays_next: set[int] = field(default_factory=set)
    weekdays_any: set[int] = field(default_factory=set)
    weekdays_excluded: set[int] = field(default_factory=set)
    exact: list[Clock] = field(default_factory=list)
    earliest: list[Clock] = field(default_factory=list)
    latest: list[Clock] = field(default_factory=list)
    parts: list[tuple[str, str]] = field(default_factory=list)
    day_parts: list[tuple[str, str]] = field(default_factory=list)  # "i kveld": with its day
    asap: bool = False
    alternatives: bool = False

    def has_date(self) -> bool:
        """Return True when any date information (not only times) was found."""
        return bool(
            self.spans
            or self.excluded_spans
            or self.weekdays_next
            or self.weekdays_any
            or self.weekdays_excluded
            or self.asap
        )

    def is_empty(self) -> bool:
        """Return True when neither date nor time information was found."""
        times = self.exact or self.earliest or self.latest or self.parts or self.day_parts
        return not (self.has_date() or times)


@dataclass(frozen=True)
class Run:
    """Characters of a normalised clause that an extractor read, and what it read there."""

    start: int
    end: int
    kind: str  # "date", "time", "both" (a day with a part of day) or "asap"


@dataclass(frozen=True)
class ClauseScan:
    """One clause: its normalised text, what was found, and whether it is negated/preferred."""

    text: str  # normalised, greetings blanked
    residual: str  # the same with every expression read blanked out
    offsets: list[int]  # index in the whole message of each character of `text`
    found: Findings
    runs: list[Run]
    negated: frozenset[str]  # the kinds ("date", "time", "asap") the clause negates
    preferred: bool


def scan_message(text: str, today: datetime.date) -> tuple[list[ClauseScan], bool]:
    """Scan each clause of `text` -> (clauses, whether 'eller' makes them alternatives)."""
    whole = strip_greetings(normalize(text))
    alternatives = re.search(r"\beller\b", whole) is not None
    next_year = NEXT_YEAR_RE.search(whole) is not None
    anchor = datetime.date(today.year + 1, 1, 1) if next_year else today
    clauses = [
        scan_clause(text, start, end, today=today, anchor=anchor)
        for start, end in split_clauses(text)
    ]
    return clauses, alternatives


def scan_clause(
    message: str, start: int, end: int, *, today: datetime.date, anchor: datetime.date
) -> ClauseScan:
    """Run all extractors in priority order over one clause of `message`."""
    norm, offsets = normalize_mapped(message[start:end])
    offsets = [start + offset for offset in offsets]
    text = _blank(_NOT_NEGATION_RE, blank_greetings(norm))
    runs: list[Run] = []

    def step(kind: str, extract: Callable[[str], tuple[list[_T], str]]) -> list[_T]:
        """Run one extractor and remember which characters it read."""
        nonlocal text
        before = text
        results, text = extract(text)
        runs.extend(Run(s, e, kind) for s, e in _changed(before, text))
        return results

    asap = step("asap", extract_asap)
    evaluations = step("time", extract_evaluations)
    clock_items = step("time", extract_kl_times)
    explicit = step("date", lambda t: extract_explicit_dates(t, today, anchor))
    relative = step("both", lambda t: extract_relative_days(t, today))
    holidays = step("date", lambda t: extract_holidays(t, today))
    seasons = step("date", lambda t: extract_seasons(t, today, anchor))
    months = step("date", lambda t: extract_months(t, today, anchor))
    weeks = step("date", lambda t: extract_weeks(t, today, anchor))
    offsets_found = step("date", lambda t: extract_offsets(t, today))
    bare_items = step("time", extract_bare_times)
    part_items = step("time", extract_parts_of_day)
    weekday_items = step("date", lambda t: extract_weekdays(t, today))

    found = Findings(asap=bool(asap))
    found.spans += explicit + [span for span, _ in relative]
    found.spans += [s for s in holidays + seasons + months + weeks + offsets_found if s]
    found.day_parts += [(part, "") for _, part in relative if part]
    _collect_clock_items(found, clock_items + bare_items + part_items)
    _collect_weekday_items(found, weekday_items)
    for evaluation in evaluations:
        _apply_evaluation(found, evaluation)
    runs.sort(key=lambda r: r.start)
    return ClauseScan(
        text=norm,
        residual=text,
        offsets=offsets,
        found=found,
        runs=runs,
        negated=_negated_kinds(text, runs),
        preferred=_PREFERENCE_RE.search(norm) is not None,
    )


def _blank(pattern: re.Pattern[str], text: str) -> str:
    """Replace every match by as many spaces."""
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _changed(before: str, after: str) -> list[tuple[int, int]]:
    """(start, end) of the stretches an extractor blanked out (spaces inside kept)."""
    stretches: list[tuple[int, int]] = []
    for index, (old, new) in enumerate(zip(before, after, strict=True)):
        if old == new:
            continue
        if stretches and not before[stretches[-1][1] : index].strip():
            stretches[-1] = (stretches[-1][0], index + 1)
        else:
            stretches.append((index, index + 1))
    return stretches


def _negated_kinds(residual: str, runs: list[Run]) -> frozenset[str]:
    """What a clause negates: nothing, one kind right after 'ikke', or all it says."""
    negation = _NEGATION_RE.search(residual)
    if negation is None:
        return ALL_KINDS if UNSUITABLE_RE.search(residual) else frozenset()
    following = [run for run in runs if run.start >= negation.end()]
    if following and len(residual[negation.end() : following[0].start].split()) <= 2:
        kind = following[0].kind
        return frozenset({"date", "time"} if kind == "both" else {kind})
    return ALL_KINDS


def _collect_clock_items(found: Findings, items: list[ClockItem]) -> None:
    """Sort clock items into exact times, bounds and parts of day."""
    for kind, value in items:
        if kind == "part":
            found.parts.append(cast(tuple[str, str], value))
        else:
            getattr(found, kind).append(value)


def _collect_weekday_items(found: Findings, items: list[WeekdayItem]) -> None:
    """Sort weekday items into next/any/excluded sets and modifier spans."""
    for kind, value in items:
        if kind == "span":
            if value is not None:
                found.spans.append(cast(Span, value))
        elif kind == "exclude":
            found.weekdays_excluded.add(cast(int, value))
        else:
            (found.weekdays_any if kind == "any" else found.weekdays_next).add(cast(int, value))


def _shift(clock: Clock, minutes: int) -> Clock:
    """A clock time moved by some minutes, kept inside the day."""
    total = min(max(clock.hour * 60 + clock.minute + minutes, 0), 23 * 60 + 59)
    return Clock(total // 60, total % 60, clock.fixed)


def _apply_evaluation(found: Findings, evaluation: str) -> None:
    """'kl 10 er for tidlig' -> from 10:30; 'formiddag er for tidlig' -> from 12; alone from 10."""
    early = evaluation == "early"
    moved = [_shift(clock, 30 if early else -30) for clock in found.exact]
    (found.earliest if early else found.latest).extend(moved)
    complement = _rest_of_day(found.parts, evaluation)
    found.earliest += complement[0]
    found.latest += complement[1]
    if early and not (found.exact or found.parts):
        found.earliest.append(Clock(10, 0, True))
    found.exact, found.parts = [], []


def _rest_of_day(parts: list[tuple[str, str]], direction: str) -> tuple[list[Clock], list[Clock]]:
    """(earliest, latest) bounds for the day outside the given parts of day.

    direction "not": a part at the start of the day leaves what follows it, a part at the
    end what comes before it; "early"/"late": the part is too early/too late.
    """
    earliest: list[Clock] = []
    latest: list[Clock] = []
    for name, half in parts:
        (a_hour, a_minute), (b_hour, b_minute) = PART_HALVES.get(
            (name, half), PART_WINDOWS[name][:2]
        )
        after = Clock(b_hour + (b_minute == 59), 0 if b_minute == 59 else b_minute, True)
        before = Clock(a_hour, a_minute, True)
        if direction == "early" or (direction == "not" and (a_hour, a_minute) <= (8, 0)):
            earliest.append(after)
        elif direction == "late" or (direction == "not" and (b_hour, b_minute) >= (16, 0)):
            latest.append(before)
    return earliest, latest


def merge_clauses(clauses: list[ClauseScan], alternatives: bool) -> Findings:
    """All clauses' findings in one, negated clauses turned into exclusions and bounds."""
    merged = Findings(alternatives=alternatives)
    preferred_next: set[int] = set()
    for clause in clauses:
        found, negated = clause.found, clause.negated
        merged.weekdays_excluded |= found.weekdays_excluded
        if "date" in negated:
            merged.excluded_spans += found.spans
            merged.weekdays_excluded |= found.weekdays_next | found.weekdays_any
        else:
            merged.spans += found.spans
            merged.preferred_spans += found.spans if clause.preferred else []
            merged.weekdays_next |= found.weekdays_next
            preferred_next |= found.weekdays_next if clause.preferred else set()
            merged.weekdays_any |= found.weekdays_any
            merged.parts += found.day_parts
        if "time" in negated:
            merged.earliest += found.latest
            merged.latest += found.earliest
            rest_earliest, rest_latest = _rest_of_day(found.parts, "not")
            merged.earliest += rest_earliest
            merged.latest += rest_latest
        else:
            merged.exact += found.exact
            merged.earliest += found.earliest
            merged.latest += found.latest
            merged.parts += found.parts
        merged.asap = merged.asap or (found.asap and "asap" not in negated)
    if preferred_next and not alternatives:  # "helst onsdag, tirsdag er ..." -> Wednesday
        merged.weekdays_next = preferred_next
    return merged
