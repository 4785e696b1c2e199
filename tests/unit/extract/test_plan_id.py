"""A plan's id is partner + period, the period read where plans of the genre state it;
two documents that claim one id in one build are an error naming both files."""

from __future__ import annotations

from pathlib import Path

import pytest

from aseankg.extract.parser import parse_plan
from aseankg.graph.build import build_records
from aseankg.graph.errors import GraphError

BODY = "1. Maritime Cooperation\n1.1.1. Enhance maritime cooperation;\n"


def _plan_id(tmp_path: Path, text: str, name: str = "plan.txt") -> tuple[str, object]:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    plan = parse_plan(path)
    return plan.plan, (plan.period_start, plan.period_end)


@pytest.mark.parametrize(
    ("front", "name", "plan_id", "period"),
    [
        (  # the title
            "ASEAN-Australia Plan of Action (2020-2024)\nAdopted on 1 August 2019\n",
            "a.txt",
            "asean-australia-2020-2024",
            (2020, 2024),
        ),
        (  # a line of its own near the top, en dash and spaces
            "Plan of Action to Implement the ASEAN-Australia Strategic Partnership\n"
            "(2015 – 2019)\n",
            "b.txt",
            "asean-australia-2015-2019",
            (2015, 2019),
        ),
        (  # the preamble's own period, not the previous plan's
            "Plan of Action to Implement the ASEAN-India Partnership\n"
            "Adopted on 4 August 2015\n"
            "Building on the Plan of Action (2010-2015), this Plan guides cooperation"
            " for the next five years (2016-2020).\n",
            "c.txt",
            "asean-india-2016-2020",
            (2016, 2020),
        ),
        (  # only the adoption date: its year names the plan, the period stays unknown
            "ASEAN-Japan Plan of Action\nAdopted on 10 November 2023\n",
            "d.txt",
            "asean-japan-2023",
            (None, None),
        ),
        (  # then the file name
            "ASEAN-Japan Plan of Action\n",
            "asean-japan-poa-2011-2015.txt",
            "asean-japan-2011-2015",
            (2011, 2015),
        ),
        (  # a framework keeps its own name in the id
            "ASEAN Plus Three Cooperation Work Plan (2023-2027)\n",
            "e.txt",
            "asean-plus-three-2023-2027",
            (2023, 2027),
        ),
        (
            "Plan of Action to Implement the East Asia Summit Statement (2024-2028)\n",
            "f.txt",
            "eas-2024-2028",
            (2024, 2028),
        ),
    ],
)
def test_the_period_is_read_where_plans_state_it(
    tmp_path: Path, front: str, name: str, plan_id: str, period: tuple[int, int]
) -> None:
    assert _plan_id(tmp_path, front + BODY, name) == (plan_id, period)


def test_two_documents_claiming_one_id_in_one_build_name_both_files(tmp_path: Path) -> None:
    first, second = tmp_path / "one.txt", tmp_path / "two.txt"
    first.write_text("ASEAN-Australia Plan of Action\n" + BODY, "utf-8")
    second.write_text("ASEAN-Australia Plan of Action\n1. Trade\n1.1.1. Promote trade;\n", "utf-8")
    plans = [parse_plan(first), parse_plan(second)]
    assert plans[0].plan == plans[1].plan == "asean-australia"
    for first_file_wins in (False, True):  # even in the default build of data/sources/
        with pytest.raises(GraphError, match=r"one\.txt and .*two\.txt"):
            build_records(
                [(plan, None) for plan in plans],
                store=tmp_path / "store",
                first_file_wins=first_file_wins,
            )


def test_one_document_in_two_formats_is_one_plan_in_the_default_build(tmp_path: Path) -> None:
    first, second = tmp_path / "plan.txt", tmp_path / "copy.txt"
    for path in (first, second):
        path.write_text("ASEAN-Australia Plan of Action (2020-2024)\n" + BODY, "utf-8")
    plans = [parse_plan(first), parse_plan(second)]
    summary = build_records(
        [(plan, None) for plan in plans], store=tmp_path / "store", first_file_wins=True
    )
    assert [p.plan for p in summary.plans] == ["asean-australia-2020-2024"]
    assert any("left out" in w for w in summary.warnings)
