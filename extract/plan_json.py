"""The "Parse JSON" of DESIGN.md: a :class:`~aseankg.extract.records.Plan` as plain data."""

from __future__ import annotations

from typing import Any

from aseankg.extract.records import ActionLine, Plan

__all__ = ["plan_to_json"]


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The "Parse JSON" of DESIGN.md for ``plan`` (plain dicts and lists)."""
    return {
        "source": {
            "path": plan.source.path,
            "format": plan.source.format,
            "sha256": plan.source.sha256,
        },
        "text_sha256": plan.text_sha256,
        "plan": plan.plan,
        "title": plan.title,
        "adopted": plan.adopted,
        "period": {"start": plan.period_start, "end": plan.period_end},
        "preamble": [{"text": p.text, "start": p.start, "end": p.end} for p in plan.preamble],
        "sections": [
            {"id": s.id, "title": s.title, "start": s.start, "end": s.end} for s in plan.sections
        ],
        "areas": [
            {"id": a.id, "section": a.section, "title": a.title, "start": a.start, "end": a.end}
            for a in plan.areas
        ],
        "action_lines": [
            {
                "id": line.id,
                "section": line.section,
                "area": line.area,
                "text": line.text,
                "start": line.start,
                "end": line.end,
                "page": line.page,
                "items": [
                    {"label": i.label, "text": i.text, "start": i.start, "end": i.end}
                    for i in line.items
                ],
                **_cells(line),
            }
            for line in plan.action_lines
        ],
        "coverage": plan.coverage,
        "unassigned": [{"start": u.start, "end": u.end, "text": u.text} for u in plan.unassigned],
    }


def _cells(line: ActionLine) -> dict[str, Any]:
    """``lead`` and ``timeline`` of a table row (absent for a line of running text)."""
    cells: dict[str, Any] = {}
    for key, span in (("lead", line.lead), ("timeline", line.timeline)):
        if span is not None:
            cells[key] = {"text": span.text, "start": span.start, "end": span.end}
    return cells
