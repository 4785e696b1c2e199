"""What the editions step reads of the plan graphs, read one plan graph at a time.

The cross-plan step (:mod:`aseankg.graph.editions`) needs of every plan its title,
period, parties and preamble (``queries/editions/plans.rq``) and its action lines with
the entities they name and their commitment ranks (``editions/lines``,
``editions/line-entities``, ``editions/line-ranks``). Every node those queries join is a
node of one plan graph (the plan, its sections, lines, commitments and text edition),
except the ranks of the strength scale, which the ontology graph holds. So the queries
run on one plan graph with the ontology give exactly that plan's rows of the same
queries over the whole store: a build reads them per plan, in the per-plan stage (the
shard keeps them in its ``.json``) or from a kept plan's graph, and its editions step
queries no store. Over the whole store the three line queries read 10^5 rows at 1,000
plans (34 s of a cold build), and on a SPARQL engine they met its row limit
(Virtuoso's ``ResultSetMaxRows``, 10,000 by default: about 94 plans).

The rows are the queries' own (:func:`read_facts` runs them on any store), so what a
build aligns is what the queries say, whichever store they ran on.

>>> from aseankg.graph.store import open_store
>>> facts = read_facts(open_store(seed_store))
>>> [(p.plan, p.start, p.end) for p in facts.plans], len(facts.lines[0][1])
([('asean-canada-2021-2025', 2021, 2025)], 106)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pyoxigraph import Quad

from aseankg.graph.continuity import EditionLine
from aseankg.graph.query import select_table
from aseankg.graph.store import ReadStore
from aseankg.graph.vocabulary import akg_term
from aseankg.queries.loader import load_query

__all__ = [
    "SUPPORT",
    "EditionFacts",
    "PlanRow",
    "merge_facts",
    "read_facts",
    "read_line_rows",
    "read_plan_rows",
    "support_quads",
]


@dataclass(frozen=True)
class PlanRow:
    """One plan as the editions step sees it (a row of ``editions/plans``)."""

    iri: str
    plan: str
    title: str
    start: int | None
    end: int | None
    parties: tuple[str, ...]
    preamble: str


@dataclass(frozen=True)
class EditionFacts:
    """The plans (by plan id) and the action lines of each (by plan IRI, in text order)."""

    plans: tuple[PlanRow, ...] = ()
    lines: tuple[tuple[str, tuple[EditionLine, ...]], ...] = ()

    def of_plan(self, plan: str) -> bool:
        """Whether these are the facts of the one plan ``plan``: its row (or rows, one per
        title or period it states) and lines of no other plan."""
        iris = {row.iri for row in self.plans}
        return (
            len(iris) == 1
            and all(row.plan == plan for row in self.plans)
            and all(iri in iris for iri, _rows in self.lines)
        )

    def to_json(self) -> dict[str, Any]:
        """The facts as JSON values (a shard's ``.json`` keeps them)."""
        return {
            "plans": [
                [p.iri, p.plan, p.title, p.start, p.end, list(p.parties), p.preamble]
                for p in self.plans
            ],
            "lines": [
                [iri, [[x.notation, x.text, sorted(x.entities), x.strength] for x in rows]]
                for iri, rows in self.lines
            ],
        }

    @classmethod
    def from_json(cls, data: Any) -> EditionFacts:
        """The facts :meth:`to_json` gave.

        Raises:
            ValueError: ``data`` is not such facts (KeyError, TypeError likewise).
        """
        plans = tuple(
            PlanRow(str(i), str(p), str(t), _number(s), _number(e), tuple(map(str, w)), str(r))
            for i, p, t, s, e, w, r in data["plans"]
        )
        lines = tuple(
            (
                str(iri),
                tuple(
                    EditionLine(str(n), str(t), frozenset(map(str, named)), _number(rank))
                    for n, t, named, rank in rows
                ),
            )
            for iri, rows in data["lines"]
        )
        return cls(plans, lines)


def _number(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"not a whole number: {value!r}")
    return value


def _integer(value: str) -> int | None:
    return int(value) if value.strip().lstrip("-").isdigit() else None


def read_plan_rows(store: ReadStore) -> tuple[PlanRow, ...]:
    """The rows of ``editions/plans`` on ``store``, by plan id."""
    table = select_table(store, load_query("editions/plans").text)
    return tuple(
        # the parties sorted: GROUP_CONCAT's order is the engine's
        PlanRow(
            iri, plan, title, _integer(start), _integer(end), tuple(sorted(parties.split())), text
        )
        for iri, plan, title, start, end, parties, text in table.rows
    )


def read_line_rows(store: ReadStore) -> tuple[tuple[str, tuple[EditionLine, ...]], ...]:
    """The action lines of every plan of ``store`` (by plan IRI), in text order: the
    rows of ``editions/lines`` with the entities of ``editions/line-entities`` and the
    ranks of ``editions/line-ranks`` (a line of two ranked commitments is two rows, as a
    join would give, the lower rank first), ordered by plan IRI and start offset."""
    entities: dict[str, set[str]] = {}
    for line, entity in select_table(store, load_query("editions/line-entities").text).rows:
        entities.setdefault(line, set()).add(entity)
    ranks: dict[str, list[int | None]] = {}
    for line, rank in select_table(store, load_query("editions/line-ranks").text).rows:
        ranks.setdefault(line, []).append(_integer(rank))
    rows = []
    for plan, iri, notation, text, start in select_table(
        store, load_query("editions/lines").text
    ).rows:
        named = frozenset(entities.get(iri, ()))
        # sorted: the order of a query's rows is the engine's, not the data's
        for strength in sorted(ranks.get(iri, [None]), key=lambda r: (r is not None, r or 0)):
            rows.append((plan, _integer(start), EditionLine(notation, text, named, strength)))
    # ties (none in a valid graph: SHACL gives each line one start) by notation, not by
    # the engine's row order
    rows.sort(key=lambda row: (row[0], -1 if row[1] is None else row[1], row[2].notation))
    lines: dict[str, list[EditionLine]] = {}
    for plan, _start, edition_line in rows:
        lines.setdefault(plan, []).append(edition_line)
    return tuple((plan, tuple(found)) for plan, found in lines.items())


def read_facts(store: ReadStore) -> EditionFacts:
    """The editions step's rows of every plan of ``store`` (the four queries run on it).

    Raises:
        QueryError: the store cannot answer them (an engine's row limit, say).
    """
    return EditionFacts(read_plan_rows(store), read_line_rows(store))


#: the predicates of the ontology's triples that the editions queries join with a plan
#: graph: the ranks of the strength scale (``editions/line-ranks``)
SUPPORT = (akg_term("rank"),)


def support_quads(ontology: Iterable[Quad]) -> list[Quad]:
    """The quads of the ``ontology`` graph the editions queries read (``SUPPORT``): what
    a store of one plan graph needs beside it for :func:`read_facts` to give that plan's
    rows (the whole ontology gives the same, in a store that takes longer to make)."""
    return [quad for quad in ontology if quad.predicate in SUPPORT]


def merge_facts(parts: Iterable[EditionFacts]) -> EditionFacts:
    """The facts of several plan graphs as one store's: plans ordered by id, lines by
    plan IRI (what the queries' ``ORDER BY`` and the sort of the lines give)."""
    plans: list[PlanRow] = []
    lines: list[tuple[str, tuple[EditionLine, ...]]] = []
    for part in parts:
        plans.extend(part.plans)
        lines.extend(part.lines)
    plans.sort(key=lambda row: row.plan)
    lines.sort(key=lambda item: item[0])
    return EditionFacts(tuple(plans), tuple(lines))
