"""The evaluation documents: where they live in ../shared and how they are read into pages.

Each document has a coordinate text: the file itself (Karlsruhe), the Markdown files joined with
form feeds (Ulm) or the PDF page texts joined with form feeds (Magdeburg). Gold locators and
predicted sources are both turned into [start, end) offsets of that text.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.text import split_page_spans

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
GOLD = REPO / "tests" / "fixtures" / "gold"
_ULM_FIELDS = "data/ulm-smart-city-strategie/06_Handlungsfelder"


@dataclass(frozen=True)
class Document:
    """Pages as the extractor gets them, and where each page starts in `coordinates`."""

    name: str
    pages: list[str]
    bases: list[int]
    coordinates: str
    files: dict[str, int]  # file (relative to shared/) → offset of its text in `coordinates`
    gold: dict[str, Any]


def fingerprint(text: str) -> str:
    """sha1 of the whitespace-normalised text, first 12 hex digits (as stored in the gold)."""
    normalised = re.sub(r"\s+", " ", text).strip().encode()
    return hashlib.sha1(normalised, usedforsecurity=False).hexdigest()[:12]


def _karlsruhe() -> tuple[list[str], list[int], str, dict[str, int]]:
    name = "data/karlsruhe/isek-2020-volltext.txt"
    text = (SHARED / name).read_text(encoding="utf-8")
    spans = split_page_spans(text)
    return [text[s:e] for s, e in spans], [s for s, _ in spans], text, {name: 0}


def _ulm() -> tuple[list[str], list[int], str, dict[str, int]]:
    paths = sorted((SHARED / _ULM_FIELDS).glob("*/index.md"))
    pages = [path.read_text(encoding="utf-8") for path in paths]
    names = [str(path.relative_to(SHARED)) for path in paths]
    return pages, *_joined(pages, names)


def _magdeburg() -> tuple[list[str], list[int], str, dict[str, int]]:
    from pypdf import PdfReader

    name = "data/magdeburg/kulturstrategie-2030.pdf"
    pages = [page.extract_text() for page in PdfReader(SHARED / name).pages]
    return pages, *_joined(pages, [name])


def _joined(pages: list[str], names: list[str]) -> tuple[list[int], str, dict[str, int]]:
    bases: list[int] = []
    position = 0
    for page in pages:
        bases.append(position)
        position += len(page) + 1
    files = dict(zip(names, bases, strict=False))
    return bases, "\f".join(pages), files


LOADERS: dict[str, tuple[str, Callable[[], tuple[list[str], list[int], str, dict[str, int]]]]] = {
    "karlsruhe-isek-2020": ("data/karlsruhe/isek-2020-volltext.txt", _karlsruhe),
    "ulm-smart-city-strategie": (_ULM_FIELDS, _ulm),
    "magdeburg-kulturstrategie-2030": ("data/magdeburg/kulturstrategie-2030.pdf", _magdeburg),
}


def available(name: str) -> bool:
    """Whether ../shared holds the document `name`."""
    return (SHARED / LOADERS[name][0]).exists()


def load(name: str) -> Document:
    """Read document `name` and its gold file; raises FileNotFoundError without ../shared."""
    path, loader = LOADERS[name]
    if not available(name):
        raise FileNotFoundError(f"{SHARED / path} fehlt (../shared ist nicht vorhanden)")
    pages, bases, coordinates, files = loader()
    gold = json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))
    return Document(name, pages, bases, coordinates, files, gold)


def gold_span(document: Document, locator: dict[str, Any]) -> tuple[int, int]:
    """[start, end) of a gold locator in the document's coordinate text."""
    if "page" in locator:  # offsets inside PDF page texts
        start = document.bases[locator["page"] - 1] + locator["start"]
        end_page = locator.get("end_page", locator["page"])
        return start, document.bases[end_page - 1] + locator["end"]
    base = document.files[locator["file"]]
    return base + locator["start"], base + locator["end"]
