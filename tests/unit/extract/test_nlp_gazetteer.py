"""The gazetteer: authority names found in text under the variants plans write."""

from __future__ import annotations

from aseankg.extract.nlp.gazetteer import GAZETTEER_KEY, label_variants, strip_period
from aseankg.extract.nlp.pipeline import load_pipeline
from aseankg.ontology.records import AuthorityEntity

AUTHORITY = (
    AuthorityEntity("arf", "Actor", "MeetingMechanism", "ASEAN Regional Forum", ("ARF",)),
    AuthorityEntity("asean", "Actor", "Party", "ASEAN", ("ASEAN",), party=True),
    AuthorityEntity(
        "apaec-2016-2025",
        "Instrument",
        "ActionPlan",
        "ASEAN Plan of Action on Energy Cooperation 2016-2025",
        ("APAEC",),
        period_start=2016,
        period_end=2025,
    ),
    AuthorityEntity(
        "acct", "Instrument", "Convention", "ASEAN Convention on Counter-Terrorism", ("ACCT",)
    ),
    AuthorityEntity(
        "leaders-statement",
        "Instrument",
        "Statement",
        "ASEAN Leaders' Joint Statement on Trafficking in Persons",
    ),
    AuthorityEntity(
        "health-programmes", "Instrument", "WorkPlan", "ASEAN Health Cluster Work Programme"
    ),
    AuthorityEntity(
        "unclos", "Instrument", "Convention", "United Nations Convention on the Law of the Sea"
    ),
    AuthorityEntity("un", "Actor", "InternationalOrganisation", "United Nations", ("UN",)),
)


def _matches(text: str) -> list[tuple[str, str]]:
    doc = load_pipeline(AUTHORITY)(text)
    return [(span.text, span.kb_id_) for span in doc.spans[GAZETTEER_KEY]]


def test_acronyms_match_only_as_written() -> None:
    assert ("ARF", "arf") in _matches("cooperation within the ARF")
    assert _matches("the arf and the Arf") == []


def test_long_names_match_in_any_case() -> None:
    assert ("ASEAN regional forum", "arf") in _matches("through the ASEAN regional forum")


def test_curly_and_straight_quotes_are_one_name() -> None:
    found = _matches("the ASEAN Leaders’ Joint Statement on Trafficking in Persons")
    assert (
        "ASEAN Leaders’ Joint Statement on Trafficking in Persons",
        "leaders-statement",
    ) in found


def test_hyphen_space_variants_are_one_name() -> None:
    for text in ("Counter-Terrorism", "Counter- Terrorism", "Counter Terrorism"):
        found = _matches(f"the ASEAN Convention on {text};")
        assert (f"ASEAN Convention on {text}", "acct") in found


def test_plural_and_period_suffix_variants_match() -> None:
    assert ("ASEAN Health Cluster Work Programmes", "health-programmes") in _matches(
        "under the ASEAN Health Cluster Work Programmes"
    )
    assert ("ASEAN Plan of Action on Energy Cooperation", "apaec-2016-2025") in _matches(
        "Support the ASEAN Plan of Action on Energy Cooperation (2016-2025)"
    )


def test_nested_names_are_kept_beside_the_outer_name() -> None:
    found = _matches("the United Nations Convention on the Law of the Sea")
    assert ("United Nations Convention on the Law of the Sea", "unclos") in found
    assert ("United Nations", "un") in found


def test_variants_strip_the_period_and_the_article() -> None:
    variants = label_variants("The ASEAN Work Plan 2016-2025")
    assert "ASEAN Work Plan" in variants and "ASEAN Work Plan 2016-2025" in variants
    assert strip_period("IAI Work Plan IV (2021-2025)") == "IAI Work Plan IV"
    assert "Plan of Action" not in label_variants("Plan of Action (2016-2020)")
