"""Server-side SVG bar charts (no JavaScript); each chart has a title and description for
screen readers, and the page puts the same numbers in a table beside it."""

from __future__ import annotations

from html import escape

WIDTH = 640
BAR = 22
GAP = 8
LABEL = 260


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, int]]) -> str:
    """Horizontal bars, one per (label, value)."""
    height = max(1, len(rows)) * (BAR + GAP) + 10
    top = max((v for _, v in rows), default=0) or 1
    scale = (WIDTH - LABEL - 50) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{chart_id}-t '
        f'{chart_id}-d">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(_describe(rows))}</desc>',
    ]
    for index, (label, value) in enumerate(rows):
        y = 5 + index * (BAR + GAP)
        width = round(value * scale)
        short = label if len(label) <= 38 else label[:37] + "…"
        parts += [
            f'<text x="{LABEL - 8}" y="{y + BAR * 0.7:.0f}" text-anchor="end" '
            f'font-size="13" fill="#1a1a1a">{escape(short)}</text>',
            f'<rect x="{LABEL}" y="{y}" width="{width}" height="{BAR}" fill="#1f5f99"/>',
            f'<text x="{LABEL + width + 6}" y="{y + BAR * 0.7:.0f}" font-size="13" '
            f'fill="#1a1a1a">{value}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def _describe(rows: list[tuple[str, int]]) -> str:
    return "; ".join(f"{label}: {value}" for label, value in rows) or "keine Daten"
