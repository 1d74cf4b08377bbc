"""The dashboard's server-drawn bar charts: bars as long as their values, labelled, escaped, and said when empty."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from safeguarding.console.charts import BAR_COLOUR, VALUE_SPACE, WIDTH, Bar, bar_chart, bar_length

SVG = "{http://www.w3.org/2000/svg}"
PLOT = WIDTH - VALUE_SPACE


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def _widths(svg: ET.Element) -> list[float]:
    return [float(rect.attrib["width"]) for rect in _bars(svg)]


def _bars(svg: ET.Element) -> list[ET.Element]:
    return [rect for rect in svg.iter(f"{SVG}rect") if rect.attrib["class"] == "app-chart__bar"]


def _texts(svg: ET.Element) -> list[str]:
    return [text.text or "" for text in svg.iter(f"{SVG}text")]


def test_each_bar_is_as_long_as_its_value_against_the_largest() -> None:
    svg = _parse(bar_chart("c", "Counts", "Three counts.", [Bar("a", 2, "2"), Bar("b", 4, "4"), Bar("c", 1, "1")]))

    assert _widths(svg) == [PLOT / 2, PLOT, PLOT / 4]


def test_against_a_given_maximum_a_share_of_100_is_drawn_in_proportion() -> None:
    svg = _parse(bar_chart("c", "Shares", "Two shares.", [Bar("a", 25, "25%"), Bar("b", 100, "100%")], maximum=100))

    assert _widths(svg) == [PLOT / 4, PLOT]
    assert bar_length(150, 100, PLOT) == PLOT  # never past the plot


def test_every_bar_has_its_label_and_its_value_written_out_and_the_chart_its_title_and_description() -> None:
    svg = _parse(bar_chart("shares", "Shares in time", "One bar each.", [Bar("Contacts", 75, "75.0% (3 of 4)")]))

    assert svg.attrib["role"] == "img"
    assert svg.attrib["aria-labelledby"] == "shares-title shares-desc"
    assert svg.find(f"{SVG}title").text == "Shares in time"  # type: ignore[union-attr]
    assert svg.find(f"{SVG}desc").text == "One bar each."  # type: ignore[union-attr]
    assert _texts(svg) == ["Contacts", "75.0% (3 of 4)"]
    assert [rect.attrib["fill"] for rect in _bars(svg)] == [BAR_COLOUR]
    assert [float(track.attrib["width"]) for track in svg.iter(f"{SVG}rect") if track not in _bars(svg)] == [PLOT]


def test_a_bar_without_a_value_draws_nothing_but_says_so() -> None:
    svg = _parse(
        bar_chart("c", "Shares", "Shares.", [Bar("Nothing yet", None, "Nothing counted"), Bar("Zero", 0, "0")])
    )

    assert _widths(svg) == []
    assert _texts(svg) == ["Nothing yet", "Nothing counted", "Zero", "0"]


def test_an_empty_chart_says_there_is_nothing_to_show() -> None:
    svg = _parse(bar_chart("c", "Counts", "No counts.", []))

    assert _widths(svg) == []
    assert _texts(svg) == ["Nothing to show"]
    assert svg.attrib["viewBox"].startswith(f"0 0 {WIDTH} ")
    assert float(svg.attrib["viewBox"].split()[3]) > 0


def test_all_zero_values_draw_no_bar_rather_than_dividing_by_zero() -> None:
    svg = _parse(bar_chart("c", "Counts", "Zeros.", [Bar("a", 0, "0"), Bar("b", 0, "0")]))

    assert _widths(svg) == []


def test_labels_titles_and_ids_are_escaped() -> None:
    markup = bar_chart('x"y', "<script>", "a & b", [Bar("<b>bold</b>", 1, "1 < 2")])

    assert "<script>" not in markup and "<b>" not in markup
    svg = _parse(markup)
    assert svg.find(f"{SVG}title").text == "<script>"  # type: ignore[union-attr]
    assert _texts(svg) == ["<b>bold</b>", "1 < 2"]


def test_no_inline_style_the_content_security_policy_would_drop() -> None:
    markup = bar_chart("c", "Counts", "Counts.", [Bar("a", 1, "1")])

    assert not re.search(r"\bstyle\b", markup)


def test_a_negative_value_is_refused() -> None:
    with pytest.raises(ValueError, match="no negative value"):
        bar_chart("c", "Counts", "Counts.", [Bar("a", -1, "-1")])
