"""The simulated users who say no or not now, and those with a visit booked earlier in the
same browser (the web page keeps its session) who cancel or move it."""

from __future__ import annotations

import datetime as dt

from tests.conversations.cast_booking import (
    CLICKER,
    NO_AEOEAA,
    NYNORSK,
    PLAIN,
    POLITE,
    THURSDAY,
    TYPER,
    next_week,
)
from tests.conversations.people import Facts, Goal, Person


def decliners() -> list[Person]:
    """No thank you, with a reason."""
    return [
        Person(
            "bjorg-manages-fine",
            Goal.DECLINE,
            Facts("Bjørg Lunde", 78, "Haugveien 2", "91 00 11 22"),
            PLAIN,
            ("Nei takk, jeg klarer meg fint selv.",),
            reasons=frozenset({"no_need"}),
            reason_answer="[Jeg klarer meg fint selv]",
            gives_phone=False,
        ),
        Person(
            "arvid-feels-young",
            Goal.DECLINE,
            Facts("Arvid Holm", 77, "Skiveien 1", "90 11 22 33", she=False),
            PLAIN,
            ("Takk for brevet, men jeg føler meg ikke gammel. Jeg går på ski hver dag!",),
            reasons=frozenset({"feels_too_young"}),
            reason_answer="[Jeg føler meg ikke gammel]",
            gives_phone=False,
        ),
        Person(
            "synnove-has-home-nursing",
            Goal.DECLINE,
            Facts("Synnøve Bø", 80, "Eikeveien 3", "45 11 22 33"),
            POLITE,
            (
                "Jeg har allerede hjemmesykepleie to ganger i uka, så jeg trenger nok ikke et "
                "slikt besøk. Men takk likevel.",
            ),
            reasons=frozenset({"has_services"}),
            reason_answer="[Jeg har hjelp fra kommunen]",
        ),
        Person(
            "kaare-not-at-home-phone-instead",
            Goal.DECLINE,
            Facts("Kåre Vik", 79, "Vikveien 20", "94 12 34 56", she=False),
            TYPER,
            ("Jeg vil ikke ha folk hjemme hos meg",),
            reasons=frozenset({"not_at_home"}),
            reason_answer=("Vil ikke ha besøk hjemme", "[Vil ikke ha besøk hjemme]"),
            alternative=("En samtale på telefon går fint", "På telefon", "[På telefon]"),
        ),
        Person(
            "eva-others-need-it-more-nynorsk",
            Goal.DECLINE,
            Facts("Eva Tveit", 78, "Lundane 4", "47 12 12 47"),
            NYNORSK,
            ("Nei takk. Det er andre som treng det meir enn meg.",),
            reasons=frozenset({"others_need_more"}),
            reason_answer="[Andre trenger det mer]",
            gives_phone=False,
        ),
        Person(
            "petter-moves-to-spain",
            Goal.DECLINE,
            Facts("Petter Wold", 77, "Havnevegen 2", "41 41 41 41", she=False),
            CLICKER,
            ("[Takke nei til besøk]",),
            reasons=frozenset({"other"}),
            reason_answer="[Annet]",
            reason_text=("Jeg flytter til Spania i januar", "flytter til utlandet", "[Hopp over]"),
            gives_phone=False,
        ),
        Person(
            "ellen-no-aeoeaa-no-reason",
            Goal.DECLINE,
            Facts("Ellen Fjeld", 79, "Smaragdveien 1", "99 00 99 00"),
            NO_AEOEAA,
            ("nei takk trenger ikke besok",),
            reason_answer="[Vil ikke svare]",
            gives_phone=False,
        ),
    ]


def postponers() -> list[Person]:
    """Not now: ask me again later."""
    return [
        Person(
            "alf-ask-me-next-year",
            Goal.POSTPONE,
            Facts("Alf Ruud", 77, "Ruudveien 2", "92 00 00 92", she=False),
            PLAIN,
            ("Ikke nå, spør meg igjen neste år.",),
            gives_phone=False,
        ),
        Person(
            "inger-maybe-in-spring",
            Goal.POSTPONE,
            Facts("Inger Bakke", 78, "Vårveien 5", "48 00 11 00"),
            PLAIN,
            ("Kanskje til våren? Nå i vinter passer det dårlig.",),
            later=("til våren", "[Om et halvår]"),
        ),
        Person(
            "jorunn-after-christmas-nynorsk",
            Goal.POSTPONE,
            Facts("Jorunn Vatne", 80, "Vatnevegen 8", "97 00 22 11"),
            NYNORSK,
            ("Eg har ikkje tid no, kan de ta kontakt att etter jul?",),
            later=("etter jul", "i januar", "[Om et halvår]"),
            gives_phone=False,
        ),
        Person(
            "steinar-presses-not-now",
            Goal.POSTPONE,
            Facts("Steinar Berg", 79, "Bergtun 1", "95 11 00 11", she=False),
            CLICKER,
            ("[Takke nei til besøk]",),
            reason_answer="[Det passer ikke nå]",
            later="[Om et halvår]",
        ),
        Person(
            "kirsten-after-her-hip-surgery",
            Goal.POSTPONE,
            Facts("Kirsten Lyng", 80, "Lyngveien 3", "93 00 33 00"),
            POLITE,
            (
                "Tusen takk for tilbudet. Jeg har nettopp operert hofta, så jeg vil gjerne vente "
                "til jeg er bedre. Kan dere spørre meg igjen om et halvt år?",
            ),
            later=("om et halvt år", "[Om et halvår]"),
        ),
    ]


def cancellers() -> list[Person]:
    """Cancel a visit booked earlier in the same browser (the page keeps its session)."""
    return [
        Person(
            "gunnar-cancels-hospital",
            Goal.CANCEL,
            Facts("Gunnar Foss", 79, "Fossveien 9", "91 19 19 19", she=False),
            POLITE,
            ("Jeg må dessverre avbestille besøket, jeg skal på sykehuset.",),
        ),
        Person(
            "mona-cancels-no-aeoeaa",
            Goal.CANCEL,
            Facts("Mona Ask", 78, "Askveien 4", "47 47 47 11"),
            NO_AEOEAA,
            ("kan dere avlyse besoket mitt",),
        ),
        Person(
            "bodil-cancels-nynorsk",
            Goal.CANCEL,
            Facts("Bodil Haga", 80, "Hagavegen 6", "95 95 11 22"),
            NYNORSK,
            ("Eg må avbestille besøket",),
        ),
    ]


def movers(today: dt.date) -> list[Person]:
    """Move a booked visit (booked earlier in the same browser)."""
    return [
        Person(
            "ivar-moves-to-a-thursday",
            Goal.MOVE,
            Facts("Ivar Moen", 78, "Moveien 3", "90 30 30 30", she=False),
            PLAIN,
            ("Kan vi flytte besøket til en torsdag?",),
            wish=THURSDAY,
        ),
        Person(
            "reidun-moves-to-next-week",
            Goal.MOVE,
            Facts("Reidun Lia", 79, "Liaveien 1", "41 30 30 30"),
            TYPER,
            ("Jeg vil gjerne flytte besøket mitt. Passer det neste uke?",),
            wish=next_week(today),
        ),
        Person(
            "trygve-moves-by-buttons",
            Goal.MOVE,
            Facts("Trygve Dal", 80, "Dalveien 2", "92 30 30 30", she=False),
            CLICKER,
            ("Jeg må flytte besøket",),
        ),
    ]
