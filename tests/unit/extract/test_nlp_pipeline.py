"""The pipeline comes from config.cfg, built once per authority."""

from __future__ import annotations

from aseankg.extract.nlp.pipeline import (
    DOCUMENT_STAGE,
    LINE_STAGE,
    annotate_document,
    load_pipeline,
)
from aseankg.ontology.records import AuthorityEntity

AUTHORITY = (AuthorityEntity("arf", "Actor", "MeetingMechanism", "ASEAN Regional Forum", ("ARF",)),)


def test_the_pipeline_runs_the_configured_components_in_order() -> None:
    nlp = load_pipeline(AUTHORITY)
    assert tuple(nlp.pipe_names) == LINE_STAGE + DOCUMENT_STAGE
    assert nlp.lang == "en"


def test_the_pipeline_is_cached_per_authority() -> None:
    assert load_pipeline(AUTHORITY) is load_pipeline(list(AUTHORITY))
    assert load_pipeline(()) is not load_pipeline(AUTHORITY)


def test_every_component_declares_what_it_writes_and_reads_nothing_undeclared() -> None:
    nlp = load_pipeline(AUTHORITY)
    analysis = nlp.analyze_pipes()
    assert analysis is not None
    assigned = {name: set(meta["assigns"]) for name, meta in analysis["summary"].items()}
    assert all(assigned.values()), assigned  # every component writes something, declared
    assert analysis["problems"] == {name: [] for name in nlp.pipe_names}


def test_a_plan_s_own_definition_wins_over_the_authority_in_a_later_text() -> None:
    """The two passes: "ARF" defined as something else earlier in the same document."""
    texts = ["Convene the ASEAN Road Fund (ARF)", "Report to the ARF"]
    docs = annotate_document(load_pipeline(AUTHORITY), texts)
    (link,) = [link for link in docs[1]._.aseankg_links if not link.nested]
    assert (link.entity.label, link.method) == ("ASEAN Road Fund", "acronym")
    (alone,) = annotate_document(load_pipeline(AUTHORITY), texts[1:])
    assert [link.entity.id for link in alone._.aseankg_links] == ["arf"]
