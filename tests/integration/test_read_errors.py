"""A damaged store is the server's trouble, not the client's: 503 without paths, not 400."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

StartServer = Callable[..., str]


def _flip_bytes(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for index in range(100, len(data), 97):
        data[index] ^= 0x5A
    path.write_bytes(bytes(data))


@pytest.fixture()
def damaged_store(seed_store: Path, tmp_path: Path) -> Path:
    store = tmp_path / "store"
    shutil.copytree(seed_store, store, symlinks=True)
    for table in ((store / "current").resolve() / "oxigraph").glob("*.sst"):
        _flip_bytes(table)
    return store


def test_a_damaged_store_answers_503_without_paths(
    make_server: StartServer, damaged_store: Path, tmp_path: Path
) -> None:
    url = make_server(store=damaged_store, cache_dir=tmp_path / "dumps")
    query = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
    with httpx.Client(base_url=url, timeout=60) as client:
        for _ in range(2):  # the worker answers, and is still there to answer again
            response = client.get("/sparql", params=query)
            assert response.status_code == 503, response.text
            problem = response.json()
            assert problem["type"].endswith("/store-missing")
            assert str(tmp_path) not in problem["detail"] and "builds/" not in problem["detail"]
