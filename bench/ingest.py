"""Ingestion throughput: the whole INSEK ingestion vs. plain pypdf text extraction.

Ingestion = sandboxed extraction (child process) + cleaning + goal set extraction + spaCy topic
tagging of the items, with the worker's own functions. A second figure adds a spaCy pass over
every page. The baseline is pypdf's
``extract_text()`` of every page, in-process, on the same file in the same run. The spaCy
pipeline is built once before timing, as in the worker (once per process).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from bench._common import summary, timed, write_result
from bench._pdf import make_insek_pdf
from nlp.extract import ExtractionLimits, extract_text_sandboxed
from nlp.pipeline import get_nlp
from service.insek.tasks import extract_from_pages, tag_topics

LIMITS = ExtractionLimits(cpu_seconds=600, wall_seconds=600, max_pages=5000)


def pypdf_baseline(path: Path) -> int:
    return sum(len(page.extract_text() or "") for page in PdfReader(path).pages)


def ingest(path: Path, *, full_text_spacy: bool = False) -> int:
    """The worker's ingestion of one INSEK file (its own functions); returns the item count.

    ``full_text_spacy`` adds a spaCy pass over every page (sentences, lemmas, topics of the
    whole text), which the worker does not need today; it is measured to show its price.
    """
    pages = [p.text for p in extract_text_sandboxed(path, limits=LIMITS).pages]
    _, goal_set = extract_from_pages(pages)
    if full_text_spacy:
        for _ in get_nlp().pipe(pages, batch_size=32):
            pass
    texts = [g.text for g in goal_set.goals] + [m.text for m in goal_set.measures]
    return len(tag_topics(texts))


def peak_memory(path: Path) -> dict[str, float]:
    """Peak RSS in MiB of a fresh process doing one ingestion, and of its extraction child."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.ingest", "--once", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(*, repeat: int = 3, pages: int = 300) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        path = make_insek_pdf(Path(tmp) / "insek-300.pdf", pages=pages)
        get_nlp()
        ingest(path)  # warm-up: imports, caches
        base = timed(lambda: pypdf_baseline(path), repeat=repeat)
        full = timed(lambda: ingest(path), repeat=repeat)
        with_text = timed(lambda: ingest(path, full_text_spacy=True), repeat=repeat)
        memory = peak_memory(path)
    base_s, full_s, text_s = summary(base), summary(full), summary(with_text)
    result = {
        "pages": pages,
        "pypdf_seconds": base_s,
        "ingestion_seconds": full_s,
        "pypdf_pages_per_second": pages / base_s["median"],
        "ingestion_pages_per_second": pages / full_s["median"],
        "ratio_to_pypdf": base_s["median"] / full_s["median"],
        "ingestion_with_full_text_spacy_seconds": text_s,
        "ratio_to_pypdf_with_full_text_spacy": base_s["median"] / text_s["median"],
        "peak_rss_mib": memory,
    }
    write_result("ingest", result)
    return result


def _once(path: Path) -> None:
    get_nlp()
    ingest(path)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"worker_process": round(own, 1), "extraction_child": round(child, 1)}))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--once":
        _once(Path(sys.argv[2]))
    else:
        print(json.dumps(run(), indent=2))
