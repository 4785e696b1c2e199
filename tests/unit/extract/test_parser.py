"""The structure parser: the seed in every format, a second plan, and the layout traps."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from aseankg.extract.errors import StructureError
from aseankg.extract.parser import parse_plan, parse_text, plan_to_json
from aseankg.extract.records import Plan, Source
from aseankg.extract.text_spans import normalise_span

RENDERINGS = {
    "txt": "seed_path",
    "docx": "seed_docx_path",
    "docx-auto-numbered": "seed_docx_auto_path",
    "pdf": "seed_pdf_path",
}
SOURCE = Source("plan.txt", "txt", "0" * 64)


def squash(text: str) -> str:
    """Text modulo runs of whitespace."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module", params=list(RENDERINGS))
def seed_plan(request: pytest.FixtureRequest) -> Plan:
    path: Path = request.getfixturevalue(RENDERINGS[request.param])
    return parse_plan(path)


def parse(text: str) -> Plan:
    return parse_text(text, SOURCE)


def assert_offsets_point_at_texts(plan: Plan) -> None:
    text = plan.text
    spans: list[tuple[str, int, int, bool]] = [
        *((p.text, p.start, p.end, False) for p in plan.preamble),
        *((s.title, s.start, s.end, False) for s in plan.sections),
        *((a.title, a.start, a.end, False) for a in plan.areas),
        *((line.text, line.start, line.end, True) for line in plan.action_lines),
    ]
    for expected, start, end, drop_final in spans:
        assert not text[start].isspace() and not text[end - 1].isspace(), expected
        assert normalise_span(text[start:end], drop_final=drop_final) == expected
    for line in plan.action_lines:
        for item in line.items:
            assert line.start <= item.start < item.end <= line.end
            assert normalise_span(text[item.start : item.end]).rstrip(";,") == item.text


def test_seed_has_the_structure_of_the_plan(seed_plan: Plan) -> None:
    assert [s.id for s in seed_plan.sections] == [str(n) for n in range(1, 9)]
    assert len(seed_plan.areas) == 24
    assert len(seed_plan.action_lines) == 106
    assert seed_plan.warnings == ()


def test_seed_lines_have_the_expected_parents_and_texts(
    seed_plan: Plan, seed_expected: dict[str, Any]
) -> None:
    got = [(x.id, x.section, x.area, squash(x.text)) for x in seed_plan.action_lines]
    want = [
        (x["id"], x["section"], x["area"], squash(x["text"])) for x in seed_expected["action_lines"]
    ]
    assert got == want


def test_seed_headings_have_the_expected_titles(
    seed_plan: Plan, seed_expected: dict[str, Any]
) -> None:
    assert [(s.id, s.title) for s in seed_plan.sections] == [
        (s["id"], s["title"]) for s in seed_expected["sections"]
    ]
    assert [(a.id, a.section, a.title) for a in seed_plan.areas] == [
        (a["id"], a["section"], a["title"]) for a in seed_expected["areas"]
    ]


def test_seed_front_matter(seed_plan: Plan, seed_expected: dict[str, Any]) -> None:
    assert squash(seed_plan.title) == seed_expected["title"]
    assert seed_plan.adopted == "2020-09-10"
    assert (seed_plan.period_start, seed_plan.period_end) == (2021, 2025)
    assert seed_plan.plan == "asean-canada-2021-2025"
    assert [squash(p.text) for p in seed_plan.preamble] == seed_expected["preamble"]


def test_seed_offsets_point_at_their_texts(seed_plan: Plan) -> None:
    assert_offsets_point_at_texts(seed_plan)


def test_seed_sections_without_areas_have_lines_directly_under_them(seed_plan: Plan) -> None:
    lines = {line.id: line for line in seed_plan.action_lines}
    assert (lines["5.1.1"].section, lines["5.1.1"].area) == ("5", None)
    assert (lines["8.1.3"].section, lines["8.1.3"].area) == ("8", None)
    assert lines["4.3.1"].area == "4.3"


def test_pdf_lines_carry_the_page_they_start_on(seed_plan: Plan) -> None:
    pages = [line.page for line in seed_plan.action_lines]
    if seed_plan.source.format != "pdf":
        assert set(pages) == {None}
        return
    numbers = [p for p in pages if p is not None]
    assert len(numbers) == 106 and numbers == sorted(numbers)
    assert numbers[0] == 1 and numbers[-1] > 5


def test_broken_lines_of_the_seed_span_their_line_break(seed_path: Path) -> None:
    plan = parse_plan(seed_path)
    lines = {line.id: line for line in plan.action_lines}
    for number in ("1.2.7", "2.3.1", "2.4.4", "2.7.2", "3.4.3", "3.6.3", "8.1.2"):
        assert "\n" in plan.text[lines[number].start : lines[number].end], number
    assert lines["2.3.1"].text.endswith("(APAEC) 2016-2025")
    assert lines["1.5.2"].text.endswith("mutually agreed areas")  # no final ";" in source


def test_second_plan_parses_to_its_expected_structure(
    nz_path: Path, nz_expected: dict[str, Any]
) -> None:
    plan = parse_plan(nz_path)
    data = plan_to_json(plan)
    assert data["title"] == nz_expected["title"]
    assert data["adopted"] == nz_expected["adopted"]
    assert data["period"] == nz_expected["period"]
    assert [p["text"] for p in data["preamble"]] == nz_expected["preamble"]
    assert [{"id": s["id"], "title": s["title"]} for s in data["sections"]] == nz_expected[
        "sections"
    ]
    assert [
        {"id": a["id"], "section": a["section"], "title": a["title"]} for a in data["areas"]
    ] == nz_expected["areas"]
    assert [
        {
            "id": x["id"],
            "section": x["section"],
            "area": x["area"],
            "items": [{"label": i["label"], "text": i["text"]} for i in x["items"]],
            "text": x["text"],
        }
        for x in data["action_lines"]
    ] == nz_expected["action_lines"]
    assert_offsets_point_at_texts(plan)
    assert len(plan.warnings) == 1 and "Note: activities" in plan.warnings[0]


@pytest.mark.parametrize("rendering", ["nz_docx_auto_path", "nz_pdf_path"])
def test_second_plan_reads_the_same_from_word_and_pdf(
    rendering: str, nz_path: Path, request: pytest.FixtureRequest
) -> None:
    plan = parse_plan(request.getfixturevalue(rendering))
    reference = parse_plan(nz_path)
    assert (plan.title, plan.adopted, plan.plan) == (
        reference.title,
        reference.adopted,
        reference.plan,
    )
    assert [(x.id, x.area, squash(x.text)) for x in plan.action_lines] == [
        (x.id, x.area, squash(x.text)) for x in reference.action_lines
    ]
    assert [[(i.label, squash(i.text)) for i in x.items] for x in plan.action_lines] == [
        [(i.label, squash(i.text)) for i in x.items] for x in reference.action_lines
    ]
    assert_offsets_point_at_texts(plan)


MINIMAL = "ASEAN-Japan Plan of Action 2024-2028\nAdopted on 5 August 2023\n"


def test_numbers_with_or_without_trailing_dot_and_with_a_tab() -> None:
    plan = parse(MINIMAL + "1.\tTrade\n1.1 Goods\n1.1.1\tCut tariffs;\n1.1.2 Cut fees;\n")
    assert [s.title for s in plan.sections] == ["Trade"]
    assert [a.id for a in plan.areas] == ["1.1"]
    assert [(x.id, x.text) for x in plan.action_lines] == [
        ("1.1.1", "Cut tariffs"),
        ("1.1.2", "Cut fees"),
    ]


def test_debris_is_removed_from_titles_and_texts_with_offsets_kept() -> None:
    text = MINIMAL + "1. [bookmark: _Toc1]Trade\n1.1.1. Cut [bookmark: _Toc2] tariffs;\n"
    plan = parse(text)
    assert plan.sections[0].title == "Trade"
    assert text[plan.sections[0].start :].startswith("Trade")
    assert plan.action_lines[0].text == "Cut tariffs"
    assert "[bookmark" in text[plan.action_lines[0].start : plan.action_lines[0].end]


def test_heading_split_over_two_lines_is_one_title() -> None:
    plan = parse(MINIMAL + "1. Political and\nSecurity Cooperation\n1.1.1. Talk;\n")
    assert plan.sections[0].title == "Political and Security Cooperation"
    assert plan.action_lines[0].section == "1"


def test_line_broken_over_lines_and_a_blank_line_continues_after_a_connector() -> None:
    plan = parse(MINIMAL + "1. Trade\n1.1.1. Support the\n\nimplementation of the\nplan;\n")
    assert plan.action_lines[0].text == "Support the implementation of the plan"
    assert plan.warnings == ()


def test_stray_note_after_a_blank_line_belongs_to_no_line() -> None:
    text = (
        MINIMAL
        + "1. Trade\n1.1.1. Cut tariffs;\n\n"
        + "The JCC will review this list yearly.\n1.1.2. Cut fees;\n"
    )
    plan = parse(text)
    assert [x.text for x in plan.action_lines] == ["Cut tariffs", "Cut fees"]
    assert len(plan.warnings) == 1 and "The JCC will review" in plan.warnings[0]


def test_note_right_below_a_complete_line_belongs_to_no_line() -> None:
    plan = parse(MINIMAL + "1. Trade\n1.1.1. Cut tariffs;\nNote: subject to funding.\n")
    assert plan.action_lines[0].text == "Cut tariffs"
    assert "Note: subject to funding" in plan.warnings[0]


def test_hard_wrapped_sentences_stay_in_their_line() -> None:
    plan = parse(
        MINIMAL
        + "1. Finance\n1.1.1. Explore financial education. These\n"
        + "include awareness of safeguards.\nThese include\nFraud Prevention\nprogrammes;\n"
    )
    assert plan.action_lines[0].text == (
        "Explore financial education. These include awareness of safeguards. "
        "These include Fraud Prevention programmes"
    )
    assert plan.warnings == ()


def test_unnumbered_sub_heading_between_lines_belongs_to_no_line() -> None:
    plan = parse(
        MINIMAL + "1. Funding\n1.1.1. Fund it;\nMonitoring and Review\n1.1.2. Review it;\n"
    )
    assert [x.text for x in plan.action_lines] == ["Fund it", "Review it"]
    assert "Monitoring and Review" in plan.warnings[0]


def test_number_glued_to_its_text_and_heading_ending_with_colon() -> None:
    plan = parse(MINIMAL + "1. Trade:\n1.1.1.Cut tariffs;\n")
    assert plan.sections[0].title == "Trade:"
    assert [(x.id, x.text) for x in plan.action_lines] == [("1.1.1", "Cut tariffs")]


def test_numbered_text_that_is_no_element_is_kept_in_the_line_with_a_warning() -> None:
    plan = parse(MINIMAL + "1. Trade\n1.1.1. Support the following:\n1.1.1.1. tariff cuts;\n")
    assert plan.action_lines[0].text == "Support the following: 1.1.1.1. tariff cuts"
    assert "read as part of action line 1.1.1" in plan.warnings[0]


def test_lettered_items_inline_have_their_own_offsets() -> None:
    text = MINIMAL + "1. Trade\n1.1.1. Promote: (a) goods; (b) services; and (c) investment;\n"
    plan = parse(text)
    line = plan.action_lines[0]
    assert [(i.label, i.text) for i in line.items] == [
        ("a", "goods"),
        ("b", "services"),
        ("c", "investment"),
    ]
    assert [text[i.start : i.end] for i in line.items] == ["goods;", "services;", "investment;"]
    assert line.text == "Promote: (a) goods; (b) services; and (c) investment"


def test_roman_items_and_nested_labels_and_lone_labels() -> None:
    plan = parse(
        MINIMAL
        + "1. Trade\n1.1.1. Study (i) tariffs (a) high or (b) low; and (ii) quotas;\n"
        + "1.1.2. Review item (c) of the annex;\n"
    )
    first, second = plan.action_lines
    assert [(i.label, i.text) for i in first.items] == [
        ("i", "tariffs (a) high or (b) low"),
        ("ii", "quotas"),
    ]
    assert second.items == ()


def test_gaps_and_duplicates_are_warned_and_kept() -> None:
    plan = parse(
        MINIMAL + "1. Trade\n1.1.1. One;\n1.1.3. Three;\n1.1.3. Three again;\n3. Later\n3.1.1. X;\n"
    )
    assert [x.id for x in plan.action_lines] == ["1.1.1", "1.1.3", "1.1.3", "3.1.1"]
    assert [x.text for x in plan.action_lines][2] == "Three again"
    joined = "\n".join(plan.warnings)
    assert "action line 1.1.3 follows 1.1.1" in joined
    assert "duplicate action line 1.1.3" in joined
    assert "section 3 follows 1" in joined


def test_adoption_line_first_gives_no_title_and_a_warning() -> None:
    plan = parse("Adopted on 1 May 2020\n1. Trade\n1.1.1. X;\n")
    assert (plan.title, plan.adopted) == ("", "2020-05-01")
    assert plan.warnings == ("no title line before the adoption line",)


def test_line_out_of_its_section_is_kept_with_a_warning() -> None:
    plan = parse(MINIMAL + "1. Trade\n1.1.1. X;\n2. Health\n1.1.2. Y;\n2.1.1. Z;\n")
    assert [(x.id, x.section) for x in plan.action_lines] == [
        ("1.1.1", "1"),
        ("1.1.2", "1"),
        ("2.1.1", "2"),
    ]
    assert plan.warnings == ("action line 1.1.2 appears under section 2",)


def test_crlf_text_keeps_offsets_into_the_text_as_read() -> None:
    text = (MINIMAL + "1. Trade\n1.1.1. Cut tariffs\non goods;\n").replace("\n", "\r\n")
    plan = parse(text)
    line = plan.action_lines[0]
    assert line.text == "Cut tariffs on goods"
    assert text[line.start : line.end] == "Cut tariffs\r\non goods;"
    assert plan.title == "ASEAN-Japan Plan of Action 2024-2028"


@pytest.mark.parametrize(
    ("adopted", "iso"),
    [
        ("Adopted on 5 August 2023", "2023-08-05"),
        ("Adopted at the 56th PMC+1 on 12th July, 2024", "2024-07-12"),
        ("Adopted on September 10, 2020", "2020-09-10"),
        ("Adopted in Jakarta", None),
    ],
)
def test_adoption_date_becomes_iso(adopted: str, iso: str | None) -> None:
    plan = parse(f"Plan of Action 2021-2025\n{adopted}\n1. Trade\n1.1.1. X;\n")
    assert plan.adopted == iso


@pytest.mark.parametrize(
    ("title", "plan_id"),
    [
        (
            "Plan of Action to Implement the ASEAN-Republic of Korea Strategic Partnership"
            " (2021-2025)",
            "asean-korea-2021-2025",
        ),
        ("ASEAN-New Zealand Plan of Action 2026–2030", "asean-new-zealand-2026-2030"),
        ("Plan of Action between ASEAN and the European Union 2023-2027", "asean-eu-2023-2027"),
        (
            "ASEAN-Atlantis Enhanced Partnership Plan of Action 2030-2034",
            "asean-atlantis-2030-2034",
        ),
    ],
)
def test_plan_id_is_partner_and_period_from_the_title(title: str, plan_id: str) -> None:
    assert parse(f"{title}\n1. Trade\n1.1.1. X;\n").plan == plan_id


def test_plan_id_can_be_given() -> None:
    assert parse_text(MINIMAL + "1. A\n1.1.1. X;\n", SOURCE, plan_id="mine").plan == "mine"


@pytest.mark.parametrize(
    "text",
    [
        "Just a letter.\nNothing numbered here.\n",
        "Plan\n2016-2025 was a decade.\n1.5 million people live there.\n",
    ],
)
def test_text_without_numbered_structure_is_an_error(text: str) -> None:
    with pytest.raises(StructureError, match="no numbered"):
        parse(text)


def test_json_matches_the_contract(seed_path: Path) -> None:
    data = plan_to_json(parse_plan(seed_path))
    assert list(data) == [
        "source",
        "text_sha256",
        "plan",
        "title",
        "adopted",
        "period",
        "preamble",
        "sections",
        "areas",
        "action_lines",
        "coverage",
        "unassigned",
    ]
    assert 0.9 <= data["coverage"] <= 1 and isinstance(data["unassigned"], list)
    assert data["source"]["format"] == "txt" and len(data["source"]["sha256"]) == 64
    assert data["period"] == {"start": 2021, "end": 2025}
    assert set(data["action_lines"][0]) == {
        "id",
        "section",
        "area",
        "text",
        "start",
        "end",
        "page",
        "items",
    }
