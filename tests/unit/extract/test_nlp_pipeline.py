"""The pipeline comes from config.cfg, built once per authority."""

from __future__ import annotations

from aseankg.extract.nlp.pipeline import DOCUMENT_STAGE, LINE_STAGE, load_pipeline
from aseankg.ontology.records import AuthorityEntity

AUTHORITY = (AuthorityEntity("arf", "Actor", "MeetingMechanism", "ASEAN Regional Forum", ("ARF",)),)


def test_the_pipeline_runs_the_configured_components_in_order() -> None:
    nlp = load_pipeline(AUTHORITY)
    assert tuple(nlp.pipe_names) == LINE_STAGE + DOCUMENT_STAGE
    assert nlp.lang == "en"


def test_the_pipeline_is_cached_per_authority() -> None:
    assert load_pipeline(AUTHORITY) is load_pipeline(list(AUTHORITY))
    assert load_pipeline(()) is not load_pipeline(AUTHORITY)
