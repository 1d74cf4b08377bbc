"""Bar charts drawn on the server as SVG: no script, no library, nothing from another origin.

A chart is never the only carrier of its facts (WCAG 1.1.1): each is an image (`role="img"`) named by its
title and described by its description, every bar carries its value as text beside it, and the page puts a
table of the same figures next to it. One colour, with the value written out, so colour carries no meaning
on its own (1.4.1); GOV.UK blue on white is 5.2:1, above the 3:1 a graphical object needs (1.4.11).

Drawn with presentation attributes only (`fill`, `font-size`): the console's Content-Security-Policy forbids
inline styles, and an SVG `style` attribute or element would be dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 960
"""The drawing's width in its own units: GOV.UK's page width, so text is drawn at about its CSS size."""
LABEL_HEIGHT = 24
BAR_HEIGHT = 24
GAP = 16
VALUE_SPACE = 160
"""Room right of the scale for each bar's value."""
FONT_SIZE = 16
BAR_COLOUR = "#1d70b8"
"""GOV.UK blue: 5.2:1 against white."""
TRACK_COLOUR = "#f3f2f1"
"""GOV.UK light grey behind each bar, showing the whole scale; decorative (the bar is 4.7:1 against it)."""
TEXT_COLOUR = "#0b0c0c"
AXIS_COLOUR = "#505a5f"
ROW = LABEL_HEIGHT + BAR_HEIGHT + GAP
EMPTY_HEIGHT = 48


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (None: nothing to draw, said in `text`), and the value as written beside it."""

    label: str
    value: float | None
    text: str


def bar_chart(
    chart_id: str, title: str, description: str, bars: Sequence[Bar], *, maximum: float | None = None
) -> Markup:
    """Return an SVG of horizontal bars, each as long as its value against `maximum` (default: the largest value).

    Each bar has its label above it and its `text` right of the scale's end, over a track as long as the whole
    scale. With no bars, the chart says there is nothing
    to show. Every string is escaped; `chart_id` names the title and description (it must be unique on the page).
    """
    values = [bar.value for bar in bars if bar.value is not None]
    if any(value < 0 for value in values):
        raise ValueError(f"a bar chart draws no negative value: {values}")
    scale = maximum if maximum is not None else max(values, default=0)
    height = len(bars) * ROW if bars else EMPTY_HEIGHT
    plot = WIDTH - VALUE_SPACE
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" viewBox="0 0 {WIDTH} {height}"'
        f' aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" font-size="{FONT_SIZE}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    if not bars:
        parts.append(_text(0, EMPTY_HEIGHT / 2, "Nothing to show"))
    for index, bar in enumerate(bars):
        top = index * ROW
        length = bar_length(bar.value, scale, plot)
        parts.append(f'<g class="app-chart__row">{_text(0, top + FONT_SIZE, bar.label)}')
        bar_top = top + LABEL_HEIGHT
        parts.append(_rect("app-chart__track", bar_top, plot, TRACK_COLOUR))
        if length > 0:
            parts.append(_rect("app-chart__bar", bar_top, length, BAR_COLOUR))
        parts.append(
            f'<line x1="0" y1="{bar_top}" x2="0" y2="{bar_top + BAR_HEIGHT}" stroke="{AXIS_COLOUR}" stroke-width="2"/>'
        )
        parts.append(f"{_text(plot + 8, bar_top + BAR_HEIGHT - 6, bar.text)}</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_length(value: float | None, scale: float, plot: float) -> float:
    """Return a bar's length: `value` as a share of `scale`, across `plot` units (0 for no value or no scale)."""
    if value is None or scale <= 0:
        return 0.0
    return min(value, scale) / scale * plot


def _rect(kind: str, y: float, width: float, colour: str) -> str:
    return f'<rect class="{kind}" x="0" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{colour}"/>'


def _text(x: float, y: float, words: str) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" fill="{TEXT_COLOUR}">{escape(words)}</text>'
