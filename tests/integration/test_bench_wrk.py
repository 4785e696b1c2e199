"""bench/wrk/sparql.lua against a tiny local server: queries decoded, non-2xx counted."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.measure import LUA, parse_wrk  # noqa: E402
from bench.workloads import Workload, write_query_file  # noqa: E402

QUERIES = (
    'PREFIX akg: <https://w3id.org/aseankg/ontology#>\n# a comment\nASK { ?s akg:x "a+b" }',
    "ASK {}",
)


class _Recorder(BaseHTTPRequestHandler):
    seen: ClassVar[list[tuple[str, str, str]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
        self.seen.append((self.headers["Content-Type"], self.headers["Accept"], body))
        status = 500 if body == "ASK {}" else 200
        payload = b'{"head": {}, "boolean": true}'
        self.send_response(status)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def recorder() -> Iterator[str]:
    _Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


def test_lua_script_sends_each_query_intact_and_counts_errors(
    recorder: str, tmp_path: Path
) -> None:
    workload = Workload("w", "test", "test", (), QUERIES, (1, 1))
    queries = write_query_file(workload, tmp_path / "w.queries")
    done = subprocess.run(
        ["wrk", "-t1", "-c1", "-d1s", "--latency", "-s", str(LUA), recorder, "--", str(queries)],
        capture_output=True,
        text=True,
        check=True,
    )
    values = parse_wrk(done.stdout)
    bodies = [body for _, _, body in _Recorder.seen]
    assert set(bodies) == set(QUERIES)  # comments, newlines and "+" survive the encoding
    assert {ctype for ctype, _, _ in _Recorder.seen} == {"application/sparql-query; charset=utf-8"}
    assert {accept for _, accept, _ in _Recorder.seen} == {"application/sparql-results+json"}
    answered = int(values["requests"])
    assert answered > 0
    # every other request is "ASK {}", answered 500: about half are errors
    assert abs(values["non2xx"] - answered / 2) <= 1
    assert values["p50_us"] <= values["p95_us"] <= values["p99_us"]
