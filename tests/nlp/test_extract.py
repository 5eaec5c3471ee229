"""nlp.extract: normal documents, a generated hostile corpus, and the sandbox's limits."""

from __future__ import annotations

import asyncio
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from nlp.extract import (
    DOCX,
    PDF,
    TXT,
    DocumentInfo,
    ExtractedText,
    ExtractionError,
    ExtractionLimits,
    Page,
    _errors,
    extract_text,
    extract_text_sandboxed,
    inspect_document,
    sniff_media_type,
)
from nlp.extract._pages import normalise
from tests.fixtures.hostile import (
    DECLARED_PAGE_COUNT,
    DOCX_PARAGRAPHS,
    FANOUT_PAGES,
    PDF_PAGES,
    TEXT_BOX,
    build_corpus,
)

MiB = 1024**2
# Small enough that a hostile file costs the suite seconds, not minutes.
LIMITS = ExtractionLimits(cpu_seconds=5, memory_bytes=512 * MiB, wall_seconds=10.0)
REAL_PDF = Path(__file__).resolve().parents[3] / "shared/data/magdeburg/kulturstrategie-2030.pdf"

Extractor = Callable[..., ExtractedText]
EXTRACTORS = [
    pytest.param(extract_text, id="in-process"),
    pytest.param(extract_text_sandboxed, id="sandboxed"),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_corpus(tmp_path_factory.mktemp("corpus"))


def texts(extracted: ExtractedText) -> tuple[str, ...]:
    return tuple(page.text for page in extracted.pages)


# --- sniffing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("normal_pdf", PDF),
        ("normal_pdf_as_txt", PDF),
        ("truncated_pdf", PDF),
        ("encrypted_pdf", PDF),
        ("normal_docx", DOCX),
        ("normal_docx_as_pdf", DOCX),
        ("bomb_docx", DOCX),
        ("plain_zip", None),
        ("utf8_txt", TXT),
        ("utf8_bom_txt", TXT),
        ("cp1252_txt", TXT),
        ("garbage", None),
        ("empty", None),
    ],
)
def test_sniff_goes_by_content_not_name(
    corpus: dict[str, Path], name: str, expected: str | None
) -> None:
    path = corpus[name]
    assert sniff_media_type(path.read_bytes()[:4096], path=path) == expected


def test_sniff_cannot_look_into_a_zip_without_the_path(corpus: dict[str, Path]) -> None:
    assert sniff_media_type(corpus["normal_docx"].read_bytes()[:4096]) is None


def test_sniff_accepts_junk_before_the_pdf_header_only_within_1024_bytes() -> None:
    assert sniff_media_type(b"Kopfzeile\n" * 50 + b"%PDF-1.7\n") == PDF
    assert sniff_media_type(b"Kopfzeile\n" * 110 + b"%PDF-1.7\n") == TXT


def test_sniff_tolerates_a_utf8_character_cut_off_by_the_head() -> None:
    assert sniff_media_type("Straße über Brücke".encode()[:-1]) == TXT


def test_sniff_rejects_control_characters_and_nul() -> None:
    assert sniff_media_type(bytes(range(1, 32)) * 8) is None
    assert sniff_media_type(b"Text mit\x00NUL") is None


# --- normal documents ------------------------------------------------------------------------


@pytest.mark.parametrize("extract", EXTRACTORS)
def test_normal_pdf_is_extracted_page_by_page(corpus: dict[str, Path], extract: Extractor) -> None:
    extracted = extract(corpus["normal_pdf_as_txt"], limits=LIMITS)
    assert extracted.media_type == PDF
    assert [page.number for page in extracted.pages] == [1, 2, 3]
    for page, expected in zip(extracted.pages, PDF_PAGES, strict=True):
        assert page.text.strip() == expected
    assert extracted.text.split("\f") == list(texts(extracted))


@pytest.mark.parametrize("extract", EXTRACTORS)
def test_docx_paragraphs_are_lines_and_page_breaks_are_pages(
    corpus: dict[str, Path], extract: Extractor
) -> None:
    first, second, third = DOCX_PARAGRAPHS
    extracted = extract(corpus["normal_docx_as_pdf"], limits=LIMITS)
    assert extracted.media_type == DOCX
    # The rendered break Word writes right after the hard one does not add a third page, and
    # the text box's fallback copy is not read twice.
    assert texts(extracted) == (f"{first}\n{second}\tEnde", f"{third}\n{TEXT_BOX}")


@pytest.mark.parametrize("extract", EXTRACTORS)
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "utf8_txt",
            ("Erste Seite mit Umlauten: äöü ÄÖÜ ß\nZweite Zeile", "Zweite Seite – Ende\n"),
        ),
        (
            "utf8_bom_txt",
            ("Erste Seite mit Umlauten: äöü ÄÖÜ ß\nZweite Zeile", "Zweite Seite – Ende\n"),
        ),
        ("cp1252_txt", ("Grünflächen für Bürger – Maßnahmen\nSeite eins", "Seite zwei\n")),
    ],
)
def test_text_is_decoded_and_split_at_form_feeds(
    corpus: dict[str, Path], extract: Extractor, name: str, expected: tuple[str, ...]
) -> None:
    extracted = extract(corpus[name], limits=LIMITS)
    assert extracted.media_type == TXT
    assert texts(extracted) == expected
    assert extracted.char_count == sum(len(text) for text in expected)


def test_pdf_with_only_an_owner_password_is_decrypted(corpus: dict[str, Path]) -> None:
    extracted = extract_text_sandboxed(corpus["empty_password_pdf"], limits=LIMITS)
    assert extracted.page_count == 3


def test_pypdf_recovers_from_a_looping_xref_chain(corpus: dict[str, Path]) -> None:
    # Not every hostile file must fail: pypdf detects the /Prev loop and the missing /Root
    # and rebuilds the document, within the limits.
    extracted = extract_text_sandboxed(corpus["looping_xref_pdf"], limits=LIMITS)
    assert texts(extracted) == ("Querverweis",)


@pytest.mark.skipif(not REAL_PDF.exists(), reason="../shared/data is not checked out here")
def test_real_municipal_strategy_pdf() -> None:
    extracted = extract_text_sandboxed(REAL_PDF, limits=LIMITS)
    assert extracted.page_count == 36
    assert "Ziel" in extracted.text


# --- hostile files ---------------------------------------------------------------------------

HOSTILE = [
    ("truncated_pdf", "corrupt", "keine lesbare PDF-Datei (beschädigt oder unvollständig)"),
    ("encrypted_pdf", "encrypted", "Die PDF-Datei ist verschlüsselt"),
    ("bomb_pdf", "zip_bomb", "beim Entpacken auf ein Vielfaches"),
    ("looping_pages_pdf", "corrupt", "keine lesbare PDF-Datei"),
    ("nested_pdf", "corrupt", "keine lesbare PDF-Datei"),
    (
        "huge_count_pdf",
        "too_many_pages",
        "Die Datei hat 1.000.000.000 Seiten; erlaubt sind höchstens 2000.",
    ),
    ("fanout_pdf", "too_many_pages", "Die Datei hat 3000 Seiten; erlaubt sind höchstens 2000."),
    ("textless_pdf", "empty", "keinen lesbaren Text"),
    ("bomb_docx", "zip_bomb", "würde entpackt mehr als 200 MB belegen"),
    ("many_members_docx", "zip_bomb", "mehr als 5000 Einzelteilen"),
    ("lying_docx", "corrupt", "keine lesbare Word-Datei (beschädigt oder unvollständig)"),
    ("billion_laughs_docx", "corrupt", "(DTD oder Entitäten)"),
    ("xxe_docx", "corrupt", "(DTD oder Entitäten)"),
    ("plain_zip", "unsupported_type", "weder eine lesbare PDF- noch eine Word-Datei"),
    ("garbage", "unsupported_type", "weder eine lesbare PDF- noch eine Word-Datei"),
    ("empty", "empty", "Die Datei ist leer."),
]


@pytest.mark.parametrize(("name", "code", "message"), HOSTILE, ids=[case[0] for case in HOSTILE])
def test_hostile_file_fails_cleanly_in_the_sandbox(
    corpus: dict[str, Path], name: str, code: str, message: str
) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_text_sandboxed(corpus[name], limits=LIMITS)
    assert caught.value.code == code
    assert message in str(caught.value)
    # The sandbox is not left in a bad state: the next normal document reads fine.
    assert extract_text_sandboxed(corpus["normal_pdf"], limits=LIMITS).page_count == 3


@pytest.mark.parametrize(("name", "code", "message"), HOSTILE, ids=[case[0] for case in HOSTILE])
def test_hostile_file_fails_cleanly_in_process(
    corpus: dict[str, Path], name: str, code: str, message: str
) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_text(corpus[name], limits=LIMITS)
    assert caught.value.code == code
    assert message in caught.value.message


def test_external_entity_is_never_resolved(corpus: dict[str, Path]) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_text(corpus["xxe_docx"], limits=LIMITS)
    assert "root:" not in caught.value.message


# --- process limits --------------------------------------------------------------------------


def test_cpu_limit_ends_a_cpu_bomb(corpus: dict[str, Path]) -> None:
    limits = ExtractionLimits(cpu_seconds=1, memory_bytes=512 * MiB, wall_seconds=10.0)
    with pytest.raises(ExtractionError) as caught:
        extract_text_sandboxed(corpus["slow_pdf"], limits=limits)
    assert caught.value.code == "cpu"
    assert "Rechenzeit von 1 Sekunde überschritten" in caught.value.message


def test_wall_clock_limit_ends_a_slow_file(corpus: dict[str, Path]) -> None:
    limits = ExtractionLimits(cpu_seconds=60, memory_bytes=512 * MiB, wall_seconds=1.5)
    with pytest.raises(ExtractionError) as caught:
        extract_text_sandboxed(corpus["slow_pdf"], limits=limits)
    assert caught.value.code == "timeout"
    assert caught.value.message == (
        "Die Verarbeitung hat das Zeitlimit von 1,5 Sekunden überschritten – "
        "die Datei ist vermutlich beschädigt oder absichtlich manipuliert."
    )


def test_memory_limit_ends_a_decompression_bomb(corpus: dict[str, Path]) -> None:
    # Below what pypdf's own 75 MB inflation cap needs, so the address-space limit hits first.
    limits = ExtractionLimits(memory_bytes=150 * MiB, wall_seconds=10.0)
    with pytest.raises(ExtractionError) as caught:
        extract_text_sandboxed(corpus["bomb_pdf"], limits=limits)
    assert caught.value.code == "memory"
    assert "Arbeitsspeicher" in caught.value.message


def test_default_timeout_message() -> None:
    assert _errors.timeout(ExtractionLimits().wall_seconds).message == (
        "Die Verarbeitung hat das Zeitlimit von 120 Sekunden überschritten – "
        "die Datei ist vermutlich beschädigt oder absichtlich manipuliert."
    )


# --- page and text limits --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("normal_pdf", "Die Datei hat 3 Seiten; erlaubt sind höchstens 1."),
        ("normal_docx", "Die Datei hat mehr als 1 Seiten; erlaubt sind höchstens 1."),
        ("utf8_txt", "Die Datei hat 2 Seiten; erlaubt sind höchstens 1."),
    ],
)
def test_page_limit(corpus: dict[str, Path], name: str, message: str) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_text(corpus[name], limits=ExtractionLimits(max_pages=1))
    assert (caught.value.code, caught.value.message) == ("too_many_pages", message)


@pytest.mark.parametrize("name", ["normal_pdf", "normal_docx", "utf8_txt"])
def test_text_limit(corpus: dict[str, Path], name: str) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_text(corpus[name], limits=ExtractionLimits(max_text_chars=40))
    assert caught.value.code == "too_much_text"
    assert "mehr als 40 Zeichen" in caught.value.message


def test_docx_size_is_checked_against_the_limit(corpus: dict[str, Path]) -> None:
    limits = ExtractionLimits(max_docx_uncompressed_bytes=500)
    with pytest.raises(ExtractionError) as caught:
        extract_text(corpus["normal_docx"], limits=limits)
    assert caught.value.code == "zip_bomb"


# --- inspect_document ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("normal_pdf", DocumentInfo(PDF, 3)),
        ("empty_password_pdf", DocumentInfo(PDF, 3)),
        ("fanout_pdf", DocumentInfo(PDF, FANOUT_PAGES)),
        ("huge_count_pdf", DocumentInfo(PDF, DECLARED_PAGE_COUNT)),
        ("bomb_pdf", DocumentInfo(PDF, 1)),
        ("truncated_pdf", DocumentInfo(PDF, None)),
        ("encrypted_pdf", DocumentInfo(PDF, None)),
        ("looping_pages_pdf", DocumentInfo(PDF, None)),
        ("nested_pdf", DocumentInfo(PDF, None)),
        ("normal_docx", DocumentInfo(DOCX, None)),
        ("utf8_txt", DocumentInfo(TXT, None)),
        ("garbage", DocumentInfo(None, None)),
        ("empty", DocumentInfo(None, None)),
    ],
)
def test_inspect_document(corpus: dict[str, Path], name: str, expected: DocumentInfo) -> None:
    assert inspect_document(corpus[name], limits=LIMITS) == expected


def test_inspect_document_does_not_raise_when_the_child_fails(corpus: dict[str, Path]) -> None:
    # No interpreter starts in a millisecond: the child always times out here.
    info = inspect_document(corpus["normal_pdf"], limits=LIMITS, wall_seconds=0.001)
    assert info == DocumentInfo(PDF, None)


# --- the sandbox as a component --------------------------------------------------------------


def test_missing_file_is_an_os_error_not_an_extraction_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        extract_text_sandboxed(tmp_path / "fehlt.pdf", limits=LIMITS)
    with pytest.raises(FileNotFoundError):
        inspect_document(tmp_path / "fehlt.pdf", limits=LIMITS)


def test_sandbox_can_be_called_from_worker_threads(corpus: dict[str, Path]) -> None:
    names = ["normal_pdf", "normal_docx", "utf8_txt", "truncated_pdf"]

    async def extract_all() -> list[ExtractedText | BaseException]:
        calls = [
            asyncio.to_thread(extract_text_sandboxed, corpus[name], limits=LIMITS) for name in names
        ]
        return await asyncio.gather(*calls, return_exceptions=True)

    results = asyncio.run(extract_all())
    assert [getattr(result, "page_count", None) for result in results[:3]] == [3, 2, 2]
    assert isinstance(results[3], ExtractionError)
    assert results[3].code == "corrupt"


def test_extraction_error_survives_pickling() -> None:
    error = _errors.too_many_pages(2500, 2000)
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert (copy.code, copy.message) == ("too_many_pages", error.message)
    assert error.message == "Die Datei hat 2500 Seiten; erlaubt sind höchstens 2000."


def test_page_text_is_normalised() -> None:
    assert normalise("a\r\nb\rc\fd\x00e\ud800") == "a\nb\nc\nde?"


def test_extracted_text_joins_pages_with_form_feeds() -> None:
    extracted = ExtractedText(TXT, (Page(1, "eins"), Page(2, ""), Page(3, "drei")))
    assert (extracted.text, extracted.page_count, extracted.char_count) == ("eins\f\fdrei", 3, 8)


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_pages"):
        ExtractionLimits(max_pages=0)
