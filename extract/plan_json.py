"""The "Parse JSON" of DESIGN.md: a :class:`~aseankg.extract.records.Plan` as plain data."""

from __future__ import annotations

from typing import Any

from aseankg.extract.records import Plan

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
            }
            for line in plan.action_lines
        ],
    }
