"""Reading wrk's BENCH line and py-spy's collapsed stacks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from bench.measure import MeasureError, parse_wrk, summarise_profile


def test_parse_wrk_reads_the_done_hook_line() -> None:
    output = (
        "Running 2s test @ http://127.0.0.1:1/sparql\n  Latency Distribution\n     50%  1.00ms\n"
        'BENCH {"requests": 40, "duration_us": 2000000, "non2xx": 3, "p99_us": 9000}\n'
    )
    values = parse_wrk(output)
    assert values["requests"] == 40
    assert values["non2xx"] == 3
    assert values["p99_us"] == 9000


def test_parse_wrk_without_the_line_says_so() -> None:
    with pytest.raises(MeasureError, match="no BENCH line"):
        parse_wrk("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_profile_summary_splits_workers_from_the_http_process() -> None:
    raw = "\n".join(
        [
            'process 1:"python aseankg serve";process 2:"forkserver; main(1)";'
            "_worker_main (api/http/executor.py:205);_execute (api/http/executor.py:182) 60",
            'process 1:"python aseankg serve";_worker_main (api/http/executor.py:210);'
            "Connection._send (multiprocessing/connection.py:384) 10",
            'process 1:"python aseankg serve";serve (api/commands/serve.py:109);'
            "Runner.run (asyncio/runners.py:118) 20",
            'process 1:"python aseankg serve";app (fastapi/routing.py:762);'
            "encode (json/encoder.py:200) 10",
            "garbage line",
        ]
    )
    profile = summarise_profile(raw)
    assert profile.samples == 100
    assert dict(profile.processes) == {"query worker processes": 70.0, "HTTP process": 30.0}
    areas = dict(profile.areas)
    assert areas["query evaluation inside pyoxigraph (query worker)"] == 60.0
    assert areas["pipe I/O between HTTP process and query workers"] == 10.0
    assert areas["event loop (uvloop native: sockets, HTTP parsing)"] == 20.0
    assert areas["json"] == 10.0
    assert profile.functions[0] == ("_execute (api/http/executor.py)", 60.0)
