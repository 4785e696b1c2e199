"""Export the store: RDF dumps (sorted, so byte-stable) and the mentions table as CSV.

Formats: ``nq`` and ``trig`` keep the named graphs; ``nt``, ``ttl`` and ``jsonld`` give the
union of the graphs (the default graph of the endpoint). Every dump is sorted, so two
builds of the same sources (with ``SOURCE_DATE_EPOCH`` set) export the same bytes.
``csv`` is the mentions table, same columns as ``aseankg extract --format csv``.

>>> import io
>>> from aseankg.graph.store import open_store
>>> first, second = io.BytesIO(), io.BytesIO()
>>> export_store(open_store(seed_store), first, "nq")
>>> export_store(open_store(seed_store), second, "nq")
>>> first.getvalue() == second.getvalue() and len(first.getvalue().splitlines()) > 1000
True
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TypeVar

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, Triple, serialize

from aseankg.extract.records import MENTION_COLUMNS
from aseankg.graph.errors import GraphError, StoreError
from aseankg.graph.formats import by_name
from aseankg.graph.store import ReadStore
from aseankg.graph.vocabulary import PREFIXES
from aseankg.queries.loader import load_query

T = TypeVar("T")

__all__ = [
    "EXPORT_FORMATS",
    "MENTION_COLUMNS",
    "export_file",
    "export_store",
    "mention_rows",
    "write_atomically",
]

_EXPORTS = ("trig", "ttl", "nt", "nq", "jsonld")
EXPORT_FORMATS = (*_EXPORTS, "csv")


def _rows(store: ReadStore, query: str) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for solution in store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
        rows.append(
            tuple(
                "" if solution[name] is None else str(getattr(solution[name], "value", ""))
                for name in MENTION_COLUMNS
            )
        )
    return rows


def _sort_key(row: tuple[str, ...]) -> tuple[str, int, int, int, str, str]:
    plan, line, *_ = row
    start, end = int(row[7] or 0), int(row[8] or 0)
    is_line = 1 if line else 0
    return (plan, is_line, start, end, row[2], row[9])


def mention_rows(store: ReadStore) -> list[tuple[str, ...]]:
    """The mentions table: one row per link of a line to an entity, plus the parties.

    Rows are sorted by plan, then the plan's parties, then by offset in the text.
    """
    rows = set(_rows(store, load_query("exports/mentions").text))
    rows |= set(_rows(store, load_query("exports/parties").text))
    return sorted(rows, key=_sort_key)


def _sorted_quads(store: ReadStore) -> Iterator[Quad]:
    """Every quad, graph by graph (graphs in IRI order), sorted within each graph.

    Only one graph is held in memory at a time, so exporting a large store stays bounded.
    """
    graphs: list[DefaultGraph | NamedNode | BlankNode] = [DefaultGraph()]
    graphs += sorted(store.named_graphs(), key=str)
    for graph in graphs:
        yield from sorted(store.quads_for_pattern(None, None, None, graph), key=str)


def _union_triples(store: ReadStore) -> Iterator[Triple]:
    """The union of the graphs, deduplicated and sorted by the engine."""
    for row in store.query(load_query("exports/union").text):  # type: ignore[union-attr]
        yield Triple(row["s"], row["p"], row["o"])


def export_store(store: ReadStore, output: IO[bytes], format: str) -> None:
    """Write the whole store to ``output`` in ``format`` (one of ``EXPORT_FORMATS``).

    Raises:
        GraphError: ``format`` is not an export format, or the store cannot be read.
    """
    if format == "csv":
        text = io.StringIO(newline="")
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(MENTION_COLUMNS)
        writer.writerows(mention_rows(store))
        output.write(text.getvalue().encode("utf-8"))
        return
    if format not in _EXPORTS:
        raise GraphError(f"unknown export format {format!r} (one of {', '.join(EXPORT_FORMATS)})")
    fmt = by_name(format)
    rdf = fmt.rdf
    assert rdf is not None
    prefixes = dict(sorted(PREFIXES.items())) if fmt.takes_prefixes else None
    try:
        if format in ("nq", "trig"):  # the named graphs kept; every other one is the union
            serialize(_sorted_quads(store), output, rdf, prefixes=prefixes)
        else:
            triples = _union_triples(store)
            if format == "jsonld":
                quads = (Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
                serialize(quads, output, rdf, prefixes=prefixes)
            else:
                serialize(triples, output, rdf, prefixes=prefixes)
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        raise GraphError(f"cannot export the store as {format}: {exc}") from exc


class _Hashing:
    """A binary writer that hashes what it writes (SHA-256) on its way to ``out``."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.out.write(data)

    def flush(self) -> None:
        self.out.flush()


def write_atomically(path: Path, write: Callable[[IO[bytes]], T]) -> T:
    """Call ``write`` on a private temporary file beside ``path`` (created exclusively,
    mode 0600) and rename it over ``path`` once ``write`` returns, so a reader sees the
    old file or the whole new one, never a part; return what ``write`` returned. The
    temporary file is removed when anything fails.

    Raises:
        OSError: the file cannot be created, written or renamed.
    """
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as raw:
            result = write(raw)
        os.replace(partial, path)
        return result
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)


def export_file(store: ReadStore, path: Path, format: str) -> str:
    """Write :func:`export_store` of ``store`` to ``path`` atomically and return the
    SHA-256 (hex) of the bytes written: the same bytes as ``aseankg export --format``.

    The bytes go to a private temporary file beside ``path`` (created exclusively,
    mode 0600) that is renamed over ``path`` once complete, so a reader sees the old
    file or the whole new one, never a part.

    Raises:
        GraphError: as :func:`export_store`.
        StoreError: the file cannot be written.
    """

    def write(raw: IO[bytes]) -> str:
        out = _Hashing(raw)
        export_store(store, out, format)  # type: ignore[arg-type]
        return out.digest.hexdigest()

    try:
        return write_atomically(path, write)
    except OSError as exc:
        raise StoreError(f"cannot write the export {path.name}: {exc}") from exc
