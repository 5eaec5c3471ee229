"""`inge insek extract FILE --format json` on our own fixture and on the real documents."""

from __future__ import annotations

import json

from click.testing import CliRunner

from service.cli import main
from tests.fixtures.insek_sample import as_text


def run(path):
    result = CliRunner().invoke(main, ["insek", "extract", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_extract_prints_the_documented_schema(tmp_path):
    path = tmp_path / "insek.txt"
    path.write_text(as_text(), encoding="utf-8")
    data = run(path)
    assert set(data) == {"handlungsfelder", "leitbild", "querschnittsthemen"}
    names = [hf["name"] for hf in data["handlungsfelder"]]
    assert names == ["Wohnen und Altstadt", "Mobilität und Klima"]
    goal = data["handlungsfelder"][0]["goals"][0]
    assert set(goal) == {"text", "level", "source"}
    assert set(goal["source"]) == {"page", "start", "end"}
    measure = data["handlungsfelder"][1]["measures"][0]
    assert measure["kind"] == "massnahme" and measure["attributes"]["zeithorizont"] == "langfristig"


def test_unreadable_file_is_a_german_error(tmp_path):
    path = tmp_path / "kaputt.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj <<")
    result = CliRunner().invoke(main, ["insek", "extract", str(path)])
    assert result.exit_code == 2
    assert "Fehler:" in result.output


def test_extract_real_magdeburg_pdf(shared_dir):
    data = run(shared_dir / "data/magdeburg/kulturstrategie-2030.pdf")
    goals = [g for hf in data["handlungsfelder"] for g in hf["goals"]]
    assert len(goals) == 12


def test_extract_real_ulm_markdown_folder(shared_dir):
    data = run(shared_dir / "data/ulm-smart-city-strategie")
    assert len(data["handlungsfelder"]) >= 13
