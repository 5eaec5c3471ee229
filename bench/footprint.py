"""Footprint of real Vorlagen on PostgreSQL + Redis: worker time to extract and check them
against a real goal set, the database and Redis bytes they leave, and the check report as PDF.
The per-document figures behind docs/scaling.md.

Reads real documents from ../shared and is skipped when it is absent: the Karlsruhe ISEK 2020
full text becomes the adopted goal set; in each of ``ROUNDS`` rounds, ``VORLAGEN`` further
Beschlussvorlagen of eval/karlsruhe-dev (text) are uploaded at once and checked by one warm
worker; the baseline in the same run is the checklist analysis alone, in-process, on the
same goal set and Vorlagen. The PDFs under ../shared/data give the bytes per page of a real
PDF. Nothing from ../shared is written into the results except counts and sizes. Runs on
``BENCH_PG_URL`` / ``BENCH_REDIS_URL`` (see bench/_stack.py) with one web process and one
worker.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

import httpx2
import redis
from pypdf import PdfReader
from sqlalchemy import text
from sqlmodel import col, func, select

from bench import web
from bench._common import progress, summary, write_result
from bench._stack import FINAL, PG_URL, REDIS_URL, Running, Stack, available, provision, until
from service.models import CheckRun, Document, DocumentKind

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
INSEK = SHARED / "data/karlsruhe/isek-2020-volltext.txt"
VORLAGEN_DIR = SHARED / "eval/karlsruhe-dev"
VORLAGEN = 40  # per round
ROUNDS = 3
REPORTS = 3
STACK = Stack(
    "PostgreSQL + Redis, 1 Web-Prozess, 1 Worker",
    database_url=PG_URL,
    redis_url=REDIS_URL,
)
CHECKED = ("geprüft", "fehlgeschlagen")


def _table_bytes(running: Running) -> dict[str, int]:
    query = text(
        "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = 'r' AND n.nspname = 'public'"
    )
    with running.engine.connect() as connection:
        return {str(name): int(size) for name, size in connection.execute(query)}


def _redis_bytes(running: Running) -> int:
    client = redis.Redis.from_url(running.env["INGE_REDIS_URL"])
    try:
        info = client.info("memory")
        assert isinstance(info, dict)
        return int(info["used_memory"])
    finally:
        client.close()


def _settled(running: Running, ids: list[int]) -> int:
    """Vorlagen of ``ids`` whose check has ended, or whose extraction failed."""
    with running.engine.connect() as connection:
        runs = select(func.count()).where(
            col(CheckRun.document_id).in_(ids), col(CheckRun.status).in_(CHECKED)
        )
        failed = select(func.count()).where(
            col(Document.id).in_(ids), col(Document.status) == FINAL[1]
        )
        return int(connection.execute(runs).scalar_one() + connection.execute(failed).scalar_one())


def _goal_set(base: str, auth: dict[str, str]) -> float:
    """Upload the ISEK, wait for its draft goal set, adopt it; seconds to the draft."""
    start = time.perf_counter()
    r = httpx2.post(
        f"{base}/api/v1/documents",
        headers=auth,
        data={"kind": "insek"},
        files={"file": (INSEK.name, INSEK.read_bytes())},
        timeout=60,
    )
    r.raise_for_status()
    goalset = f"{base}/api/v1/insek/{r.json()['id']}/goalset"
    until(lambda: httpx2.get(goalset, headers=auth).status_code == 200, seconds=300)
    seconds = time.perf_counter() - start
    httpx2.post(
        f"{goalset}/adopt",
        headers=auth,
        json={"council_decision_date": "2024-01-01", "council_decision_ref": "B"},
    ).raise_for_status()
    return seconds


def _reports(base: str, auth: dict[str, str], run_ids: list[int]) -> dict[str, Any]:
    """Confirm every item of a few runs, finalise them, fetch each report PDF."""
    seconds, sizes = [], []
    with httpx2.Client(base_url=base, headers=auth, timeout=120) as client:
        for run_id in run_ids:
            items = client.get(f"/api/v1/checks/{run_id}").raise_for_status().json()["items"]
            for item in items:
                client.patch(f"/api/v1/checks/{run_id}/items/{item['check_id']}", json={})
            client.post(f"/api/v1/checks/{run_id}/finalize", json={}).raise_for_status()
            start = time.perf_counter()
            pdf = client.get(f"/api/v1/checks/{run_id}/report.pdf").raise_for_status().content
            seconds.append(time.perf_counter() - start)
            sizes.append(len(pdf))
    return {"reports": len(seconds), "seconds_median": statistics.median(seconds), "bytes": sizes}


def _pdf_bytes_per_page() -> dict[str, float]:
    out = {}
    for path in sorted((SHARED / "data").rglob("*.pdf")):
        out[str(path.relative_to(SHARED))] = path.stat().st_size / len(PdfReader(path).pages)
    return out


def _batch(running: Running, files: list[tuple[str, bytes]]) -> tuple[list[int], float]:
    """Upload ``files`` at once; their ids and the seconds until every check has ended."""
    running.drain()
    start = time.perf_counter()
    ids = running.upload(files, kind=DocumentKind.BESCHLUSSVORLAGE)
    deadline = start + 300
    while _settled(running, ids) < len(ids) and time.perf_counter() < deadline:
        time.sleep(0.1)
    elapsed = time.perf_counter() - start
    progress(f"footprint: {_settled(running, ids)} von {len(ids)} Vorlagen geprüft")
    return ids, elapsed


def _in_process(files: list[tuple[str, bytes]]) -> list[float]:
    """The baseline: the checklist analysis alone, in this process, on the same goal set and
    Vorlagen; Vorlagen/s per round."""
    from checks.analysis import analyse
    from nlp.match import build_matcher
    from service.insek.tasks import extract_from_pages

    _, data = extract_from_pages(INSEK.read_text(encoding="utf-8").split("\f"))
    matcher = build_matcher(data)
    texts = [d.decode("utf-8", errors="replace") for _, d in files]
    analyse(texts[0], matcher, data, adopted_on=None)  # warm-up, as the worker is warm
    rates = []
    for r in range(ROUNDS):
        batch = texts[r * VORLAGEN : (r + 1) * VORLAGEN]
        start = time.perf_counter()
        for text_ in batch:
            analyse(text_, matcher, data, adopted_on=None)
        rates.append(len(batch) / (time.perf_counter() - start))
    return rates


def _measure(running: Running) -> dict[str, Any]:
    token = web.seed(running)
    base = running.start_web(1)[0]
    running.start_workers(1)
    auth = {"Authorization": f"Bearer {token}"}
    insek_seconds = _goal_set(base, auth)
    progress("footprint: Zielsystem übernommen")
    running.drain()
    tables, memory = _table_bytes(running), _redis_bytes(running)
    paths = sorted(VORLAGEN_DIR.glob("*.txt"))[: ROUNDS * VORLAGEN]
    files = [(p.name, p.read_bytes()) for p in paths]
    ids: list[int] = []
    rates = []
    for r in range(ROUNDS):
        batch_ids, seconds = _batch(running, files[r * VORLAGEN : (r + 1) * VORLAGEN])
        ids += batch_ids
        rates.append(len(batch_ids) / seconds)
    running.drain()
    baseline = _in_process(files)
    grown = {k: v - tables.get(k, 0) for k, v in _table_bytes(running).items()}
    redis_grown = _redis_bytes(running) - memory
    with running.engine.connect() as connection:
        query = select(CheckRun.id).where(
            col(CheckRun.document_id).in_(ids), CheckRun.status == "geprüft"
        )
        run_ids = [int(i) for i in connection.execute(query.limit(REPORTS)).scalars()]
    return {
        "insek_chars": len(INSEK.read_text(encoding="utf-8")),
        "insek_upload_to_goal_set_seconds": insek_seconds,
        "vorlagen_per_round": VORLAGEN,
        "vorlagen_chars_median": statistics.median(len(d.decode()) for _, d in files),
        "one_worker_vorlagen_per_second": summary(rates),
        "in_process_analysis_vorlagen_per_second": summary(baseline),
        "ratio_to_in_process": statistics.median(rates) / statistics.median(baseline),
        "checked": _settled(running, ids),
        "database_bytes_per_vorlage": sum(grown.values()) / len(ids),
        "database_bytes_per_vorlage_by_table": {
            k: v / len(ids) for k, v in sorted(grown.items()) if v > 0
        },
        "redis_bytes_per_vorlage": redis_grown / len(ids),
        "report_pdf": _reports(base, auth, run_ids),
    }


def run() -> dict[str, Any]:
    if not VORLAGEN_DIR.is_dir() or not INSEK.is_file():
        print(f"footprint übersprungen: ../shared fehlt ({SHARED})")
        return {"skipped": f"../shared fehlt ({SHARED})"}
    reason = available(STACK)
    if reason:
        print(f"footprint übersprungen: PostgreSQL/Redis nicht erreichbar ({reason})")
        return {"skipped": reason}
    with provision(STACK, prefix="inge-bench-footprint-") as running:
        data = _measure(running)
    data["pdf_bytes_per_page"] = _pdf_bytes_per_page()
    write_result("footprint", data)
    return data


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, ensure_ascii=False))
