"""Throughput of uvicorn's h11 protocol with our connection guard against httptools.

Runs the service on the seed store (built into a temporary folder) in this process,
once per protocol and round, and drives it with ``wrk`` on loopback: a static file (HTTP
and Starlette only) and a cached SPARQL ASK (the cheapest query answer). Prints one line
per run and the median per protocol. Usage::

    python -m bench.http_protocols [--rounds 3] [--seconds 8] [--connections 32]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn

from aseankg.api.app import create_app
from aseankg.api.http.connections import ConnectionLimits
from aseankg.api.http.settings import Settings
from aseankg.graph.build import build_plans

SEED = Path(__file__).resolve().parents[1] / "data" / "sources" / "asean-canada-poa-2021-2025.txt"
PATHS = {"static": "/static/ui/ui.css", "ask": "/sparql?query=ASK%7B%3Fs%3Fp%3Fo%7D"}


def _options(protocol: str) -> dict[str, Any]:
    options = ConnectionLimits().uvicorn_options()
    if protocol == "httptools":
        options = {"http": "httptools", "timeout_keep_alive": options["timeout_keep_alive"]}
    return options


def _requests_per_second(url: str, seconds: int, connections: int) -> float:
    done = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
        capture_output=True,
        text=True,
        check=True,
    )
    match = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    assert match, done.stdout
    if "Non-2xx" in done.stdout:
        raise RuntimeError(done.stdout)
    return float(match.group(1))


def _run(store: Path, protocol: str, port: int, seconds: int, connections: int) -> dict[str, float]:
    config = uvicorn.Config(
        create_app(Settings(store=store, query_workers=2)),
        port=port,
        log_level="warning",
        access_log=False,
        **_options(protocol),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        root = f"http://127.0.0.1:{port}"
        subprocess.run(["wrk", "-t1", "-c1", "-d1s", root + PATHS["ask"]], capture_output=True)
        return {
            name: _requests_per_second(root + path, seconds, connections)
            for name, path in PATHS.items()
        }
    finally:
        server.should_exit = True
        thread.join(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "store"
        build_plans([SEED], store=store)
        results: dict[str, list[dict[str, float]]] = {"h11-guarded": [], "httptools": []}
        port = 18900
        for round_ in range(args.rounds):
            for protocol in results:
                port += 1
                figures = _run(store, protocol, port, args.seconds, args.connections)
                results[protocol].append(figures)
                print(
                    f"round {round_ + 1} {protocol}: "
                    + ", ".join(f"{k} {v:.0f}/s" for k, v in figures.items()),
                    flush=True,
                )
        for protocol, runs in results.items():
            medians = {name: statistics.median(run[name] for run in runs) for name in PATHS}
            print(f"median {protocol}: " + ", ".join(f"{k} {v:.0f}/s" for k, v in medians.items()))


if __name__ == "__main__":
    main()
