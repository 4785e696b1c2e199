"""The line aligner of two editions, on hand-made lines (no store)."""

from __future__ import annotations

from typing import Any

from aseankg.graph.continuity import Alignment, EditionLine, align_editions, word_diff

AHA = (
    "Continue to support the AHA Centre in realising One ASEAN One Response, "
    "including through capacity building"
)
HAZE = "Support the implementation of the ASEAN Agreement on Transboundary Haze Pollution"
SCHOLARSHIPS = (
    "Provide scholarships to ASEAN nationals under the New Zealand Scholarships Programme"
)
BALI = "Continue to support the work of the Bali Process on People Smuggling and Trafficking"
CYBER = (
    "cooperate on cybersecurity and on combating cybercrime, including through the "
    "ASEAN Cybersecurity Cooperation Strategy"
)


def _rows(alignment: list[Alignment]) -> list[tuple[str | None, str | None, str]]:
    return [(a.line, a.previous_line, a.relation) for a in alignment]


def test_lines_are_aligned_by_text_never_by_number() -> None:
    old = [
        EditionLine("1.1", AHA, frozenset({"aha"}), 2),
        EditionLine("1.2", HAZE, frozenset({"haze"}), 3),
    ]
    new = [
        EditionLine("1.1", HAZE, frozenset({"haze"}), 3),  # renumbered: was 1.2
        EditionLine("1.2", SCHOLARSHIPS, frozenset({"nzsp"}), 3),
        EditionLine("2.7", AHA, frozenset({"aha"}), 2),
    ]
    assert _rows(align_editions(new, old)) == [
        ("1.1", "1.2", "carried_over"),
        ("1.2", None, "new"),
        ("2.7", "1.1", "carried_over"),
    ]


def test_other_entities_or_strength_make_a_revised_line_with_what_changed() -> None:
    old = [EditionLine("3.1", HAZE, frozenset({"haze"}), 2)]
    text = (
        HAZE + " and the Roadmap on ASEAN Cooperation towards Transboundary Haze Pollution Control"
    )
    new = [EditionLine("4.4", text, frozenset({"haze", "roadmap"}), 3)]
    (row,) = align_editions(new, old)
    assert (row.relation, row.entities_added, row.entities_removed) == ("revised", ("roadmap",), ())
    assert row.strength_change == 1
    assert row.word_diff is not None and row.word_diff.startswith(HAZE)
    assert row.word_diff.endswith(
        "{+and the Roadmap on ASEAN Cooperation towards Transboundary Haze Pollution Control+}"
    )


def test_a_split_is_two_revised_pairs_and_a_dropped_line_is_reported() -> None:
    old = [
        EditionLine("1.4.2", f"{BALI}, and {CYBER}", frozenset({"bali", "acss"}), 2),
        EditionLine(
            "1.4.3", "Explore cooperation on sports through youth football", frozenset(), 1
        ),
    ]
    new = [
        EditionLine("1.3.2", BALI + ", and explore border management", frozenset({"bali"}), 2),
        EditionLine("1.3.3", "Strengthen " + CYBER[10:] + " (2021-2025)", frozenset({"acss"}), 2),
    ]
    assert _rows(align_editions(new, old)) == [
        ("1.3.2", "1.4.2", "revised"),
        ("1.3.3", "1.4.2", "revised"),
        (None, "1.4.3", "dropped"),
    ]


def test_a_merge_is_two_revised_pairs_for_one_line() -> None:
    old = [
        EditionLine(
            "3.3.3",
            "Strengthen cooperation between higher education institutions, "
            "including through the ASEAN University Network (AUN)",
            frozenset({"aun"}),
            2,
        ),
        EditionLine(
            "3.3.4",
            "Encourage people-to-people links through the Asia New Zealand Foundation",
            frozenset({"anzf"}),
            1,
        ),
    ]
    merged = (
        "Strengthen cooperation between higher education institutions, including through the "
        "ASEAN University Network (AUN), and encourage people-to-people links through the Asia "
        "New Zealand Foundation"
    )
    new = [EditionLine("3.3.3", merged, frozenset({"aun", "anzf"}), 2)]
    assert _rows(align_editions(new, old)) == [
        ("3.3.3", "3.3.3", "revised"),
        ("3.3.3", "3.3.4", "revised"),
    ]


def test_a_first_edition_is_all_new_and_an_empty_one_drops_everything() -> None:
    lines = [EditionLine("1", HAZE), EditionLine("2", AHA)]
    assert {a.relation for a in align_editions(lines, [])} == {"new"}
    assert _rows(align_editions([], lines)) == [(None, "1", "dropped"), (None, "2", "dropped")]


def test_word_diff_marks_removed_and_added_words() -> None:
    assert word_diff("Explore cooperation on health", "Enhance cooperation on health") == (
        "[-Explore-] {+Enhance+} cooperation on health"
    )
    assert word_diff("a b c", "a b c") == "a b c"


def test_a_line_naming_no_entity_can_be_split_too() -> None:
    # no entity on either side: the entity rule of a split's halves does not apply
    old = [
        EditionLine(
            "2.1",
            "Promote cooperation on disaster risk reduction in coastal communities, and "
            "strengthen exchanges among young researchers on ocean science",
        )
    ]
    new = [
        EditionLine("2.1", "Promote cooperation on disaster risk reduction in coastal communities"),
        EditionLine(
            "2.2", "Strengthen exchanges among young researchers on ocean science and fisheries"
        ),
    ]
    assert _rows(align_editions(new, old)) == [("2.1", "2.1", "revised"), ("2.2", "2.1", "revised")]


def test_containment_of_listed_pairs_is_the_whole_matrix_number() -> None:
    # _containment scores only the pairs the passes look at; each must get the number
    # rapidfuzz gives it in the matrix of every line, and of every clause, against all
    import numpy as np
    from rapidfuzz import fuzz, process, utils

    from aseankg.graph.continuity import _CONTAINMENT_CUTOFF, _clauses, _containment

    new = [AHA, f"{BALI}, and {CYBER}", SCHOLARSHIPS + "; " + HAZE, "Explore sport"]
    old = [HAZE, CYBER, f"{AHA}, and {SCHOLARSHIPS}", BALI]

    def matrix(queries: list[str], choices: list[str]) -> Any:
        return process.cdist(
            queries,
            choices,
            scorer=fuzz.token_set_ratio,
            processor=utils.default_process,
            dtype=np.float64,
            score_cutoff=_CONTAINMENT_CUTOFF,
        )

    whole = matrix(new, old)
    for i, text in enumerate(new):
        for clause in _clauses(text):
            whole[i] = np.maximum(whole[i], matrix([clause], old)[0])
    for j, text in enumerate(old):
        for clause in _clauses(text):
            whole[:, j] = np.maximum(whole[:, j], matrix(new, [clause])[:, 0])
    rows, columns = [3, 0, 1, 2, 1], [0, 2, 1, 2, 3]
    assert whole.max() >= 80  # some pairs contain each other
    assert _containment(new, old, rows, columns).tolist() == whole[rows, columns].tolist()
