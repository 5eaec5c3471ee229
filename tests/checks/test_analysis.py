"""Matcher and checklist together on our own INSEK and Vorlagen (and on real ones)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from checks.analysis import RELEVANCE_THRESHOLD, analyse, calibrate
from nlp.insek import extract_goalset
from nlp.match import build_matcher
from service.cli import main
from tests.fixtures import vorlage_sample as v
from tests.fixtures.insek_sample import PAGES, as_text


@pytest.fixture(scope="module")
def setup():
    goalset = extract_goalset(list(PAGES))
    return goalset, build_matcher(goalset)


def status(analysis, check_id):
    return next(r.status for r in analysis.results if r.check_id == check_id)


def test_calibration_maps_the_threshold_to_one_half():
    assert calibrate(RELEVANCE_THRESHOLD) == 0.5
    assert calibrate(0.0) == 0.0 and calibrate(1.0) == 1.0


def test_serving_vorlage_is_relevant_with_evidence_on_both_sides(setup):
    goalset, matcher = setup
    result = analyse(
        v.RADWEG, matcher, goalset, adopted_on=date(2024, 3, 1), today=date(2026, 11, 24)
    )
    assert result.relevant
    assert result.context.fields[0].name == "Mobilität und Klima"
    best = result.context.matches[0]
    assert best.entry.handlungsfeld == "Mobilität und Klima"
    assert result.vorlage.text[best.vorlage.start : best.vorlage.end] == best.vorlage.text
    assert "Radverkehr" in best.vorlage.text
    assert best.insek.page == 3
    assert status(result, "INSEK-01") == "erfüllt"
    assert status(result, "INSEK-02") == "erfüllt"
    assert status(result, "INSEK-07") == "erfüllt"  # Kosten und Städtebauförderung
    assert status(result, "INSEK-09") == "erfüllt"  # Bürgerbeteiligung


def test_parking_garage_is_flagged_as_conflict(setup):
    goalset, matcher = setup
    result = analyse(v.PARKHAUS, matcher, goalset, adopted_on=date(2024, 3, 1))
    assert status(result, "INSEK-04") == "prüfen"
    assert any(m.direction == "hemmend" for m in result.context.matches)


def test_unrelated_vorlage_is_not_relevant(setup):
    goalset, matcher = setup
    result = analyse(v.FRIEDHOF, matcher, goalset, adopted_on=date(2024, 3, 1))
    assert not result.relevant
    assert status(result, "INSEK-02") == "nicht anwendbar"


def test_cli_check_prints_one_json_line_per_draft(tmp_path):
    insek = tmp_path / "insek.txt"
    insek.write_text(as_text(), encoding="utf-8")
    paths = []
    for name, text in (("radweg.txt", v.RADWEG), ("friedhof.txt", v.FRIEDHOF)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    result = CliRunner().invoke(
        main,
        ["check", "--insek", str(insek), *paths, "--format", "jsonl", "--adopted", "2024-03-01"],
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["document"] for line in lines] == paths
    first = lines[0]
    assert set(first) >= {
        "document",
        "insek_relevant",
        "relevance_score",
        "handlungsfelder",
        "goals",
        "checks",
    }
    assert first["insek_relevant"] is True and lines[1]["insek_relevant"] is False
    assert first["handlungsfelder"][0]["name"] == "Mobilität und Klima"
    assert set(first["goals"][0]["evidence"]) >= {"vorlage", "insek"}
    assert [c["id"] for c in first["checks"]] == [f"INSEK-{n:02d}" for n in range(1, 11)]


def test_real_karlsruhe_isek_resolution_is_relevant(setup, shared_dir):
    from nlp.text import split_pages

    isek = (shared_dir / "data/karlsruhe/isek-2020-volltext.txt").read_text(encoding="utf-8")
    goalset = extract_goalset(split_pages(isek))
    matcher = build_matcher(goalset)
    text = shared_dir / "data/karlsruhe/vorlage-BV_2012_Beschluss_ISEK_Karlsruhe_2020.txt"
    result = analyse(text.read_text(encoding="utf-8"), matcher, goalset, adopted_on=None)
    assert result.relevant
    assert len(result.context.matches) >= 3


def test_cli_check_follows_precedents_from_a_jsonl_file(tmp_path, setup):
    _, matcher = setup
    ranking = [f.handlungsfeld for f in matcher.match(v.FRIEDHOF, with_evidence=False).ranking]
    answer = ranking[-1]
    insek = tmp_path / "insek.txt"
    insek.write_text(as_text(), encoding="utf-8")
    (tmp_path / "alt").mkdir()
    (tmp_path / "alt" / "friedhof-2019.txt").write_text(v.FRIEDHOF, encoding="utf-8")
    answers = tmp_path / "antworten.jsonl"
    answers.write_text(
        json.dumps({"document": "alt/friedhof-2019.txt", "label": answer}) + "\n",
        encoding="utf-8",
    )
    draft = tmp_path / "friedhof.txt"
    draft.write_text(v.FRIEDHOF, encoding="utf-8")
    args = ["check", "--insek", str(insek), str(draft), "--precedents", str(answers)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    fields = [f["name"] for f in json.loads(result.output)["handlungsfelder"]]
    assert fields.index(answer) < ranking.index(answer)

    answers.write_text('{"document": "fehlt.txt", "label": "nein"}\n', encoding="utf-8")
    missing = CliRunner().invoke(main, args)
    assert missing.exit_code != 0 and "Zeile 1" in missing.output and "fehlt" in missing.output
