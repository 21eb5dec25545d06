"""The server-side SVG bar charts: valid XML, escaped text, accessible, sane with zeros."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from bot.staff.dashboard.charts import BAR_COLOUR, bar_chart, format_number, summary

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """The chart as an XML tree (fails on unescaped text)."""
    return ET.fromstring(svg)


def bars(root: ET.Element) -> list[float]:
    """The widths of the drawn bars, top to bottom."""
    return [float(r.get("width", "0")) for r in root.iter(f"{SVG}rect")]


def texts(root: ET.Element) -> list[str]:
    """Every text element's content."""
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_bars_are_proportional_and_numbers_are_written() -> None:
    root = parse(bar_chart("Svar", ["Ja", "Delvis", "Nei"], [4, 2, 1], width=400))
    ja, delvis, nei = bars(root)
    assert ja == pytest.approx(2 * delvis, abs=0.2) and delvis == pytest.approx(2 * nei, abs=0.2)
    assert texts(root) == ["Ja", "4", "Delvis", "2", "Nei", "1"]
    assert all(r.get("fill") == BAR_COLOUR for r in root.iter(f"{SVG}rect"))
    assert max(bars(root)) <= 400


def test_it_is_an_accessible_image() -> None:
    root = parse(bar_chart("Samtaler per kanal", ["Telegram", "Nettchat"], [3, 5]))
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Samtaler per kanal. Telegram: 3, Nettchat: 5"
    assert root.find(f"{SVG}title").text == "Samtaler per kanal"  # type: ignore[union-attr]
    assert "style" not in root.attrib  # the CSP forbids inline styles
    asked = parse(bar_chart("Var besøket nyttig?", ["Ja"], [1]))
    assert asked.get("aria-label") == "Var besøket nyttig? Ja: 1"


def test_text_is_escaped() -> None:
    svg = bar_chart('<script>"x" & y', ["<b>fet</b>", "a & b"], [1, 2])
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)
    assert texts(root)[0] == "<b>fet</b>" and texts(root)[2] == "a & b"
    assert root.get("aria-label", "").startswith('<script>"x" & y.')


def test_only_zeros_and_no_data_still_render() -> None:
    root = parse(bar_chart("Utsatt", ["Utsatt", "Takket nei"], [0, 0], width=300))
    assert bars(root) == [] and texts(root) == ["Utsatt", "0", "Takket nei", "0"]
    empty = parse(bar_chart("Tomt", [], []))
    assert texts(empty) == ["Ingen data"] and "Ingen data" in empty.get("aria-label", "")


def test_the_height_follows_the_rows_unless_given() -> None:
    assert parse(bar_chart("T", ["a"] * 5, [1] * 5)).get("height") == str(5 * 30 + 16)
    assert parse(bar_chart("T", ["a", "b"], [1, 2], width=300, height=120)).get("height") == "120"


def test_long_labels_are_shortened_in_the_picture_but_not_in_the_label() -> None:
    label = "Vil ikke ha besøk hjemme, og det er et veldig langt svar"
    root = parse(bar_chart("Grunner", [label], [2], width=300))
    shown = texts(root)[0]
    assert shown.endswith("…") and len(shown) < len(label)
    assert label in root.get("aria-label", "")
    widths = [
        float(m) for m in re.findall(r'width="([\d.]+)"', bar_chart("G", [label], [2], width=300))
    ]
    assert max(widths) <= 300


@pytest.mark.parametrize(
    "labels, values", [(["a", "b"], [1]), (["a"], [-1]), (["a"], [float("nan")])]
)
def test_bad_data_is_refused(labels: list[str], values: list[float]) -> None:
    with pytest.raises(ValueError):
        bar_chart("T", labels, values)


def test_numbers_and_summary() -> None:
    assert format_number(3) == "3" and format_number(2.0) == "2" and format_number(2.25) == "2,2"
    assert summary(["Ja", "Nei"], [1, 0]) == "Ja: 1, Nei: 0"
    assert summary([], []) == "Ingen data"
