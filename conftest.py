"""Fixtures of the ``>>>`` examples in the package's docstrings.

Doctests are collected from the installed package (``--pyargs``), outside ``tests/``, so
their fixtures live here at the root, where pytest finds them for every collected file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _pytest.doctest import DoctestItem

SEED = Path(__file__).resolve().parent / "data" / "sources" / "asean-canada-poa-2021-2025.txt"


@pytest.fixture(scope="session")
def _doctest_seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from aseankg.graph.build import build_plans

    store = tmp_path_factory.mktemp("doctest") / "store"
    build_plans([SEED], store=store)
    return store


@pytest.fixture(autouse=True)
def _doctest_names(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """The names the ``>>>`` examples use besides their module's: ``tmp`` (a fresh folder)
    and ``seed_store`` (a store built from the seed plan once per session, only when an
    example asks for it). Doctests run from the repository root, so ``data/...`` paths
    resolve."""
    if not isinstance(request.node, DoctestItem):
        return
    namespace = request.getfixturevalue("doctest_namespace")
    namespace["tmp"] = tmp_path
    test = request.node.dtest
    if test is not None and "seed_store" in (test.docstring or ""):
        namespace["seed_store"] = request.getfixturevalue("_doctest_seed_store")
