"""``inge insek extract FILE``: the goal set of a local INSEK file as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from nlp.extract import ExtractionError, ExtractionLimits, extract_text_sandboxed
from nlp.insek import clean_document, extract_goalset, goalset_to_json

MARKDOWN_SUFFIXES = {".md", ".markdown"}


def read_pages(path: Path) -> tuple[list[str], str]:
    """Page texts of a file (PDF, DOCX, text) or of a folder of Markdown files, and the format."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in MARKDOWN_SUFFIXES)
        if not files:
            raise click.ClickException(f"Im Ordner {path} gibt es keine Markdown-Dateien.")
        return [f.read_text(encoding="utf-8") for f in files], "markdown"
    extracted = extract_text_sandboxed(
        path, limits=ExtractionLimits(wall_seconds=600, cpu_seconds=600)
    )
    fmt = "markdown" if path.suffix.lower() in MARKDOWN_SUFFIXES else "auto"
    return [page.text for page in extracted.pages], fmt


@click.group()
def insek() -> None:
    """INSEK-Dokumente auslesen."""


@insek.command("extract")
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output", type=click.Choice(["json"]), default="json", show_default=True)
def extract(file: Path, output: str) -> None:
    """Zielsystem (Handlungsfelder, Ziele, Maßnahmen) einer Datei als JSON ausgeben."""
    try:
        pages, fmt = read_pages(file)
    except ExtractionError as exc:
        click.echo(f"Fehler: {exc.message}", err=True)
        sys.exit(2)
    goal_set = extract_goalset(clean_document(pages, fmt=fmt), fmt=fmt)
    json.dump(goalset_to_json(goal_set), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
