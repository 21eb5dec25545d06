"""Fødselsnummer masking for every shape a person types: separators, invisible characters,
digits of other scripts, D-numbers and button payloads (issue 11)."""

from __future__ import annotations

import json
from typing import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fhb.language.validation import contains_national_id, mask_national_ids
from tests.support.national_ids import (
    D_NUMBER,
    FNR,
    FNR_1986,
    SHAPES,
    digits_of,
    reaches_rasa,
    synthetic_fnr,
    typed_numbers,
)


@pytest.mark.parametrize("number", [FNR, D_NUMBER, FNR_1986], ids=["fnr", "d-number", "fnr86"])
@pytest.mark.parametrize(("name", "shape"), SHAPES, ids=[name for name, _ in SHAPES])
def test_every_shape_is_masked(name: str, shape: Callable[[str], str], number: str) -> None:
    typed = shape(number)
    assert reaches_rasa(number, typed)
    masked = mask_national_ids(typed)
    assert not reaches_rasa(number, masked), masked
    assert contains_national_id(typed)


def test_a_d_number_is_a_national_id() -> None:
    assert D_NUMBER.startswith("41")
    assert mask_national_ids(f"D-nummer {D_NUMBER}") == "D-nummer ***********"


def test_a_payload_stays_a_payload_rasa_can_read() -> None:
    masked = mask_national_ids(f'/inform{{"name":"Kari","id":"{FNR}","n":{D_NUMBER}}}')
    intent, _, entities = masked.partition("{")
    assert intent == "/inform"
    assert json.loads("{" + entities) == {"name": "Kari", "id": "***********", "n": "***********"}


def test_the_rest_of_the_text_is_kept() -> None:
    text = f"Hei, jeg heter Kari. Fnr {FNR[:6]}-{FNR[6:]}, tlf 915 55 555."
    assert mask_national_ids(text) == "Hei, jeg heter Kari. Fnr ***********, tlf 915 55 555."


@pytest.mark.parametrize(
    "text",
    [
        "915 55 555",
        "+47 915 55 555",
        "0047 91555555",
        "Jeg er født 01.01.1948",
        "født 01.01.1948, tlf 915 55 555",
        "01.01.1948\n915 55 555",
        "Granveien 24, 0150 Oslo",
        "12345678901",
        "tirsdag 01.12.2026 kl. 10.00",
        "Kari Nordmann, 1948, Storgata 5, 91555555",
        "6TB4-FT5J-B3",
        '/choose_slot{"slot_id":"12"}',
        '/inform{"name":"Kari Nordmann","phone":"+4791555555"}',
        # eleven digits with a wrong check digit, in the shapes above
        FNR[:10] + str((int(FNR[10]) + 1) % 10),
        f"{FNR[:6]} {FNR[6:10]}{(int(FNR[10]) + 1) % 10}",
    ],
)
def test_what_is_not_a_national_id_is_kept(text: str) -> None:
    assert mask_national_ids(text) == text
    assert not contains_national_id(text)


def test_the_masking_reads_no_clock() -> None:
    # python-stdnum's is_valid() asks datetime.date.today() whether the person is born yet;
    # the masking must not depend on the day it runs (the tests run two years ahead too).
    born_next_year = synthetic_fnr(1, 1, 2039, 500)  # individual digits 500+ with 00-39: 20xx
    assert mask_national_ids(born_next_year) == "***********"


# --- property: a valid number embedded anywhere ----------------------------------------------


@settings(max_examples=300, deadline=None)
@given(typed_numbers(), st.text(max_size=80), st.text(max_size=80))
def test_a_valid_number_anywhere_in_any_text_is_masked(
    typed: tuple[str, str], before: str, after: str
) -> None:
    number, written = typed
    masked = mask_national_ids(before + written + after)
    assert number not in digits_of(masked)
