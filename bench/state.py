"""State-wide overview (`/land`) for all 418 Saxon municipalities, on SQLite.

Each municipality gets an adopted INSEK (with 300 KB of source text, as real ones have), 40
checked resolutions (a quarter of them with a conflict) and 10 open questions. The figure is
the time to build the overview's rows, against a baseline measured in the same run: reading
the list of municipalities alone.
"""

from __future__ import annotations

import random
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from bench._common import progress, summary, timed, write_result
from service.db import make_engine
from service.migrate import upgrade
from service.models import (
    CheckItem,
    CheckRun,
    Document,
    GoalSet,
    Municipality,
    Question,
)
from service.monitoring.state import state_rows

MUNICIPALITIES = 418
RUNS = 40
QUESTIONS = 10
FIELDS = ["Wohnen und Altstadt", "Mobilität und Klima", "Wirtschaft", "Soziales"]


def _fill(session: Session, today: date) -> None:
    rng = random.Random(418)  # noqa: S311 - test data
    text = "Das INSEK beschreibt Ziele und Maßnahmen der Stadtentwicklung. " * 5000
    now = datetime.now(UTC)
    for n in range(MUNICIPALITIES):
        m = Municipality(ags=f"14{n:06d}", name=f"Gemeinde {n:03d}", landkreis=f"Kreis {n % 10}")
        session.add(m)
        session.flush()
        assert m.id is not None
        doc = Document(municipality_id=m.id, kind="insek", title="INSEK", original_filename="i",
                       media_type="text/plain", sha256=f"{n:064d}", size_bytes=1)  # fmt: skip
        session.add(doc)
        session.flush()
        assert doc.id is not None
        decided = today - timedelta(days=rng.randint(100, 4000))
        session.add(GoalSet(municipality_id=m.id, document_id=doc.id, version=1, title="INSEK",
                            status="beschlossen", source_text=text,
                            council_decision_date=decided))  # fmt: skip
        goals = [{"text": text[:400], "item_id": i, "score": 0.6} for i in range(10)]
        for r in range(RUNS):
            run = CheckRun(municipality_id=m.id, document_id=doc.id, status="abgeschlossen",
                           fields=[{"name": rng.choice(FIELDS), "score": 0.5}], goals=goals,
                           insek_relevant=True, created_at=now - timedelta(days=9 * r))  # fmt: skip
            session.add(run)
            session.flush()
            assert run.id is not None
            session.add(CheckItem(municipality_id=m.id, check_run_id=run.id, check_id="INSEK-04",
                                  requirement="r", status="prüfen" if r % 4 == 0 else "erfüllt",
                                  explanation="e"))  # fmt: skip
        for q in range(QUESTIONS):
            session.add(Question(municipality_id=m.id, subject="F", text="F", channel="web",
                                 due_date=today + timedelta(days=q - 5)))  # fmt: skip
    session.commit()


def run(rows_of: Any = state_rows) -> dict[str, Any]:
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="inge-bench-state-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'state.sqlite3'}"
        upgrade(url)
        engine = make_engine(url)
        progress(f"state: {MUNICIPALITIES} Kommunen anlegen")
        with Session(engine) as session:
            _fill(session, today)

        def rows() -> None:
            with Session(engine) as session:
                assert len(rows_of(session, None, today)) == MUNICIPALITIES

        def baseline() -> None:
            with Session(engine) as session:
                assert len(session.exec(select(Municipality)).all()) == MUNICIPALITIES

        rows()  # warm-up
        overview, base = summary(timed(rows, repeat=7)), summary(timed(baseline, repeat=7))
        engine.dispose()
    figures = {
        "municipalities": MUNICIPALITIES,
        "runs_per_municipality": RUNS,
        "overview_seconds": overview,
        "baseline_list_seconds": base,
        "ratio_to_baseline": round(overview["median"] / base["median"], 1),
    }
    write_result("state", figures)
    return figures


if __name__ == "__main__":
    print(run())
