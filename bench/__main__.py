"""``python -m bench``: run every benchmark and print its figures."""

from __future__ import annotations

import json

from bench import check, ingest, queue, web


def main() -> None:
    figures = {
        "ingest": ingest.run(),
        "check": check.run(),
        "queue": queue.run(),
        "web": web.run(),
    }
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
