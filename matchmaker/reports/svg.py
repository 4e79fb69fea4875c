"""Charts as SVG strings, drawn on the server (no script, no CDN).

Each chart has a <title> (its accessible name, `role="img"`) and text labels on every bar; pages put a table
of the same figures next to it. Every label is escaped. Colours come from CSS classes (`series-0`…) with a
fill attribute as fallback.
"""

import hashlib
import unicodedata
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape as _escape

PALETTE = ("#0b5cad", "#1a7f37", "#9a6700", "#8250df", "#b42318", "#57606a")
FONT = 12
LABEL_CHARS = 28


def escape(text) -> str:
    return _escape(str(text), {'"': "&quot;", "'": "&#39;"})


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_width(text: str, size: int = FONT) -> float:
    """A generous estimate of the drawn width of `text` in pixels: wide (Hangul, CJK) characters take a
    full em, combining marks (Thai vowels and tones) none, others about 0.62 em."""
    width = 0.0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) == "Mn":
            continue
        width += size if unicodedata.east_asian_width(char) in "WF" else size * 0.62
    return width


def _label_width(labels, minimum: int = 80, maximum: int = 260) -> int:
    """Room left of the bars for the longest (shortened) label, so that none is cut at the left edge."""
    longest = max((text_width(_short(str(label))) for label in labels), default=0)
    return int(min(max(longest + 10, minimum), maximum))


def _fit(text: str, room: float) -> str:
    """`text` shortened with an ellipsis until it fits in `room` pixels."""
    text = _short(text)
    while len(text) > 1 and text_width(text) > room:
        text = text[:-2] + "…"
    return text


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _open(title: str, width: int, height: int, chart_id: str | None) -> list[str]:
    chart_id = chart_id or "chart-" + hashlib.sha1(title.encode()).hexdigest()[:8]
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{escape(chart_id)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-size="{FONT}">',
        f'<title id="{escape(chart_id)}">{escape(title)}</title>',
    ]


def _empty(title: str, message: str, chart_id: str | None) -> str:
    parts = _open(title, 400, 40, chart_id)
    parts.append(f'<text x="0" y="24">{escape(message)}</text></svg>')
    return "".join(parts)


def bar_chart(
    title: str,
    items: Sequence[tuple[str, float]],
    *,
    fmt: Callable[[float], str] = _number,
    width: int = 560,
    label_width: int | None = None,
    chart_id: str | None = None,
    empty: str = "No data",
) -> str:
    """Horizontal bars, one per (label, value), lengths proportional to the values (0 at the left).
    The label column is as wide as the longest label needs (within limits); the plot keeps its width."""
    if not items:
        return _empty(title, empty, chart_id)
    row, bar = 26, 18
    plot = width - 190 - 70
    label_width = label_width or _label_width(label for label, _ in items)
    width = label_width + plot + 70
    top = max((value for _, value in items), default=0) or 1
    height = row * len(items) + 4
    parts = _open(title, width, height, chart_id)
    for i, (label, value) in enumerate(items):
        y = i * row + 2
        length = plot * max(value, 0) / top
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar - 5}" text-anchor="end">'
            f'{escape(_fit(str(label), label_width - 8))}</text>'
            f'<rect class="bar series-0" x="{label_width}" y="{y}" width="{length:.2f}" height="{bar}" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}: {escape(fmt(value))}</title></rect>'
            f'<text x="{label_width + length + 4:.2f}" y="{y + bar - 5}">{escape(fmt(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    fmt: Callable[[float], str] = _number,
    width: int = 560,
    label_width: int | None = None,
    chart_id: str | None = None,
    empty: str = "No data",
) -> str:
    """Horizontal bars per category, each split into the series' parts, with a legend above."""
    if not categories or not series:
        return _empty(title, empty, chart_id)
    row, bar, legend = 26, 18, 24
    plot = width - 190 - 70
    label_width = label_width or _label_width(categories)
    width = label_width + plot + 70
    totals = [sum(max(values[i], 0) for _, values in series) for i in range(len(categories))]
    top = max(totals) or 1
    height = legend + row * len(categories) + 4
    parts = _open(title, width, height, chart_id)
    x = 0
    for s, (name, _) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        parts.append(
            f'<rect class="series-{s}" x="{x:.0f}" y="4" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16:.0f}" y="15">{escape(_short(name, 24))}</text>'
        )
        x += 24 + text_width(_short(name, 24))
    for i, label in enumerate(categories):
        y = legend + i * row + 2
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar - 5}" text-anchor="end">'
            f'{escape(_fit(str(label), label_width - 8))}</text>'
        )
        left = float(label_width)
        for s, (name, values) in enumerate(series):
            value = max(values[i], 0)
            length = plot * value / top
            parts.append(
                f'<rect class="bar series-{s}" x="{left:.2f}" y="{y}" width="{length:.2f}" height="{bar}" '
                f'fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(label)}, {escape(name)}: '
                f'{escape(fmt(value))}</title></rect>'
            )
            left += length
        parts.append(f'<text x="{left + 4:.2f}" y="{y + bar - 5}">{escape(fmt(totals[i]))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def column_chart(
    title: str,
    items: Sequence[tuple[str, float]],
    *,
    fmt: Callable[[float], str] = _number,
    height: int = 220,
    column: int = 44,
    chart_id: str | None = None,
    empty: str = "No data",
) -> str:
    """Vertical columns in order (months, say), heights proportional to the values, labels below."""
    if not items:
        return _empty(title, empty, chart_id)
    base, label_room, gap = height - 24, 18, 12
    plot = base - label_room
    top = max((value for _, value in items), default=0) or 1
    width = max(200, len(items) * (column + gap) + gap)
    parts = _open(title, width, height, chart_id)
    parts.append(f'<line x1="0" y1="{base}" x2="{width}" y2="{base}" stroke="#8c959f"/>')
    for i, (label, value) in enumerate(items):
        x = gap + i * (column + gap)
        size = plot * max(value, 0) / top
        centre = x + column / 2
        parts.append(
            f'<rect class="bar series-0" x="{x}" y="{base - size:.2f}" width="{column}" height="{size:.2f}" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}: {escape(fmt(value))}</title></rect>'
            f'<text x="{centre}" y="{base - size - 4:.2f}" text-anchor="middle">{escape(fmt(value))}</text>'
            f'<text x="{centre}" y="{base + 16}" text-anchor="middle">{escape(_short(str(label), 10))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
