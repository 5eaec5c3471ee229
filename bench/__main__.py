"""``python -m bench``: run every benchmark and print its figures."""

from __future__ import annotations

import json

from bench import check, ingest


def main() -> None:
    print(json.dumps({"ingest": ingest.run(), "check": check.run()}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
