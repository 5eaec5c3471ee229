"""Find the sections and metadata of a Beschlussvorlage in its extracted text.

Two layouts are known: the Saxon form (Leipzig: "Betreff:", "Beschlussvorschlag",
"Sachverhalt", an INSEK goal block "Ziele", "Klimawirkung") and the Karlsruhe form (the
subject follows the metadata block, "Antrag an den Gemeinderat", "Ergänzende Erläuterungen").
Headings are matched at line starts; the first heading of a kind opens its section and the
section runs to the next opened heading. Later headings of the same kind stay inside.
"""

from __future__ import annotations

import re

from nlp.vorlage._model import Finanzen, Section, SectionKind, Vorlage

_HEADINGS: tuple[tuple[SectionKind, str], ...] = (
    ("betreff", r"Betreff\s*:?"),
    (
        "beschlussvorschlag",
        r"(?:Beschlussvorschlag|Beschlussantrag|Antrag an den (?:Gemeinderat|\w*[Aa]usschuss)"
        r"[^\n]*|Beschlussempfehlung)",
    ),
    ("kurzfassung", r"(?:-\s*)?(?:Kurzfassung|Zusammenfassung)(?:\s*-)?"),
    (
        "sachverhalt",
        r"(?:Sachverhalt|Begründung|Ergänzende Erläuterungen(?!\s*:)[^\n]*|Erläuterungen"
        r"|Stellungnahme der (?:Stadt)?[Vv]erwaltung\s*:?)",
    ),
    ("finanzen", r"Finanzielle Auswirkungen[^\n]*"),
    ("klimawirkung", r"(?:Klimawirkung|Klimarelevanz|Auswirkungen auf den Klimaschutz)"),
    ("beratungsfolge", r"Beratungsfolge[^\n]*"),
    ("raum", r"(?:Räumlicher Bezug|Räumliche Zuordnung)\s*:?"),
    ("ziele", r"Ziele"),
    ("anlagen", r"Anlage(?:n|/n)?\s*:?"),
)
# A heading stands alone on its line, with or without a colon; only "Betreff:" may carry its
# content on the same line ("Betreff: Bau eines Radwegs").
_LINE_END = r"[ \t]*:?[ \t]*$"
_INLINE_END = r"[ \t]*:[ \t]*(?=\S)"
_PATTERNS = tuple(
    (
        kind,
        re.compile(
            rf"^[ \t]*({pattern})(?:{_LINE_END}|{_INLINE_END})"
            if kind == "betreff"
            else rf"^[ \t]*({pattern}){_LINE_END}",
            re.M,
        ),
    )
    for kind, pattern in _HEADINGS
)
_KARLSRUHE_SUBJECT = re.compile(r"^[ \t]*Dez\.[ \t]*\d+[^\n]*\n", re.M)
_SUBJECT_STOP = re.compile(r"\n[ \t]*\n|\n[ \t]*(?:Beratungsfolge|-?\s*Kurzfassung|Antrag an)")
_AMOUNT = re.compile(r"(?:ca\.\s*)?\d{1,3}(?:\.\d{3})*(?:,\d{2})?\s*(?:€|EUR|Euro)")


def parse_vorlage(text: str) -> Vorlage:
    """Sections (with [start, end) offsets into `text`) and metadata of a Beschlussvorlage.

    Never raises on odd input: what is not found is absent (sections) or None (metadata).
    """
    heads = _headings(text)
    subject = _karlsruhe_subject(text, heads)
    if subject is not None:
        heads = sorted([*heads, subject], key=lambda h: h[1])
    sections = tuple(_sections(text, heads))
    finance = next((s for s in sections if s.kind == "finanzen"), None)
    return Vorlage(
        text=text,
        sections=sections,
        nummer=_nummer(text),
        datum=_datum(text),
        gremium=_gremium(text),
        finanzen=_finanzen(finance.text if finance else ""),
    )


def _headings(text: str) -> list[tuple[SectionKind, int, int, str]]:
    """(kind, heading start, content start, heading) for the first heading of each kind."""
    found: list[tuple[SectionKind, int, int, str]] = []
    for kind, pattern in _PATTERNS:
        match = pattern.search(text)
        if match is not None:
            found.append((kind, match.start(1), match.end(), match.group(1).strip()))
    return sorted(found, key=lambda h: h[1])


def _karlsruhe_subject(
    text: str, heads: list[tuple[SectionKind, int, int, str]]
) -> tuple[SectionKind, int, int, str] | None:
    """The Karlsruhe subject: the lines after "Dez. N" that closes the metadata block."""
    if any(kind == "betreff" for kind, *_ in heads):
        return None
    match = _KARLSRUHE_SUBJECT.search(text, 0, 3000)
    if match is None:
        return None
    return ("betreff", match.end(), match.end(), "")


def _sections(text: str, heads: list[tuple[SectionKind, int, int, str]]) -> list[Section]:
    sections: list[Section] = []
    for index, (kind, _, start, heading) in enumerate(heads):
        end = heads[index + 1][1] if index + 1 < len(heads) else len(text)
        if kind == "betreff":
            end = _subject_end(text, start, end)
        start, end = _trim(text, start, max(start, end))
        sections.append(Section(kind, heading, start, end, text[start:end]))
    return sections


def _subject_end(text: str, start: int, end: int) -> int:
    # The subject is short; it stops at the first blank line after some text.
    lead = len(text[start:end]) - len(text[start:end].lstrip())
    stop = _SUBJECT_STOP.search(text, start + lead, end)
    return stop.start() if stop else end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _nummer(text: str) -> str | None:
    match = re.search(
        r"(?:Beschlussvorlage|Vorlage)[- ]Nr\.?[ \t]*:?[ \t]*([A-Z]{1,4}[-/][\w/-]+)", text
    )
    if match:
        return match.group(1)
    # Karlsruhe: labels first, values after "Verantwortlich:" (date, number, TOP, ...).
    match = re.search(
        r"Verantwortlich:\s*\n(?:\s*\n)*\s*\d{2}\.\d{2}\.\d{4}\s*\n\s*(\d[\d/]*)\s*\n", text[:3000]
    )
    return match.group(1) if match else None


def _datum(text: str) -> str | None:
    match = re.search(r"\b(\d{2}\.\d{2}\.\d{4})\b", text[:3000])
    return match.group(1) if match else None


def _gremium(text: str) -> str | None:
    match = re.search(r"Gremium:[ \t]*\n\s*([^\n]+?)[ \t]*\n", text[:3000])
    if match and not match.group(1).startswith("Voraussichtlich"):
        return match.group(1)
    match = re.search(r"^([^\n]+?)\s+\d{2}\.\d{2}\.\d{4}\s+Beschlussfassung", text, re.M)
    return match.group(1).strip() if match else None


def _finanzen(block: str) -> Finanzen:
    """Figures from the finance block; Karlsruhe lists total, grants, city share in a row."""
    amounts = _AMOUNT.findall(block)
    total = _labelled(block, r"Gesamtkosten[^\n]*?") or (amounts[0] if amounts else None)
    grants = _labelled(block, r"(?:Fördermittel|Zuschüsse|Förderung)[^\n]*?")
    if grants is None and len(amounts) >= 3 and "Zuschüsse" in block:
        grants = amounts[1]
    account = re.search(
        r"(?:Kontierungsobjekt|Haushaltsstelle|PSP-Element)\s*:\s*(?:PSP-Element:\s*)?"
        r"([\d][\d.]*\d)",
        block,
    )
    return Finanzen(total, grants, account.group(1) if account else None)


def _labelled(block: str, label: str) -> str | None:
    match = re.search(label + r"(?::|\s)[ \t]*(" + _AMOUNT.pattern + ")", block)
    return match.group(1).strip() if match else None
