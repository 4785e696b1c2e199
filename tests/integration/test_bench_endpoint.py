"""The benchmark's workloads on the real seed store, and our server started and stopped
the way bench/run.py does it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.measure import check_answers  # noqa: E402
from bench.peers import Peers  # noqa: E402
from bench.servers import EngineSpec, running, tree_rss_mb  # noqa: E402
from bench.workloads import ASK, build_workloads, load_dump, mix_of  # noqa: E402


def _dump(store: Path, target: Path) -> Path:
    with target.open("wb") as out:
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "aseankg"), "export", "--store", str(store),
             "--format", "nq"],
            stdout=out, check=True,
        )  # fmt: skip
    return target


def test_workloads_bind_values_that_exist_in_the_data(seed_store: Path, tmp_path: Path) -> None:
    store = load_dump(_dump(seed_store, tmp_path / "dump.nq"))
    workloads = build_workloads(store)
    by_name = {w.name: w for w in workloads}
    assert {"action-lines-by-actor", "action-lines-by-instrument", "actor-subtree"} <= set(by_name)
    assert {w.family for w in workloads} >= {
        "selective", "property path", "aggregate", "co-occurrence", "text filter", "trivial"
    }  # fmt: skip
    for workload in workloads:
        assert len(workload.texts) == len(workload.expected) >= 1
        assert workload.analyst == (workload.family != "trivial")
    actors = by_name["action-lines-by-actor"]
    assert len(actors.values) >= 2 and all(n > 0 for n in actors.expected)
    # each bound actor really is named in the data: its lines come back
    for value, text in zip(actors.values, actors.texts, strict=True):
        assert f'"{value}"' in text
        assert len(list(store.query(text, use_default_graph_as_union=True))) > 0  # type: ignore[arg-type]
    mix = mix_of(workloads)
    assert ASK not in mix.texts
    assert len(mix.texts) == sum(len(w.texts) for w in workloads if w.analyst)
    assert isinstance(store, ox.Store)


def test_our_server_answers_every_workload_then_stops(seed_store: Path, tmp_path: Path) -> None:
    workloads = build_workloads(load_dump(_dump(seed_store, tmp_path / "dump.nq")))
    spec = EngineSpec("aseankg", "ours", ("--workers", "1", "--query-workers", "2"))
    peers = Peers(tmp_path / "no-venv", {})
    with running(spec, peers, seed_store, tmp_path / "ours.log", start_limit=120) as server:
        pid = server.process.pid
        assert server.url.endswith("/sparql")
        problems = [p for w in workloads for p in check_answers(server.url, w).problems]
        assert problems == []
        assert tree_rss_mb(pid) > 10
    assert server.process.poll() is not None
    assert tree_rss_mb(pid) == 0
