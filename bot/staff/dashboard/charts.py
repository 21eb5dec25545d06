"""Server-side SVG charts for the staff dashboard: no JavaScript, no CDN.

A chart is a horizontal bar chart, one bar per label, with the number written after each bar
so nothing is told by colour alone. The SVG is `role="img"` with an `aria-label` that says
everything the chart shows, and a `<title>` for the tooltip. Styling is by presentation
attributes only (the dashboard's CSP forbids inline `style`).
"""

from __future__ import annotations

import math
from html import escape
from typing import Sequence

BAR_COLOUR = "#0a3a86"  # the dashboard's blue: 10.6:1 against white
TEXT_COLOUR = "#1a1a1a"
AXIS_COLOUR = "#555555"
FONT = "system-ui, 'Segoe UI', Roboto, sans-serif"
FONT_SIZE = 14
ROW_HEIGHT = 30
PADDING = 8
VALUE_SPACE = 56  # room for the number after the longest bar
CHAR_WIDTH = 7.6  # rough width of one character at FONT_SIZE, for the label column


def format_number(value: float) -> str:
    """A count as digits; a fraction with one decimal and a Norwegian decimal comma."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")


def summary(labels: Sequence[str], values: Sequence[float]) -> str:
    """The chart's data as one sentence: 'Ja: 3, Delvis: 1, Nei: 0'."""
    if not labels:
        return "Ingen data"
    return ", ".join(
        f"{label}: {format_number(v)}" for label, v in zip(labels, values, strict=True)
    )


def _check(labels: Sequence[str], values: Sequence[float]) -> None:
    """Refuse data a bar chart cannot show honestly."""
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels but {len(values)} values")
    for value in values:
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"a bar cannot show {value!r}")


def _fit(label: str, max_chars: int) -> str:
    """A label shortened with an ellipsis to fit the label column."""
    return label if len(label) <= max_chars else label[: max(1, max_chars - 1)] + "…"


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    width: int = 560,
    height: int | None = None,
) -> str:
    """A horizontal bar chart as an SVG string; all text is escaped.

    `height` defaults to one row of ROW_HEIGHT per bar. With no bars, or only zeros, the
    chart still renders (empty bars with their 0 written out).
    """
    _check(labels, values)
    if width < 160:
        raise ValueError("a chart needs at least 160 px of width")
    rows = max(1, len(labels))
    height = height if height is not None else rows * ROW_HEIGHT + 2 * PADDING
    if height < rows * 12 + 2 * PADDING:
        raise ValueError(f"{height} px is too low for {rows} bars")
    row = (height - 2 * PADDING) / rows
    longest = max((len(label) for label in labels), default=0)
    max_chars = max(1, int(width * 0.45 / CHAR_WIDTH))
    label_width = min(longest, max_chars) * CHAR_WIDTH + PADDING
    bar_x = PADDING + label_width
    room = max(0.0, width - bar_x - VALUE_SPACE - PADDING)
    top = max(values, default=0)
    scale = room / top if top > 0 else 0.0
    stop = "" if title.rstrip().endswith((".", "?", "!", ":")) else "."
    aria = escape(f"{title}{stop} {summary(labels, values)}", quote=True)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{aria}" '
        f'width="{width}" height="{height:.0f}" viewBox="0 0 {width} {height:.0f}" '
        f'font-family="{escape(FONT, quote=True)}" font-size="{FONT_SIZE}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    if not labels:
        parts.append(
            f'<text x="{PADDING}" y="{height / 2:.1f}" dominant-baseline="middle" '
            f'fill="{TEXT_COLOUR}">Ingen data</text>'
        )
    else:
        bar_height = max(4.0, row * 0.6)
        for i, (label, value) in enumerate(zip(labels, values, strict=True)):
            middle = PADDING + row * i + row / 2
            length = value * scale
            parts.append(
                f'<text x="{bar_x - PADDING:.1f}" y="{middle:.1f}" text-anchor="end" '
                f'dominant-baseline="middle" fill="{TEXT_COLOUR}">'
                f"{escape(_fit(label, max_chars))}</text>"
            )
            if length > 0:
                parts.append(
                    f'<rect x="{bar_x:.1f}" y="{middle - bar_height / 2:.1f}" '
                    f'width="{length:.1f}" height="{bar_height:.1f}" fill="{BAR_COLOUR}"/>'
                )
            parts.append(
                f'<text x="{bar_x + length + 6:.1f}" y="{middle:.1f}" '
                f'dominant-baseline="middle" fill="{TEXT_COLOUR}" font-weight="700">'
                f"{format_number(value)}</text>"
            )
        parts.append(
            f'<line x1="{bar_x:.1f}" y1="{PADDING}" x2="{bar_x:.1f}" '
            f'y2="{height - PADDING:.1f}" stroke="{AXIS_COLOUR}" stroke-width="1"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
