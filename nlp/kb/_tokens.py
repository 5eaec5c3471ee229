"""Words of German text as index tokens: lemmas, stems, compound parts and synonym groups.

`Analyzer.words(text)` gives each word (and number) with its lemma and compound parts;
`document_tokens` turns a text into the bag of tokens an index stores: the lemma and the
"^stem" of every content word, the parts of compounds ("Bürgerbeteiligung" → bürger,
beteiligung), "~group" tokens from the synonym table, and words that PDF extraction tore apart
("Bevölke rungszahl") joined again.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise

from spacy.lang.de.stop_words import STOP_WORDS

from nlp.kb._stem import stem
from nlp.kb._synonyms import SYNONYM_GROUPS
from nlp.pipeline import compound_parts, lemma
from nlp.text._lexicon import zipf

_WORD = re.compile(r"[^\W\d_]+")
# Words and numbers ("2024", "10.000"): a year or amount the passages never name is a sign that
# a question asks for something they do not hold.
_TOKEN = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
# Fillers of typed questions that spaCy's list lacks; they never decide what a passage is about.
_FILLERS = frozenset(
    (
        "eigentlich", "gibts", "überhaupt", "bitte", "genau", "einfach", "eher", "okay", "ok",
        "halt", "wirklich", "unbedingt", "irgendwie", "bzw", "etc", "fürs", "ans", "aufs", "ins",
        "übers", "ums", "durchs", "vors",
    )
)  # fmt: skip
# The size of a municipality matters here ("kleine Gemeinde", "große Kommunen").
_SIZE = re.compile(r"^(?:klein|groß|gross)(?:e|en|er|es)?$")
_MIN_LETTERS = 3
_MIN_COMPOUND = 6
_MAX_ACRONYM = 6
_MIN_PART_TERM = 4
_MIN_SUFFIX_TERM = 5
# Endings a compound may carry after the term it ends in ("Nachbargemeinde|n").
_INFLECTIONS = ("", "e", "n", "en", "s", "es", "er", "ern", "ns")
# A torn word is joined when the whole is at least this common (Zipf scale of wordfreq).
_JOIN_ZIPF = 2.0
GROUP_MARK = "~"
STEM_MARK = "^"


@cache
def stop_words() -> frozenset[str]:
    """spaCy's German stop words without size adjectives, with question fillers, and with
    their lemmas, so "neues" goes where "neuen" goes (built on first use)."""
    spacy = frozenset(w.lower() for w in STOP_WORDS if not _SIZE.match(w.lower()))
    lemmas = frozenset(w for w in (lemma(s).lower() for s in spacy) if not _SIZE.match(w))
    return spacy | _FILLERS | lemmas


@dataclass(frozen=True)
class Word:
    """One word: `surface` in lower case, `lemma` (lower case), `parts` of a compound (empty
    when it does not split), `lemmas` every lemma reading (also that of the capitalised
    form, for nouns typed in lower case)."""

    surface: str
    lemma: str
    parts: tuple[str, ...]
    lemmas: tuple[str, ...]
    stop: bool

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.surface, *self.lemmas)


@lru_cache(maxsize=100_000)
def analyse(word: str) -> Word:
    """Lemma readings and compound parts of one word, or the normalised number (cached)."""
    lower = word.lower()
    if word[:1].isdigit():
        number = word.replace(".", "") if _THOUSANDS.match(word) else word
        return Word(number, number, (), (number,), False)
    if word.isupper() and len(word) <= _MAX_ACRONYM:  # "ÖPNV", "IKZ": not lemmatised
        return Word(lower, lower, (), (lower,), lower in stop_words())
    first = lemma(word).lower()
    lemmas = [first]
    if word[:1].islower():
        lemmas.append(lemma(word.capitalize()).lower())
    if lower.endswith("s") and first == lower and len(lower) > _MIN_COMPOUND:
        lemmas.append(lemma(word[:-1]).lower())  # genitive the lemmatiser left ("Leitprojekts")
    lemmas = list(dict.fromkeys(lemmas))
    parts: tuple[str, ...] = ()
    if len(word) >= _MIN_COMPOUND:
        split = compound_parts(word)
        parts = tuple(p for p in split if p not in stop_words()) if len(split) > 1 else ()
    stop = lower in stop_words() or first in stop_words()
    return Word(lower, first, parts, tuple(lemmas), stop)


def _keeps(raw: str) -> bool:
    if raw[0].isdigit():
        return len(raw) >= 2
    return len(raw) >= _MIN_LETTERS or (raw.isupper() and len(raw) >= 2)


class Analyzer:
    """Turns text into words and index tokens, with the synonym table compiled once."""

    def __init__(self, groups: Mapping[str, tuple[str, ...]] = SYNONYM_GROUPS) -> None:
        self._single: dict[str, set[str]] = {}
        self._part: dict[str, set[str]] = {}
        self._suffix: dict[str, set[str]] = {}
        self._groups: dict[Word, frozenset[str]] = {}
        self._phrases: list[tuple[tuple[str, ...], str]] = []
        for group, terms in groups.items():
            for term in terms:
                self._add_term(term, GROUP_MARK + group)

    def _add_term(self, term: str, token: str) -> None:
        raw = _WORD.findall(term)
        if len(raw) > 1:
            self._phrases.append((tuple(analyse(w).lemma for w in raw), token))
            return
        word = analyse(raw[0])
        for form in {word.surface, word.lemma}:
            self._single.setdefault(form, set()).add(token)
            if len(form) >= _MIN_PART_TERM:
                self._part.setdefault(form, set()).add(token)
            if len(form) >= _MIN_SUFFIX_TERM:
                self._suffix.setdefault(form, set()).add(token)

    def raw_words(self, text: str) -> list[str]:
        """The words of `text` as written (stop words and short words left out)."""
        return [raw for raw in _WORD.findall(text) if _keeps(raw) and not analyse(raw).stop]

    def words(self, text: str) -> list[Word]:
        """Every word of `text` (stop words included, marked), in order."""
        return [analyse(raw) for raw in _TOKEN.findall(text) if _keeps(raw)]

    def groups_of(self, word: Word) -> frozenset[str]:
        """Synonym-group tokens a single word belongs to: by its form, by a compound part,
        or by the term it ends in, inflected ("Stadtrundgänge" → ~rundgang)."""
        if word not in self._groups:
            found: set[str] = set()
            for form in word.forms:
                found |= self._single.get(form, set())
                found |= self._suffix_groups(form)
            for part in word.parts:
                found |= self._part.get(part, set())
            self._groups[word] = frozenset(found)
        return self._groups[word]

    def _suffix_groups(self, form: str) -> set[str]:
        found: set[str] = set()
        for ending in _INFLECTIONS:
            if not form.endswith(ending):
                continue
            base = form[: len(form) - len(ending)]
            for start in range(len(base) - _MIN_SUFFIX_TERM + 1):
                found |= self._suffix.get(base[start:], set())
        return found

    def phrase_groups(self, words: list[Word]) -> list[str]:
        """Group tokens of multi-word terms ("Bus und Bahn") found in a word sequence."""
        lemmas = [w.lemma for w in words]
        found: list[str] = []
        for phrase, token in self._phrases:
            size = len(phrase)
            found.extend(
                token
                for i in range(len(lemmas) - size + 1)
                if tuple(lemmas[i : i + size]) == phrase
            )
        return found

    def document_tokens(self, text: str) -> Counter[str]:
        """The bag of tokens a passage is indexed with (see module docstring)."""
        words = self.words(text)
        bag: Counter[str] = Counter(self.phrase_groups(words))
        for word in (*words, *torn_words(text)):
            if not word.stop:
                bag.update(word_tokens(word, self.groups_of(word)))
        return bag


def word_tokens(word: Word, groups: frozenset[str]) -> list[str]:
    """Lemma, stem, compound parts and group tokens of one content word."""
    return [word.lemma, stem_token(word), *word.parts, *sorted(groups)]


def stem_token(word: Word) -> str:
    """The Snowball stem, marked: it joins forms the lemmatiser keeps apart ("beraten",
    "Beratung"; "interkommunale", "interkommunaler")."""
    return STEM_MARK + stem(word.surface)


def torn_words(text: str) -> Iterator[Word]:
    """Words that PDF extraction split with a blank ("Bevölke rungszahl", "Klein stadt"),
    joined again where the whole is a common German word."""
    matches = list(_WORD.finditer(text))
    for left, right in pairwise(matches):
        a, b = left.group(0), right.group(0)
        if text[left.end() : right.start()] != " " or not b[:1].islower():
            continue
        if a.lower() in stop_words() or b in stop_words():
            continue
        if len(a) >= 2 and len(b) >= 2 and zipf(a + b) >= _JOIN_ZIPF:
            yield analyse(a + b)
