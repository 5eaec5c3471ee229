"""ExtractionError and the German messages that explain each failure to a clerk."""

from __future__ import annotations

from typing import Literal, get_args

ErrorCode = Literal[
    "encrypted",
    "corrupt",
    "too_many_pages",
    "timeout",
    "memory",
    "cpu",
    "too_much_text",
    "unsupported_type",
    "zip_bomb",
    "empty",
]
ERROR_CODES: frozenset[str] = frozenset(get_args(ErrorCode))

_MANIPULATED = "die Datei ist vermutlich beschädigt oder absichtlich manipuliert."


class ExtractionError(Exception):
    """Permanent failure: this file cannot be read, and trying again will not change that.

    `code` is a stable machine code (one of `ErrorCode`); `message` a German sentence for the
    user, which is also the exception's `str()`.
    """

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code: ErrorCode = code
        self.message = message

    def __reduce__(self) -> tuple[type[ExtractionError], tuple[ErrorCode, str]]:
        # Jobs may pickle the exception (arq stores failed results); keep both fields.
        return (type(self), (self.code, self.message))


def german_number(value: int) -> str:
    """12345678 -> "12.345.678", 2000 -> "2000"."""
    if value < 10_000:  # Duden: group digits only from five on ("2000", "20.000")
        return str(value)
    return f"{value:,}".replace(",", ".")


def german_seconds(value: float) -> str:
    """120.0 -> "120 Sekunden", 1.5 -> "1,5 Sekunden", 1 -> "1 Sekunde"."""
    unit = "Sekunde" if value == 1 else "Sekunden"
    return f"{value:g} {unit}".replace(".", ",")


def german_bytes(value: int) -> str:
    """Megabytes below a gigabyte, else gigabytes with one decimal: "512 MB", "1,1 GB"."""
    if value >= 1_000_000_000:
        return f"{value / 1_000_000_000:.1f} GB".replace(".", ",")
    return f"{german_number(max(1, round(value / 1_000_000)))} MB"


def encrypted() -> ExtractionError:
    return ExtractionError(
        "encrypted",
        "Die PDF-Datei ist verschlüsselt und kann nicht gelesen werden. "
        "Bitte laden Sie eine Fassung ohne Kennwort- und Kopierschutz hoch.",
    )


def corrupt_pdf() -> ExtractionError:
    return ExtractionError(
        "corrupt", "Die Datei ist keine lesbare PDF-Datei (beschädigt oder unvollständig)."
    )


def pdf_over_safety_limits() -> ExtractionError:
    return ExtractionError(
        "corrupt",
        "Die PDF-Datei ist so ungewöhnlich aufgebaut, dass sie Sicherheitsgrenzen überschreitet – "
        + _MANIPULATED,
    )


def corrupt_docx() -> ExtractionError:
    return ExtractionError(
        "corrupt", "Die Datei ist keine lesbare Word-Datei (beschädigt oder unvollständig)."
    )


def forbidden_xml() -> ExtractionError:
    return ExtractionError(
        "corrupt",
        "Die Word-Datei enthält XML-Definitionen (DTD oder Entitäten), die in Word-Dokumenten "
        "nicht vorkommen, und wird aus Sicherheitsgründen nicht verarbeitet.",
    )


def crashed() -> ExtractionError:
    return ExtractionError(
        "corrupt",
        "Beim Lesen der Datei ist das Leseprogramm abgestürzt – " + _MANIPULATED,
    )


def too_many_pages(count: int | None, limit: int) -> ExtractionError:
    """`count` None: the reader stopped counting, so only "more than" is known."""
    counted = german_number(count) if count is not None else f"mehr als {german_number(limit)}"
    return ExtractionError(
        "too_many_pages",
        f"Die Datei hat {counted} Seiten; erlaubt sind höchstens {german_number(limit)}.",
    )


def too_much_text(limit: int) -> ExtractionError:
    return ExtractionError(
        "too_much_text",
        f"Die Datei enthält mehr als {german_number(limit)} Zeichen Text; "
        "so viel Text kann nicht verarbeitet werden.",
    )


def timeout(seconds: float) -> ExtractionError:
    return ExtractionError(
        "timeout",
        f"Die Verarbeitung hat das Zeitlimit von {german_seconds(seconds)} überschritten – "
        + _MANIPULATED,
    )


def cpu(seconds: int) -> ExtractionError:
    return ExtractionError(
        "cpu",
        f"Die Verarbeitung hat die erlaubte Rechenzeit von {german_seconds(seconds)} "
        "überschritten – " + _MANIPULATED,
    )


def memory(limit_bytes: int) -> ExtractionError:
    return ExtractionError(
        "memory",
        f"Die Verarbeitung hätte mehr als {german_bytes(limit_bytes)} Arbeitsspeicher benötigt "
        "und wurde abgebrochen – " + _MANIPULATED,
    )


def unsupported_type() -> ExtractionError:
    return ExtractionError(
        "unsupported_type",
        "Die Datei ist weder eine lesbare PDF- noch eine Word-Datei (DOCX) noch eine Textdatei. "
        "Bitte laden Sie das Dokument als PDF, DOCX oder Text ohne Kennwortschutz hoch.",
    )


def docx_too_large(limit_bytes: int) -> ExtractionError:
    return ExtractionError(
        "zip_bomb",
        f"Die Word-Datei würde entpackt mehr als {german_bytes(limit_bytes)} belegen und wird "
        "aus Sicherheitsgründen nicht verarbeitet.",
    )


def docx_too_many_members(limit: int) -> ExtractionError:
    return ExtractionError(
        "zip_bomb",
        f"Die Word-Datei besteht aus mehr als {german_number(limit)} Einzelteilen und wird aus "
        "Sicherheitsgründen nicht verarbeitet.",
    )


def pdf_bomb() -> ExtractionError:
    return ExtractionError(
        "zip_bomb",
        "Die PDF-Datei enthält komprimierte Daten, die sich beim Entpacken auf ein Vielfaches "
        "aufblähen würden, und wird aus Sicherheitsgründen nicht verarbeitet.",
    )


def empty_file() -> ExtractionError:
    return ExtractionError("empty", "Die Datei ist leer.")


def no_text() -> ExtractionError:
    return ExtractionError(
        "empty",
        "Die Datei enthält keinen lesbaren Text – vermutlich ist sie eingescannt und hat keine "
        "Texterkennung. Bitte laden Sie eine Fassung mit Text hoch.",
    )
