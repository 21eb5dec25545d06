"""Free-text answers mapped to stored categories."""

import pytest

from fhb.language.understanding import (
    alternative_from_text,
    fold,
    means_writers_number,
    rating_from_text,
    reason_from_text,
    relation_from_text,
    relative_relation,
    speaks_of_a_visit,
    useful_from_text,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no_need", "no_need"),
        ("Jeg klarer meg fint selv", "no_need"),
        ("jeg føler meg ikke gammel", "feels_too_young"),
        ("det er andre som trenger det mer", "others_need_more"),
        ("jeg har hjemmesykepleie allerede", "has_services"),
        ("vil ikke ha folk hjemme hos meg", "not_at_home"),
        ("jeg er bortreist i vinter", "bad_timing"),
        ("katten min liker ikke fremmede", "other"),
        # nynorsk: a service, not "heime" (at home) inside a longer word
        ("eg har heimesjukepleie kvar dag", "has_services"),
        ("vi har heimehjelpa kvar veke", "has_services"),
        ("eg vil ikkje ha nokon heime hos meg", "not_at_home"),
        # written without æøå, and inflected
        ("jeg far hjelp fra kommunen", "has_services"),
        ("det passer ikke na", "bad_timing"),
        ("det passer ikke naa", "bad_timing"),
        ("hjemmesykepleien kommer hver dag", "has_services"),
        # a keyword inside another word is not that word
        ("ungdommen min hjelper meg", "other"),
    ],
)
def test_reason_from_text(text: str, expected: str) -> None:
    assert reason_from_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("datteren hennes", "barn"),
        ("jeg er sønnen", "barn"),
        ("kona hans", "ektefelle"),
        ("nabo", "nabo"),
        ("barnebarn", "barnebarn"),
        ("verge", "verge"),
        ("tja", None),
    ],
)
def test_relation_from_text(text: str, expected: str | None) -> None:
    assert relation_from_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4", 4),
        ("terningkast 5", 5),
        ("fire", 4),
        ("jeg gir 3 av 5", 3),
        ("9", None),
        ("bra", None),
    ],
)
def test_rating_from_text(text: str, expected: int | None) -> None:
    assert rating_from_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", "yes"),
        ("ja, veldig", "yes"),
        ("litt", "partly"),
        ("nei, ikke egentlig", "no"),
        ("hmm", None),
    ],
)
def test_useful_from_text(text: str, expected: str | None) -> None:
    assert useful_from_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("phone", "phone"),
        ("helst på telefon", "phone"),
        ("på kontoret", "office"),
        ("gruppemøte", "group"),
        ("nei takk", "none"),
        ("kanskje", None),
    ],
)
def test_alternative_from_text(text: str, expected: str | None) -> None:
    assert alternative_from_text(text) == expected


@pytest.mark.parametrize(
    ("value", "text", "expected"),
    [
        ("mor", "jeg spør for mora mi", "barn"),
        ("far", "eg skriv for far min", "barn"),
        ("barn", "jeg er dattera hans", "barn"),
        ("ektefelle", "jeg skriver for kona mi", "ektefelle"),
        ("nabo", "naboen min har fått brev", "nabo"),
        (None, "jeg er sønnen til Olav", "barn"),
        (None, "hei, jeg lurer på noe", None),
        ("mor", "jeg er bekymret for mora mi", "barn"),
        (None, "Jeg er svært bekymret for far min", "barn"),
        ("min", "jeg vil bestille besok til min mor, men jeg har ikke spurt henne enda", "barn"),
    ],
)
def test_relation_always_describes_the_relative(value, text, expected) -> None:  # type: ignore[no-untyped-def]
    assert relative_relation(value, text) == expected


@pytest.mark.parametrize(
    ("text", "visit"),
    [
        ("nei da vil jeg heller bestille besok", True),
        ("jeg vil ikke si nei, jeg vil ha besøk!", True),
        ("nei, eg vil berre ha heimebesøk", True),
        ("vent, jeg vil ha besøket likevel", True),
        ("dere kan gjerne komme", True),
        ("kan de kome likevel", True),
        ("jeg takker ja likevel", True),
        ("kan jeg få en time", True),
        # Details, or a yes: no word of the visit itself.
        ("jeg heter Terje Amundsen", False),
        ("Ragnhild Solberg tlf 93456789", False),
        ("ja takk", False),
        ("sometimes", False),  # "time" only as a whole word
    ],
)
def test_speaks_of_a_visit(text: str, visit: bool) -> None:
    assert speaks_of_a_visit(text) is visit


def test_the_three_spellings_of_a_word_fold_to_one() -> None:
    assert fold("Faar") == fold("får") == fold("far") == "far"
    assert fold("NAA") == fold("nå") == fold("na") == "na"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("han har ikke telefon, bruk mitt nummer", True),
        ("Dere kan ringe meg", True),
        ("samme som mitt", True),
        ("ho har ingen mobil", True),
        ("mitt nr", True),
        ("mitt nummer er 912 34 567", False),
        ("hennes nummer er 41 23 45 67", False),
        ("nei", False),
        ("vet ikke", False),
    ],
)
def test_an_answer_that_means_the_writers_own_number(text: str, expected: bool) -> None:
    assert means_writers_number(text) is expected
