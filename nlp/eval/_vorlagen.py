"""The Karlsruhe dev Vorlagen with the city's own INSEK answer, and the Karlsruhe INSEK."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from nlp.eval._documents import SHARED, _karlsruhe
from nlp.insek import GoalSet, extract_goalset

DEV = SHARED / "eval" / "karlsruhe-dev"
NEIN = "nein"
JA = "ja"


@dataclass(frozen=True)
class Labelled:
    """One dev Vorlage: `label` is a Handlungsfeld name, "nein" or "ja" (relevant, no field)."""

    file_id: str
    label: str
    text: str

    @property
    def relevant(self) -> bool:
        return self.label != NEIN

    @property
    def has_field(self) -> bool:
        return self.label not in (NEIN, JA)

    @property
    def split(self) -> str:
        """ "even" (tuning) or "odd" (held back), by the parity of the numeric file id."""
        return "even" if int(self.file_id) % 2 == 0 else "odd"


def available() -> bool:
    """Whether ../shared holds the dev Vorlagen and the Karlsruhe INSEK."""
    return (DEV / "labels.jsonl").exists() and (SHARED / "data/karlsruhe").exists()


def load_dev() -> list[Labelled]:
    """The labelled dev Vorlagen in label-file order."""
    rows = [json.loads(line) for line in (DEV / "labels.jsonl").read_text().splitlines() if line]
    return [
        Labelled(row["file_id"], row["label"], (DEV / f"{row['file_id']}.txt").read_text())
        for row in rows
        if (DEV / f"{row['file_id']}.txt").exists()
    ]


@cache
def karlsruhe_goalset() -> GoalSet:
    pages, _, _, _ = _karlsruhe()
    return extract_goalset(pages)
