"""CSV exports safe to open in a spreadsheet (issue 11): a cell that starts like a formula
gets a leading apostrophe; every other cell is written as it was."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from bot.staff.dashboard.exports import csv_text, safe_csv, spreadsheet_safe


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x.test")', '\'=HYPERLINK("http://x.test")'),
        ("+4791234567", "'+4791234567"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("søk: =1+1", "søk: =1+1"),  # not at the start: text already
        ("Åse Ødegård", "Åse Ødegård"),
        ("", ""),
        (7, 7),
        (-7, -7),  # a number is a number, not a formula
        (None, None),
    ],
)
def test_spreadsheet_safe(cell: Any, expected: Any) -> None:
    assert spreadsheet_safe(cell) == expected


def test_csv_text_guards_every_cell_and_safe_csv_rewrites_text() -> None:
    text = csv_text([["hva", "hvorfor"], ["=cmd|' /C calc'!A0", "ok, greit"], [1, "-"]])
    assert list(csv.reader(io.StringIO(text))) == [
        ["hva", "hvorfor"],
        ["'=cmd|' /C calc'!A0", "ok, greit"],
        ["1", "'-"],
    ]
    assert safe_csv(text) == text  # guarding twice changes nothing more
    assert safe_csv("a,=b\r\n") == "a,'=b\r\n"
    assert safe_csv("del,antall\r\ntilbud,3\r\n") == "del,antall\r\ntilbud,3\r\n"
