"""A parsed Beschlussvorlage as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SectionKind = Literal[
    "betreff",
    "beschlussvorschlag",
    "kurzfassung",
    "sachverhalt",
    "finanzen",
    "klimawirkung",
    "beratungsfolge",
    "raum",
    "ziele",
    "anlagen",
]
# Sections that carry the substance of the proposal (as opposed to form furniture).
BODY_KINDS: tuple[SectionKind, ...] = ("beschlussvorschlag", "kurzfassung", "sachverhalt")


@dataclass(frozen=True)
class Section:
    """A section: its kind, the heading as written, and [start, end) of its content."""

    kind: SectionKind
    heading: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Finanzen:
    """Figures stated in the finance block (verbatim strings), None when not stated."""

    gesamtkosten: str | None = None
    foerdermittel: str | None = None
    haushaltsstelle: str | None = None


@dataclass(frozen=True)
class Vorlage:
    """Sections in document order (offsets into `text`) and metadata when present."""

    text: str
    sections: tuple[Section, ...]
    nummer: str | None = None
    datum: str | None = None
    gremium: str | None = None
    finanzen: Finanzen = field(default_factory=Finanzen)

    def section(self, kind: SectionKind) -> Section | None:
        """The first section of `kind`, or None."""
        return next((s for s in self.sections if s.kind == kind), None)

    @property
    def betreff(self) -> str | None:
        found = self.section("betreff")
        return found.text if found else None

    def body(self) -> list[Section]:
        """The substantive sections (Beschlussvorschlag, Kurzfassung, Sachverhalt)."""
        return [s for s in self.sections if s.kind in BODY_KINDS]
