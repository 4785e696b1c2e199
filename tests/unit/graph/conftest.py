"""Small hand-built plans (records, no parser or extractor) for the graph layer's tests."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace

import pytest

from aseankg.extract.records import (
    ActionLine,
    Area,
    Candidate,
    Item,
    LineExtraction,
    Mention,
    Plan,
    PlanExtraction,
    Section,
    Source,
)

TEXT = (
    "2031-2035 Plan of Action ASEAN-Testland\n"
    "1. Political Cooperation\n"
    "1.1. Human Rights\n"
    "1.1.1. Continue to support the work of the ASEAN Intergovernmental Commission on "
    "Human Rights (AICHR) with ASEAN;\n"
    "1.1.2. Promote maritime security in accordance with UNCLOS, including: "
    "(a) training; (b) the Testland Maritime Forum;\n"
    "2. Economic Cooperation\n"
    "2.1.1. Explore cooperation with the Testland Export Council.\n"
)


def span(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    """The half-open offsets of ``needle`` in ``text`` (first match after ``after``)."""
    start = text.index(needle, after)
    return start, start + len(needle)


def _line(number: str, section: str, area: str | None) -> ActionLine:
    start = TEXT.index(f"{number}. ") + len(number) + 2
    end = TEXT.index("\n", start)
    body = TEXT[start:end]
    return ActionLine(number, section, area, body.rstrip(";."), start, end)


def make_plan(plan_id: str = "asean-testland-2031-2035", text: str = TEXT) -> Plan:
    line_2 = _line("1.1.2", "1", "1.1")
    a, b = span(TEXT, "(a) training;"), span(TEXT, "(b) the Testland Maritime Forum;")
    items = (
        Item("a", "training", a[0] + 4, a[1] - 1),
        Item("b", "the Testland Maritime Forum", b[0] + 4, b[1] - 1),
    )
    return Plan(
        source=Source(path=f"/somewhere/{plan_id}.txt", format="txt", sha256="0" * 64),
        text=text,
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        plan=plan_id,
        title="2031-2035 Plan of Action ASEAN-Testland",
        adopted="2030-01-15",
        period_start=2031,
        period_end=2035,
        preamble=(),
        sections=(
            Section("1", "Political Cooperation", *span(TEXT, "Political Cooperation")),
            Section("2", "Economic Cooperation", *span(TEXT, "Economic Cooperation")),
        ),
        areas=(Area("1.1", "1", "Human Rights", *span(TEXT, "Human Rights")),),
        action_lines=(
            _line("1.1.1", "1", "1.1"),
            replace(line_2, items=items),
            _line("2.1.1", "2", None),
        ),
    )


def mention(
    plan: Plan, line: str, surface: str, entity: str, kind: str, role: str, **extra: object
) -> Mention:
    start, end = span(plan.text, surface, int(str(extra.pop("after", 0))))
    fields: dict[str, object] = {
        "plan": plan.plan,
        "action_line": line,
        "entity_id": entity,
        "entity_type": kind,
        "entity_label": str(extra.pop("label", surface)),
        "acronym": str(extra.pop("acronym", "")),
        "surface": surface,
        "start": start,
        "end": end,
        "role": role,
        "status": str(extra.pop("status", "known")),
    }
    fields.update(extra)
    return Mention(**fields)  # type: ignore[arg-type]


def make_extraction(plan: Plan) -> PlanExtraction:
    aichr = "ASEAN Intergovernmental Commission on Human Rights (AICHR)"
    council = "Testland Export Council"
    line_1 = LineExtraction(
        action_line="1.1.1",
        text=plan.action_lines[0].text,
        verbs=("continue", "support"),
        strength="strong",
        topics=("human-rights",),
        sdgs=("16", "16.3"),
        mentions=(
            mention(
                plan,
                "1.1.1",
                aichr,
                "aichr",
                "Actor",
                "supports",
                label="ASEAN Intergovernmental Commission on Human Rights",
                acronym="AICHR",
                confidence=0.9,
            ),
            mention(plan, "1.1.1", "ASEAN", "asean", "Actor", "party", nested=True),
            mention(
                plan,
                "1.1.1",
                "ASEAN",
                "asean",
                "Actor",
                "party",
                label="ASEAN",
                acronym="ASEAN",
                after=TEXT.index("with ASEAN"),
            ),
        ),
    )
    line_2 = LineExtraction(
        action_line="1.1.2",
        text=plan.action_lines[1].text,
        verbs=("promote",),
        strength="moderate",
        topics=("maritime-security", "no-such-topic"),
        mentions=(
            mention(
                plan,
                "1.1.2",
                "UNCLOS",
                "unclos",
                "Instrument",
                "conforms_to",
                label="1982 United Nations Convention on the Law of the Sea",
                acronym="UNCLOS",
            ),
        ),
    )
    line_3 = LineExtraction(
        action_line="2.1.1",
        text=plan.action_lines[2].text,
        verbs=("explore",),
        strength="weak",
        topics=(),
        mentions=(
            mention(
                plan,
                "2.1.1",
                council,
                "testland-export-council",
                "Actor",
                "cooperates_with",
                status="candidate",
            ),
        ),
    )
    start, end = span(plan.text, council)
    candidate = Candidate(
        id="testland-export-council",
        entity_type="Actor",
        type="PartnerBody",
        label=council,
        acronym="",
        evidence=council,
        action_line="2.1.1",
        start=start,
        end=end,
    )
    return PlanExtraction(plan.plan, (line_1, line_2, line_3), (candidate,))


@pytest.fixture
def plan() -> Plan:
    return make_plan()


@pytest.fixture
def extraction(plan: Plan) -> PlanExtraction:
    return make_extraction(plan)


PlanFactory = Callable[[str], tuple[Plan, PlanExtraction]]


@pytest.fixture
def make_records() -> PlanFactory:
    """Records of the small plan under another plan id."""

    def records(plan_id: str) -> tuple[Plan, PlanExtraction]:
        plan = make_plan(plan_id)
        return plan, make_extraction(plan)

    return records
