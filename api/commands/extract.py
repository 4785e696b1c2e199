"""``aseankg extract``, ``aseankg candidates``, ``aseankg evaluate``: the NLP extractor."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import asdict
from enum import StrEnum
from typing import Annotated, Any

import typer

from aseankg.extract.records import MENTION_COLUMNS, Mention, PlanExtraction

__all__ = [
    "MENTION_COLUMNS",
    "AllowPartial",
    "ExtractFormat",
    "PathArgument",
    "candidates",
    "evaluate",
    "extract",
    "register",
]


PathArgument = Annotated[
    str, typer.Argument(help="The plan of action to read: a .txt, .docx or .pdf file.")
]


class ExtractFormat(StrEnum):
    json = "json"
    csv = "csv"


def _row(mention: Mention) -> dict[str, Any]:
    return {column: getattr(mention, column) for column in MENTION_COLUMNS}


def _to_json(extraction: PlanExtraction) -> dict[str, Any]:
    lines = []
    for line in extraction.lines:
        mentions = []
        for mention in line.mentions:
            row = _row(mention)
            if mention.nested:
                row["nested"] = True
            mentions.append(row)
        lines.append(
            {
                "action_line": line.action_line,
                "text": line.text,
                "verbs": list(line.verbs),
                "strength": line.strength,
                "topics": list(line.topics),
                "sdgs": list(line.sdgs),
                "topic_evidence": [asdict(t) for t in line.topic_assignments],
                "mentions": mentions,
            }
        )
    return {"plan": extraction.plan, "action_lines": lines}


def _extract(path: str, *, allow_partial: bool = False) -> PlanExtraction:
    """The extraction of the plan at ``path``; spaCy is imported here, not at start-up.

    With ``allow_partial`` a plan not all read is extracted, its warning on stderr."""
    from aseankg.extract.extractor import extract_plan
    from aseankg.extract.parser import parse_plan

    plan = parse_plan(path, allow_partial=allow_partial)
    for warning in plan.warnings:
        if warning.startswith("partial plan accepted"):
            print(f"aseankg: warning: {warning}", file=sys.stderr)
    return extract_plan(plan)


AllowPartial = Annotated[
    bool,
    typer.Option(
        "--allow-partial",
        help="Accept a plan whose text was not all read (numbered text left unassigned, "
        "or coverage below the threshold): a warning instead of exit 1.",
    ),
]


def extract(
    path: PathArgument,
    format: Annotated[
        ExtractFormat, typer.Option("--format", help="json (default) or csv (the mentions table).")
    ] = ExtractFormat.json,
    allow_partial: AllowPartial = False,
) -> None:
    """Print the mentions of one plan: each action line's links to actors and instruments.

    json gives per action line its text, commitment verbs, strength, topics, SDGs and
    mentions (nested names flagged "nested": true); csv gives the mentions table with
    the columns plan,action_line,entity_id,entity_type,entity_label,acronym,surface,
    start,end,role,status (outermost names and the parties' rows). No store is needed.
    """
    extraction = _extract(path, allow_partial=allow_partial)
    if format is ExtractFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=MENTION_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for line in extraction.lines:
            for mention in line.mentions:
                if not mention.nested:
                    writer.writerow(_row(mention))
        return
    sys.stdout.write(json.dumps(_to_json(extraction), ensure_ascii=False, indent=2) + "\n")


def candidates(path: PathArgument) -> None:
    """List the entities found in a plan that the authority file does not know.

    One JSON object per candidate: its proposed id, kind (Actor/Instrument), type from
    its head noun, label, acronym, the action line and offsets of its first mention and
    the text around it, for curation into the authority file.
    """
    extraction = _extract(path)
    rows = [asdict(c) for c in extraction.candidates]
    sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")


def evaluate(
    path: PathArgument,
    gold: Annotated[str, typer.Option("--gold", help="Gold annotations (.jsonl) of the plan.")],
) -> None:
    """Score the extraction of a plan against gold annotations.

    Prints precision, recall and F1 of entity links per action line, type accuracy,
    role accuracy (instruments, actors) and verb precision/recall as JSON, with the
    misses, false hits and wrong types or roles listed. Exit 1 when the gold file
    cannot be read.
    """
    from aseankg.extract.evaluation import evaluate as evaluate_extraction
    from aseankg.extract.evaluation import read_gold

    read_gold(gold)  # a bad gold file fails before the seconds the extraction takes
    report = evaluate_extraction(_extract(path), gold)
    sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")


def register(app: typer.Typer) -> None:
    """Add ``extract``, ``candidates`` and ``evaluate`` to ``app``."""
    app.command("extract")(extract)
    app.command("candidates")(candidates)
    app.command("evaluate")(evaluate)
