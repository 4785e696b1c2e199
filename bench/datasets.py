"""The benchmark data: the seed graph and synthetic corpora, each built and dumped once.

A dataset is built with ``aseankg build PATH ... --store DIR --replace`` and dumped with
``aseankg export --store DIR --format nq``; every engine loads that one dump. Builds are
kept under ``bench/.work/<name>/`` and reused while the plans and the package's code
(ontology, extract, graph, queries) are unchanged.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = ["Dataset", "DatasetError", "prepare_corpus", "prepare_seed", "synthetic_generator"]

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
ASEANKG = ROOT / ".venv" / "bin" / "aseankg"
_CODE_DIRS = ("ontology", "extract", "graph", "queries")
_SOURCE_SUFFIXES = (".txt", ".docx", ".pdf")
_PARTNERS = (
    "Australia", "China", "the European Union", "India", "Japan", "the Republic of Korea",
    "New Zealand", "the Russian Federation", "the United Kingdom", "the United States",
)  # fmt: skip


class DatasetError(RuntimeError):
    """A dataset could not be generated, built or dumped."""


@dataclass(frozen=True)
class Dataset:
    """A built dataset: its store, its N-Quads dump and what it holds."""

    name: str
    plans: int
    store: Path
    dump: Path
    quads: int
    build_s: float

    def as_dict(self) -> dict[str, Any]:
        values = asdict(self)
        values["store"], values["dump"] = str(self.store), str(self.dump)
        return values


def _code_digest() -> str:
    digest = hashlib.sha256()
    for folder in _CODE_DIRS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _files_digest(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256(_code_digest().encode())
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _run(command: list[str], what: str, stdout: Path | None = None) -> None:
    if stdout is None:
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
        err = done.stderr
    else:
        with stdout.open("wb") as out:
            done_bytes = subprocess.run(
                command, stdout=out, stderr=subprocess.PIPE, check=False, cwd=ROOT
            )
        done, err = done_bytes, done_bytes.stderr.decode(errors="replace")  # type: ignore[assignment]
    if done.returncode != 0:
        lines = err.strip().splitlines() or ["no message"]
        raise DatasetError(f"{what} failed (exit {done.returncode}): {lines[-1]}")


def _build(name: str, plans: Sequence[Path]) -> Dataset:
    """Build ``plans`` into ``bench/.work/<name>/store`` and dump it (or reuse both)."""
    folder = WORK / name
    store, dump, meta = folder / "store", folder / "dump.nq", folder / "dataset.json"
    key = _files_digest(plans)
    if meta.exists() and dump.exists():
        saved = json.loads(meta.read_text(encoding="utf-8"))
        if saved.get("key") == key:
            return Dataset(name, len(plans), store, dump, saved["quads"], saved["build_s"])
    shutil.rmtree(store, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"bench: building {name} ({len(plans)} plans) ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    _run(
        [str(ASEANKG), "build", *map(str, plans), "--store", str(store), "--replace"],
        f"aseankg build of {name}",
    )
    build_s = time.perf_counter() - start
    _run(
        [str(ASEANKG), "export", "--store", str(store), "--format", "nq"],
        f"aseankg export of {name}",
        stdout=dump,
    )
    with dump.open("rb") as data:
        quads = sum(1 for line in data if line.strip() and not line.startswith(b"#"))
    meta.write_text(json.dumps({"key": key, "quads": quads, "build_s": build_s}), "utf-8")
    return Dataset(name, len(plans), store, dump, quads, build_s)


def _sources() -> list[Path]:
    sources = sorted(
        p for p in (ROOT / "data" / "sources").iterdir() if p.suffix in _SOURCE_SUFFIXES
    )
    if not sources:
        raise DatasetError("no plan in data/sources/")
    return sources


def prepare_seed() -> Dataset:
    """The seed graph: every plan file in ``data/sources/``.

    Raises ``DatasetError`` when there is none or the build fails.
    """
    return _build("seed", _sources())


def synthetic_generator() -> Callable[..., str] | None:
    """``bench.synthetic.generate_plan`` when that module exists, else None."""
    try:
        module = importlib.import_module("bench.synthetic")
    except ModuleNotFoundError:
        return None
    generate: Callable[..., str] | None = getattr(module, "generate_plan", None)
    return generate


def _periods(count: int) -> list[tuple[int, int]]:
    """``count`` distinct five-year periods, newest first (2021-2025, 2016-2020, ...)."""
    return [(2021 - 5 * i, 2025 - 5 * i) for i in range(count)]


def prepare_corpus(plans: int) -> Dataset:
    """A corpus of ``plans`` plans: the seed plans plus synthetic ones (partners x periods,
    each id distinct). The real plans keep what only curated data has, such as bodies
    under ASEAN for the ``org:subOrganizationOf*`` path.

    Raises ``DatasetError`` when bench/synthetic.py is missing or a build fails.
    """
    generate = synthetic_generator()
    if generate is None:
        raise DatasetError("bench/synthetic.py (generate_plan) is not there yet")
    name = f"corpus-{plans}"
    folder = WORK / name / "plans"
    folder.mkdir(parents=True, exist_ok=True)
    seed = _sources()
    synthetic = max(0, plans - len(seed))
    rounds = -(-synthetic // len(_PARTNERS))
    paths = []
    for index in range(synthetic):
        partner = _PARTNERS[index % len(_PARTNERS)]
        start, end = _periods(rounds)[index // len(_PARTNERS)]
        path = folder / f"plan-{index:04d}.txt"
        try:
            text = generate(index, partner, f"{start}-{end}")
        except (TypeError, ValueError) as exc:
            raise DatasetError(f"generate_plan({index}, {partner!r}, ...) failed: {exc}") from exc
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    for stale in sorted(folder.glob("plan-*.txt"))[synthetic:]:
        stale.unlink()
    return _build(name, [*seed, *paths])
