"""Linking: one entity per mention, definitions before the authority file, nesting."""

from __future__ import annotations

from spacy.tokens import Doc

from aseankg.extract.nlp.linking import links_of
from aseankg.extract.nlp.pipeline import annotate_document, load_pipeline
from aseankg.extract.partners import slugify
from aseankg.ontology.records import AuthorityEntity

AUTHORITY = (
    AuthorityEntity("asean", "Actor", "Party", "ASEAN", ("ASEAN",), party=True),
    AuthorityEntity("canada", "Actor", "Party", "Canada", party=True),
    AuthorityEntity(
        "asean-canada-jcc",
        "Actor",
        "MeetingMechanism",
        "ASEAN-Canada Joint Cooperation Committee",
        ("JCC",),
    ),
    AuthorityEntity(
        "unclos", "Instrument", "Convention", "United Nations Convention on the Law of the Sea"
    ),
    AuthorityEntity("un", "Actor", "InternationalOrganisation", "United Nations", ("UN",)),
    AuthorityEntity(
        "mpac-2010", "Instrument", "MasterPlan", "Master Plan on ASEAN Connectivity 2010", ("MPAC",)
    ),
    AuthorityEntity(
        "mpac-2025", "Instrument", "MasterPlan", "Master Plan on ASEAN Connectivity 2025", ("MPAC",)
    ),
)


def _link(texts: list[str], authority: tuple[AuthorityEntity, ...] = AUTHORITY) -> list[Doc]:
    """The texts as one document, through the extractor's own two passes."""
    return annotate_document(load_pipeline(authority), texts)


def _outer(doc: Doc) -> list[tuple[str, str, str]]:
    return [
        (doc[link.start : link.end].text, link.entity.id, link.role)
        for link in links_of(doc)
        if not link.nested
    ]


def test_a_definition_is_one_mention_of_its_entity() -> None:
    (doc,) = _link(["convening the ASEAN-Canada Joint Cooperation Committee (JCC) Meeting"])
    assert _outer(doc) == [
        ("ASEAN-Canada Joint Cooperation Committee (JCC) Meeting", "asean-canada-jcc", "convenes")
    ]


def test_nested_names_are_not_links_of_the_line() -> None:
    (doc,) = _link(["in accordance with the United Nations Convention on the Law of the Sea"])
    assert _outer(doc) == [
        ("United Nations Convention on the Law of the Sea", "unclos", "conforms_to")
    ]
    nested = [link.entity.id for link in links_of(doc) if link.nested]
    assert nested == ["un"]


def test_an_acronym_resolves_through_the_plans_own_definition_first() -> None:
    docs = _link(
        [
            "Strengthen the ASEAN-New Zealand Joint Cooperation Committee (JCC);",
            "Review the plan through the JCC",
        ]
    )
    ((text, entity, _),) = _outer(docs[1])
    assert text == "JCC"
    assert entity == slugify("ASEAN-New Zealand Joint Cooperation Committee")


def test_an_unknown_definition_becomes_a_typed_candidate() -> None:
    (doc,) = _link(["Support the ASEAN Digital Masterplan 2025 (ADM 2025) and its successor"])
    (link,) = [link for link in links_of(doc) if not link.nested]
    assert (link.entity.status, link.entity.kind, link.entity.type) == (
        "candidate",
        "Instrument",
        "MasterPlan",
    )
    assert link.entity.id == "asean-digital-masterplan"


def test_the_period_written_in_the_text_chooses_the_edition() -> None:
    (doc,) = _link(["promote links between MPAC 2025 and other strategies"])
    assert [entity for _, entity, _ in _outer(doc)] == ["mpac-2025"]


def test_parties_are_flagged_and_compounds_are_no_parties() -> None:
    (doc,) = _link(["Support ASEAN’s efforts through ASEAN-led mechanisms with Canada"])
    assert [(text, role) for text, _, role in _outer(doc)] == [
        ("ASEAN", "party"),
        ("Canada", "party"),
    ]


def test_slugs_are_stable_ascii_ids() -> None:
    assert slugify("ASEAN Plus Canada Senior Officials’ Meeting") == (
        "asean-plus-canada-senior-officials-meeting"
    )
    assert slugify("PMC+1") == "pmc-plus-1"
