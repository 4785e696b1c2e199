"""One store whichever way the shards are made: sequential, ``--jobs 2``, and a real Dask
scheduler with two workers on loopback (started here, stopped by pid) export the same
N-Quads, byte for byte; and the shards really came from the pool's and the cluster's
processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aseankg.api.cli import run

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "tests" / "data" / "plans"
DOCS = [
    PLANS / "asean-australia-poa-2025-2029.txt",
    PLANS / "asean-china-poa-2026-2030.txt",
    PLANS / "asean-eu-poa-2023-2027.txt",
    # two partnerships of two editions: their pairs are aligned by the pool or cluster too
    PLANS / "editions" / "poa-2016.txt",
    ROOT / "data" / "sources" / "asean-canada-poa-2021-2025.txt",
    PLANS / "editions" / "nz-previous-edition.txt",
    PLANS / "asean-newzealand-poa-2026-2030.txt",
]
BIN = Path(sys.executable).parent
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
START_SECONDS = 90
LOOPBACK = ["--host", "127.0.0.1", "--no-dashboard", "--dashboard-address", "127.0.0.1:0"]


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM to each process by its pid, then SIGKILL to any still there after 20 s."""
    for process in processes:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=20)


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[int]]]:
    """A Dask scheduler and two single-threaded workers, every socket on 127.0.0.1:
    the scheduler's address and the workers' pids."""
    folder = tmp_path_factory.mktemp("dask")
    info = folder / "scheduler.json"
    log = open(folder / "cluster.log", "wb")  # noqa: SIM115 - closed below
    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes.append(
            subprocess.Popen(
                [str(BIN / "dask"), "scheduler", "--port", "0", *LOOPBACK,
                 "--scheduler-file", str(info)],
                stdout=log, stderr=log, cwd=folder,
            )
        )  # fmt: skip
        deadline = time.monotonic() + START_SECONDS
        while not (info.exists() and info.stat().st_size) and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(info.read_text("utf-8"))["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for name in ("w1", "w2"):
            processes.append(
                subprocess.Popen(
                    [str(BIN / "dask"), "worker", "--scheduler-file", str(info), *LOOPBACK,
                     "--nthreads", "1", "--no-nanny", "--name", name],
                    stdout=log, stderr=log, cwd=folder, env=ENV,
                )
            )  # fmt: skip
        from distributed import Client

        with Client(address, timeout=START_SECONDS, set_as_default=False) as client:  # type: ignore[no-untyped-call]
            client.wait_for_workers(2, timeout=START_SECONDS)
        yield address, [p.pid for p in processes[1:]]
    finally:
        _stop(processes[::-1])
        log.close()


def _export(store: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert run(["export", "--store", str(store), "--format", "nq"]) == 0
    return capsys.readouterr().out


def _build(store: Path, *options: str) -> int:
    """``aseankg build DOCS --store STORE OPTIONS`` in a child process; its pid."""
    child = subprocess.Popen(
        [str(BIN / "aseankg"), "build", *map(str, DOCS), "--store", str(store), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        cwd=ROOT,
    )
    _out, err = child.communicate(timeout=300)
    assert child.returncode == 0, err
    assert f"documents: {len(DOCS)}: {len(DOCS)} built" in err
    assert "editions: 2 pair(s) recomputed, 0 reused" in err
    return child.pid


def _makers(store: Path) -> set[int]:
    """The pids of the processes that made the shards of ``store``."""
    metas = [json.loads(p.read_text("utf-8")) for p in (store / "shards").rglob("*.json")]
    assert len(metas) == len(DOCS)
    return {int(meta["made_by"].rsplit(":", 1)[1]) for meta in metas}


def test_sequential_jobs_2_and_dask_give_byte_identical_stores(
    tmp_path: Path, dask_cluster: tuple[str, list[int]], capsys: pytest.CaptureFixture[str]
) -> None:
    address, workers = dask_cluster
    pid = _build(tmp_path / "sequential", "--jobs", "1")
    assert _makers(tmp_path / "sequential") == {pid}
    sequential = _export(tmp_path / "sequential", capsys)
    assert sequential.count("\n") > 5000 and "_:" not in sequential
    assert sequential.count("ontology#Continuity> <") > 100  # the pairs' continuity nodes

    pid = _build(tmp_path / "pooled", "--jobs", "2")
    makers = _makers(tmp_path / "pooled")
    assert pid not in makers and 1 <= len(makers) <= 2  # made by the pool's processes
    assert _export(tmp_path / "pooled", capsys) == sequential

    _build(tmp_path / "clustered", "--dask", address)
    assert _makers(tmp_path / "clustered") <= set(workers)  # made by the Dask workers
    assert _export(tmp_path / "clustered", capsys) == sequential
