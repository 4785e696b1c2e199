"""A corrupted store, served by the real command: /health says so, queries get a 503
problem, and neither the answers nor the server's log show a path or a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.cli_server import free_port

CLI = Path(sys.executable).with_name("aseankg")
ASK = {"query": "ASK { ?s ?p ?o }"}


def _truncate_tables(oxigraph: Path) -> None:
    for table in oxigraph.glob("*.sst"):
        table.write_bytes(table.read_bytes()[:100])


def _garble_manifest(oxigraph: Path) -> None:
    for manifest in oxigraph.glob("MANIFEST-*"):
        manifest.write_bytes(b"not a manifest" * 10)


def _garble_current(oxigraph: Path) -> None:
    (oxigraph / "CURRENT").write_text("nonsense\n")


DAMAGES: dict[str, Callable[[Path], None]] = {
    "tables-truncated": _truncate_tables,
    "manifest-overwritten": _garble_manifest,
    "current-overwritten": _garble_current,
}


def _point_current(store: Path, build: str) -> None:
    """Swap ``DIR/current`` to ``builds/<build>`` atomically, as a build does."""
    link = store / "current.new"
    link.symlink_to(Path("builds") / build)
    os.replace(link, store / "current")


@pytest.fixture()
def damaged_store(seed_store: Path, tmp_path: Path) -> Path:
    """A copy of the seed store with one damaged copy of its build per kind of damage
    (each with a version of its own); ``current`` points at the sound build."""
    store = tmp_path / "store"
    shutil.copytree(seed_store, store, symlinks=True)
    (sound,) = (store / "builds").iterdir()
    for name, damage in DAMAGES.items():
        build = store / "builds" / name
        shutil.copytree(sound, build)
        manifest = json.loads((build / "manifest.json").read_text("utf-8"))
        manifest["version"] = f"{manifest['version']}-{name}"
        (build / "manifest.json").write_text(json.dumps(manifest), "utf-8")
        damage(build / "oxigraph")
    return store


@contextmanager
def _serving(store: Path) -> Iterator[tuple[str, list[str]]]:
    """``aseankg serve`` on ``store``: its URL, and its stderr lines once it has stopped."""
    port = free_port()
    command = [str(CLI), "serve", "--store", str(store), "--port", str(port)]
    command += ["--query-workers", "1"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    log: list[str] = []
    try:
        for _ in range(600):  # until it listens (bounded)
            try:
                httpx.get(url + "/metrics", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url, log
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
        log.extend(stderr.decode("utf-8", "replace").splitlines())


def test_a_corrupted_store_is_unhealthy_and_answers_503_without_paths(
    damaged_store: Path,
) -> None:
    """Each damaged build swapped in: /health 503, queries 503, no path; then the sound
    build swapped back: healthy again, without a restart."""
    (sound,) = {build.name for build in (damaged_store / "builds").iterdir()} - set(DAMAGES)
    answers: dict[str, list[httpx.Response]] = {}
    with _serving(damaged_store) as (url, log), httpx.Client(base_url=url, timeout=60) as http:
        for name in DAMAGES:
            _point_current(damaged_store, name)
            answers[name] = [http.get("/health"), http.get("/sparql", params=ASK)]
            answers[name] += [http.post("/sparql", data=ASK), http.get("/id/actor/aichr")]
        _point_current(damaged_store, sound)
        recovered = [http.get("/health"), http.get("/sparql", params=ASK)]
    for name, responses in answers.items():
        for response in responses:
            assert response.status_code == 503, (name, response.request.url)
            assert response.headers["content-type"] == "application/problem+json"
            assert str(damaged_store) not in response.text and "/tmp/" not in response.text
        assert "does not answer" in responses[0].json()["detail"], name
    assert [response.status_code for response in recovered] == [200, 200]
    assert recovered[0].json()["status"] == "ok"
    assert log, "the server wrote no log at all"
    text = "\n".join(log)
    assert "Traceback" not in text and str(damaged_store) not in text
