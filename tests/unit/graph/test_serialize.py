"""Exports: sorted, byte-stable dumps that parse back; the mentions table as CSV."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store, parse

from aseankg.extract.records import Plan, PlanExtraction
from aseankg.graph.build import build_records
from aseankg.graph.errors import GraphError
from aseankg.graph.serialize import MENTION_COLUMNS, export_file, export_store
from aseankg.graph.store import ReadStore, open_store


@pytest.fixture
def store(tmp_path: Path, plan: Plan, extraction: PlanExtraction) -> ReadStore:
    build_records([(plan, extraction)], store=tmp_path / "store")
    return open_store(tmp_path / "store")


def _export(store: Store, format: str) -> bytes:
    out = io.BytesIO()
    export_store(store, out, format)
    return out.getvalue()


def test_nq_is_sorted_graph_by_graph_and_complete(store: Store) -> None:
    data = _export(store, "nq")
    quads = list(parse(data, RdfFormat.N_QUADS))
    assert len(quads) == len(store)
    assert "_:" not in data.decode("utf-8")
    graphs = [str(q.graph_name) for q in quads]
    assert graphs == sorted(graphs)  # one run per graph, graphs in order
    lines = data.decode("utf-8").splitlines()
    for graph in set(graphs):
        run = [line for line, g in zip(lines, graphs, strict=True) if g == graph]
        assert run == sorted(run)


@pytest.mark.parametrize(
    ("format", "rdf"),
    [
        ("trig", RdfFormat.TRIG),
        ("ttl", RdfFormat.TURTLE),
        ("nt", RdfFormat.N_TRIPLES),
        ("jsonld", RdfFormat.JSON_LD),
    ],
)
def test_every_rdf_format_parses_back(store: Store, format: str, rdf: RdfFormat) -> None:
    data = _export(store, format)
    assert data == _export(store, format)
    parsed = list(parse(data, rdf))
    if format in ("trig",):
        assert len(parsed) == len(store)
    else:
        assert len(parsed) == len({q.triple for q in store})


def test_csv_is_the_mentions_table(store: Store, extraction: PlanExtraction) -> None:
    rows = list(csv.reader(io.StringIO(_export(store, "csv").decode("utf-8"))))
    assert tuple(rows[0]) == MENTION_COLUMNS
    expected = [
        [str(getattr(m, column)) for column in MENTION_COLUMNS]
        for line in extraction.lines
        for m in line.mentions
        if not m.nested
    ]
    assert rows[1:] == expected


def test_an_unknown_format_is_an_error(store: Store) -> None:
    with pytest.raises(GraphError, match="unknown export format"):
        _export(store, "xlsx")


@pytest.mark.parametrize("format", ["nq", "ttl"])
def test_export_file_is_the_export_written_atomically(
    store: Store, tmp_path: Path, format: str
) -> None:
    target = tmp_path / "dumps" / f"aseankg.{format}"
    target.parent.mkdir()
    target.write_bytes(b"an older dump")
    digest = export_file(store, target, format)
    assert target.read_bytes() == _export(store, format)
    assert digest == hashlib.sha256(_export(store, format)).hexdigest()
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no part left


def test_export_file_leaves_nothing_when_it_fails(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "aseankg.xlsx"
    with pytest.raises(GraphError, match="unknown export format"):
        export_file(store, target, "xlsx")
    assert list(tmp_path.iterdir()) == [tmp_path / "store"]
