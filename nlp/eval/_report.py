"""Writing an evaluation's section into docs/evaluation.md."""

from __future__ import annotations

from nlp.eval._documents import REPO

DOC = REPO / "docs" / "evaluation.md"


def write_section(title: str, lines: list[str]) -> None:
    """Replace the section `title` in docs/evaluation.md, or append it; other sections stay."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    section = "\n".join(lines) + "\n"
    if title in text:
        head, rest = text.split(title, 1)
        tail = rest[rest.find("\n## ") + 1 :] if "\n## " in rest else ""
        text = head + section + ("\n" + tail if tail else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text, encoding="utf-8")
