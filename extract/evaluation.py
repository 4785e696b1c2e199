"""Evaluate an extraction against gold annotations (JSON Lines, one action line each).

Gold format: ``{"action_line", "verbs": [...], "mentions": [{"surface", "type", "role",
"entity"}], "parties": [...]}``. A link is a pair (action line, entity) of a line's named
actors and instruments (parties and nested names apart). A predicted link matches a gold
link of its line whose entity key (the gold file keys entities by acronym or name, see
docs/annotation.md) is one of the predicted entity's names (id, label, acronym, surface,
each without period suffix), else a gold link whose surface overlaps the predicted
surface (a discovered entity cannot carry the curated key).

>>> Score(8, 2, 2).f1
0.8
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aseankg.extract.errors import ExtractError
from aseankg.extract.nlp.gazetteer import strip_period
from aseankg.extract.records import Mention, PlanExtraction

__all__ = ["GoldError", "Report", "Score", "evaluate", "read_gold"]


class GoldError(ExtractError):
    """The gold file cannot be read or is not gold annotations of the expected shape."""


@dataclass(frozen=True)
class Score:
    """True positives, false positives, false negatives; precision, recall, F1."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return round(2 * p * r / (p + r), 4) if p + r else 0.0


@dataclass
class Report:
    """The evaluation of one plan: scores, accuracies and the errors behind them."""

    links: Score
    verbs: Score
    parties: Score
    type_accuracy: float
    role_accuracy: float
    instrument_role_accuracy: float
    actor_role_accuracy: float
    misses: list[str] = field(default_factory=list)
    false_hits: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data."""

        def score(s: Score) -> dict[str, float | int]:
            return {
                "tp": s.tp,
                "fp": s.fp,
                "fn": s.fn,
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
                "f1": s.f1,
            }

        return {
            "links": score(self.links),
            "verbs": score(self.verbs),
            "parties": score(self.parties),
            "type_accuracy": round(self.type_accuracy, 4),
            "role_accuracy": round(self.role_accuracy, 4),
            "instrument_role_accuracy": round(self.instrument_role_accuracy, 4),
            "actor_role_accuracy": round(self.actor_role_accuracy, 4),
            "misses": self.misses,
            "false_hits": self.false_hits,
            "wrong": self.wrong,
        }


def read_gold(path: str | Path) -> dict[str, dict[str, Any]]:
    """The gold annotations of ``path`` by action line.

    Raises :class:`GoldError` when the file is missing, is not UTF-8 text, holds no
    record, or a line is not a JSON object with an ``action_line`` (and, when present,
    lists of ``verbs`` and ``parties`` strings and of ``mentions`` objects).
    """
    try:
        text = Path(path).read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise GoldError(
            f"{path}: not a gold file: not UTF-8 text (byte {exc.start}); expected JSON Lines"
        ) from exc
    except OSError as exc:
        raise GoldError(f"cannot read gold file {path}: {exc.strerror or exc}") from exc
    gold: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            raise GoldError(f"{path}:{number}: not JSON ({reason})") from exc
        if not isinstance(record, dict) or "action_line" not in record:
            raise GoldError(f"{path}:{number}: not a gold record with an action_line")
        problem = _shape_problem(record)
        if problem is not None:
            raise GoldError(f"{path}:{number}: {problem}")
        gold[str(record["action_line"])] = record
    if not gold:
        raise GoldError(f"{path}: holds no gold records (expected one JSON object per line)")
    return gold


def _shape_problem(record: dict[str, Any]) -> str | None:
    """What is wrong with the fields of a gold record, or None."""
    for key in ("verbs", "parties"):
        value = record.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"{key!r} is not a list of strings"
    mentions = record.get("mentions", [])
    if not isinstance(mentions, list) or not all(isinstance(m, dict) for m in mentions):
        return "'mentions' is not a list of objects"
    return None


def _norm(text: str) -> str:
    text = " ".join(text.replace("’", "'").lower().split())
    return re.sub(r"\s*-\s*", "-", text).removeprefix("the ")


def _keys(mention: Mention) -> set[str]:
    """The names under which a gold file may key the entity of ``mention``."""
    keys = {mention.entity_id, mention.entity_label, mention.acronym, mention.surface}
    keys |= {strip_period(k) for k in list(keys)}
    return {_norm(k) for k in keys if k}


def _overlaps(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    if a and b and (a in b or b in a):
        return True
    wa, wb = set(a.split()), set(b.split())
    return bool(wa and wb) and len(wa & wb) / max(len(wa), len(wb)) >= 0.6


def _match(
    predicted: list[Mention], gold: list[dict[str, Any]]
) -> tuple[list[tuple[Mention, dict[str, Any]]], list[Mention], list[dict[str, Any]]]:
    left = list(gold)
    pairs: list[tuple[Mention, dict[str, Any]]] = []
    unmatched: list[Mention] = []
    for mention in predicted:
        keys = _keys(mention)
        found = next((g for g in left if _norm(str(g.get("entity", ""))) in keys), None)
        if found is None:
            found = next(
                (g for g in left if _overlaps(str(g.get("surface", "")), mention.surface)), None
            )
        if found is None:
            unmatched.append(mention)
        else:
            left.remove(found)
            pairs.append((mention, found))
    return pairs, unmatched, left


def _inside(mention: Mention, others: list[Mention]) -> bool:
    """Whether ``mention`` lies inside the span of another of ``others``."""
    return any(
        o is not mention
        and o.start <= mention.start
        and mention.end <= o.end
        and (o.start, o.end) != (mention.start, mention.end)
        for o in others
    )


def _accuracy(pairs: Iterable[bool]) -> float:
    values = list(pairs)
    return sum(values) / len(values) if values else 1.0


def evaluate(extraction: PlanExtraction, gold_path: str | Path) -> Report:
    """Compare ``extraction`` with the gold file; lines absent from the gold are skipped.

    Raises :class:`GoldError` when the gold file cannot be read.
    """
    gold = read_gold(gold_path)
    link_tp = link_fp = link_fn = 0
    verb_tp = verb_fp = verb_fn = 0
    party_tp = party_fp = party_fn = 0
    all_pairs: list[tuple[Mention, dict[str, Any]]] = []
    report = Report(Score(0, 0, 0), Score(0, 0, 0), Score(0, 0, 0), 0, 0, 0, 0)
    for line in extraction.lines:
        record = gold.get(line.action_line)
        if record is None:
            continue
        outer = [m for m in line.mentions if not m.nested]
        # Links of the line's text: a table's lead column (role "lead") is not in its text.
        named = [m for m in outer if m.role not in ("party", "lead")]
        # An instrument inside another instrument's name is a link of its own (role
        # references); the gold lists it among the nested names: there it is scored.
        inner = [m for m in named if _inside(m, named)]
        named = [m for m in named if m not in inner]
        _, stray, _ = _match(inner, list(record.get("nested", [])))
        link_fp += len(stray)
        report.false_hits += [f"{line.action_line}: {m.entity_id} ({m.surface!r})" for m in stray]
        gold_mentions = [g for g in record.get("mentions", []) if g.get("role") != "party"]
        pairs, extra, missed = _match(named, gold_mentions)
        link_tp, link_fp, link_fn = (
            link_tp + len(pairs),
            link_fp + len(extra),
            link_fn + len(missed),
        )
        all_pairs += pairs
        report.false_hits += [f"{line.action_line}: {m.entity_id} ({m.surface!r})" for m in extra]
        report.misses += [
            f"{line.action_line}: {g.get('entity')} ({g.get('surface')!r})" for g in missed
        ]
        for m, g in pairs:
            if m.role != g.get("role") or m.entity_type != g.get("type"):
                report.wrong.append(
                    f"{line.action_line}: {m.entity_id} {m.entity_type}/{m.role} "
                    f"!= {g.get('type')}/{g.get('role')}"
                )
        got, want = set(line.verbs), set(record.get("verbs", []))
        verb_tp, verb_fp, verb_fn = (
            verb_tp + len(got & want),
            verb_fp + len(got - want),
            verb_fn + len(want - got),
        )
        parties = {m.entity_label for m in outer if m.role == "party"}
        gold_parties = set(record.get("parties", []))
        party_tp += len(parties & gold_parties)
        party_fp += len(parties - gold_parties)
        party_fn += len(gold_parties - parties)
    report.links = Score(link_tp, link_fp, link_fn)
    report.verbs = Score(verb_tp, verb_fp, verb_fn)
    report.parties = Score(party_tp, party_fp, party_fn)
    report.type_accuracy = _accuracy(m.entity_type == g.get("type") for m, g in all_pairs)
    report.role_accuracy = _accuracy(m.role == g.get("role") for m, g in all_pairs)
    report.instrument_role_accuracy = _accuracy(
        m.role == g.get("role") for m, g in all_pairs if g.get("type") == "Instrument"
    )
    report.actor_role_accuracy = _accuracy(
        m.role == g.get("role") for m, g in all_pairs if g.get("type") == "Actor"
    )
    return report
