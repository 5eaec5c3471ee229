"""The sandbox child: `python -m nlp.extract._child MODE SOURCE RESULT LIMITS_JSON`.

MODE is "extract" or "inspect". The child confines itself before it opens SOURCE, then
writes one JSON object to RESULT: {"ok": true, ...} or {"ok": false, "code", "message"} for an
ExtractionError, or {"ok": false, "errno", "detail"} for an OSError. Out of memory it exits
with EXIT_MEMORY; limits enforced by the kernel end it with a signal.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nlp.extract._errors import ExtractionError
from nlp.extract._inprocess import extract_text, inspect_in_process
from nlp.extract._model import ExtractionLimits
from nlp.extract._sandbox import EXIT_MEMORY

# JSON needs at most six bytes per character ("\u001f"); the rest is for the envelope.
_JSON_BYTES_PER_CHAR = 6
_RESULT_OVERHEAD_BYTES = 1024 * 1024


def main(argv: Sequence[str]) -> int:
    """Run one request; see the module docstring for the protocol."""
    mode, source, result, limits_json = argv
    limits = ExtractionLimits(**json.loads(limits_json))
    confine(limits)
    # Warnings and log records go to stderr, never into the result; silence them anyway so
    # a file that triggers millions of them cannot spend the time budget on printing.
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    try:
        _write(Path(result), _answer(mode, Path(source), limits))
    except MemoryError:
        os._exit(EXIT_MEMORY)  # building a result could fail again; the exit code says it
    return 0


def confine(limits: ExtractionLimits) -> None:
    """Lower this process's rlimits: CPU (SIGXCPU, then SIGKILL a second later), address
    space, no core dumps, and a cap on file size that a valid result never reaches."""
    _lower(resource.RLIMIT_CORE, 0)
    _lower(resource.RLIMIT_CPU, limits.cpu_seconds, hard=limits.cpu_seconds + 1)
    _lower(resource.RLIMIT_AS, limits.memory_bytes)
    _lower(
        resource.RLIMIT_FSIZE,
        _JSON_BYTES_PER_CHAR * limits.max_text_chars + _RESULT_OVERHEAD_BYTES,
    )


def _lower(kind: int, soft: int, *, hard: int | None = None) -> None:
    hard = soft if hard is None else hard
    _, current_hard = resource.getrlimit(kind)
    # An unprivileged process may not raise its hard limit, only lower it.
    if current_hard != resource.RLIM_INFINITY:
        hard = min(hard, current_hard)
        soft = min(soft, hard)
    resource.setrlimit(kind, (soft, hard))


def _answer(mode: str, source: Path, limits: ExtractionLimits) -> dict[str, Any]:
    try:
        if mode == "inspect":
            info = inspect_in_process(source, limits=limits)
            return {"ok": True, "media_type": info.media_type, "page_count": info.page_count}
        extracted = extract_text(source, limits=limits)
    except ExtractionError as error:
        return {"ok": False, "code": error.code, "message": error.message}
    except OSError as error:
        return {"ok": False, "errno": error.errno, "detail": str(error)}
    pages = [page.text for page in extracted.pages]
    return {"ok": True, "media_type": extracted.media_type, "pages": pages}


def _write(result: Path, payload: dict[str, Any]) -> None:
    with result.open("w", encoding="utf-8") as file:
        json.dump(payload, file, ensure_ascii=False)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
