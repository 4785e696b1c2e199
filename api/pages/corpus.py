"""What the graph holds as a corpus: partnerships, their editions, and a name per plan.

Every page names the plan a line, a hit or a node belongs to. A plan's name is its
partnership and period ("ASEAN–Canada 2021–2025"). The partnership is the graph's
``akg:partnership`` node when the build recorded one (its label in the page language);
before that, the actor whose slug the plan id names (``asean-canada-2021-2025`` ->
``actor/canada``, "ASEAN–Canada"), else the id's words. :func:`read_corpus` shapes the
rows of ``pages/plans`` and ``pages/partner-names`` into a :class:`Corpus`.

>>> from aseankg.api.pages.browse import PlanCard
>>> plan = PlanCard("https://w3id.org/aseankg/id/plan/asean-canada-2021-2025",
...                 "asean-canada-2021-2025", "2021-2025 Plan of Action", "", 106, 2021, 2025)
>>> corpus = corpus_of([plan], {plan.iri: "ASEAN\\u2013Canada"}, "https://w3id.org/aseankg/id/")
>>> corpus.name(plan.iri)
'ASEAN–Canada 2021–2025'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from aseankg.api.pages.browse import PlanCard, Rows, local_href, read_plans
from aseankg.api.pages.language import label_rank

__all__ = ["Corpus", "Partnership", "corpus_of", "read_corpus"]

_PERIOD = re.compile(r"-\d{4}(?:-\d{4})?$")
_DASH = "\u2013"


@dataclass(frozen=True)
class Partnership:
    """A partnership: its key (IRI, or the plan id's slug), label, page link, editions
    (oldest first)."""

    key: str
    label: str
    href: str
    editions: tuple[PlanCard, ...]


@dataclass(frozen=True)
class Corpus:
    """The plans of the graph, grouped into partnerships, with a name for each plan."""

    plans: tuple[PlanCard, ...]
    partnerships: tuple[Partnership, ...]
    labels: Mapping[str, str] = field(default_factory=dict)  # plan IRI -> partnership label

    def find(self, plan: str) -> PlanCard | None:
        """The plan whose id or IRI is ``plan``, or ``None``."""
        return next((p for p in self.plans if plan in (p.id, p.iri)), None)

    def name(self, plan_iri: str) -> str:
        """The plan's short name, "ASEAN–Canada 2021–2025" (its IRI's last segment when
        the graph does not hold it)."""
        plan = self.find(plan_iri)
        if plan is None:
            return plan_iri.rsplit("/", 1)[-1]
        return f"{self.labels.get(plan.iri, plan.id)} {plan.period}".strip()

    def partnership_of(self, plan_iri: str) -> Partnership | None:
        """The partnership ``plan_iri`` is an edition of."""
        return next(
            (s for s in self.partnerships if any(e.iri == plan_iri for e in s.editions)), None
        )

    def newest_first(self, plan_iris: Iterable[str]) -> list[str]:
        """``plan_iris`` ordered newest edition first (by period, then name)."""
        known = {p.iri: p for p in self.plans}

        def key(iri: str) -> tuple[int, str]:
            plan = known.get(iri)
            start = plan.period_start if plan and plan.period_start is not None else -1
            return (-start, self.name(iri))

        return sorted(set(plan_iris), key=key)


def _slug(plan: PlanCard) -> str:
    return _PERIOD.sub("", plan.id)


def _fallback_label(slug: str) -> str:
    partner = slug.removeprefix("asean-")
    if partner == slug:
        return slug.replace("-", " ").title()
    words = " ".join(w.upper() if len(w) <= 2 else w.title() for w in partner.split("-"))
    return f"ASEAN {words}" if partner.startswith("plus-") else f"ASEAN{_DASH}{words}"


def _partnership_label(label: str) -> str:
    """An actor label as a partnership ("Canada" -> "ASEAN–Canada"); a partnership's own
    label as written, its ASCII hyphen after ASEAN shown as a dash."""
    if label.startswith("ASEAN"):
        return re.sub(r"^ASEAN-", "ASEAN" + _DASH, label)
    return f"ASEAN{_DASH}{label}"


def _labels(plans: list[PlanCard], rows: Rows, language: str) -> dict[str, str]:
    """Plan IRI -> partnership label, from the rows of ``pages/partner-names``."""
    best: dict[str, tuple[tuple[int, int], str]] = {}
    partnership = {p.iri: p.partnership for p in plans}
    for row in rows:
        plan = row["plan"]
        own = 0 if row["node"] == partnership.get(plan) and partnership.get(plan) else 1
        rank = (own, label_rank(row.get("labelLang", ""), language))
        if plan not in best or rank < best[plan][0]:
            best[plan] = (rank, _partnership_label(row["label"]))
    return {p.iri: best[p.iri][1] if p.iri in best else _fallback_label(_slug(p)) for p in plans}


def _partnership_href(key: str, base: str) -> str:
    """The partnership's page (``/partnerships/{slug}``: its editions and what changed
    between them), or its linked-data page; "" for a partnership the graph has no node for."""
    prefix = base + "partnership/"
    if key.startswith(prefix):
        return "/partnerships/" + key[len(prefix) :]
    return local_href(key, base) if "/" in key else ""


def corpus_of(plans: Iterable[PlanCard], labels: Mapping[str, str], base: str) -> Corpus:
    """The :class:`Corpus` of ``plans`` with their partnership ``labels`` (plan IRI ->
    label); a plan with no label gets one from its id."""
    ordered = sorted(plans, key=lambda p: (p.period_start or 0, p.iri))
    groups: dict[str, list[PlanCard]] = {}
    names: dict[str, str] = {}
    for plan in ordered:
        key = plan.partnership or _slug(plan)
        groups.setdefault(key, []).append(plan)
        names[key] = labels.get(plan.iri) or _fallback_label(_slug(plan))
    partnerships = tuple(
        Partnership(key, names[key], _partnership_href(key, base), tuple(eds))
        for key, eds in sorted(groups.items(), key=lambda kv: names[kv[0]].casefold())
    )
    full = {p.iri: labels.get(p.iri) or _fallback_label(_slug(p)) for p in ordered}
    return Corpus(tuple(sorted(ordered, key=lambda p: p.iri)), partnerships, full)


def read_corpus(plan_rows: Rows, name_rows: Rows, language: str, base: str) -> Corpus:
    """The corpus from the rows of ``pages/plans`` and ``pages/partner-names``, labels in
    ``language`` where the graph has them."""
    plans = read_plans(plan_rows)
    return corpus_of(plans, _labels(plans, name_rows, language), base)
