"""``aseankg check [--store DIR]``: OWL consistency and SHACL validation, exit 3 on failure.

Without ``--store``: the ontology and the authority file (HermiT consistency of both,
SHACL of the authority file). With ``--store DIR``: the graph layer's SHACL and
cross-node checks of the built store, then HermiT consistency of its plan graphs with
the ontology and the authority file.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from aseankg.api.commands.store_errors import check_store_option, reading_store
from aseankg.graph.errors import ValidationError

if TYPE_CHECKING:  # rdflib, pySHACL and owlready2 load when a check runs
    from rdflib import Graph

__all__ = ["check", "register"]

_SUPPORT_GRAPHS = ("/graph/ontology", "/graph/authority")


def check(
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="Check the built store in DIR or on a SPARQL engine (its URL, as for build) "
            "(default: the ontology and authority file only).",
            metavar="STORE",
            callback=check_store_option,
        ),
    ] = None,
    reason: Annotated[
        bool,
        typer.Option(
            "--reason/--no-reason",
            help="Run the OWL reasoner (HermiT) for consistency.",
        ),
    ] = True,
) -> None:
    """Validate the ontology and authority file, or a built store; exit 3 when it fails.

    Runs HermiT for OWL consistency (an inconsistency is reported with the individuals
    and the axioms involved) and SHACL validation; prints a summary on stdout and the
    full report of a failure on stderr.
    """
    from aseankg.ontology.reasoning import check_consistency
    from aseankg.ontology.resources import load_authority_graph
    from aseankg.ontology.validation import validate_graph

    if store is None:
        conforms, report = validate_graph(load_authority_graph())
        if not conforms:
            raise ValidationError("the authority file fails SHACL validation", report)
        _say("authority SHACL: conforms")
        if reason:
            result = check_consistency()
            _say(
                f"OWL consistency (HermiT): consistent — {result.individuals} individuals, "
                f"{result.triples} triples, {result.seconds:.1f} s"
            )
        return
    from aseankg.graph.validate import check_store

    with reading_store(str(store)):
        summary = check_store(store)
    _say(
        f"store SHACL and cross-node checks: {summary.plans} plan graph(s), "
        f"{summary.triples} triples"
    )
    if reason:
        with reading_store(str(store)):
            graphs = _plan_graphs(store)
        result = check_consistency(graphs)
        _say(
            f"OWL consistency (HermiT): consistent — {result.individuals} individuals, "
            f"{result.triples} triples, {result.seconds:.1f} s"
        )


def _plan_graphs(store: str) -> Graph:
    """The plan and build graphs of the store as one rdflib graph (not ontology/authority)."""
    from pyoxigraph import NamedNode, RdfFormat, serialize
    from rdflib import Graph

    from aseankg.graph.store import open_store

    oxigraph = open_store(store)
    graph = Graph()
    for name in oxigraph.named_graphs():
        if not isinstance(name, NamedNode) or name.value.endswith(_SUPPORT_GRAPHS):
            continue
        quads = oxigraph.quads_for_pattern(None, None, None, name)
        data = serialize((quad.triple for quad in quads), format=RdfFormat.N_TRIPLES)
        if data:
            graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def _say(message: str) -> None:
    print(message, file=sys.stdout)


def register(app: typer.Typer) -> None:
    """Add the ``check`` command to ``app``."""
    app.command("check")(check)
