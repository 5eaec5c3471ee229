"""INSEK structure: from a strategy document to its goal set.

`extract_goalset(pages)` finds Leitbild, Handlungsfelder, goals (Leitziel / strategisches /
operatives Ziel), strategic approaches, measures and key projects with their attributes;
`goalset_to_json(gs)` gives the JSON form described in docs/goalset-schema.md.
"""

from nlp.insek._extract import clean_document, extract_goalset, handlungsfeld_chapters
from nlp.insek._model import (
    Approach,
    Goal,
    GoalSet,
    Handlungsfeld,
    Leitbild,
    Measure,
    Source,
    goalset_to_json,
)

__all__ = [
    "Approach",
    "Goal",
    "GoalSet",
    "Handlungsfeld",
    "Leitbild",
    "Measure",
    "Source",
    "clean_document",
    "extract_goalset",
    "goalset_to_json",
    "handlungsfeld_chapters",
]
