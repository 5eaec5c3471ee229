"""Beschlussvorlagen: `parse_vorlage(text)` finds sections (with offsets) and metadata."""

from nlp.vorlage._model import BODY_KINDS, Finanzen, Section, SectionKind, Vorlage
from nlp.vorlage._parse import parse_vorlage

__all__ = ["BODY_KINDS", "Finanzen", "Section", "SectionKind", "Vorlage", "parse_vorlage"]
