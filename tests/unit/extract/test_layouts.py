"""The layout rules of the structure parser (docs/parsing.md, "Layouts"), one by one.

Each test writes the smallest text that shows one rule; the whole plans of each layout,
in .txt, .docx and .pdf, are checked against their hand-made gold in
tests/integration/test_quality.py.
"""

from __future__ import annotations

import pytest
from fpdf import FPDF

from aseankg.extract.notation import notation_key
from aseankg.extract.parser import coverage_problem, parse_text
from aseankg.extract.read_pdf import read_pdf
from aseankg.extract.records import Plan, Source

SOURCE = Source("plan.txt", "txt", "0" * 64)
HEAD = "ASEAN-Japan Plan of Action (2026-2030)\nAdopted on 1 May 2025\n"


def parse(body: str) -> Plan:
    return parse_text(HEAD + body, SOURCE)


def lines(plan: Plan) -> list[tuple[str, str, str | None, str]]:
    return [(x.id, x.section, x.area, x.text) for x in plan.action_lines]


def test_lettered_lines_under_an_objective_are_action_lines() -> None:
    plan = parse(
        "1. Security\n1.1. Deepen dialogue\n(a) Hold meetings;\n(b) Share views;\n"
        "2.1 Expand trade\na) Cut tariffs;\nb) Cut fees;\n3.1. Link peoples\na. Fund study;\n"
    )
    assert lines(plan) == [
        ("1.1(a)", "1", "1.1", "Hold meetings"),
        ("1.1(b)", "1", "1.1", "Share views"),
        ("2.1(a)", "2", "2.1", "Cut tariffs"),
        ("2.1(b)", "2", "2.1", "Cut fees"),
        ("3.1(a)", "3", "3.1", "Fund study"),
    ]
    # an objective with no section heading gets an untitled section numbered from it
    assert [(s.id, s.title) for s in plan.sections] == [("1", "Security"), ("2", ""), ("3", "")]
    assert plan.unassigned == () and plan.warnings == ()


def test_lettered_text_under_a_decimal_line_stays_items_of_that_line() -> None:
    plan = parse("1. Trade\n1.1.1. Support through:\n(a) Outreach;\n(b) Training;\n")
    assert [x.id for x in plan.action_lines] == ["1.1.1"]
    assert [(i.label, i.text) for i in plan.action_lines[0].items] == [
        ("a", "Outreach"),
        ("b", "Training"),
    ]


def test_numbers_in_parentheses_restart_under_each_heading_like_letters() -> None:
    plan = parse(
        "1. Security\n1.1 Counter-terrorism\n1) Hold meetings;\n2) Share views;\n"
        "1.2 Maritime\n1) Patrol seas;\nII. Trade\n(1) Cut tariffs;\n(2) Cut fees.\n"
    )
    assert lines(plan) == [
        ("1.1.1", "1", "1.1", "Hold meetings"),
        ("1.1.2", "1", "1.1", "Share views"),
        ("1.2.1", "1", "1.2", "Patrol seas"),
        ("II.1", "II", None, "Cut tariffs"),
        ("II.2", "II", None, "Cut fees"),
    ]
    assert plan.unassigned == () and plan.coverage == 1.0
    # under a numbered line they are that line's text, not lines of their own
    under = parse("1. Trade\n1.1.1. Cooperate on:\n(1) Customs;\n(2) Standards;\n1.1.2. Meet.\n")
    assert [x.id for x in under.action_lines] == ["1.1.1", "1.1.2"]
    assert under.action_lines[0].text == "Cooperate on: (1) Customs; (2) Standards"


def test_lower_case_roman_lines_are_numbered_by_their_value() -> None:
    plan = parse(
        "I. POLITICAL COOPERATION\ni. Hold the summit;\nii. Support the forum;\n"
        "iii. Fund the centre;\niv. Train staff;\nv. Review it;\nvi. Report;\n"
        "II. ECONOMIC COOPERATION\n(i) Cut tariffs;\n(ii) Cut fees.\n"
    )
    assert [x.id for x in plan.action_lines] == [
        "I.1", "I.2", "I.3", "I.4", "I.5", "I.6", "II.1", "II.2",
    ]  # fmt: skip
    assert plan.unassigned == ()
    # in a lettered list, "i." after "h." is the letter
    letters = "".join(f"{c}. Do {c.upper()} things;\n" for c in "abcdefghij")
    lettered = parse("1. Trade\n1.1. Deepen links\n" + letters)
    assert [x.id for x in lettered.action_lines][-3:] == ["1.1(h)", "1.1(i)", "1.1(j)"]


def test_decimal_numbers_closed_by_a_parenthesis_and_named_numbers() -> None:
    closed = parse(
        "1. Security\n1.1.1) Hold meetings;\n1.1.2) Share views;\n2. Trade\n2.1.1) Cut fees;\n"
    )
    assert [x.id for x in closed.action_lines] == ["1.1.1", "1.1.2", "2.1.1"]
    named = parse(
        "1. Security\nAction 1.1: Hold meetings\nAction 1.2: Share views\n2. TRADE\n"
        "ACTION LINE 2.1 Cut fees\nActivity 2: Fund studies\n"
    )
    # an action line even when its text is heading-shaped (no final punctuation)
    assert [(x.id, x.text) for x in named.action_lines] == [
        ("1.1", "Hold meetings"),
        ("1.2", "Share views"),
        ("2.1", "Cut fees"),
        ("2.2", "Fund studies"),
    ]
    assert [s.id for s in named.sections] == ["1", "2"] and named.unassigned == ()


def test_word_bullets_o_and_private_use_symbols_are_bullets() -> None:
    plan = parse(
        "1. Security\n1.1 Dialogue\no Hold meetings;\no Share views;\n"
        "1.2 Trade\n\uf0b7 Cut fees;\n\uf0a7 Fund study;\n"
    )
    assert [x.id for x in plan.action_lines] == ["1.1.1", "1.1.2", "1.2.1", "1.2.2"]
    assert plan.unassigned == ()


def test_point_zero_numbers_are_sections_and_a_wrapped_line_is_no_heading() -> None:
    plan = parse(
        "1.0 POLITICAL-SECURITY\n1.1 Hold consultations at the PMC+1 and\n"
        "support the follow-up of its decisions;\n1.2 Support the forum;\n"
        "2.0 ECONOMIC\n2.1 Implement the roadmap;\n"
    )
    assert [(s.id, s.title) for s in plan.sections] == [
        ("1", "POLITICAL-SECURITY"),
        ("2", "ECONOMIC"),
    ]
    assert plan.areas == ()
    assert [(x.id, x.section, x.text) for x in plan.action_lines] == [
        ("1.1", "1", "Hold consultations at the PMC+1 and support the follow-up of its decisions"),
        ("1.2", "1", "Support the forum"),
        ("2.1", "2", "Implement the roadmap"),
    ]
    # a heading wrapped after "and" goes on capitalised: still a heading
    heading = parse("1. Trade\n1.1 Climate Change and\nSustainable Development\n(a) Plant trees;\n")
    assert [(a.id, a.title) for a in heading.areas] == [
        ("1.1", "Climate Change and Sustainable Development")
    ]


def test_roman_and_part_sections_with_lines_restarting_in_each() -> None:
    plan = parse(
        "I. POLITICAL COOPERATION\n1. Hold the summit;\n2. Support the forum;\n"
        "II. ECONOMIC COOPERATION\n1. Cut tariffs.\n"
        "Part III Social Cooperation\n1. Fund study;\nSection D Review\n1. Review it.\n"
    )
    assert [x.id for x in plan.action_lines] == ["I.1", "I.2", "II.1", "III.1", "D.1"]
    assert [s.id for s in plan.sections] == ["I", "II", "III", "D"]
    assert all(x.area is None for x in plan.action_lines)


def test_restarting_numbers_tell_headings_from_lines_by_shape_and_context() -> None:
    plan = parse(
        "1. Strengthen Maritime Cooperation\n1. Hold the annual forum;\n2. Share data;\n"
        "2. Promote Trade and Investment\n1. Cut tariffs;\n2. Report the progress to the JCC.\n"
    )
    # headings open with a verb here; they are told apart by what follows them
    assert [(s.id, s.title) for s in plan.sections] == [
        ("1", "Strengthen Maritime Cooperation"),
        ("2", "Promote Trade and Investment"),
    ]
    assert [x.id for x in plan.action_lines] == ["1.1", "1.2", "2.1", "2.2"]


def test_bullets_take_their_parents_id_and_their_position() -> None:
    plan = parse(
        "1. Politics\n• Hold talks;\n▪ Share views;\n2. Economy\n2.1 Trade\n- Cut tariffs;\n"
        "– Cut fees;\nSocial Affairs\n* Fund study;\n"
    )
    assert lines(plan) == [
        ("1.1", "1", None, "Hold talks"),
        ("1.2", "1", None, "Share views"),
        ("2.1.1", "2", "2.1", "Cut tariffs"),
        ("2.1.2", "2", "2.1", "Cut fees"),
        ("3.1", "3", None, "Fund study"),
    ]
    assert plan.sections[-1].title == "Social Affairs"


def test_bullets_under_an_action_line_stay_in_its_text() -> None:
    plan = parse("1. Trade\n1.1.1. Support the following:\n• outreach;\n• training;\n")
    assert lines(plan) == [("1.1.1", "1", None, "Support the following: • outreach; • training")]


def test_table_rows_are_lines_with_their_lead_and_timeline() -> None:
    text = HEAD + (
        "1. Maritime\nNo.\tActivity\tLead agency\tTimeframe\n"
        "1\tOrganise workshops;\tASEAN Secretariat\t2026-2027\n2\tShare data\tJapan\t2028\n"
    )
    plan = parse_text(text, SOURCE)
    assert lines(plan) == [
        ("1.1", "1", None, "Organise workshops"),
        ("1.2", "1", None, "Share data"),
    ]
    first = plan.action_lines[0]
    assert first.lead is not None and first.timeline is not None
    assert (first.lead.text, first.timeline.text) == ("ASEAN Secretariat", "2026-2027")
    assert text[first.lead.start : first.lead.end] == "ASEAN Secretariat"
    assert plan.coverage == 1.0


def test_headings_without_numbers_give_sections_and_areas() -> None:
    plan = parse(
        "Political Cooperation\nTransnational Crime\n1. Combat crime;\n2. Share data;\n"
        "Cybersecurity\n1. Train staff;\nEconomic Cooperation\nFinance\n1. Support the CMIM.\n"
    )
    assert [(s.id, s.title) for s in plan.sections] == [
        ("1", "Political Cooperation"),
        ("2", "Economic Cooperation"),
    ]
    assert [(a.id, a.title) for a in plan.areas] == [
        ("1.1", "Transnational Crime"),
        ("1.2", "Cybersecurity"),
        ("2.1", "Finance"),
    ]
    assert [x.id for x in plan.action_lines] == ["1.1.1", "1.1.2", "1.2.1", "2.1.1"]


def test_unread_numbered_text_lowers_coverage_and_is_reported() -> None:
    body = "1. Trade\n\n1.1.1. Cut tariffs;\n\n1-1-2 Cut fees on goods and services;\n"
    plan = parse(body)
    assert [x.id for x in plan.action_lines] == ["1.1.1"]
    (stretch,) = plan.unassigned
    assert (HEAD + body)[stretch.start : stretch.end] == "1-1-2 Cut fees on goods and services;"
    assert 0 < plan.coverage < 0.9
    problem = coverage_problem(plan)
    assert problem is not None and problem.startswith("numbered text left unassigned")


def test_gaps_and_duplicates_of_new_numbers_are_warnings_only() -> None:
    plan = parse("I. Politics\n1. Hold talks;\n3. Share views;\n3. Share data;\n")
    assert [x.id for x in plan.action_lines] == ["I.1", "I.3", "I.3"]
    assert "numbering gap: action line I.3 follows I.1" in plan.warnings
    assert "duplicate action line I.3" in plan.warnings
    assert coverage_problem(plan) is None


def _hyphenated_pdf(second_line: str) -> bytes:
    """A PDF whose lines are full (one width, a fixed-pitch font): each wraps."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("courier", "", 10)
    first = "1.1.1. Support the sustainable and inclusive develop-"
    for text in ("1. Trade", first, second_line, "proliferation of arms;"):
        pad = "" if len(text) < 30 else "x" * (len(first) - len(text))
        pdf.cell(
            0, 5, text.replace(" ", " " + pad, 1) if pad else text, new_x="LMARGIN", new_y="NEXT"
        )
    return bytes(pdf.output())


@pytest.mark.parametrize(
    ("second_line", "joined"),
    [
        ("ment of firms, and the development of trade, and non-", "development of"),
        ("ment of small firms and of trade and services and non-", "develop-ment of"),
    ],
)
def test_pdfium_line_end_hyphen_is_no_noncharacter_and_joins_by_rule(
    second_line: str, joined: str
) -> None:
    text, _ = read_pdf(_hyphenated_pdf(second_line))
    assert not any(0xFDD0 <= ord(c) <= 0xFDEF or (ord(c) & 0xFFFE) == 0xFFFE for c in text)
    assert joined in text  # dropped only when the document spells the joined word
    assert "non-proliferation" in text  # a compound keeps its hyphen


def test_notations_sort_by_number_roman_value_and_letter() -> None:
    notations = ["IX", "V", "IV.10", "IV.9", "2.1(b)", "2.1(a)", "1.10", "1.9", "1.1.1"]
    assert sorted(notations, key=notation_key) == [
        "1.1.1",
        "1.9",
        "1.10",
        "2.1(a)",
        "2.1(b)",
        "IV.9",
        "IV.10",
        "V",
        "IX",
    ]


def _split_row_pdf() -> bytes:
    """A work-plan table whose row 2 starts at the foot of page 1 and ends on page 2."""
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.set_font("helvetica", "", 10)
    columns = (15, 30, 120, 165)

    def row(y: float, *cells: str) -> None:
        for x, cell in zip(columns, cells, strict=True):
            if cell:
                pdf.text(x, y, cell)

    for page in (1, 2):
        pdf.add_page()
        pdf.text(90, 10, "ASEAN-Japan Work Plan")
        pdf.text(100, 290, f"Page {page}")
        if page == 1:
            pdf.text(15, 30, "1. Maritime Cooperation")
            row(40, "No.", "Activity", "Lead", "Timeline")
            row(46, "1", "Organise workshops on maritime", "ASEAN Secretariat", "2026")
            row(51, "", "domain awareness", "", "")
            row(270, "2", "Enhance cooperation on marine", "Japan Coast", "2027")
            row(275, "", "pollution with the", "Guard", "")
        else:
            row(25, "", "ASEAN Secretariat", "", "")
            row(31, "3", "Share data on fisheries", "ASEAN Secretariat", "2028")
            row(36, "", "management", "", "")
    return bytes(pdf.output())


def test_a_table_row_split_by_a_page_break_is_one_line() -> None:
    text, _ = read_pdf(_split_row_pdf())
    rows = [line.split("\t") for line in text.split("\n") if "\t" in line]
    assert rows == [
        ["No.", "Activity", "Lead", "Timeline"],
        ["1", "Organise workshops on maritime domain awareness", "ASEAN Secretariat", "2026"],
        [
            "2",
            "Enhance cooperation on marine pollution with the ASEAN Secretariat",
            "Japan Coast Guard",
            "2027",
        ],
        ["3", "Share data on fisheries management", "ASEAN Secretariat", "2028"],
    ]
    plan = parse_text(HEAD + text, SOURCE)
    assert [x.id for x in plan.action_lines] == ["1.1", "1.2", "1.3"]


def test_capital_letter_sections_are_letters_and_a_lone_c_is_no_roman_100() -> None:
    from aseankg.extract.parser import parse_text
    from aseankg.extract.records import Source

    text = (
        "ASEAN-EU Plan of Action (2026-2030)\nA. Political and Security Cooperation\n"
        "1. Strengthen dialogue through the ASEAN Regional Forum;\n"
        "2. Promote maritime cooperation;\nB. Economic Cooperation\n"
        "1. Enhance trade and investment;\nC. Socio-Cultural Cooperation\n"
        "1. Support education exchanges;\nD. Connectivity\n1. Promote digital connectivity;\n"
    )
    plan = parse_text(text, Source("p.txt", "txt", ""))
    assert [(s.id, s.title) for s in plan.sections] == [
        ("A", "Political and Security Cooperation"),
        ("B", "Economic Cooperation"),
        ("C", "Socio-Cultural Cooperation"),
        ("D", "Connectivity"),
    ]
    assert [line.id for line in plan.action_lines] == ["A.1", "A.2", "B.1", "C.1", "D.1"]
    assert plan.unassigned == ()
