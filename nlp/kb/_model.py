"""The plain data the knowledge base takes and returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KbPassage:
    """One citable piece of a source: a paragraph or list of a few sentences.

    `start_line`/`end_line` are the 1-based inclusive line span in the source text (0 when the
    passage does not come from a line-based text, e.g. an FAQ entry); `page` is set only when
    the source has form-feed separated pages.
    """

    text: str
    source: str
    section: str | None
    page: int | None
    start_line: int
    end_line: int
    ref: str = ""


@dataclass(frozen=True)
class Hit:
    """A passage with its calibrated score in [0, 1] (≈ probability that it answers)."""

    passage: KbPassage
    score: float


@dataclass(frozen=True)
class Answer:
    """Search result: `answered` False means INGE abstains ("kann ich nicht sicher
    beantworten"); `hits` (best first) may still hold passages shown as "vielleicht hilfreich".
    """

    answered: bool
    hits: tuple[Hit, ...]
