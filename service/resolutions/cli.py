"""``inge check --insek FILE VORLAGE...``: check many drafts against one INSEK, JSON lines."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from checks.analysis import Analysis, analyse
from nlp.extract import ExtractionError
from nlp.insek import clean_document, extract_goalset
from nlp.match import Precedent, build_matcher
from service.insek.cli import read_pages

# Form lines are learned from the batch itself only when it is large enough to tell them from
# content (with one Vorlage every line would count as form boilerplate).
MIN_BACKGROUND = 20


def analysis_json(path: str, analysis: Analysis) -> dict[str, Any]:
    """One output line: relevance, Handlungsfelder (best first), goals with evidence, checks."""
    context = analysis.context
    return {
        "document": path,
        "insek_relevant": context.relevant,
        "relevance_score": round(context.relevance, 4),
        "handlungsfelder": [{"name": f.name, "score": round(f.score, 4)} for f in context.fields],
        "goals": [
            {
                "text": m.entry.text,
                "kind": m.entry.kind,
                "handlungsfeld": m.entry.handlungsfeld,
                "score": round(m.score, 4),
                "direction": m.direction,
                "evidence": {
                    "vorlage": m.vorlage.text,
                    "insek": m.insek.text,
                    "insek_page": m.insek.page,
                },
            }
            for m in context.matches
        ],
        "checks": [
            {"id": r.check_id, "status": r.status, "explanation": r.explanation}
            for r in analysis.results
        ],
    }


def _precedents(path: Path) -> list[Precedent]:
    """Earlier answers from a JSONL file; a bad line stops with its line number."""
    found: list[Precedent] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            document, label = Path(str(row["document"])), str(row["label"])
        except (ValueError, KeyError, TypeError):
            raise click.ClickException(
                f'{path}, Zeile {number}: erwartet {{"document": …, "label": …}}.'
            ) from None
        document = document if document.is_absolute() else path.parent / document
        if not document.exists():
            raise click.ClickException(f"{path}, Zeile {number}: {document} fehlt.")
        found.append(Precedent(_text(document), label, str(document)))
    return found


def _text(path: Path) -> str:
    pages, _ = read_pages(path)
    return "\n".join(pages)


@click.command("check")
@click.option(
    "--insek",
    "insek_file",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="INSEK-Datei oder -Ordner",
)
@click.argument("vorlagen", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format", "output", type=click.Choice(["jsonl"]), default="jsonl", show_default=True
)
@click.option(
    "--adopted",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Beschlussdatum des INSEK (JJJJ-MM-TT) für die Altersprüfung",
)
@click.option(
    "--precedents",
    "precedents_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help=(
        'JSONL mit früheren Antworten der Kommune: je Zeile {"document": PFAD, "label": '
        'Handlungsfeld | "ja" | "nein"} (PFAD relativ zur Datei)'
    ),
)
def check(
    insek_file: Path,
    vorlagen: tuple[Path, ...],
    output: str,
    adopted: Any,
    precedents_file: Path | None,
) -> None:
    """Beschlussvorlagen gegen ein INSEK prüfen (das INSEK wird einmal ausgelesen)."""
    try:
        pages, fmt = read_pages(insek_file)
        texts = {path: _text(path) for path in vorlagen}
        precedents = _precedents(precedents_file) if precedents_file else []
    except ExtractionError as exc:
        click.echo(f"Fehler: {exc.message}", err=True)
        sys.exit(2)
    goalset = extract_goalset(clean_document(pages, fmt=fmt), fmt=fmt)
    if not goalset.handlungsfelder:
        click.echo("Fehler: Im INSEK wurden keine Handlungsfelder gefunden.", err=True)
        sys.exit(2)
    background = list(texts.values()) if len(texts) >= MIN_BACKGROUND else []
    matcher = build_matcher(goalset, background=background, precedents=precedents)
    adopted_on: date | None = adopted.date() if adopted else None
    for path, text in texts.items():
        result = analyse(text, matcher, goalset, adopted_on=adopted_on)
        sys.stdout.write(json.dumps(analysis_json(str(path), result), ensure_ascii=False) + "\n")
