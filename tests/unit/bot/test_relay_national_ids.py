"""`check_text`, what every channel sends to Rasa, lets no fødselsnummer through: typed in
any shape, embedded anywhere in any text, or inside a button payload (issue 11)."""

from __future__ import annotations

import json
from typing import Callable

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.channels import texts
from bot.channels.relay import MAX_MESSAGE, check_text
from tests.support.national_ids import FNR, SHAPES, reaches_rasa, typed_numbers


@pytest.mark.parametrize(("name", "shape"), SHAPES, ids=[name for name, _ in SHAPES])
def test_no_shape_reaches_rasa_and_the_person_is_told(
    name: str, shape: Callable[[str], str]
) -> None:
    checked = check_text(shape(FNR))
    assert checked.text is not None and not reaches_rasa(FNR, checked.text)
    assert checked.notices == (texts.NATIONAL_ID_REMOVED,)


@settings(max_examples=300, deadline=None)
@given(typed_numbers(), st.text(max_size=200), st.text(max_size=200))
def test_a_valid_number_embedded_anywhere_never_reaches_rasa(
    typed: tuple[str, str], before: str, after: str
) -> None:
    number, written = typed
    checked = check_text(before + written + after)
    assert checked.text is not None and not reaches_rasa(number, checked.text)
    assert texts.NATIONAL_ID_REMOVED in checked.notices


@settings(max_examples=200, deadline=None)
@given(
    typed_numbers(),
    st.text(max_size=40),
    st.text(max_size=40),
    st.booleans(),
    st.sampled_from(["name", "address", "phone", "slot_id"]),
)
def test_a_valid_number_in_a_payloads_json_never_reaches_rasa(
    typed: tuple[str, str], before: str, after: str, ascii_only: bool, entity: str
) -> None:
    number, written = typed
    payload = "/inform" + json.dumps({entity: before + written + after}, ensure_ascii=ascii_only)
    assume(len(payload) <= MAX_MESSAGE)
    checked = check_text(payload)
    assert checked.text is not None and not reaches_rasa(number, checked.text)
    assert checked.text.startswith("/inform{")
