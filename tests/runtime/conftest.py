"""Fixtures for the runtime tests: configs for each database, and a silent TCP server."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from farmgen.runtime.config import DatabaseConfig


def sql_type(url: str) -> str:
    return {"postgresql": "postgresql", "mysql": "mysql", "sqlite": "sqlite"}[
        url.split("+", maxsplit=1)[0]
    ]


def sql_config(url: str, **extra: object) -> DatabaseConfig:
    return DatabaseConfig(type=sql_type(url), url=url, **extra)  # type: ignore[arg-type]


@pytest.fixture
def unused_port() -> int:
    """A local TCP port nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A local TCP port that accepts connections and never answers (a hung server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()
