"""``python -m bench [NAME...]``: run every benchmark (or the named ones), print the figures."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from bench import check, footprint, ingest, queue, scaling, state, web

BENCHMARKS: dict[str, Callable[[], dict[str, Any]]] = {
    "ingest": ingest.run,
    "check": check.run,
    "queue": queue.run,
    "web": web.run,
    "scaling": scaling.run,
    "footprint": footprint.run,
    "state": state.run,
}


def main(names: list[str]) -> None:
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        sys.exit(f"Unbekannter Benchmark: {', '.join(unknown)} (bekannt: {', '.join(BENCHMARKS)})")
    figures = {name: BENCHMARKS[name]() for name in names or BENCHMARKS}
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
