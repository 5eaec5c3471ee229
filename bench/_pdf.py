"""A synthetic 300-page INSEK PDF of our own text (so the benchmark runs without ../shared)."""

from __future__ import annotations

import random
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

FIELDS = [
    "Wohnen und Altstadt",
    "Mobilität und Erreichbarkeit",
    "Wirtschaft und Handel",
    "Grün, Klima und Umwelt",
    "Bildung und soziale Infrastruktur",
    "Kultur und Tourismus",
]
WORDS = [
    "Stadtentwicklung",
    "Quartier",
    "Sanierung",
    "Radverkehr",
    "Nahverkehr",
    "Grünfläche",
    "Klimaanpassung",
    "Wohnraum",
    "Leerstand",
    "Innenstadt",
    "Einzelhandel",
    "Kindertagesstätte",
    "Schule",
    "Beteiligung",
    "Digitalisierung",
    "Barrierefreiheit",
    "Entsiegelung",
    "Fördermittel",
    "Ortsteil",
    "Marktplatz",
    "Bevölkerung",
    "Arbeitsplätze",
    "Gewerbe",
    "Landschaft",
    "Hitze",
    "Starkregen",
    "Spielplatz",
]
VERBS = ["stärken", "entwickeln", "sanieren", "ausbauen", "sichern", "verbessern", "fördern"]


def _sentence(rng: random.Random) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 12)))
    return f"Die {words} soll bis {rng.randint(2026, 2035)} {rng.choice(VERBS)} werden."


def _page_lines(number: int, rng: random.Random) -> list[str]:
    field = FIELDS[(number // 50) % len(FIELDS)]
    lines = (
        [f"Handlungsfeld {(number // 50) % len(FIELDS) + 1}: {field}"] if number % 50 == 0 else []
    )
    if number % 10 == 1:
        lines += [
            "Ziele",
            *[f"• {_sentence(rng)}" for _ in range(4)],
            "Maßnahmen",
            *[f"• {rng.choice(WORDS)} {rng.choice(VERBS)} (kurzfristig)" for _ in range(4)],
        ]
    while len(lines) < 42:
        lines.append(_sentence(rng))
    return lines


def make_insek_pdf(path: Path, *, pages: int = 300, seed: int = 7) -> Path:
    """Write a ``pages``-page text PDF with running heads, headings, goals and measures."""
    rng = random.Random(seed)  # noqa: S311 - test data
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for number in range(1, pages + 1):
        pdf.setFont("Helvetica", 8)
        pdf.drawString(50, 810, f"INSEK MUSTERSTADT 2035 | {number}")
        text = pdf.beginText(50, 780)
        text.setFont("Helvetica", 9)
        for line in _page_lines(number, rng):
            text.textLine(line[:110])
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    return path
