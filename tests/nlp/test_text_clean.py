"""Cleaning keeps page anchors: hyphens, ligatures, bullets, running heads, page splitting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("wordfreq", reason="wordfreq fehlt (Abhängigkeit von nlp.text)")

from nlp.text import clean_pages, split_page_spans, split_pages

SHARED = Path(__file__).resolve().parents[3] / "shared"
KARLSRUHE = SHARED / "data" / "karlsruhe" / "isek-2020-volltext.txt"


def clean(text: str) -> str:
    return clean_pages([text]).text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("die Stadt-\nentwicklung geht", "die Stadtentwicklung geht"),
        ("eine Online-\nUmfrage", "eine Online-Umfrage"),
        ("das Schul- \n und Sportamt", "das Schul- und Sportamt"),
        ("die 18-\njährigen", "die 18-jährigen"),
        ("BADEN-\nWÜRTTEMBERG", "BADEN-WÜRTTEMBERG"),
        ("STADTENTWICKLUNGS-\nKONZEPT", "STADTENTWICKLUNGSKONZEPT"),
    ],
)
def test_line_end_hyphens(raw: str, expected: str) -> None:
    assert clean(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("die Profi lierung der Stadt", "die Profilierung der Stadt"),
        ("neue Grünfl ächen", "neue Grünflächen"),
        ("einen fl exiblen Rahmen", "einen flexiblen Rahmen"),
        ("Antworten fi nden", "Antworten finden"),
        ("die Gewerbefl ä-\nchen", "die Gewerbeflächen"),
        ("die Landschaft refl ektiert", "die Landschaft reflektiert"),
        ("die Zukunft sind wir", "die Zukunft sind wir"),
        ("das geht oft an uns vorbei", "das geht oft an uns vorbei"),
        ("die Ei nrichtung", "die Ei nrichtung"),
    ],
)
def test_broken_ligatures(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_bullet_glyphs_become_one_marker() -> None:
    raw = "n Wohnen\n§ Verkehr\n\uf0b7 Kultur\n▪ Sport\n§ 34 BauGB gilt"
    assert clean(raw).splitlines() == [
        "• Wohnen",
        "• Verkehr",
        "• Kultur",
        "• Sport",
        "§ 34 BauGB gilt",
    ]


def test_section_sign_used_as_bullet_everywhere_also_marks_numbers() -> None:
    raw = "\n".join(["§ Eins", "§ Zwei", "§ Drei", "§ Vier", "§ Fünf", "§ 300 Jahre Stadt"])
    assert clean(raw).splitlines()[-1] == "• 300 Jahre Stadt"


def _paged(number: int, body: str) -> str:
    word = ["Anna", "Berta", "Carla", "Dora", "Emil", "Frida", "Gustav", "Hanna"][number % 8]
    filler = f"Oben steht {word}\nEs folgt {word}\nUnten steht {word}"
    if number % 2:
        return f"MUSTERSTADT  |  {number}\n{filler}\n{body}\n{filler}"
    return f"{number} | MUSTERSTADT 2030 - KONZEPT\n{filler}\n{body}\n{filler}"


def test_running_heads_are_removed_and_offsets_point_back() -> None:
    pages = [_paged(n, f"Inhalt der Seite {n}") for n in range(1, 9)]
    result = clean_pages(pages)
    assert "MUSTERSTADT" not in result.text
    offset = result.text.index("Inhalt der Seite 5")
    page, position = result.source_offset(offset)
    assert page == 5
    assert pages[4][position:].startswith("Inhalt der Seite 5")
    assert result.page_at(offset) == 5
    assert result.printed_page_offset == 0
    assert result.text[result.page_start(3) :].startswith("Oben steht Dora")


def test_offsets_survive_repairs() -> None:
    pages = ["Kopf\nPro-\nfi lierung und fl exiblen", "zweite Seite"]
    result = clean_pages(pages)
    assert result.text.startswith("Kopf\nProfilierung und flexiblen")
    start = result.text.index("flexiblen")
    assert result.source_offset(start) == (1, pages[0].index("fl exiblen"))
    assert result.source_offset(len(result.text)) == (2, len(pages[1]))
    with pytest.raises(IndexError):
        result.source_offset(len(result.text) + 1)


def test_split_pages_by_form_feed() -> None:
    assert split_pages("eins\fzwei\fdrei") == ["eins", "zwei", "drei"]


def test_split_pages_by_blank_lines_confirmed_by_page_numbers() -> None:
    text = "\n\n".join(_paged(n, f"Seite {n}") for n in range(1, 7))
    pages = split_pages(text)
    assert len(pages) == 6
    assert "Seite 4" in pages[3]
    spans = split_page_spans(text)
    assert text[spans[2][0] : spans[2][1]] == pages[2]


def test_split_pages_by_page_markers() -> None:
    text = "Seite eins\n\n-- 1 of 2 --\n\nSeite zwei\n\n-- 2 of 2 --\n"
    assert [p.strip() for p in split_pages(text)] == ["Seite eins", "Seite zwei"]


def test_plain_text_without_page_evidence_is_one_page() -> None:
    assert split_pages("Absatz eins.\n\nAbsatz zwei.") == ["Absatz eins.\n\nAbsatz zwei."]


@pytest.mark.skipif(not KARLSRUHE.exists(), reason="../shared fehlt: Karlsruher INSEK nicht da")
def test_karlsruhe_ligature_breaks_are_nearly_gone() -> None:
    raw = KARLSRUHE.read_text(encoding="utf-8")
    before = len(re.findall(r"\b\w*f[il] [a-zäöü]", raw))
    result = clean_pages(split_pages(raw))
    remaining = re.findall(r"\b\w*f[il] [a-zäöü]", result.text)
    assert before > 300
    assert len(remaining) <= 5, f"{len(remaining)} Ligaturbrüche übrig"
    assert "KARLSRUHE 2020 - INTEGRIERTES" not in result.text
