"""The knowledge base behind "Frag doch INGE": passages of guidance texts and a search that
answers with ranked source passages or abstains.

`passages_from_text(text, source=…, source_id=…)` cuts a guidance text into passages with
section, page and line span; `KbIndex(passages).search(question, k=3)` returns an `Answer`
whose hits carry calibrated scores in [0, 1]; `answered` is False when INGE cannot answer
with confidence ("kann ich nicht sicher beantworten"). Measured in docs/evaluation.md
(`python -m nlp.eval.kb`).
"""

from nlp.kb._index import DEFAULT_CONFIG, KbConfig, KbIndex
from nlp.kb._model import Answer, Hit, KbPassage
from nlp.kb._passages import passages_from_text

__all__ = [
    "DEFAULT_CONFIG",
    "Answer",
    "Hit",
    "KbConfig",
    "KbIndex",
    "KbPassage",
    "passages_from_text",
]
