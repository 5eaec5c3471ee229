"""The Snowball stemmer for German (snowballstem.org/algorithms/german), written out here.

Used only as a fallback: a question word whose lemma the passages lack is looked up by its
stem, so "beraten" finds "Beratung" and "beratend" where the lemmatiser keeps them apart.
"""

from __future__ import annotations

import re
from functools import lru_cache

_VOWELS = "aeiouyäöü"
_S_ENDING = "bdfghklmnrt"
_ST_ENDING = "bdfghklmnt"
_MARK = re.compile(r"(?<=[aeiouyäöü])([uy])(?=[aeiouyäöü])")
_STEP1 = (("em", "ern", "er"), ("e", "en", "es"), ("s",))
_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "U": "u", "Y": "y"})


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Snowball stem of a German word, lower case and without umlauts."""
    text = _MARK.sub(lambda m: m.group(1).upper(), word.lower().replace("ß", "ss"))
    r1 = max(3, _region(text, 0))
    r2 = _region(text, r1)
    text = _step1(text, r1)
    text = _step2(text, r1)
    text = _step3(text, r1, r2)
    return text.translate(_UMLAUTS)


def _region(text: str, start: int) -> int:
    """Start of the region after the first non-vowel that follows a vowel, from `start`."""
    for i in range(start + 1, len(text)):
        if text[i] not in _VOWELS and text[i - 1] in _VOWELS:
            return i + 1
    return len(text)


def _longest(text: str, suffixes: tuple[str, ...]) -> str:
    return max((s for s in suffixes if text.endswith(s)), key=len, default="")


def _step1(text: str, r1: int) -> str:
    found = _longest(text, tuple(s for group in _STEP1 for s in group))
    if not found or len(text) - len(found) < r1:
        return text
    if found == "s":
        return text[:-1] if len(text) > 1 and text[-2] in _S_ENDING else text
    text = text[: -len(found)]
    if found in _STEP1[1] and text.endswith("niss"):
        text = text[:-1]
    return text


def _step2(text: str, r1: int) -> str:
    found = _longest(text, ("en", "er", "est", "st"))
    if not found or len(text) - len(found) < r1:
        return text
    if found == "st":
        ok = len(text) >= 6 and text[-3] in _ST_ENDING
        return text[:-2] if ok else text
    return text[: -len(found)]


def _step3(text: str, r1: int, r2: int) -> str:
    found = _longest(text, ("end", "ung", "ig", "ik", "isch", "lich", "heit", "keit"))
    if not found or len(text) - len(found) < r2:
        return text
    rest = text[: -len(found)]
    if found in ("end", "ung"):
        return _drop(rest, ("ig",), r2) if not rest.endswith("eig") else rest
    if found in ("ig", "ik", "isch"):
        return text if rest.endswith("e") else rest
    if found in ("lich", "heit"):
        return _drop(rest, ("er", "en"), r1)
    return _drop(rest, ("lich", "ig"), r2)


def _drop(text: str, suffixes: tuple[str, ...], region: int) -> str:
    """`text` without the longest of `suffixes` it ends with, if that lies in the region."""
    found = _longest(text, suffixes)
    return text[: -len(found)] if found and len(text) - len(found) >= region else text
