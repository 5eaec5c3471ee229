"""The spaCy pipeline: built once, German sentence rules, lemmas, compound parts, topics."""

from __future__ import annotations

import pytest

pytest.importorskip("spacy", reason="spaCy fehlt (Abhängigkeit von nlp.pipeline)")
pytest.importorskip("simplemma", reason="simplemma fehlt (Abhängigkeit von nlp.pipeline)")

from nlp.pipeline import (
    compound_match,
    compound_parts,
    get_nlp,
    lemma,
    vocabulary,
)


def sentences(text: str) -> list[str]:
    return [s.text.strip() for s in get_nlp()(text).sents if s.text.strip()]


def test_pipeline_is_built_once() -> None:
    assert get_nlp() is get_nlp()
    assert get_nlp().pipe_names == ["inge_sentencizer", "inge_lemmatizer", "inge_topics"]


def test_components_declare_what_they_assign() -> None:
    meta = get_nlp().get_pipe_meta
    assert meta("inge_sentencizer").assigns == ["token.is_sent_start"]
    assert meta("inge_lemmatizer").assigns == ["token.lemma"]
    assert "doc._.topics" in meta("inge_topics").assigns


@pytest.mark.parametrize(
    "text",
    [
        "Die Stadt plant z. B. neue Radwege.",
        "Gefördert wird gem. Abs. 3 Nr. 5 der Richtlinie.",
        "Es kostet ca. 2 Mio. Euro bzw. 300 Tsd. Euro.",
        "Die Schule u. a. im Norden, d. h. in Nord, wird saniert.",
        "Der Beschluss fiel am 17. Januar 2024 im Rat.",
        "Im 3. Bauabschnitt folgt ggf. inkl. Außenanlagen die Kita.",
        "Vgl. S. 12 im Anhang.",
    ],
)
def test_abbreviations_dates_and_ordinals_do_not_split(text: str) -> None:
    assert sentences(text) == [text]


def test_sentences_end_at_periods_bullets_and_blank_lines() -> None:
    text = "Das ist gut. Der ÖPNV wird ausgebaut! Warum nicht?\n\nNeuer Absatz\n• Erster Punkt"
    assert sentences(text) == [
        "Das ist gut.",
        "Der ÖPNV wird ausgebaut!",
        "Warum nicht?",
        "Neuer Absatz",
        "• Erster Punkt",
    ]


def test_lemmas() -> None:
    doc = get_nlp()("Die Maßnahmen wurden in den Quartieren umgesetzt.")
    assert [t.lemma_ for t in doc if t.is_alpha] == [
        "der",
        "Maßnahme",
        "werden",
        "in",
        "der",
        "Quartier",
        "umsetzen",
    ]
    assert lemma("Kindertagesstätten") == "Kindertagesstätte"


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("Radwegebau", ("radweg", "bau")),
        ("Stadtentwicklungskonzept", ("stadt", "entwicklung", "konzept")),
        ("Radweg", ("radweg",)),
        ("Haus", ("haus",)),
    ],
)
def test_compound_parts(word: str, parts: tuple[str, ...]) -> None:
    assert compound_parts(word) == parts


def test_compounds_match_their_parts() -> None:
    assert compound_match("Radwegebau", "Radweg")
    assert compound_match("Radwegen", "Radweg")
    assert not compound_match("Radweg", "Schule")
    token = get_nlp()("Der Radwegebau beginnt.")[1]
    assert token._.parts == ["radweg", "bau"]


def test_topics_with_synonyms_and_compounds() -> None:
    doc = get_nlp()(
        "Die neue Kindertagesstätte, der ÖPNV-Takt, das Radverkehrskonzept und Hitze nach "
        "Starkregen stehen im INGEKO; der Transport bleibt außen vor."
    )
    found = {(span.text, span.label_) for span in doc.spans["topics"]}
    assert ("Kindertagesstätte", "soziale_infrastruktur") in found
    assert ("ÖPNV-Takt", "mobilitaet") in found
    assert ("Radverkehrskonzept", "radverkehr") in found
    assert ("Hitze", "klima") in found
    assert ("INGEKO", "insek") in found
    assert "sport" not in doc._.topics  # "Transport" is no sport


def test_vocabulary_covers_the_guidance_minimum() -> None:
    groups = {topic.group for topic in vocabulary()}
    themes = [t for t in vocabulary() if t.group == "themenbereich"]
    cross = [t for t in vocabulary() if t.group == "querschnittsthema"]
    assert {"themenbereich", "querschnittsthema"} <= groups
    assert len(themes) == 7
    assert len(cross) == 4
    assert len({t.id for t in vocabulary()}) == len(vocabulary())
