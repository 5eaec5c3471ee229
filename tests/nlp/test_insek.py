"""Structure extraction on small documents written for the tests."""

from __future__ import annotations

import pytest

pytest.importorskip("wordfreq", reason="wordfreq fehlt (Abhängigkeit von nlp.text)")

from nlp.insek import extract_goalset, goalset_to_json

PAGES = [
    "INHALT\n1. Einleitung 2\n2. Handlungsfelder 3\n• Wohnen 3\n• Verkehr und Mobilität 4\n"
    "• Kultur 5\n3. Umsetzung 6",
    "HANDLUNGSFELDER\nDas Konzept hat drei Felder:\n• Wohnen\n• Verkehr und Mobilität\n• Kultur\n"
    "LEITBILD\nDie Gemeinde wächst nachhaltig und bleibt lebenswert.",
    "WOHNEN\nAUSGANGSLAGE\nDer Bestand ist alt.\nZIELE\n• Bezahlbaren Wohnraum sichern.\n"
    "• Leerstand bis 2030 halbieren.\nMASSNAHMEN\n• Sanierung Altbau Mitte\n"
    "  kurzfristig, Kosten: 1,2 Mio. €, Verantwortlich: Bauamt\n• Wohnungsgesellschaft gründen",
    "VERKEHR UND MOBILITÄT\nZIELE\n1. ÖPNV-Takt verdichten.\n2. Radwege lückenlos verbinden.\n"
    "SCHLÜSSELPROJEKTE\n• Mobilitätsstation am Bahnhof (Priorität: hoch, 2025–2027)",
    "KULTUR\nZiel 1: Kulturangebote in allen Ortsteilen.\n"
    "Maßnahme 1.1: Bibliothek erweitern, mittelfristig.",
    "UMSETZUNG\nDas Monitoring erfolgt jährlich.",
]


@pytest.fixture(scope="module")
def goalset():
    return extract_goalset(PAGES)


def test_handlungsfelder_from_overview_and_contents(goalset) -> None:
    assert [hf.name for hf in goalset.handlungsfelder] == [
        "Wohnen",
        "Verkehr und Mobilität",
        "Kultur",
    ]


def test_goals_with_field_level_and_source(goalset) -> None:
    goals = [(g.handlungsfeld, g.text, g.level) for g in goalset.goals]
    assert goals == [
        ("Wohnen", "Bezahlbaren Wohnraum sichern.", "strategisches_ziel"),
        ("Wohnen", "Leerstand bis 2030 halbieren.", "strategisches_ziel"),
        ("Verkehr und Mobilität", "ÖPNV-Takt verdichten.", "strategisches_ziel"),
        ("Verkehr und Mobilität", "Radwege lückenlos verbinden.", "strategisches_ziel"),
        ("Kultur", "Ziel 1: Kulturangebote in allen Ortsteilen.", "strategisches_ziel"),
    ]
    first = goalset.goals[0].source
    assert first.page == 3
    assert first.text == "• Bezahlbaren Wohnraum sichern."


def test_measures_kinds_attributes_and_parents(goalset) -> None:
    measures = goalset.measures
    assert [(m.handlungsfeld, m.kind) for m in measures] == [
        ("Wohnen", "massnahme"),
        ("Wohnen", "massnahme"),
        ("Verkehr und Mobilität", "schluesselprojekt"),
        ("Kultur", "massnahme"),
    ]
    assert measures[0].attributes == {
        "zeithorizont": "kurzfristig",
        "kosten": "1,2 Mio. €",
        "verantwortlich": "Bauamt",
    }
    assert measures[2].attributes == {"zeitraum": "2025-2027", "prioritaet": "hoch"}
    assert measures[3].attributes == {"zeithorizont": "mittelfristig"}
    assert measures[3].parent_goal == 4


def test_leitbild(goalset) -> None:
    assert goalset.leitbild is not None
    assert goalset.leitbild.text == "Die Gemeinde wächst nachhaltig und bleibt lebenswert."
    assert goalset.leitbild.source.page == 2


def test_json_form(goalset) -> None:
    data = goalset_to_json(goalset)
    assert set(data) == {"handlungsfelder", "leitbild", "querschnittsthemen"}
    wohnen = data["handlungsfelder"][0]
    assert set(wohnen) == {"name", "description", "goals", "measures", "approaches"}
    assert set(wohnen["goals"][0]) == {"text", "level", "source"}
    assert set(wohnen["goals"][0]["source"]) == {"page", "start", "end"}
    assert set(wohnen["measures"][0]) == {"text", "kind", "attributes", "source"}


def test_explicit_field_headings_without_overview() -> None:
    text = (
        "Handlungsfeld 1: Wohnen\nZiele\n- Wohnraum sichern\nMaßnahmen\n- Kataster anlegen\n"
        "Handlungsfeld 2: Mobilität\nZiele\n- Bus stärken\n- Wege verbinden"
    )
    gs = extract_goalset([text])
    assert [hf.name for hf in gs.handlungsfelder] == ["Wohnen", "Mobilität"]
    assert [(g.handlungsfeld, g.text) for g in gs.goals] == [
        ("Wohnen", "Wohnraum sichern"),
        ("Mobilität", "Bus stärken"),
        ("Mobilität", "Wege verbinden"),
    ]
    assert [m.text for m in gs.measures] == ["Kataster anlegen"]


def test_markdown_headings_bold_goals_and_tables() -> None:
    text = (
        "# Strategie\n\n## Handlungsfeld Wohnen\n\n### Ziele\n\n**Wohnraum sichern**\n"
        "Mehr Wohnungen bauen.\n1. Leerstand halbieren\n\n### Maßnahmen\n\n"
        "Nr | Titel | Beschreibung\n--- | --- | ---\n01 | Kataster | Leerstand erfassen.\n\n"
        "## Handlungsfeld Verkehr\n\n### Ziele\n\n- Bus stärken\n"
    )
    gs = extract_goalset([text], fmt="auto")
    assert [hf.name for hf in gs.handlungsfelder] == ["Wohnen", "Verkehr"]
    assert [(g.text, g.level, g.parent) for g in gs.goals] == [
        ("Wohnraum sichern Mehr Wohnungen bauen. Leerstand halbieren", "strategisches_ziel", None),
        ("Leerstand halbieren", "operatives_ziel", 0),
        ("Bus stärken", "strategisches_ziel", None),
    ]
    assert [(m.text, m.handlungsfeld) for m in gs.measures] == [
        ("Kataster: Leerstand erfassen.", "Wohnen")
    ]


def test_items_outside_fields_form_an_unnamed_group() -> None:
    gs = extract_goalset(["Unsere Ziele\nZiel 1: Kultur für alle.\nZiel 2: Orte in jedem Viertel."])
    data = goalset_to_json(gs)
    assert gs.handlungsfelder == ()
    assert data["handlungsfelder"][0]["name"] is None
    assert len(data["handlungsfelder"][0]["goals"]) == 2


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        extract_goalset(["x"], fmt="docx")
