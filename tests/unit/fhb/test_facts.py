"""Every fact in one message: the table older people's real messages are written like."""

import pytest

from fhb.language.facts import (
    Facts,
    extract_facts,
    own_words,
    without_facts,
    without_phone_and_year,
)
from tests.support.clock import NOW

YEAR = NOW.year  # ages are counted from the frozen "now", never from the calendar


def facts(text: str) -> Facts:
    return extract_facts(text, this_year=YEAR)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hei, jeg heter Oddny Berg, født 1947, bor i Bakkeveien 3 og telefonen min er "
            "90 12 34 56. Kan dere komme på besøk etter nyttår?",
            {
                "name": "Oddny Berg",
                "birth_year": "1947",
                "address": "Bakkeveien 3",
                "phone": "+4790123456",
            },
        ),
        (
            "hei jeg heter oddny berg og er fodt 1947 bor i bakkeveien 3 tlf 90123456",
            {
                "name": "Oddny Berg",
                "birth_year": "1947",
                "address": "Bakkeveien 3",
                "phone": "+4790123456",
            },
        ),
        (
            "God dag. Mitt navn er Arne Johan Lie, f. 44. Adressen min er Nedre Slottsgate 4, "
            "0157 Oslo. Nr. +47 901 23 456",
            {
                "name": "Arne Johan Lie",
                "birth_year": "1944",
                "address": "Nedre Slottsgate 4, 0157 Oslo",
                "phone": "+4790123456",
            },
        ),
        (
            "eg heiter Sigrid Nes og er 81 år, bur på Solbakken 12b",
            {
                "name": "Sigrid Nes",
                "birth_year": str(YEAR - 81),
                "address": "Solbakken 12b",
            },
        ),
        (
            "Ingrid Moen, født 1946, Granveien 24, tlf 41 23 45 67",
            {
                "name": "Ingrid Moen",
                "birth_year": "1946",
                "address": "Granveien 24",
                "phone": "+4741234567",
            },
        ),
        ("Hei Kari, født 1946", {"birth_year": "1946"}),
        # A name that opens the list, with the facts right after it (no comma).
        (
            "Solveig Berg fodt 1948, bor i Storgata 5 og tlf 98765432",
            {
                "name": "Solveig Berg",
                "birth_year": "1948",
                "address": "Storgata 5",
                "phone": "+4798765432",
            },
        ),
        (
            "Kari Nordmann fødd 1947, adressa er Storgata 5 og tlf 98765432",
            {
                "name": "Kari Nordmann",
                "birth_year": "1947",
                "address": "Storgata 5",
                "phone": "+4798765432",
            },
        ),
        (
            "solveig berg fodt 1948 bor i storgata 5 tlf 98765432",
            {
                "name": "Solveig Berg",
                "birth_year": "1948",
                "address": "Storgata 5",
                "phone": "+4798765432",
            },
        ),
        # "paa" for "på": the whole word is the preposition, not "pa" and a street "a Storgata"
        (
            "Jeg heter Aase Haaland, er fodt i 1948, bor paa Storgata 5 og telefonen min er "
            "912 34 567",
            {
                "name": "Aase Haaland",
                "birth_year": "1948",
                "address": "Storgata 5",
                "phone": "+4791234567",
            },
        ),
        (
            "eg bur paa Bakken 3",
            {"address": "Bakken 3"},
        ),
        ("Hei. Solveig Berg her, fodt 1948", {"name": "Solveig Berg", "birth_year": "1948"}),
        ("hei hei, kari nordmann her, 1948", {"name": "Kari Nordmann", "birth_year": "1948"}),
        ("Olav Kyrres gate 5, fodt 1948", {"address": "Olav Kyrres gate 5", "birth_year": "1948"}),
        ("ja takk, fodt 1948", {"birth_year": "1948"}),
        ("vil gjerne ha besok. fodt 1948", {"birth_year": "1948"}),
        (
            "min mor fodt 1946 bor i storgata 5",
            {"birth_year": "1946", "address": "Storgata 5", "relation": "mor"},
        ),
        # Lower case is a name only where the whole message is written in lower case.
        ("Vil gjerne ha besok, fodt 1948", {"birth_year": "1948"}),
        (
            "god dag. jeg fikk brev fra kommunen om besok. jeg er 80 aar og heter Ragnhild "
            "Solberg, bor i Fjellveien 12 og tlf er 95 55 44 33. kan dere komme en tirsdag",
            {
                "name": "Ragnhild Solberg",
                "birth_year": str(YEAR - 80),
                "address": "Fjellveien 12",
                "phone": "+4795554433",
            },
        ),
        ("Bakkeveien 3, 1947 Sandvika", {"address": "Bakkeveien 3, 1947 Sandvika"}),
        ("Storgata 12 B, 1234 Sted", {"address": "Storgata 12B, 1234 Sted"}),
        ("Olav Kyrres gate 5", {"address": "Olav Kyrres gate 5"}),
        ("jeg bor i Kirkeveien 22", {"address": "Kirkeveien 22"}),
        ("0047 90123456", {"phone": "+4790123456"}),
        ("901-23-456", {"phone": "+4790123456"}),
        ("ring meg på 22 33 44 55", {"phone": "+4722334455"}),
        ("12.03.1947", {"birth_year": "1947"}),
        ("født den 3. mars 1946", {"birth_year": "1946"}),
        ("f. 48", {"birth_year": "1948"}),
        ("fødd 1939", {"birth_year": "1939"}),
        ("jeg er 79 år", {"birth_year": str(YEAR - 79)}),
        ("jeg er 71 år gammel", {"birth_year": str(YEAR - 71)}),
        ("min far på 84 vil ha besøk", {"birth_year": str(YEAR - 84), "relation": "far"}),
        ("Mvh Kari Nordmann", {"name": "Kari Nordmann"}),
        (
            "Solveig Nilsen heter jeg, og jeg er født 1948",
            {"name": "Solveig Nilsen", "birth_year": "1948"},
        ),
        ("Takk for svar.\nHilsen Per Olav", {"name": "Per Olav"}),
        ("Dette er Kari Nordmann", {"name": "Kari Nordmann"}),
        ("Jeg er sønnen hennes", {"relation": "barn"}),
        # Nothing to find, or nothing that may be taken for a fact.
        ("Oddny Berg", {}),
        ("Jeg har bodd her i 55 år", {}),
        (
            "Hei. Jeg er Ragnhild, 79 år, og bor i Fjellveien 2b. Mobilen min er 48 12 34 56.",
            {"birth_year": str(YEAR - 79), "address": "Fjellveien 2b", "phone": "+4748123456"},
        ),
        (
            "Halvor Moe, Bakkane 3, 5700 Voss, 56 51 23 45, f 1948",
            {
                "name": "Halvor Moe",
                "birth_year": "1948",
                "address": "Bakkane 3, 5700 Voss",
                "phone": "+4756512345",
            },
        ),
        ("jeg bor i en leilighet i storgata 15 b, 3. etasje", {"address": "Storgata 15b"}),
        ("jeg har bodd her i 65 år, og trives", {}),
        ("kan dere komme på tirsdag kl 10?", {}),
        ("jeg er enke og bor alene", {}),
        ("/affirm", {}),
        ("", {}),
    ],
)
def test_facts_in_one_message(text: str, expected: dict[str, str]) -> None:
    assert facts(text).values() == expected


def test_a_relative_names_the_citizen_and_signs_with_her_own_name() -> None:
    found = facts(
        "Jeg skriver for mor. Hun heter Ragnhild Aasen, f. 38, og bor i Olav Kyrres gate 5, "
        "5003 Bergen. Mitt nummer er 901 23 456. Hilsen Per"
    )
    assert found.name == "Per"
    assert found.other_name == "Ragnhild Aasen"
    assert found.relation == "mor"
    assert found.birth_year == 1938
    assert found.address == "Olav Kyrres gate 5, 5003 Bergen"
    assert found.phone == "+4790123456"


def test_a_national_identity_number_is_never_a_phone_or_a_year() -> None:
    assert facts("15108695088").values() == {}


@pytest.mark.parametrize(
    "text",
    [
        "nei, jeg er født i 1947, ikke 1948",
        "nei, født 1948 er feil, det skal være 1947",
        "ikke 1948 men 1947",
        "nei, 1948 er feil. 1947",
    ],
)
def test_the_year_said_to_be_wrong_is_not_the_birth_year(text: str) -> None:
    assert facts(text).birth_year == 1947


@pytest.mark.parametrize(
    ("text", "phone", "address"),
    [
        ("nei telefon er feil, ikke 91234567 men 91234568", "+4791234568", None),
        ("telefon 91234567 er feil, riktig er 98765432", "+4798765432", None),
        ("ikke Storgata 5 men Storgata 7", None, "Storgata 7"),
        ("Storgata 5 er feil, det er Storgata 7", None, "Storgata 7"),
        ("adressen er ikke Storgata 5, den er Storgata 7", None, "Storgata 7"),
    ],
)
def test_the_phone_or_address_said_to_be_wrong_is_skipped(
    text: str, phone: str | None, address: str | None
) -> None:
    found = facts(text)
    assert (found.phone, found.address) == (phone, address)


def test_an_age_in_brackets_after_a_name() -> None:
    assert facts("Hei, jeg er sønnen til Gerd Lie (82).").birth_year == YEAR - 82
    assert facts("ring meg (4 ganger)").birth_year is None


def test_an_age_is_kept_beside_the_year_it_gives() -> None:
    found = facts("jeg er 71")
    assert (found.age, found.birth_year) == (71, YEAR - 71)


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("Mitt nummer er 901 23 456", "self"),
        ("ring meg på 91 23 45 67", "self"),
        ("hennes telefon er 41 23 45 67", "other"),
        ("mor har nummer 41 23 45 67", "other"),
        ("tlf 55 12 34 56", None),
        ("Jeg er sønnen hans, Geir, tlf 91 23 45 67", "self"),
        ("hei, eg er dottera hennar, Liv, mob 412 34 567", "self"),
        ("Jeg er datteren hennes. Hennes nummer er 41 23 45 67", "other"),
    ],
)
def test_whose_number_it_is(text: str, owner: str | None) -> None:
    assert facts(text).phone_owner == owner


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("nei, navn er feil, det er sigrid vang", "Sigrid Vang"),
        ("Navnet er feil. Det skal være Sigrid Vang.", "Sigrid Vang"),
        ("navnet mitt er skrevet feil, det er Sigrid Vang", "Sigrid Vang"),
        ("nei navnet skal vere sigrid vang takk", "Sigrid Vang"),
        ("Rett navn er Sigrid Vang", "Sigrid Vang"),
        ("namnet er feil, rett er Sigrid Vang", "Sigrid Vang"),
        ("Nei, dessverre er navn feil. Riktig er Sigrid Vang.", "Sigrid Vang"),
        ("navnet er feil", None),
        ("riktig er kl 10", None),
        ("nei, navnet er ikke riktig", None),
        ("nei det er ikke Kari Vik, men Kari Vang", "Kari Vang"),
        ("Ikke Kari Vik men Karin Vik, takk", "Karin Vik"),
        ("ikke Vik men Vang", None),
        ("ikke denne uken men neste uke", None),
        ("Ikke Tirsdag, men Onsdag", None),
    ],
)
def test_a_name_corrected_at_the_summary(text: str, name: str | None) -> None:
    assert facts(text).name == name


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("adressen er feil, det er Storgata 5", "Storgata 5"),
        ("nei adressa er feil den er bakkeveien 12", "Bakkeveien 12"),
        ("nei, adressen skal være Storgata 5", "Storgata 5"),
    ],
)
def test_an_address_corrected_at_the_summary(text: str, address: str) -> None:
    assert facts(text).address == address


def test_a_surname_that_is_also_a_word_is_kept() -> None:
    assert facts("jeg heter Kari Feil").name == "Kari Feil"


@pytest.mark.parametrize(
    ("text", "other_name"),
    [
        (
            "God dag. Jeg er datter av Oddny Berg som fikk brev om hjemmebesok. Hun er 79 "
            "aar og bor i Lindeveien 5. Kan jeg bestille for henne?",
            "Oddny Berg",
        ),
        ("jeg er sonnen til nils vik og ringer for han", "Nils Vik"),
        ("Eg er dotter til Brita Haugen, fødd 1947", "Brita Haugen"),
        ("Hei, jeg er sønnen til Gerd Lie (82). Hun har fått brev", "Gerd Lie"),
        ("hei, det er Kari her, datter til Olga Hansen i Sjøveien 3. hun er 78", "Olga Hansen"),
        ("heisann, mor mi (Marta Lund) fylte 80 i sommar og bur i Lundevegen 12", "Marta Lund"),
        ("jeg er datter av en dame som fikk brev", None),
        ("Jeg er nabo til en eldre mann", None),
        ("Jeg er datter av mor", None),
    ],
)
def test_a_relative_named_after_datter_av(text: str, other_name: str | None) -> None:
    found = facts(text)
    assert (found.other_name, found.name) == (other_name, None)


def test_and_named_belongs_to_the_clauses_subject() -> None:
    found = facts("Mor er 84 og heter Oddny Berg. Jeg er datteren hennes")
    assert (found.other_name, found.name) == ("Oddny Berg", None)


@pytest.mark.parametrize(
    "text",
    [
        "Jeg vil bestille besøk til mamma, Gerd Lie, født 1946, Lindeveien 5",
        "Min mor Gerd Lie fikk brev om besøk",
        "Hei. Mamma Gerd Lie (81) har fått brev",
    ],
)
def test_a_name_right_after_the_family_word_is_the_citizens(text: str) -> None:
    found = facts(text)
    assert (found.other_name, found.name) == ("Gerd Lie", None)


@pytest.mark.parametrize(
    ("text", "name", "other_name"),
    [
        (
            "Hei. Far min Nils Berg (81) har faatt brev om besok. Jeg er sonnen hans, Geir "
            "Berg, tlf 91234567. Kan dere komme til ham?",
            "Geir Berg",
            "Nils Berg",
        ),
        ("jeg er dattera hennar, liv berg, og mor mi fekk brev", "Liv Berg", None),
        ("Jeg er naboen, Per Olsen.", "Per Olsen", None),
        ("Jeg er sønnen hans, og far Han er 85", None, None),
    ],
)
def test_the_writers_name_after_their_tie_to_the_citizen(
    text: str, name: str | None, other_name: str | None
) -> None:
    found = facts(text)
    assert (found.name, found.other_name) == (name, other_name)


def test_without_facts_leaves_the_rest_of_the_message() -> None:
    rest = without_facts(
        "Eg er fødd i 1948. Adressa mi er Strandvegen 4. Telefon 41 22 33 44. "
        "Kan de kome i neste veke?",
        this_year=YEAR,
    )
    assert "1948" not in rest and "Strandvegen" not in rest and "41 22" not in rest
    assert rest.endswith("Kan de kome i neste veke?")


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("fodt 1947", ""),
        ("jeg er 79", ""),
        ("93 44 55 66", ""),
        ("Haug 4, tlf 93445566", "Haug 4"),
        ("Haug 4 og telefonen min er 93445566", "Haug 4"),
        ("Hovsveien 3", "Hovsveien 3"),
    ],
)
def test_what_an_address_answer_holds_besides_a_phone_and_a_year(text: str, rest: str) -> None:
    assert without_phone_and_year(text, this_year=YEAR) == rest


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # Details only: nothing of one's own to keep as a reason or a comment.
        ("Ragnhild Solberg fodt 1947 bor i Kirkeveien 3 tlf 93456789", ""),
        ("Oddny Berg, 1947", ""),
        ("jeg heter Per Dahl og er født i 1946", ""),
        ("Eg heiter Brynhild Myklebust, fødd 1946, bur i Nausttunvegen 4", ""),
        # Details and words of one's own: the words.
        (
            "Jeg heter Kari Nordmann og jeg flytter til Spania. tlf 91234567",
            "jeg flytter til Spania",
        ),
        ("jeg har hjemmesykepleie, mvh Olav Berg", "jeg har hjemmesykepleie"),
        ("Jeg er 82 år og klarer meg selv", "klarer meg selv"),
        # No details: the message as written.
        ("jeg flytter til datteren min i Bergen", "jeg flytter til datteren min i Bergen"),
        ("takk", "takk"),
        ("", ""),
    ],
)
def test_own_words_leave_out_the_persons_details(text: str, words: str) -> None:
    assert own_words(text, this_year=YEAR) == words
