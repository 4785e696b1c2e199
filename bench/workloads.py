"""The endpoint workloads: named analyst queries with concrete values bound, plus ``ASK {}``.

The values are chosen from the data, not typed in, so the same rules hold for the seed
and for a synthetic corpus: the most-named actors and instruments (selective lookups),
the bodies with the most bodies under them (the ``org:subOrganizationOf*`` property path),
and common words of the genre (the text filter). A whole-graph aggregate whose answer
exceeds ``LARGE_RESULT`` rows (on a large corpus) is measured per plan instead, as an
analyst would ask it, so that it measures the query rather than the result's size. The
queries come from ``queries/*.rq`` through the loader, bound exactly as the CLI binds
them. Every bound text is run once on an in-memory pyoxigraph store of the same dump, so
each engine's answers can be checked against the expected number of rows before it is
measured.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from aseankg.queries.loader import bind_query, load_query

__all__ = [
    "ASK",
    "LARGE_RESULT",
    "Workload",
    "build_workloads",
    "count_rows",
    "load_dump",
    "mix_of",
    "write_query_file",
]

ASK = "ASK {}"
_TEXT_WORDS = ("security", "capacity building", "disaster", "trade investment", "women")
LARGE_RESULT = 5_000
_PLANS = """
PREFIX akg: <https://w3id.org/aseankg/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT DISTINCT ?id WHERE { ?line akg:plan ?p . ?p dct:identifier ?id } ORDER BY ?id
"""
_SUBTREE = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX akg: <https://w3id.org/aseankg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?top (COUNT(DISTINCT ?body) AS ?n) (MIN(STR(?acr)) AS ?acronym) WHERE {
  ?body org:subOrganizationOf+ ?top .
  OPTIONAL { ?top akg:acronym ?acr }
} GROUP BY ?top ORDER BY DESC(?n) STR(?top)
"""


@dataclass(frozen=True)
class Workload:
    """One measured query shape: ``texts`` are the bound queries cycled per request,
    ``expected`` the number of result rows of each (a boolean result counts as 1).
    ``analyst`` is false for the trivial query, which measures HTTP overhead only."""

    name: str
    family: str
    source: str
    values: tuple[str, ...]
    texts: tuple[str, ...]
    expected: tuple[int, ...]
    analyst: bool = True


def load_dump(path: Path) -> ox.Store:
    """An in-memory store holding the N-Quads dump at ``path``.

    Raises ``OSError`` when the file cannot be read, ``SyntaxError`` when it is not N-Quads.
    """
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return store


def count_rows(store: ox.Store, text: str) -> int:
    """The number of rows ``text`` returns on ``store`` (union default graph); 1 for ASK."""
    result = store.query(text, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return 1
    return sum(1 for _ in result)


def _column(store: ox.Store, text: str, names: Sequence[str]) -> list[str]:
    """For each row, the first bound value among ``names`` (plain string)."""
    values: list[str] = []
    result = store.query(text, use_default_graph_as_union=True)
    if not isinstance(result, ox.QuerySolutions):
        return values
    for row in result:
        for name in names:
            term = row[name]
            if term is not None:
                values.append(str(term.value))
                break
    return values


def _spread(ranked: Sequence[str], count: int) -> tuple[str, ...]:
    """Up to ``count`` values taken evenly from a ranking (frequent and rare ones)."""
    unique = list(dict.fromkeys(v for v in ranked if v))
    if len(unique) <= count:
        return tuple(unique)
    step = (len(unique) - 1) / (count - 1)
    return tuple(unique[round(i * step)] for i in range(count))


def _named(
    store: ox.Store,
    name: str,
    family: str,
    param: str | None = None,
    values: Sequence[str] = (),
    *,
    label: str | None = None,
) -> Workload | None:
    query = load_query(name)
    texts = [bind_query(query, {param: v}) for v in values] if param else [bind_query(query, {})]
    expected = [count_rows(store, t) for t in texts]
    if not texts or not any(expected):
        return None  # the data has nothing for this shape: measuring it would mislead
    return Workload(
        label or name, family, f"queries/{name}.rq", tuple(values), tuple(texts), tuple(expected)
    )


def _with_rows(
    store: ox.Store, name: str, param: str, values: Sequence[str], count: int
) -> list[str]:
    """The first ``count`` of ``values`` for which query ``name`` returns rows."""
    query = load_query(name)
    kept: list[str] = []
    for value in values[: 10 * count]:
        if len(kept) == count:
            break
        if count_rows(store, bind_query(query, {param: value})):
            kept.append(value)
    return kept


def _whole_or_per_plan(
    store: ox.Store, name: str, family: str, plans: Sequence[str], per_query: int
) -> Workload | None:
    """The whole-graph query, or when its answer exceeds ``LARGE_RESULT`` rows (a result-size
    test more than a query test), the same query for a spread of single plans."""
    whole = _named(store, name, family)
    if whole is None or max(whole.expected) <= LARGE_RESULT or len(plans) < 2:
        return whole
    return _named(store, name, f"{family} (per plan)", "plan", _spread(plans, per_query))


def build_workloads(store: ox.Store, *, per_query: int = 4) -> list[Workload]:
    """The workloads for the graph in ``store``, in report order.

    Raises ``aseankg.queries.loader.QueryLoadError`` when a named query is missing or a
    chosen value does not bind.
    """
    actors = _column(store, bind_query(load_query("actors"), {}), ("acronym", "actorLabel"))
    instruments = _column(
        store, bind_query(load_query("instruments"), {}), ("acronym", "instrumentLabel")
    )
    tops = _with_rows(
        store, "action-lines-by-actor", "actor", _column(store, _SUBTREE, ("acronym", "top")), 2
    )
    plans = _column(store, _PLANS, ("id",))
    by_actor = "action-lines-by-actor"
    candidates = [
        _named(store, by_actor, "selective", "actor", _spread(actors, per_query)),
        _named(
            store,
            "action-lines-by-instrument",
            "selective",
            "instrument",
            _spread(instruments, per_query),
        ),
        _named(store, by_actor, "property path", "actor", tops, label="actor-subtree"),
        _whole_or_per_plan(store, "lines-per-section", "aggregate", plans, per_query),
        _whole_or_per_plan(store, "actor-section-matrix", "aggregate", plans, per_query),
        _whole_or_per_plan(store, "actor-co-occurrence", "co-occurrence", plans, per_query),
        _named(store, "action-lines-by-text", "text filter", "words", _TEXT_WORDS),
    ]
    workloads = [w for w in candidates if w is not None]
    workloads.append(Workload("ask", "trivial", "ASK {}", (), (ASK,), (1,), analyst=False))
    return workloads


def mix_of(workloads: Sequence[Workload]) -> Workload:
    """One workload interleaving every text of the analyst workloads."""
    analyst = [w for w in workloads if w.analyst]
    texts = tuple(t for w in analyst for t in w.texts)
    expected = tuple(n for w in analyst for n in w.expected)
    return Workload("analyst mix", "mix", "all analyst workloads", (), texts, expected)


def write_query_file(workload: Workload, path: Path) -> Path:
    """Write the percent-encoded texts of ``workload``, one a line, for bench/wrk/sparql.lua."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(quote(t, safe="") + "\n" for t in workload.texts), encoding="utf-8")
    return path
