"""Validators of what users type: phone numbers, years, names, addresses, identity numbers."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fhb.language.dates import parse_later_when, parse_time_wish
from fhb.language.understanding import reason_from_text, relation_from_text, useful_from_text
from fhb.language.validation import (
    clean_address,
    clean_name,
    contains_national_id,
    mask_national_ids,
    normalize_phone,
    parse_age_as_birth_year,
    parse_birth_year,
)

# A synthetic but checksum-valid fødselsnummer (from python-stdnum's own examples).
VALID_FNR = "15108695088"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("915 55 555", "+4791555555"),
        ("91555555", "+4791555555"),
        ("+47 915 55 555", "+4791555555"),
        ("0047 91555555", "+4791555555"),
        ("nummeret mitt er 41 23 45 67", "+4741234567"),
        ("tlf: 22 24 90 90", "+4722249090"),
        ("12345", None),
        ("915 55 55", None),
        ("ring meg", None),
        ("", None),
        ("'; DROP TABLE visits; --", None),
        ("9" * 10000, None),
    ],
)
def test_normalize_phone(text: str, expected: str | None) -> None:
    assert normalize_phone(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1948", 1948),
        ("født i 1947", 1947),
        ("jeg er født 12.03.1949", 1949),
        ("12.03.49", 1949),
        ("2020", None),
        ("1890", None),
        ("for lenge siden", None),
    ],
)
def test_parse_birth_year(text: str, expected: int | None) -> None:
    assert parse_birth_year(text, this_year=2026) == expected


def test_age_in_years_becomes_a_birth_year() -> None:
    assert parse_age_as_birth_year("jeg er 78 år", this_year=2026) == 1948
    assert parse_age_as_birth_year("ingen alder her", this_year=2026) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kari Nordmann", "Kari Nordmann"),
        ("jeg heter ola hansen", "Ola Hansen"),
        ("Navnet mitt er Åse Bjørnstad-Li", "Åse Bjørnstad-Li"),
        ("1948", None),
        ("x", None),
        ("<script>alert(1)</script>", None),
        ("'; DROP TABLE visits; --", None),
        ("🙂🙂🙂", None),
        ("ja takk", None),
        ("jeg vil ikke", None),
        ("/skip", None),
        ("datter", None),  # who she is, not her name
        ("Solveig Nilsen heter jeg", "Solveig Nilsen"),
        ("Det skrev jeg jo: Ingrid Moen", "Ingrid Moen"),
        ("som sagt Per Hansen", "Per Hansen"),
        ("Jo Nesbø", "Jo Nesbø"),
        ("naboen", None),
        ("hmm", None),  # thinking aloud is not a name
        ("Hmmm...", None),
        ("øh", None),
        ("tja", None),
        ("greit", None),
        ("eh hmm", None),
        ("Jo", "Jo"),  # a given name, even alone
        ("Ola Tja", "Ola Tja"),  # one real word is enough
        ("a " * 50, None),
        ("neste aar kanskje", None),  # a late answer to the question before
        ("seinare i veke", None),
        ("Ola Sommer", "Ola Sommer"),  # seasons are surnames
        ("Dag Hansen", "Dag Hansen"),  # and Dag is a name
    ],
)
def test_clean_name(text: str, expected: str | None) -> None:
    assert clean_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Storgata 5", "Storgata 5"),
        ("som sagt Granveien 24", "Granveien 24"),
        ("jeg bor i fjellveien 12, 1234 Fjellvik", "Fjellveien 12, 1234 Fjellvik"),
        ("5", None),
        ("{}", None),
        ("jeg vil ikke ha besøk likevel", None),
        ("Nedre Bakken gård", "Nedre Bakken gård"),
    ],
)
def test_clean_address(text: str, expected: str | None) -> None:
    assert clean_address(text) == expected


def test_national_identity_numbers_are_masked() -> None:
    text = f"mitt personnummer er {VALID_FNR} og telefon 91555555"
    assert mask_national_ids(text) == "mitt personnummer er *********** og telefon 91555555"
    assert contains_national_id(text)
    assert not contains_national_id("telefon 91555555, født 1948")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_validators_never_crash_on_any_text(text: str) -> None:
    normalize_phone(text)
    parse_birth_year(text, this_year=2026)
    clean_name(text)
    clean_address(text)
    mask_national_ids(text)
    today = dt.date(2026, 11, 23)
    wish = parse_time_wish(text, today=today)
    assert wish is None or wish.start >= today
    parse_later_when(text, today=today)
    reason_from_text(text)
    relation_from_text(text)
    useful_from_text(text)
