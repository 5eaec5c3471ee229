"""`inge kb import PATH` and `inge ask "FRAGE" --format json`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from sqlmodel import Session, select

from nlp.extract import ExtractionError
from nlp.kb import KbIndex, KbPassage, passages_from_text
from service.config import get_settings
from service.db import short_session
from service.insek.service import current_adopted, items_of
from service.knowledge.service import (
    hits_json,
    import_path,
    index_for,
    insek_passages,
    kb_files,
    read_source,
    title_of,
)
from service.models import Municipality


@click.group("kb")
def kb() -> None:
    """Wissensbasis für „Frag doch INGE“ (Arbeitshilfe, FAQ)."""


@kb.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def kb_import(path: Path) -> None:
    """Eine Datei oder einen Ordner (.txt, .md, .pdf, .docx) importieren oder ersetzen."""
    try:
        with short_session(get_settings().resolved_database_url) as session:
            sources = import_path(session, path)
            for source in sources:
                click.echo(f"{source.key}: {source.passages} Abschnitte ({source.title})")
    except ExtractionError as exc:
        raise click.ClickException(exc.message) from None
    if not sources:
        raise click.ClickException(f"In {path} gibt es keine .txt-, .md-, .pdf- oder .docx-Datei.")


@click.command("ask")
@click.argument("question")
@click.option(
    "--knowledge",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Wissensbasis direkt aus Datei/Ordner statt aus der Datenbank",
)
@click.option("--municipality", "ags", default=None, help="AGS: deren beschlossenes INSEK mit")
@click.option("--format", "output", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("-k", "top", default=3, show_default=True, type=click.IntRange(1, 20))
def ask(question: str, knowledge: Path | None, ags: str | None, output: str, top: int) -> None:
    """Eine Frage an die Wissensbasis stellen; gibt Fundstellen mit Quelle aus (oder enthält
    sich: "answered": false)."""
    if not question.strip():
        raise click.ClickException("Die Frage ist leer.")
    if knowledge is not None and ags is None:
        index = KbIndex(_passages_from(knowledge))
    else:
        with short_session(get_settings().resolved_database_url) as session:
            index = _index_from_db(session, ags, knowledge)
    answer = index.search(question, k=top)
    passages = [
        {k: v for k, v in hit.items() if k in ("text", "source", "section", "page", "score")}
        | {"lines": hit["lines"]}
        for hit in hits_json(answer)
    ]
    sys.stdout.write(
        json.dumps({"answered": answer.answered, "passages": passages}, ensure_ascii=False) + "\n"
    )


def _passages_from(path: Path) -> list[KbPassage]:
    passages: list[KbPassage] = []
    for number, file in enumerate(kb_files(path), start=1):
        try:
            text = read_source(file)
        except ExtractionError as exc:
            raise click.ClickException(f"{file}: {exc.message}") from None
        passages += passages_from_text(text, source=title_of(file), source_id=f"file{number}")
    return passages


def _index_from_db(session: Session, ags: str | None, knowledge: Path | None) -> KbIndex:
    municipality = None
    if ags is not None:
        municipality = session.exec(select(Municipality).where(Municipality.ags == ags)).first()
        if municipality is None:
            raise click.ClickException(f"Keine Kommune mit AGS {ags}.")
    if knowledge is None:
        return index_for(session, municipality)
    # the given files instead of the imported guidance, plus the municipality's INSEK
    passages = _passages_from(knowledge)
    goal_set = (
        current_adopted(session, municipality.id) if municipality and municipality.id else None
    )
    if municipality is not None and goal_set is not None:
        passages += insek_passages(municipality, items_of(session, goal_set))
    return KbIndex(passages)
