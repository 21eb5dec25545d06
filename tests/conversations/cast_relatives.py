"""The simulated relatives: with the person's consent they book; without it (not yet asked,
"vet ikke", "nei, men ...") the municipality must get a call-back request and no visit."""

from __future__ import annotations

from tests.conversations.cast_booking import CLICKER, NYNORSK, PLAIN, POLITE, TYPER, TYPOS
from tests.conversations.people import Facts, Goal, Person
from tests.conversations.voice import Style

CHILD_OF_MOTHER = frozenset({"mor", "barn"})
CHILD_OF_FATHER = frozenset({"far", "barn"})


def relatives() -> list[Person]:
    """Relatives who book with the person's consent."""
    return [
        Person(
            "hilde-for-her-mother",
            Goal.RELATIVE,
            Facts("Hilde Strand", 52, "Vestre vei 4", "91 22 33 44"),
            PLAIN,
            ("Hei, jeg vil bestille besøk til mora mi. Hun er {o_age} og bor alene.",),
            other=Facts("Astri Strand", 79, "Bekkeveien 10", "33 44 12 34"),
            relation="mora mi",
            relations=CHILD_OF_MOTHER,
            relation_answer="[Sønn eller datter]",
            consent="[Ja]",
        ),
        Person(
            "geir-for-his-father",
            Goal.RELATIVE,
            Facts("Geir Bakken", 55, "Lerkeveien 2", "480 12 345", she=False),
            TYPER,
            ("Jeg spør på vegne av faren min, han vil gjerne ha besøk",),
            other=Facts("Johan Bakken", 80, "Furuveien 6", "905 43 210", she=False),
            relation="faren min",
            relations=CHILD_OF_FATHER,
            relation_answer=("Jeg er sønnen hans", "sønn", "[Sønn eller datter]"),
            consent=("ja, han vil gjerne", "ja", "[Ja]"),
        ),
        Person(
            "marit-for-her-husband-nynorsk",
            Goal.RELATIVE,
            Facts("Marit Lien", 76, "Øvre Bakke 3", "95 44 33 22"),
            NYNORSK,
            ("Eg skriv for mannen min, han er {o_age} og treng kanskje litt hjelp",),
            other=Facts("Sverre Lien", 79, "Øvre Bakke 3", "95 44 33 23", she=False),
            relation="mannen min",
            relations=frozenset({"ektefelle"}),
            relation_answer="[Ektefelle eller samboer]",
            consent=("Ja, han har sagt ja", "ja", "[Ja]"),
        ),
        Person(
            "jonas-for-his-grandmother",
            Goal.RELATIVE,
            Facts("Jonas Berge", 24, "Studentveien 1", "46 46 46 46", she=False),
            Style(lower=True, presses=0.8),
            ("hei! bestemor lurer på om dere kan komme på besøk, hun har sagt ja",),
            other=Facts("Ruth Berge", 78, "Kirkebakken 7", "92 92 92 92"),
            relation="bestemor",
            relations=frozenset({"barnebarn"}),
            relation_answer="[Barnebarn]",
            consent="[Ja]",
        ),
        Person(
            "aud-for-her-neighbour",
            Goal.RELATIVE,
            Facts("Aud Knutsen", 68, "Solveien 12", "97 12 34 56"),
            POLITE,
            (
                "God dag. Jeg er nabo til Elsa Bakke og har snakket med henne. Hun vil gjerne "
                "ha et hjemmebesøk, men hun har ikke data. Kan jeg bestille for henne?",
            ),
            other=Facts("Elsa Bakke", 80, "Solveien 14", "33 55 66 77"),
            relation="naboen min",
            relations=frozenset({"nabo"}),
            relation_answer=("Jeg er naboen hennes", "nabo", "[Nabo eller venn]"),
            consent=("Ja, hun har bedt meg om å ordne det.", "Ja.", "[Ja]"),
        ),
        Person(
            "randi-daughter-of-signe",
            Goal.RELATIVE,
            Facts("Randi Moe", 54, "Bergveien 2", "92 11 22 33"),
            POLITE,
            (
                "God dag. Jeg er datter av Signe Moe ({o_age}), som fikk brev om hjemmebesøk. "
                "Hun vil gjerne ha besøk. Kan jeg bestille for henne?",
            ),
            other=Facts("Signe Moe", 79, "Moveien 9", "55 66 77 88"),
            relation="mor",
            relations=CHILD_OF_MOTHER,
            relation_answer="[Sønn eller datter]",
            consent=("Ja, hun har sagt ja.", "ja", "[Ja]"),
        ),
        Person(
            "svein-for-his-mother-in-law",
            Goal.RELATIVE,
            Facts("Svein Aasheim", 58, "Enga 2", "41 00 20 30", she=False),
            TYPOS,
            ("Hei. Svigermor vil gjerne ha besøk av dere, kan jeg bestille det for henne?",),
            other=Facts("Karen Dale", 77, "Vikaveien 5", "90 00 12 12"),
            relation="svigermor",
            relation_answer=("svigersønn", "svigersønn", "[Annet]"),
            consent=("ja hun har sagt ja", "ja", "[Ja]"),
        ),
        Person(
            "tone-for-her-mother-all-facts",
            Goal.RELATIVE,
            Facts("Tone Lie", 50, "Bjørkelia 3", "930 30 303"),
            PLAIN,
            (
                "Hei, jeg vil bestille besøk til mamma, Gerd Lie, født {o_year}, Lindeveien 5, "
                "tlf 55 12 34 56. Hun har sagt ja til det.",
            ),
            other=Facts("Gerd Lie", 80, "Lindeveien 5", "55 12 34 56"),
            relation="mamma",
            relations=CHILD_OF_MOTHER,
            relation_answer="[Sønn eller datter]",
            consent=("Ja, som jeg skrev", "ja", "[Ja]"),
        ),
    ]


def relatives_without_consent() -> list[Person]:
    """Relatives whose person has not said yes: a call-back, never a booking."""
    return [
        Person(
            "hanne-mother-does-not-know-yet",
            Goal.RELATIVE_NO_CONSENT,
            Facts("Hanne Vold", 49, "Kløverveien 8", "98 76 54 32"),
            PLAIN,
            ("Jeg vil bestille besøk til mora mi",),
            other=Facts("Signe Vold", 78, "Rosenlund 2", "33 12 12 12"),
            relation="mora mi",
            relation_answer="[Sønn eller datter]",
            consent=("nei, hun vet ikke om det ennå", "nei", "[Nei|Vet ikke]"),
        ),
        Person(
            "kjetil-has-not-asked-his-father",
            Goal.RELATIVE_NO_CONSENT,
            Facts("Kjetil Moe", 53, "Granlia 4", "452 22 333", she=False),
            TYPER,
            ("Kan dere besøke far min? Jeg tror han trenger det.",),
            other=Facts("Arnold Moe", 79, "Elvebakken 1", "915 11 222", she=False),
            relation="far min",
            relation_answer=("sønn", "sønn", "[Sønn eller datter]"),
            consent=("Vet ikke, har ikke spurt ham enda", "vet ikke", "[Vet ikke|Nei]"),
        ),
        Person(
            "siri-presses-dont-know",
            Goal.RELATIVE_NO_CONSENT,
            Facts("Siri Holt", 47, "Bergveien 9", "48 48 12 12"),
            CLICKER,
            ("Jeg lurer på om moren min kan få besøk",),
            other=Facts("Agnes Holt", 80, "Bergveien 11", "48 48 12 13"),
            relation="moren min",
            relation_answer="[Sønn eller datter]",
            consent="[Vet ikke|Nei, eller vet ikke]",
        ),
        Person(
            "odd-neighbour-thinks-she-needs-it",
            Goal.RELATIVE_NO_CONSENT,
            Facts("Odd Sletten", 70, "Tunet 3", "93 33 44 55", she=False),
            PLAIN,
            (
                "Jeg er bekymret for naboen min, hun er {o_age} og bor alene. Kan dere "
                "besøke henne?",
            ),
            other=Facts("Klara Ness", 80, "Tunet 5", "93 33 44 56"),
            relation="naboen min",
            relation_answer="[Nabo eller venn]",
            consent=("nei, men jeg synes hun trenger det", "nei", "[Nei|Vet ikke]"),
        ),
        Person(
            "lise-mother-nynorsk",
            Goal.RELATIVE_NO_CONSENT,
            Facts("Lise Rygg", 51, "Nygata 4", "97 97 12 34"),
            NYNORSK,
            ("Eg lurer på om mor mi kan få besøk",),
            other=Facts("Borghild Rygg", 79, "Heiane 2", "97 97 12 35"),
            relation="mor mi",
            relation_answer=("Eg er dotter hennar", "dotter", "[Sønn eller datter]"),
            consent=("Nei, ho veit ikkje om det enno", "nei", "[Nei|Vet ikke]"),
        ),
        Person(
            "ahmed-mother-in-law-not-yet",
            Goal.RELATIVE_NO_CONSENT,
            Facts("Ahmed Rahimi", 45, "Fabrikkgata 9", "40 40 12 34", she=False),
            PLAIN,
            ("Hei, kan jeg bestille besøk for svigermoren min?",),
            other=Facts("Ingeborg Dahle", 78, "Kirkegata 3", "40 40 12 35"),
            relation="svigermoren min",
            relation_answer=("Svigersønn", "svigersønn", "[Annet]"),
            consent=(
                "ikke ennå, jeg skal snakke med henne i helgen",
                "nei, ikke ennå",
                "[Nei|Vet ikke]",
            ),
        ),
    ]
