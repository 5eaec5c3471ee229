"""Running the reader in a child process with CPU, memory and wall-clock limits.

The child (`nlp.extract._child`) lowers its own rlimits before it opens the file, rather than
the parent setting them in a `preexec_fn`: Python documents `preexec_fn` as unsafe when the
parent has threads (the child can deadlock between fork and exec), and the worker calls this
module from `asyncio.to_thread`. The child writes its result as JSON to a file in a private
temporary directory; its stdout is discarded, so nothing pypdf prints can corrupt the result.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, cast

from nlp.extract import _errors
from nlp.extract._errors import ERROR_CODES, ErrorCode, ExtractionError
from nlp.extract._model import DocumentInfo, ExtractedText, ExtractionLimits, Page
from nlp.extract._sniff import SNIFF_BYTES, sniff_media_type

logger = logging.getLogger(__name__)

# The child exits with this code when it ran out of memory (it cannot build a result then).
EXIT_MEMORY = 3
_CHILD_MODULE = "nlp.extract._child"
# The directory that holds the `nlp` package, so the child imports this very code.
_SOURCE_ROOT = str(Path(__file__).resolve().parents[2])
_STDERR_TAIL_BYTES = 2000
_INHERITED = ("PATH", "PYTHONHOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR")


def extract_text_sandboxed(path: Path, *, limits: ExtractionLimits) -> ExtractedText:
    """`extract_text` in a child process confined by `limits`; safe for untrusted files.

    Raises ExtractionError for every problem with the file itself, including the child
    exceeding its wall time ("timeout"), CPU time ("cpu") or memory ("memory") or crashing
    ("corrupt"). OSError (e.g. the file is missing) propagates: that is the system's problem,
    not the file's. Safe to call from several threads at once.
    """
    payload = _run_child("extract", path, limits=limits, wall_seconds=limits.wall_seconds)
    return _extracted(payload)


def inspect_document(
    path: Path, *, limits: ExtractionLimits, wall_seconds: float = 15.0
) -> DocumentInfo:
    """Media type and PDF page count, read in a confined child within `wall_seconds`.

    For checks at upload time. Never raises ExtractionError: whatever could not be told
    (encrypted or broken PDF, a child that hit a limit) is None. OSError propagates.
    """
    try:
        payload = _run_child("inspect", path, limits=limits, wall_seconds=wall_seconds)
    except ExtractionError:
        return DocumentInfo(media_type=_sniff_head_only(path), page_count=None)
    media_type, page_count = payload.get("media_type"), payload.get("page_count")
    return DocumentInfo(
        media_type=media_type if isinstance(media_type, str) else None,
        page_count=page_count if isinstance(page_count, int) else None,
    )


def _run_child(
    mode: str, path: Path, *, limits: ExtractionLimits, wall_seconds: float
) -> dict[str, Any]:
    source = path.resolve(strict=True)  # a missing file is an OSError here, not a child error
    with tempfile.TemporaryDirectory(prefix="inge-extract-") as scratch:
        result, stderr_path = Path(scratch) / "result.json", Path(scratch) / "stderr.txt"
        limits_json = json.dumps(dataclasses.asdict(limits))
        command = [sys.executable, "-m", _CHILD_MODULE, mode, str(source), str(result), limits_json]
        started = time.monotonic()
        with stderr_path.open("wb") as stderr:
            try:
                completed = subprocess.run(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=stderr,
                    env=_child_environment(),
                    # `-m` puts the working directory first on sys.path: make it ours.
                    cwd=_SOURCE_ROOT,
                    timeout=wall_seconds,
                    check=False,
                    start_new_session=True,
                )
            except subprocess.TimeoutExpired:  # run() has killed the child by now
                raise _errors.timeout(wall_seconds) from None
        if completed.returncode != 0:
            elapsed = time.monotonic() - started
            raise _failure(completed.returncode, elapsed=elapsed, limits=limits, stderr=stderr_path)
        return _payload(result)


def _child_environment() -> dict[str, str]:
    # Only what Python needs: the worker's secrets (database URL, API tokens) stay out of
    # reach of a process that parses hostile input.
    environment = {name: os.environ[name] for name in _INHERITED if name in os.environ}
    python_path = os.pathsep.join(filter(None, [_SOURCE_ROOT, os.environ.get("PYTHONPATH")]))
    return environment | {"PYTHONPATH": python_path, "PYTHONWARNINGS": "ignore"}


def _failure(
    returncode: int, *, elapsed: float, limits: ExtractionLimits, stderr: Path
) -> ExtractionError:
    if returncode == EXIT_MEMORY:
        return _errors.memory(limits.memory_bytes)
    if returncode == -signal.SIGXCPU:
        return _errors.cpu(limits.cpu_seconds)
    if returncode == -signal.SIGKILL:
        # SIGKILL comes from the hard CPU limit (one second past the soft one) or from the
        # kernel's OOM killer; the CPU limit cannot be reached before that much time passed.
        if elapsed >= limits.cpu_seconds:
            return _errors.cpu(limits.cpu_seconds)
        return _errors.memory(limits.memory_bytes)
    if returncode == -signal.SIGXFSZ:  # the result file outgrew what the text limit allows
        return _errors.too_much_text(limits.max_text_chars)
    logger.warning("extraction child failed with exit code %s: %s", returncode, _tail(stderr))
    return _errors.crashed()


def _payload(result: Path) -> dict[str, Any]:
    try:
        payload = json.loads(result.read_bytes())
    except (OSError, ValueError):
        logger.warning("extraction child exited without a readable result")
        raise _errors.crashed() from None
    if not isinstance(payload, dict):
        raise _errors.crashed()
    if payload.get("ok") is True:
        return payload
    if "errno" in payload:
        raise OSError(payload["errno"], str(payload.get("detail")))
    code = payload.get("code")
    if code not in ERROR_CODES:
        raise _errors.crashed()
    raise ExtractionError(cast(ErrorCode, code), str(payload.get("message")))


def _extracted(payload: dict[str, Any]) -> ExtractedText:
    media_type, texts = payload.get("media_type"), payload.get("pages")
    if not isinstance(media_type, str) or not isinstance(texts, list):
        raise _errors.crashed()
    if not all(isinstance(text, str) for text in texts):
        raise _errors.crashed()
    pages = tuple(Page(number=index, text=text) for index, text in enumerate(texts, start=1))
    return ExtractedText(media_type=media_type, pages=pages)


def _sniff_head_only(path: Path) -> str | None:
    # Without the child there is no look inside ZIPs: PDF and text are told by their head.
    with path.open("rb") as file:
        return sniff_media_type(file.read(SNIFF_BYTES))


def _tail(path: Path) -> str:
    with path.open("rb") as file:
        file.seek(max(0, path.stat().st_size - _STDERR_TAIL_BYTES))
        return file.read().decode("utf-8", "replace")
