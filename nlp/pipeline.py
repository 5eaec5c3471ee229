"""INGE's spaCy pipeline for German: sentences, lemmas, compound parts and INSEK topics.

`get_nlp()` builds the pipeline once per process on `spacy.blank("de")`:

- `inge_sentencizer` — sentence starts that respect German abbreviations ("z. B.", "Nr.",
  "ca.", "S. 12"), dates and ordinals ("17. Juni", "3. Bauabschnitt"), list bullets and blank lines;
- `inge_lemmatizer` — lemmas from simplemma (measured best on nlp/eval/lemmas_de.tsv, see
  docs/evaluation.md), cached per word form;
- `inge_topics` — the vocabulary in nlp/vocab/topics.json as `doc.spans["topics"]` (label = topic
  id) and `doc._.topics` (sorted topic ids).

`token._.parts` splits compounds on demand ("Radwegebau" → ["radweg", "bau"]); it is computed
only when read, so plain processing stays fast. Process long documents page by page with
`nlp.pipe(pages)`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Token

from nlp.text._lexicon import zipf

VOCABULARY = Path(__file__).resolve().parent / "vocab" / "topics.json"
TOPICS_KEY = "topics"

# Abbreviations whose period never ends a sentence (lower case, with the period).
_ABBREVIATION_LIST = """
abs. abschn. allg. anm. bd. bspw. bzgl. bzw. ca. d.h. dgl. dr. einschl. etc. evtl. f. ff. gem.
ggf. ggü. grds. hr. i.d.r. inkl. insb. jh. jhd. kap. lfd. max. mind. mio. mrd. nr. o.ä. prof.
rd. s. sog. st. str. tel. tsd. u.a. u.ä. usw. v.a. vgl. z.b. z.t. zzgl. ziff.
"""
ABBREVIATIONS = frozenset(_ABBREVIATION_LIST.split())
MONTHS = frozenset(
    (
        "januar", "februar", "märz", "april", "mai", "juni",
        "juli", "august", "september", "oktober", "november", "dezember",
    )
)  # fmt: skip
_SENTENCE_END = frozenset({".", "!", "?", "…"})
_ORDINAL = re.compile(r"^\d{1,2}\.$")
_FUGEN = ("", "s", "es", "n", "en", "e", "er", "ens")
_MIN_PART = 3
_PART_ZIPF = 2.5
_PART_COST = 8.0


@dataclass(frozen=True)
class Topic:
    """One entry of the topic vocabulary."""

    id: str
    label: str
    group: str
    terms: tuple[str, ...]


@cache
def get_nlp() -> Language:
    """The pipeline, built on first call and shared by every later caller in the process."""
    nlp = spacy.blank("de")
    nlp.add_pipe("inge_sentencizer")
    nlp.add_pipe("inge_lemmatizer")
    nlp.add_pipe("inge_topics")
    return nlp


@cache
def vocabulary() -> tuple[Topic, ...]:
    """The topics of nlp/vocab/topics.json."""
    data = json.loads(VOCABULARY.read_text(encoding="utf-8"))
    return tuple(Topic(t["id"], t["label"], t["group"], tuple(t["terms"])) for t in data["topics"])


# ---------------------------------------------------------------- sentences


@Language.component("inge_sentencizer", assigns=["token.is_sent_start"])
def inge_sentencizer(doc: Doc) -> Doc:
    """Mark sentence starts; every token gets an explicit True or False.

    Only tokens that can end a sentence (punctuation, a period at the end, a blank line) are
    looked at in Python; the flags are written in one array call, because setting
    ``token.is_sent_start`` token by token costs more than tokenizing (bench/ingest.py).
    """
    count = len(doc)
    if count == 0:
        return doc
    texts = [token.text for token in doc]
    # SENT_START: 1 start, -1 not; spaCy wants uint64, where -1 is the all-ones value.
    flags = numpy.full((count, 1), _NOT_START, dtype="uint64")
    flags[0, 0] = 1
    for index, text in enumerate(texts):
        if text == "•":
            flags[index, 0] = 1
        if index + 1 < count and _candidate(text) and _ends_sentence(doc, index):
            flags[index + 1, 0] = 1
    doc.from_array([SENT_START], flags)  # type: ignore[arg-type]
    return doc


_NOT_START = numpy.iinfo(numpy.uint64).max


def _candidate(text: str) -> bool:
    """Cheap pre-test: only these tokens can make `_ends_sentence` true."""
    return text[-1] in ".!?\u2026" or "\n\n" in text


def _ends_sentence(doc: Doc, index: int) -> bool:
    token = doc[index]
    if token.is_space:
        return "\n\n" in token.text
    following = doc[index + 1] if index + 1 < len(doc) else None
    if following is not None and following.text[:1].islower():
        return False
    text = token.text
    if text == ".":
        return not _is_abbreviation_stem(doc, index - 1)
    if text in _SENTENCE_END:
        return True
    if text.endswith(".") and len(text) > 1:
        return not _keeps_period(text, following)
    return False


def _is_abbreviation_stem(doc: Doc, index: int) -> bool:
    """ "Vgl" + "." split by the tokenizer: the stem with its period is an abbreviation."""
    if index < 0 or doc[index].whitespace_:
        return False
    stem = doc[index].text
    return f"{stem.lower()}." in ABBREVIATIONS or (len(stem) == 1 and stem.isalpha())


def _keeps_period(text: str, following: Token | None) -> bool:
    lower = text.lower()
    if lower in ABBREVIATIONS or (len(text) == 2 and text[0].isalpha()):
        return True
    if _ORDINAL.match(text):  # "17. Juni", "3. Bauabschnitt"
        return True
    return following is not None and following.lower_ in MONTHS


# ------------------------------------------------------------------ lemmas


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The lemma of a German word form (simplemma; unknown forms come back unchanged)."""
    import simplemma

    return str(simplemma.lemmatize(word, lang="de"))


@Language.component("inge_lemmatizer", assigns=["token.lemma"])
def inge_lemmatizer(doc: Doc) -> Doc:
    """Set `token.lemma_` for word tokens; punctuation, numbers and spaces keep their text."""
    for token in doc:
        if token.is_alpha:
            token.lemma_ = lemma(token.text)
        else:
            token.lemma_ = token.text
    return doc


# ---------------------------------------------------------------- compounds


@lru_cache(maxsize=100_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """Split a German compound into known words, as lower-case lemmas ("Radwegebau" → radweg, bau).

    Parts are words the frequency list knows; linking elements ("s", "e", "en" …) between parts
    are dropped. The split maximises Σ len(part)·zipf(part) − 8 per part, which keeps common
    compounds whole ("radweg") but splits rarer ones ("stadt", "entwicklung", "konzept"). A
    word that cannot be split comes back as a single part.
    """
    lower = lemma(word).lower() if word[:1].isupper() else word.lower()
    if len(lower) < 2 * _MIN_PART:
        return (lower,)
    best: list[tuple[float, tuple[str, ...]] | None] = [None] * (len(lower) + 1)
    best[0] = (0.0, ())
    for end in range(_MIN_PART, len(lower) + 1):
        best[end] = _best_ending_at(lower, end, best)
    result = best[len(lower)]
    if result is None or not result[1]:
        return (lower,)
    # "radwege" + "bau": a plural as first part is a linking form; report lemmas
    return tuple(lemma(part.capitalize()).lower() for part in result[1])


def _best_ending_at(
    word: str, end: int, best: list[tuple[float, tuple[str, ...]] | None]
) -> tuple[float, tuple[str, ...]] | None:
    found: tuple[float, tuple[str, ...]] | None = None
    final = end == len(word)
    for start in range(0, end - _MIN_PART + 1):
        before = best[start]
        if before is None:
            continue
        for fuge in ("",) if final else _FUGEN:
            if fuge and not word[start:end].endswith(fuge):
                continue
            part = word[start : end - len(fuge)] if fuge else word[start:end]
            weight = zipf(part)
            if len(part) < _MIN_PART or weight < _PART_ZIPF:
                continue
            score = before[0] + len(part) * weight - _PART_COST
            if found is None or score > found[0]:
                found = (score, (*before[1], part))
    return found


def compound_match(a: str, b: str) -> bool:
    """Whether two words name the same thing or one is a compound built on the other.

    True for equal lemmas and when the parts of one word are a contiguous run of the parts of
    the other ("Radwegebau" ↔ "Radweg").
    """
    if lemma(a).lower() == lemma(b).lower():
        return True
    first, second = compound_parts(lemma(a)), compound_parts(lemma(b))
    shorter, longer = sorted((first, second), key=len)
    return any(
        longer[i : i + len(shorter)] == shorter for i in range(len(longer) - len(shorter) + 1)
    )


def _token_parts(token: Token) -> list[str]:
    return list(compound_parts(token.lemma_ or token.text)) if token.is_alpha else [token.lower_]


if not Token.has_extension("parts"):
    Token.set_extension("parts", getter=_token_parts)


# ------------------------------------------------------------------- topics


_WORD = re.compile(r"\w+(?:-\w+)*")


def _term_pattern(term: str) -> str:
    return r"\s+".join(re.escape(w).replace(r"\*", r"[\w-]*") for w in term.split())


def _grouped(topics: Iterable[Topic], *, multiword: bool) -> str:
    groups = []
    for topic in topics:
        terms = [t for t in topic.terms if (" " in t) == multiword]
        if terms:
            groups.append(f"(?P<{topic.id}>{'|'.join(_term_pattern(t) for t in terms)})")
    return "|".join(groups)


class TopicTagger:
    """Tags vocabulary terms. Single words are looked up once per distinct word form (cached),
    so the cost per token is a dict access; multi-word terms use one regular expression.
    """

    def __init__(self, topics: Iterable[Topic]) -> None:
        topics = tuple(topics)
        self._word = re.compile(_grouped(topics, multiword=False), re.IGNORECASE)
        phrases = _grouped(topics, multiword=True)
        self._phrase = (
            re.compile(rf"(?<!\w)(?:{phrases})(?!\w)", re.IGNORECASE) if phrases else None
        )
        self._cache: dict[str, str | None] = {}
        if not Doc.has_extension(TOPICS_KEY):
            Doc.set_extension(TOPICS_KEY, default=None)

    def topic_of(self, word: str) -> str | None:
        """The topic id a single word belongs to, or None."""
        if word not in self._cache:
            match = self._word.fullmatch(word)
            self._cache[word] = match.lastgroup if match else None
        return self._cache[word]

    def __call__(self, doc: Doc) -> Doc:
        found: list[tuple[int, int, str]] = []
        for match in _WORD.finditer(doc.text):
            topic = self.topic_of(match.group(0))
            if topic is not None:
                found.append((match.start(), match.end(), topic))
        if self._phrase is not None:
            found.extend(
                (m.start(), m.end(), m.lastgroup or "") for m in self._phrase.finditer(doc.text)
            )
        spans = [
            span
            for start, end, label in sorted(found)
            if (span := doc.char_span(start, end, label=label, alignment_mode="expand")) is not None
        ]
        doc.spans[TOPICS_KEY] = spans
        doc._.topics = sorted({span.label_ for span in spans})
        return doc


@Language.factory("inge_topics", assigns=["doc._.topics", "doc.spans"])
def make_topics(nlp: Language, name: str) -> TopicTagger:
    """Factory of the topic tagger (vocabulary from nlp/vocab/topics.json)."""
    return TopicTagger(vocabulary())
