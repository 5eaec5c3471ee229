"""`inge kb import` and `inge ask` (from the database and straight from files)."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlmodel import select

from service.cli import main
from service.models import KnowledgePassage, KnowledgeSource
from tests.fixtures.kb_sample import GUIDANCE


def test_import_then_ask_from_the_database(cli_env, session, tmp_path):
    folder = tmp_path / "wissen"
    folder.mkdir()
    (folder / "arbeitshilfe.txt").write_text(GUIDANCE, encoding="utf-8")
    result = CliRunner().invoke(main, ["kb", "import", str(folder)])
    assert result.exit_code == 0, result.output
    assert "arbeitshilfe.txt:" in result.output
    again = CliRunner().invoke(main, ["kb", "import", str(folder / "arbeitshilfe.txt")])
    assert again.exit_code == 0  # re-import replaces, never duplicates
    session.expire_all()
    assert len(session.exec(select(KnowledgeSource)).all()) == 1
    passages = session.exec(select(KnowledgePassage)).all()
    assert passages and {p.page for p in passages} == {1, 2}

    answer = CliRunner().invoke(
        main, ["ask", "Wie wird der Bedarf an Plätzen in Kindertagesstätten ermittelt?"]
    )
    assert answer.exit_code == 0, answer.output
    body = json.loads(answer.output)
    assert body["answered"] is True
    top = body["passages"][0]
    assert set(top) >= {"text", "source", "section", "page", "score"}
    assert any("Kindertagesstätten" in p["text"] for p in body["passages"])
    assert top["page"] == 2


def test_ask_straight_from_a_file_and_abstain(tmp_path):
    path = tmp_path / "arbeitshilfe.txt"
    path.write_text(GUIDANCE, encoding="utf-8")
    runner = CliRunner()
    hit = runner.invoke(main, ["ask", "Bürgerbeteiligung Jugendliche", "--knowledge", str(path)])
    assert hit.exit_code == 0, hit.output
    assert json.loads(hit.output)["answered"] is True
    off = runner.invoke(main, ["ask", "Wie hoch ist die Hundesteuer?", "--knowledge", str(path)])
    assert off.exit_code == 0 and json.loads(off.output)["answered"] is False


def test_import_of_a_folder_without_documents_fails_clearly(cli_env, tmp_path):
    (tmp_path / "leer").mkdir()
    empty = CliRunner().invoke(main, ["kb", "import", str(tmp_path / "leer")])
    assert empty.exit_code != 0 and "keine" in empty.output
