"""Everyone: the cast of simulated users, and those who want feedback, a person or a call."""

from __future__ import annotations

import datetime as dt

from tests.conversations.cast_booking import (
    CLICKER,
    NYNORSK,
    PLAIN,
    TYPER,
    all_facts_first,
    step_by_step,
)
from tests.conversations.cast_other import cancellers, decliners, movers, postponers
from tests.conversations.cast_questions import questions_first, too_young
from tests.conversations.cast_relatives import relatives, relatives_without_consent
from tests.conversations.people import Facts, Goal, Person


def feedback_givers() -> list[Person]:
    """A visit was made (the staff marked it completed); the chat invites feedback."""
    return [
        Person(
            "elsa-five-stars-and-a-comment",
            Goal.FEEDBACK,
            Facts("Elsa Brun", 79, "Brunveien 1", "90 55 44 33"),
            PLAIN,
            (),
            rating=5,
            rating_answer="[5]",
            useful="yes",
            useful_answer="[Ja]",
            comment=("Veldig hyggelig sykepleier, takk!", "[Hopp over]"),
        ),
        Person(
            "hans-dice-four",
            Goal.FEEDBACK,
            Facts("Hans Aker", 78, "Akerveien 2", "41 55 44 33", she=False),
            TYPER,
            (),
            rating=4,
            rating_answer=("terningkast 4", "4", "[4]"),
            useful="partly",
            useful_answer=("litt nyttig", "litt", "[Litt]"),
            comment=("nei", "[Hopp over]"),
        ),
        Person(
            "dagny-three-nynorsk",
            Goal.FEEDBACK,
            Facts("Dagny Sande", 80, "Sandvegen 3", "97 55 44 33"),
            NYNORSK,
            (),
            rating=3,
            rating_answer=("3", "3", "[3]"),
            useful="no",
            useful_answer=("Nei, eg visste det meste frå før", "nei", "[Nei]"),
            comment=("Det var litt for kort tid.", "[Hopp over]"),
        ),
        Person(
            "ole-asks-to-give-feedback",
            Goal.FEEDBACK,
            Facts("Ole Grande", 77, "Grandeveien 4", "93 55 44 33", she=False),
            PLAIN,
            ("Jeg vil gi tilbakemelding på besøket",),
            rating=5,
            rating_answer=("Det var veldig bra, fem av fem", "5", "[5]"),
            useful="yes",
            useful_answer=("ja absolutt", "ja", "[Ja]"),
        ),
    ]


def want_a_person() -> list[Person]:
    """A person in the chat, or a call."""
    return [
        Person(
            "frida-wants-a-human",
            Goal.PERSON,
            Facts("Frida Storm", 79, "Stormveien 5", "91 77 66 55"),
            PLAIN,
            ("Kan jeg snakke med et menneske?",),
        ),
        Person(
            "bernt-presses-person",
            Goal.PERSON,
            Facts("Bernt Lo", 78, "Loveien 1", "47 77 66 55", she=False),
            CLICKER,
            ("[Snakke med en person]",),
        ),
        Person(
            "karin-call-me-with-number",
            Goal.CALLBACK,
            Facts("Karin Vik", 80, "Vikgata 3", "941 23 456"),
            PLAIN,
            (
                "Kan noen fra kommunen ringe meg? Jeg heter Karin Vik og nummeret mitt er "
                "941 23 456.",
            ),
        ),
        Person(
            "john-wants-a-call",
            Goal.CALLBACK,
            Facts("John Wiik", 78, "Wiikveien 7", "92 77 66 55", she=False),
            TYPER,
            ("Jeg vil gjerne bli oppringt om hjemmebesøket",),
        ),
        Person(
            "aslaug-call-me-nynorsk",
            Goal.CALLBACK,
            Facts("Aslaug Hauge", 79, "Haugevegen 2", "95 77 66 55"),
            NYNORSK,
            ("Kan de ringje meg? Eg er ikkje så flink med data.",),
        ),
    ]


def cast(today: dt.date) -> list[Person]:
    """Every simulated user; keys are unique and name what the user tests."""
    people = (
        all_facts_first(today)
        + step_by_step(today)
        + questions_first()
        + too_young()
        + relatives()
        + relatives_without_consent()
        + decliners()
        + postponers()
        + cancellers()
        + movers(today)
        + feedback_givers()
        + want_a_person()
    )
    keys = [p.key for p in people]
    if len(set(keys)) != len(keys):
        raise ValueError("two simulated users share a key")
    return people
