"""Charts as SVG: valid XML, a title, escaped labels, bars in proportion to the figures."""

import xml.etree.ElementTree as ET

import pytest

from matchmaker.reports import bar_chart, column_chart, stacked_bar_chart

NS = {"svg": "http://www.w3.org/2000/svg"}
NASTY = '<script>alert("x")</script> & Co\'s'


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on invalid XML


def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if "bar" in r.get("class", "").split()]


def texts(root: ET.Element) -> list[str]:
    return [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]


@pytest.mark.parametrize("draw", [
    lambda: bar_chart(NASTY, [(NASTY, 3), ("B", 1)]),
    lambda: column_chart(NASTY, [(NASTY, 3), ("B", 1)]),
    lambda: stacked_bar_chart(NASTY, [NASTY, "B"], [(NASTY, [1, 2]), ("other", [2, 0])]),
])
def test_chart_is_valid_xml_with_title_and_escaped_labels(draw):
    svg = draw()
    root = parse(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("role") == "img"
    title = root.find("svg:title", NS)
    assert title.text == NASTY and root.get("aria-labelledby") == title.get("id")
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert any(NASTY[:9] in (t or "") for t in texts(root))  # shortened, still escaped


def test_bar_lengths_are_proportional_to_values():
    root = parse(bar_chart("Meetings", [("a", 10), ("b", 5), ("c", 0), ("d", 2.5)]))
    widths = [float(r.get("width")) for r in bars(root)]
    assert widths[0] > 0 and widths[2] == 0
    assert widths[1] == pytest.approx(widths[0] / 2) and widths[3] == pytest.approx(widths[0] / 4)
    assert texts(root)[1::2] == ["10", "5", "0", "2.5"]  # value labels follow each label


def test_column_heights_are_proportional_and_labels_below():
    root = parse(column_chart("By month", [("Sep 2026", 4), ("Oct 2026", 1)]))
    heights = [float(r.get("height")) for r in bars(root)]
    assert heights[1] == pytest.approx(heights[0] / 4)
    assert "Sep 2026" in texts(root) and "Oct 2026" in texts(root)


def test_stacked_bars_split_each_total_in_proportion():
    root = parse(stacked_bar_chart("Deals", ["ai", "fintech"], [("deals", [1, 3]), ("other", [3, 1])]))
    widths = [float(r.get("width")) for r in bars(root)]
    ai_deals, ai_other, fin_deals, fin_other = widths
    assert ai_deals + ai_other == pytest.approx(fin_deals + fin_other)
    assert ai_other == pytest.approx(3 * ai_deals) and fin_deals == pytest.approx(3 * fin_other)
    assert {"deals", "other"} <= set(texts(root))  # the legend


def test_values_use_the_given_format():
    root = parse(bar_chart("Amounts", [("a", 1500)], fmt=lambda v: f"US${v:,.0f}"))
    assert "US$1,500" in texts(root)


@pytest.mark.parametrize("draw", [bar_chart, column_chart])
def test_empty_chart_says_so(draw):
    root = parse(draw("Nothing", [], empty="No data yet"))
    assert bars(root) == [] and "No data yet" in texts(root)


def test_negative_values_draw_no_bar():
    root = parse(bar_chart("Odd", [("a", -5), ("b", 5)]))
    assert [float(r.get("width")) for r in bars(root)][0] == 0


LONG_LABELS = [
    "Memorandum of understanding (MOU)", "Non-disclosure agreement (NDA)", "주식회사 클라우드포레스트 인공지능",
]


@pytest.mark.parametrize("draw", [
    lambda: bar_chart("Outcomes", [(label, i + 1) for i, label in enumerate(LONG_LABELS)]),
    lambda: stacked_bar_chart("Sectors", LONG_LABELS, [("deals", [1, 2, 3]), ("other", [1, 1, 1])]),
])
def test_long_labels_are_not_cut_at_the_left_edge(draw):
    """The dashboard's outcome labels were drawn right-aligned at x=184 and ran off the left of the chart."""
    from matchmaker.reports.svg import text_width

    root = parse(draw())
    labels = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("text-anchor") == "end"]
    assert len(labels) == 3
    for label in labels:
        assert float(label.get("x")) - text_width(label.text) >= 0, label.text
    assert float(root.get("width")) == float(root.get("viewBox").split()[2])


def test_wide_characters_count_wider_than_latin_ones():
    from matchmaker.reports.svg import text_width

    assert text_width("클라우드") > text_width("clou") * 1.4
    assert text_width("ที่") == text_width("ท")  # Thai marks above take no room
