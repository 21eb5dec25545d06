"""The simulated users who come to book for themselves, and the writing styles and time wishes
the whole cast shares. Ages are the age turned this year (the target group is 77 to 80); the
birth years follow from today's year."""

from __future__ import annotations

import datetime as dt

from tests.conversations.people import Facts, Goal, Person, Wish
from tests.conversations.voice import Style

TYPER = Style(presses=0.0)
CLICKER = Style(presses=0.9)
PLAIN = Style(presses=0.5)
NYNORSK = Style(nynorsk=True, presses=0.3)
POLITE = Style(polite=True, presses=0.3)
NO_AEOEAA = Style(ascii=True, lower=True, presses=0.2)
TYPOS = Style(typos=0.25, presses=0.3)
TERSE = Style(terse=True, presses=0.7)

THURSDAY = Wish("en torsdag", weekdays=frozenset({3}))
MORNING = Wish("helst på formiddagen", part="morning")


def next_week(today: dt.date, words: str = "neste uke") -> Wish:
    """Some day next week."""
    monday = today + dt.timedelta(days=7 - today.weekday())
    return Wish(words, not_before=monday, before=monday + dt.timedelta(days=7))


def after_new_year(today: dt.date) -> Wish:
    """After New Year, when the plan reaches January; else next week."""
    new_year = dt.date(today.year + 1, 1, 1)
    if new_year + dt.timedelta(days=4) - today <= dt.timedelta(weeks=5):
        return Wish("etter nyttår", not_before=new_year)
    return next_week(today)


def all_facts_first(today: dt.date) -> list[Person]:
    """Name, birth year, address and phone in the very first message."""
    new_year = after_new_year(today)
    return [
        Person(
            "oddny-all-facts-after-new-year",
            Goal.BOOK_ALL_FACTS,
            Facts("Oddny Berg", 79, "Bakkeveien 3", "90 12 34 56"),
            PLAIN,
            (
                "Hei, jeg heter Oddny Berg, født {year}, bor i Bakkeveien 3 og telefonen min er "
                f"90 12 34 56. Kan dere komme på besøk {new_year.words}?",
            ),
            wish=new_year,
            all_facts_first=True,
        ),
        Person(
            "harald-all-facts-formal",
            Goal.BOOK_ALL_FACTS,
            Facts("Harald Lunde", 80, "Fjellveien 12", "412 34 567", she=False),
            POLITE,
            (
                "God dag. Mitt navn er Harald Lunde, jeg er født i {year} og bor i Fjellveien "
                "12. Tlf. 412 34 567. Jeg ønsker å bestille et hjemmebesøk.",
            ),
            all_facts_first=True,
            annoyed=True,
        ),
        Person(
            "brynjulv-all-facts-nynorsk",
            Goal.BOOK_ALL_FACTS,
            Facts("Brynjulv Aasen", 78, "Kyrkjevegen 8", "95 55 12 34", she=False),
            NYNORSK,
            (
                "Hei! Eg heiter Brynjulv Aasen, fødd {year}, bur i Kyrkjevegen 8, telefon "
                "95 55 12 34. Eg vil gjerne ha besøk, helst ein onsdag.",
            ),
            wish=Wish("ein onsdag", weekdays=frozenset({2})),
            all_facts_first=True,
        ),
        Person(
            "gunnhild-all-facts-no-aeoeaa",
            Goal.BOOK_ALL_FACTS,
            Facts("Gunnhild Roe", 77, "Stolsvegen 4", "98765432"),
            NO_AEOEAA,
            ("hei jeg vil ha besok. Gunnhild Roe, fodt {year}, Stolsvegen 4, tlf 98765432",),
            all_facts_first=True,
        ),
        Person(
            "solveig-name-first-then-the-facts",
            Goal.BOOK_ALL_FACTS,
            Facts("Solveig Berg", 78, "Storgata 5", "98765432"),
            NO_AEOEAA,
            ("Solveig Berg fodt {year} bor i Storgata 5 og tlf 98765432. vil gjerne ha besok",),
            all_facts_first=True,
            annoyed=True,
        ),
        Person(
            "arne-all-facts-typos",
            Goal.BOOK_ALL_FACTS,
            Facts("Arne Dahl", 78, "Sjøgata 14", "91 23 45 67", she=False),
            TYPOS,
            (
                "Hei jeg heter Arne Dahl født {year} adrese Sjøgata 14 telf 91 23 45 67 vil "
                "gjerne ha et besøk snart",
            ),
            all_facts_first=True,
        ),
        Person(
            "margit-all-facts-long-letter",
            Goal.BOOK_ALL_FACTS,
            Facts("Margit Holm", 80, "Granveien 22", "0047 93 45 67 89"),
            POLITE,
            (
                "Hei og god dag! Jeg fikk et hyggelig brev fra kommunen om hjemmebesøk, og det "
                "vil jeg gjerne takke ja til. Jeg heter Margit Holm, er født i {year} og bor i "
                "Granveien 22 her i Fjellvik. Dere kan nå meg på telefon 0047 93 45 67 89. Det "
                "passer best for meg på formiddagen. Med vennlig hilsen Margit",
            ),
            wish=MORNING,
            all_facts_first=True,
        ),
        Person(
            "per-all-facts-as-a-list",
            Goal.BOOK_ALL_FACTS,
            Facts("Per Olsen", 79, "Lia 7", "+47 452 11 223", she=False),
            TERSE,
            ("Navn: Per Olsen\nFødt: {year}\nAdresse: Lia 7\nTlf: +47 452 11 223\nØnsker besøk",),
            all_facts_first=True,
        ),
        Person(
            "solveig-all-facts-age-thursday",
            Goal.BOOK_ALL_FACTS,
            Facts("Solveig Nilsen", 79, "Skolegata 2B", "977 65 432"),
            PLAIN,
            (
                "Hei, Solveig Nilsen her. Jeg er {age} år og bor i Skolegata 2B. Nummeret mitt "
                "er 977 65 432. Kan noen komme innom en torsdag?",
            ),
            wish=THURSDAY,
            all_facts_first=True,
            says_age=True,
        ),
        Person(
            "kjell-all-facts-lower-case",
            Goal.BOOK_ALL_FACTS,
            Facts("kjell ove strand", 77, "storgata 41", "981 23 456", she=False),
            Style(lower=True, presses=0.4),
            ("jeg heter kjell ove strand f {year} bor storgata 41 tlf 981 23 456 vil ha besøk",),
            all_facts_first=True,
        ),
        Person(
            "ingrid-all-facts-next-week",
            Goal.BOOK_ALL_FACTS,
            Facts("Ingrid Moen", 78, "Granveien 24", "46 80 12 34"),
            PLAIN,
            (
                "Hei! Jeg er Ingrid Moen ({year}), Granveien 24, 2340 Fjellvik, tlf 46 80 12 34. "
                "Vil gjerne ha besøk i neste uke.",
            ),
            wish=next_week(today),
            all_facts_first=True,
            annoyed=True,
        ),
    ]


def step_by_step(today: dt.date) -> list[Person]:
    """Ask for a visit and give the facts when asked."""
    return [
        Person(
            "kari-presses-buttons",
            Goal.BOOK,
            Facts("Kari Sunde", 78, "Storgata 5", "915 55 555"),
            CLICKER,
            ("[Bestille besøk]",),
        ),
        Person(
            "olav-types-the-second",
            Goal.BOOK,
            Facts("Olav Brekke", 79, "Elvegata 3", "92 11 22 33", she=False),
            TYPER,
            ("Jeg vil gjerne ha besøk av dere",),
            pick=1,
        ),
        Person(
            "ragnhild-nynorsk",
            Goal.BOOK,
            Facts("Ragnhild Fossum", 80, "Bruvegen 11", "+47 476 54 321"),
            NYNORSK,
            ("Eg vil gjerne ha heimebesøk",),
        ),
        Person(
            "bjarne-two-facts-at-once",
            Goal.BOOK,
            Facts("Bjarne Haug", 78, "Løkkeveien 6", "40 50 60 70", she=False),
            PLAIN,
            ("hei, kan jeg bestille besøk?",),
            bundles=True,
        ),
        Person(
            "astrid-no-aeoeaa-monday-or-tuesday",
            Goal.BOOK,
            Facts("Astrid Loken", 77, "Nordre gate 9", "90909090"),
            NO_AEOEAA,
            ("kan jeg fa besok?",),
            wish=Wish("mandag eller tirsdag", weekdays=frozenset({0, 1})),
        ),
        Person(
            "leif-typos-after-the-letter",
            Goal.BOOK,
            Facts("Leif Aune", 79, "Fjordgata 17", "(+47) 99 88 77 66", she=False),
            TYPOS,
            ("Hei, jeg fikk et brev om hjemmebesøk og vil gjerne ha det",),
        ),
        Person(
            "else-polite-afternoon",
            Goal.BOOK,
            Facts("Else Mikkelsen", 80, "Prestegårdsveien 2", "93 12 45 78"),
            POLITE,
            (
                "God morgen! Jeg fikk brev fra kommunen om forebyggende hjemmebesøk, og jeg vil "
                "gjerne takke ja til et besøk. Hvordan går jeg frem?",
            ),
            wish=Wish("gjerne på ettermiddagen", part="afternoon"),
        ),
        Person(
            "torbjorn-terse",
            Goal.BOOK,
            Facts("Torbjørn Lie", 77, "Myrveien 8", "92 34 56 78", she=False),
            TERSE,
            ("besøk",),
        ),
        Person(
            "wenche-says-her-age",
            Goal.BOOK,
            Facts("Wenche Aas", 78, "Bjørkeveien 15", "47 11 22 33"),
            PLAIN,
            ("Jeg vil bestille besøk",),
            says_age=True,
            pick=2,
        ),
        Person(
            "einar-wants-next-week",
            Goal.BOOK,
            Facts("Einar Sæther", 80, "Tollbugata 4", "0047 912 34 567", she=False),
            TYPER,
            ("Kan dere komme på besøk til meg?",),
            wish=next_week(today, "i neste uke"),
        ),
        Person(
            "liv-thursday-afternoon",
            Goal.BOOK,
            Facts("Liv Rønning", 79, "Havnegata 21", "48 12 34 56"),
            PLAIN,
            ("Jeg vil gjerne ha et hjemmebesøk",),
            wish=Wish("torsdag ettermiddag", weekdays=frozenset({3}), part="afternoon"),
        ),
        Person(
            "sigrid-lower-case",
            Goal.BOOK,
            Facts("sigrid vang", 78, "kirkeveien 10 b", "93 45 12 89"),
            Style(lower=True, typos=0.1, presses=0.3),
            ("hei vil gjerne ha besøk",),
        ),
        *change_their_minds(),
    ]


def change_their_minds() -> list[Person]:
    """Start to say no, then want a visit after all (asked why, they answer "nei, jeg vil
    heller bestille besøk"): a visit is booked and no decline is stored."""
    return [
        Person(
            "hilde-no-then-yes",
            Goal.BOOK,
            Facts("Hilde Aas", 80, "Aasveien 7", "93 12 45 67"),
            NO_AEOEAA,
            ("jeg tror ikke jeg trenger besok",),
        ),
        Person(
            "sverre-no-then-yes-nynorsk",
            Goal.BOOK,
            Facts("Sverre Nes", 79, "Nesvegen 12", "47 65 43 21", she=False),
            NYNORSK,
            ("Eg trur ikkje eg treng besøk",),
        ),
        Person(
            "kjell-presses-no-by-mistake",
            Goal.BOOK,
            Facts("Kjell Moe", 78, "Moeveien 3", "95 43 21 09", she=False),
            CLICKER,
            ("[Takke nei til besøk]",),
        ),
    ]
