"""Build provenance: time from SOURCE_DATE_EPOCH, software version, stable activity IRIs."""

from __future__ import annotations

from importlib import metadata

import pytest
from pyoxigraph import Literal, NamedNode

from aseankg.extract.records import Plan
from aseankg.graph.errors import GraphError
from aseankg.graph.iris import Minter
from aseankg.graph.provenance import (
    build_stamp,
    plan_build_iri,
    plan_provenance,
    software_version,
    store_provenance,
)
from aseankg.graph.vocabulary import AkgTerms, Prov


def test_time_comes_from_source_date_epoch() -> None:
    stamp = build_stamp({"SOURCE_DATE_EPOCH": "1700000000"})
    assert stamp.iso_time == "2023-11-14T22:13:20Z"
    assert stamp.version == metadata.version("aseankg") == software_version()


def test_a_bad_epoch_is_an_error() -> None:
    with pytest.raises(GraphError, match="SOURCE_DATE_EPOCH"):
        build_stamp({"SOURCE_DATE_EPOCH": "yesterday"})


def test_plan_activity_records_source_software_and_time(plan: Plan) -> None:
    stamp = build_stamp({"SOURCE_DATE_EPOCH": "0"})
    minter = Minter()
    quads = plan_provenance(plan, stamp, minter)
    activity = NamedNode(plan_build_iri(plan, stamp, minter))
    facts = {(q.subject, q.predicate, q.object) for q in quads}
    assert (activity, Prov.used, NamedNode(minter.source(plan.source.sha256))) in facts
    assert (activity, AkgTerms.softwareVersion, Literal(stamp.version)) in facts
    times = [q.object for q in quads if q.predicate == Prov.startedAtTime]
    assert [t.value for t in times if isinstance(t, Literal)] == ["1970-01-01T00:00:00Z"]
    # same inputs, same activity; another time, another activity
    assert plan_build_iri(plan, stamp, minter) == activity.value
    later = build_stamp({"SOURCE_DATE_EPOCH": "60"})
    assert plan_build_iri(plan, later, minter) != activity.value


def test_store_activity_is_informed_by_the_plan_builds() -> None:
    stamp = build_stamp({"SOURCE_DATE_EPOCH": "0"})
    minter = Minter()
    pairs = [
        (minter.plan_graph("b"), minter.build("2")),
        (minter.plan_graph("a"), minter.build("1")),
    ]
    quads = store_provenance(pairs, stamp, minter)
    informed = sorted(
        q.object.value
        for q in quads
        if q.predicate == Prov.wasInformedBy and isinstance(q.object, NamedNode)
    )
    assert informed == [minter.build("1"), minter.build("2")]
    assert quads == store_provenance(list(reversed(pairs)), stamp, minter)
