"""Matching Vorlagen to Handlungsfelder: a small goal set written here, and floors on real data."""

from __future__ import annotations

import pytest

from nlp.insek import Goal, GoalSet, Handlungsfeld, Measure, Source
from nlp.match import build_baseline, build_matcher
from nlp.vorlage import parse_vorlage


def _source(start: int, text: str) -> Source:
    return Source(page=1, start=start, end=start + len(text), text=text)


def _goalset() -> GoalSet:
    mobility = "Mobilität"
    school = "Bildung"
    fields = (
        Handlungsfeld(mobility, "Radverkehr und Nahverkehr stärken", _source(0, mobility)),
        Handlungsfeld(school, "Schulen und Kindertagesstätten ausbauen", _source(100, school)),
    )
    goals = (
        Goal("Das Radwegenetz wird lückenlos ausgebaut.", "strategisches_ziel", mobility,
             _source(10, "x")),
        Goal("Jedes Kind erhält einen Betreuungsplatz.", "strategisches_ziel", school,
             _source(110, "y")),
    )  # fmt: skip
    measures = (Measure("Neubau von Grundschulen", "massnahme", school, _source(150, "Neubau")),)
    return GoalSet(None, fields, goals, (), measures, ())


VORLAGE = """Betreff:
Bau eines Radwegs entlang der Hauptstraße

Beschlussvorschlag
Der Gemeinderat beschließt den Bau des Radweges. Die Radfahrer gewinnen eine sichere Verbindung.

Sachverhalt
Die Lücke im Radwegenetz wird geschlossen. Der Radverkehr nimmt zu.
"""


@pytest.mark.parametrize("build", [build_baseline, build_matcher])
def test_ranks_the_fitting_field_first(build: object) -> None:
    matcher = build(_goalset())  # type: ignore[operator]
    result = matcher.match(parse_vorlage(VORLAGE))
    assert result.best.handlungsfeld == "Mobilität"
    assert result.relevance == result.best.score > result.ranking[1].score


def test_match_cites_sentence_and_passage_with_offsets() -> None:
    result = build_matcher(_goalset()).match(VORLAGE)
    sentence = result.best.vorlage_sentence
    assert sentence is not None
    assert VORLAGE[sentence.start : sentence.end] == sentence.text
    assert "Rad" in sentence.text
    passage = result.best.insek_passage
    assert passage is not None and passage.handlungsfeld == "Mobilität"
    assert result.best.goals[0].goal.text.startswith("Das Radwegenetz")


def test_compound_parts_connect_words_the_baseline_misses() -> None:
    text = "Betreff:\nNeue Kindertagesstättenplätze\n\nBeschlussvorschlag\nMehr Betreuungsplätze.\n"
    rich = build_matcher(_goalset()).match(text)
    assert rich.best.handlungsfeld == "Bildung"


def test_unrelated_vorlage_scores_low() -> None:
    matcher = build_matcher(_goalset())
    related = matcher.match(VORLAGE).relevance
    unrelated = matcher.match("Betreff:\nWahl der Schöffen am Amtsgericht\n").relevance
    assert unrelated < related


def test_precedents_pull_the_ranking_towards_earlier_answers_and_can_be_left_out():
    from nlp.match import Precedent

    goalset = _goalset()
    plain = build_matcher(goalset).match(VORLAGE, with_evidence=False)
    assert plain.best.handlungsfeld == "Mobilität" and plain.precedents is None
    earlier = [
        Precedent(VORLAGE, "Bildung", "alt-1"),
        Precedent("Neubau einer Grundschule mit Mensa", "Bildung", "alt-2"),
        Precedent("Sanierung des Rathausdachs", "nein", "alt-3"),
        Precedent("Unbekanntes Feld", "Sonstiges", "alt-4"),  # not a field: ignored
    ]
    with_precedents = build_matcher(goalset, precedents=earlier)
    result = with_precedents.match(VORLAGE, with_evidence=False)
    assert result.precedents is not None
    assert result.precedents.neighbours[0][:2] == ("alt-1", "Bildung")
    assert "alt-4" not in [n[0] for n in result.precedents.neighbours]
    # weight 0.4: the votes narrow the gap; a clear text match is not overturned by them alone
    before = {f.handlungsfeld: f.score for f in plain.ranking}
    after = {f.handlungsfeld: f.score for f in result.ranking}
    assert after["Bildung"] > before["Bildung"] and after["Mobilität"] < before["Mobilität"]
    scores = [f.score for f in result.ranking]
    assert scores == sorted(scores, reverse=True)
    left_out = with_precedents.match(VORLAGE, with_evidence=False, exclude="alt-1")
    assert left_out.precedents is not None
    assert "alt-1" not in [n[0] for n in left_out.precedents.neighbours]


def test_precedents_that_say_nein_lower_the_relevance():
    from nlp.match import Precedent

    goalset = _goalset()
    plain = build_matcher(goalset).match(VORLAGE, with_evidence=False)
    nein = build_matcher(goalset, precedents=[Precedent(VORLAGE, "nein", "a")])
    ja = build_matcher(goalset, precedents=[Precedent(VORLAGE, "Mobilität", "a")])
    assert nein.match(VORLAGE, with_evidence=False).relevance < plain.relevance
    assert ja.match(VORLAGE, with_evidence=False).relevance > plain.relevance
