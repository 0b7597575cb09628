"""Fixtures: a scripted fake gateway (unit tests of the sender) and the real stack's coordinates (end to end).

The end-to-end tests need ``MEDIAFLOW_TEST_URL`` (a gateway) and ``MEDIAFLOW_TEST_SQLITE`` (its
metadata store); ``PythonClientIT`` sets both for the embedded stack. Without them they are
skipped with that reason.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))  # the source tree unless installed


class Recorded:
    """One request the fake gateway received."""

    def __init__(self, path: str, headers: Dict[str, str], body: bytes, at: float) -> None:
        self.path, self.headers, self.body, self.at = path, headers, body, at

    @property
    def log(self) -> Dict[str, Any]:
        """The ``log`` part's JSON."""
        boundary = self.headers["Content-Type"].split("boundary=")[1].encode()
        for part in self.body.split(b"--" + boundary):
            if b'name="log"' in part.split(b"\r\n\r\n", 1)[0]:
                return json.loads(part.split(b"\r\n\r\n", 1)[1].rsplit(b"\r\n", 1)[0])
        raise AssertionError("no log part")

    def part_names(self) -> List[str]:
        return [p.split(b'name="', 1)[1].split(b'"', 1)[0].decode() for p in self.body.split(b"Content-Disposition")[1:]]


def _count_items(log: Dict[str, Any]) -> int:
    return sum(len(v) if isinstance(v, list) else 1 for v in log["data"].values() if _is_media(v))


def _is_media(v: Any) -> bool:
    return (isinstance(v, dict) and "_type" in v) or (isinstance(v, list) and any(_is_media(x) for x in v))


class FakeGateway:
    """A local HTTP server answering log calls from a script: a list of (status, headers, body) or a function."""

    def __init__(self) -> None:
        self.requests: List[Recorded] = []
        self.script: List[Tuple[int, Dict[str, str], Optional[Dict[str, Any]]]] = []
        self.responder: Optional[Callable[[Recorded], Tuple[int, Dict[str, str], Dict[str, Any]]]] = None
        self.delay = 0.0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length", 0))
                rec = Recorded(self.path, dict(self.headers), self.rfile.read(length), time.monotonic())
                gateway.requests.append(rec)
                time.sleep(gateway.delay)
                status, headers, body = gateway._answer(rec)
                payload = json.dumps(body).encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _answer(self, rec: Recorded) -> Tuple[int, Dict[str, str], Dict[str, Any]]:
        if self.script:
            status, headers, body = self.script.pop(0)
            return status, headers, body if body is not None else {"error": "scripted %d" % status}
        if self.responder:
            return self.responder(rec)
        return 200, {}, {"accepted": _count_items(rec.log), "rejected": []}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_gateway():
    gw = FakeGateway()
    yield gw
    gw.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    """The real gateway and its SQLite metadata store."""

    def __init__(self, url: str, sqlite_path: str, api_key: Optional[str]) -> None:
        self.url, self.sqlite_path, self.api_key = url, sqlite_path, api_key

    def rows(self, project: str, run: str) -> List[Dict[str, Any]]:
        with sqlite3.connect("file:%s?mode=ro" % self.sqlite_path, uri=True, timeout=10) as db:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute(
                "SELECT * FROM media_item WHERE project = ? AND run = ? ORDER BY log_key, step, item_index",
                (project, run))]

    def await_rows(self, project: str, run: str, count: int, timeout: float = 60.0) -> List[Dict[str, Any]]:
        """The run's rows once there are ``count`` of them (fails after ``timeout`` with what there is)."""
        deadline = time.monotonic() + timeout
        rows: List[Dict[str, Any]] = []
        while time.monotonic() < deadline:
            rows = self.rows(project, run)
            if len(rows) >= count:
                return rows
            time.sleep(0.2)
        raise AssertionError("expected %d rows of %s/%s within %.0f s, found %d: %s"
                             % (count, project, run, timeout, len(rows), [(r["log_key"], r["step"]) for r in rows]))


@pytest.fixture(scope="session")
def stack() -> Stack:
    url, sqlite_path = os.environ.get("MEDIAFLOW_TEST_URL"), os.environ.get("MEDIAFLOW_TEST_SQLITE")
    if not url or not sqlite_path:
        pytest.skip("no stack: set MEDIAFLOW_TEST_URL and MEDIAFLOW_TEST_SQLITE (PythonClientIT does)")
    return Stack(url, sqlite_path, os.environ.get("MEDIAFLOW_TEST_API_KEY"))
