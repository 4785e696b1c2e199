"""``aseankg parse PATH``: the structure of one plan as JSON, or its canonical text."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from aseankg.api.commands.plan_option import PlanIdOption
from aseankg.extract.parser import parse_plan, plan_to_json
from aseankg.extract.reader import read_document

__all__ = ["parse", "register"]


def parse(
    path: Annotated[
        str, typer.Argument(help="The plan of action to read: a .txt, .docx or .pdf file.")
    ],
    text: Annotated[
        bool,
        typer.Option(
            "--text",
            help="Print the canonical text (the string every offset points into) instead of JSON.",
        ),
    ] = False,
    plan_id: PlanIdOption = None,
    allow_partial: Annotated[
        bool,
        typer.Option(
            "--allow-partial",
            help="Accept a plan whose text was not all read (numbered text left unassigned, "
            "or coverage below the threshold): a warning instead of exit 1.",
        ),
    ] = False,
) -> None:
    """Read one plan of action and print its structure as JSON on stdout.

    The JSON holds the title, adoption date, period, preamble, sections, areas and
    action lines (with sub-items and, for PDFs, pages), each with half-open character
    offsets into the canonical text. Numbering gaps and duplicates are reported on
    stderr as warnings; the elements are kept as numbered. "coverage" is the share of
    the text read into an element, "unassigned" every stretch that was not. Exit 1 when
    the file cannot be read, has no numbered structure, or leaves numbered text
    unassigned or too little text read (unless --allow-partial).
    """
    if text:
        canonical, _, _ = read_document(path)
        _write(canonical)
        return
    plan = parse_plan(path, plan_id=plan_id, allow_partial=allow_partial)
    output = json.dumps(plan_to_json(plan), ensure_ascii=False, indent=2)
    for warning in plan.warnings:
        print(f"aseankg: warning: {warning}", file=sys.stderr)
    _write(output + "\n")


def _write(data: str) -> None:
    """Write ``data`` to stdout as UTF-8 bytes: no newline translation, any locale."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data)
        return
    sys.stdout.flush()
    buffer.write(data.encode("utf-8"))
    buffer.flush()


def register(app: typer.Typer) -> None:
    """Add the ``parse`` command to ``app``."""
    app.command("parse")(parse)
