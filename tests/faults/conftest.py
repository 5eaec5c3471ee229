"""A Redis server that a fault test owns and may kill and restart (empty). A module whose
whole app should use it overrides `redis_url` to return `redis_server.url`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.redis_server import RedisServer


@pytest.fixture()
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.kill()
