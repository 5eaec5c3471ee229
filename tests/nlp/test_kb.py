"""The knowledge base on small texts written here: passages, matching, typos, abstention."""

from __future__ import annotations

import pytest

from nlp.kb import Answer, KbIndex, KbPassage, passages_from_text
from nlp.kb._stem import stem
from nlp.kb._typos import TypoCorrector, edit_distance

GUIDE = (
    "1 WOZU EIN KONZEPT?\n"
    "\n"
    "Ein integriertes Konzept bündelt die Ziele der Gemeinde für die nächsten zehn Jahre. Es\n"
    "verbindet Wohnen, Verkehr, Bildung und Umwelt.\n"
    "\n"
    "Abb. 1: Ablauf der Erarbeitung\n"
    "\n"
    "2 BETEILIGUNG\n"
    "\n"
    "Die Einwohnerinnen und Einwohner werden früh beteiligt, etwa in Werkstätten und mit\n"
    "Umfragen im Internet. Jugendliche erreicht man über Schulen und Ju-\n"
    "gendclubs.\n"
    "\f"
    "Formate vor Ort\n"
    "\n"
    "Stadtspaziergänge und Feste sind gute Gelegenheiten, mit Menschen ins Gespräch zu kommen.\n"
)

TOPICS = {
    "beteiligung": "Die Beteiligung der Bürger beginnt mit einer Werkstatt im Rathaus, zu der "
    "alle Haushalte eingeladen werden.",
    "kita": "Der Bedarf an Plätzen in Kindertagesstätten wird aus der Prognose der "
    "Geburtenzahlen abgeleitet und im Handlungsfeld Bildung dargestellt.",
    "fortschreibung": "Nach spätestens zehn Jahren wird das Konzept fortgeschrieben; die "
    "Fortschreibung beginnt mit einer Bilanz der umgesetzten Maßnahmen.",
    "verkehr": "Der Radverkehr soll durch sichere Wege zwischen den Ortsteilen gestärkt werden, "
    "der Busverkehr durch einen dichteren Takt am Wochenende.",
    "gruen": "Parks, Friedhöfe und Kleingärten bilden das grüne Netz der Gemeinde; "
    "Brachflächen werden zu Wiesen für Insekten.",
    "monitoring": "Der Gemeinderat lässt sich alle zwei Jahre berichten, wie weit die "
    "Maßnahmen gediehen sind; Kennzahlen zeigen, ob die Ziele erreicht werden.",
}


@pytest.fixture(scope="module")
def index() -> KbIndex:
    passages = [
        KbPassage(text, "Leitfaden Test", None, None, n, n, ref=key)
        for n, (key, text) in enumerate(TOPICS.items(), start=1)
    ]
    return KbIndex(passages)


def _top(answer: Answer) -> str:
    assert answer.hits, "expected at least one hit"
    return answer.hits[0].passage.ref


def test_passages_keep_heading_page_and_lines() -> None:
    passages = passages_from_text(GUIDE, source="Leitfaden", source_id="lf")
    spans = [(p.start_line, p.end_line, p.page, p.section) for p in passages]
    assert spans == [
        (3, 4, 1, "1 WOZU EIN KONZEPT?"),
        (10, 12, 1, "2 BETEILIGUNG"),
        (15, 15, 2, "2 BETEILIGUNG – Formate vor Ort"),
    ]
    assert [p.ref for p in passages] == ["lf:3-4", "lf:10-12", "lf:15-15"]
    assert "Jugendclubs" in passages[1].text  # hyphenation joined
    assert all("Abb." not in p.text for p in passages)  # captions left out
    assert all(p.source == "Leitfaden" for p in passages)


def test_text_without_form_feeds_has_no_pages() -> None:
    passages = passages_from_text(GUIDE.replace("\f", ""), source="L", source_id="l")
    assert passages and all(p.page is None for p in passages)


def test_long_paragraph_is_cut_at_sentence_ends() -> None:
    sentence = "Die Gemeinde plant neue Wege für den Radverkehr zwischen allen Ortsteilen."
    text = "\n".join([sentence] * 30)  # one paragraph of 330 words
    passages = passages_from_text(text, source="L", source_id="l")
    assert len(passages) > 2
    assert all(len(p.text.split()) <= 120 for p in passages)
    assert all(p.text.endswith(".") for p in passages)
    assert passages[0].start_line == 1 and passages[-1].end_line == 30


def test_compound_matches_its_parts(index: KbIndex) -> None:
    assert _top(index.search("Wie läuft die Bürgerbeteiligung ab?")) == "beteiligung"


def test_synonym_kita_finds_kindertagesstaetten(index: KbIndex) -> None:
    answer = index.search("Wie ermittelt man den Bedarf an Kita-Plätzen?")
    assert _top(answer) == "kita"
    assert answer.answered


def test_synonym_bus_und_bahn_finds_busverkehr(index: KbIndex) -> None:
    assert _top(index.search("Bus und Bahn am Wochenende")) == "verkehr"


def test_typo_is_repaired(index: KbIndex) -> None:
    assert _top(index.search("Wann beginnt die Fortschreibnug?")) == "fortschreibung"


def test_lower_case_typing_still_matches(index: KbIndex) -> None:
    assert _top(index.search("wie oft berichtet man dem gemeinderat")) == "monitoring"


def test_off_topic_question_abstains(index: KbIndex) -> None:
    answer = index.search("Wie hoch ist die Hundesteuer in der Gemeinde?")
    assert not answer.answered


def test_no_shared_word_gives_no_hits(index: KbIndex) -> None:
    assert index.search("Personalausweis beantragen") == Answer(answered=False, hits=())
    assert index.search("") == Answer(answered=False, hits=())


def test_hits_are_best_first_with_scores_in_unit_interval(index: KbIndex) -> None:
    answer = index.search("Maßnahmen und Ziele der Gemeinde", k=4)
    scores = [hit.score for hit in answer.hits]
    assert 1 < len(scores) <= 4
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_empty_index_answers_nothing() -> None:
    assert KbIndex([]).search("Kita") == Answer(answered=False, hits=())


def test_edit_distance_counts_a_swap_as_one() -> None:
    assert edit_distance("fortschreibnug", "fortschreibung") == 1
    assert edit_distance("kitten", "sitting") == 3


def test_typo_corrector_respects_length_limits() -> None:
    corrector = TypoCorrector(["beteiligung", "konzept", "rat"])
    assert corrector.correct("beteilgung") == "beteiligung"
    assert corrector.correct("konzpt") == "konzept"  # one edit at seven letters or fewer
    assert corrector.correct("knzpt") is None  # two edits on a short word
    assert corrector.correct("rad") is None  # too short to guess


def test_stem_joins_verb_and_noun() -> None:
    assert stem("beraten") == stem("Beratung") == stem("beratend")
