"""The simulated users who ask about the visits before or while booking, and 71-year-olds
(outside the target group) who would like a visit."""

from __future__ import annotations

from tests.conversations.cast_booking import CLICKER, NO_AEOEAA, NYNORSK, PLAIN, TYPER
from tests.conversations.people import Facts, Goal, Person
from tests.conversations.screen import Ask


def questions_first() -> list[Person]:
    """Ask about the visits first, then book; or ask in the middle of the booking."""
    return [
        Person(
            "gudrun-asks-cost-and-length",
            Goal.FAQ_THEN_BOOK,
            Facts("Gudrun Eide", 79, "Sandveien 30", "95 67 89 01"),
            PLAIN,
            ("Hva koster det?", "Hvor lenge varer et besøk?", "Ok, da vil jeg gjerne ha et besøk"),
        ),
        Person(
            "torunn-asks-two-at-once",
            Goal.FAQ_THEN_BOOK,
            Facts("Torunn Aas", 78, "Elvegata 8", "93 45 67 89"),
            PLAIN,
            ("Hva koster det, og hvor lenge varer besøket?", "Takk. Da vil jeg gjerne ha besøk"),
        ),
        Person(
            "nils-asks-in-nynorsk",
            Goal.FAQ_THEN_BOOK,
            Facts("Nils Kvamme", 78, "Tunvegen 2", "97 65 43 21", she=False),
            NYNORSK,
            (
                "Kva er eigentleg førebyggjande heimebesøk?",
                "Kven er det som kjem?",
                "Greitt, eg vil gjerne ha besøk",
            ),
        ),
        Person(
            "berit-asks-about-alarm-and-daughter",
            Goal.FAQ_THEN_BOOK,
            Facts("Berit Solberg", 80, "Parkveien 19", "41 23 45 67"),
            CLICKER,
            (
                "Må jeg ha besøk? Jeg har trygghetsalarm",
                "Kan datteren min være med på besøket?",
                "[Bestille besøk]",
            ),
        ),
        Person(
            "ottar-asks-without-aeoeaa",
            Goal.FAQ_THEN_BOOK,
            Facts("Ottar Hoel", 77, "Sagveien 5", "91 91 91 91", she=False),
            NO_AEOEAA,
            ("hva koster det", "har dere taushetsplikt", "ok da vil jeg ha besok"),
        ),
        Person(
            "hjordis-asks-cost-in-the-form",
            Goal.QUESTION_IN_FORM,
            Facts("Hjørdis Vik", 79, "Strandveien 40", "90 80 70 60"),
            PLAIN,
            ("Jeg vil bestille besøk",),
            aside=(Ask.BIRTH_YEAR, "Koster det noe forresten?"),
        ),
        Person(
            "magne-asks-duration-in-the-form",
            Goal.QUESTION_IN_FORM,
            Facts("Magne Ødegård", 78, "Åsveien 9", "45 45 45 45", she=False),
            TYPER,
            ("Kan jeg få besøk?",),
            aside=(Ask.ADDRESS, "Hvor lenge varer besøket?"),
        ),
        Person(
            "turid-asks-who-comes-nynorsk",
            Goal.QUESTION_IN_FORM,
            Facts("Turid Kleppe", 80, "Løypevegen 3", "99 12 12 12"),
            NYNORSK,
            ("Eg vil gjerne ha besøk",),
            aside=(Ask.PHONE, "Kven er det som kjem på besøk?"),
        ),
        Person(
            "egil-asks-for-an-interpreter",
            Goal.QUESTION_IN_FORM,
            Facts("Egil Haugen", 77, "Kaigata 6", "93 93 39 39", she=False),
            PLAIN,
            ("[Bestille besøk]",),
            aside=(Ask.TIME, "Kan jeg få tolk? Kona mi snakker bare polsk"),
        ),
    ]


def too_young() -> list[Person]:
    """Outside the target group: 71, or 82."""
    return [
        Person(
            "anne-71-accepts-a-call",
            Goal.TOO_YOUNG,
            Facts("Anne Lund", 71, "Fredlyveien 7", "92 71 71 71"),
            PLAIN,
            ("Hei, jeg er 71 år og lurer på om jeg kan få et sånt besøk",),
            says_age=True,
        ),
        Person(
            "terje-71-no-thanks",
            Goal.TOO_YOUNG,
            Facts("Terje Nygård", 71, "Solbakken 12", "41 71 19 55", she=False),
            CLICKER,
            ("[Bestille besøk]",),
            accepts_callback=False,
        ),
        Person(
            "ragnar-82-year-for-a-name-then-a-call",
            Goal.TOO_YOUNG,
            Facts("Ragnar Vik", 82, "Vikveien 2", "47 82 82 82", she=False),
            NO_AEOEAA,
            ("[Bestille besøk]",),
            year_for_name=True,
        ),
        Person(
            "randi-71-nynorsk",
            Goal.TOO_YOUNG,
            Facts("Randi Hovland", 71, "Bakkevegen 5", "48 71 00 71"),
            NYNORSK,
            ("Eg er 71 og vil gjerne ha besøk",),
            says_age=True,
        ),
    ]
