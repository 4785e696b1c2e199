"""IRI minting: the only place the graph layer builds IRIs for data nodes.

Every IRI is minted from content (plan id, notation, entity slug, offsets), never at
random, so the same sources give the same IRIs on every build. All IRIs hang under one
configurable base (default ``https://w3id.org/aseankg/id/``), following DESIGN.md "IRIs":

    plan/{plan}                         the plan of action
    plan/{plan}/text                    its text edition (canonical text + sha256)
    plan/{plan}/section/{n}             a section
    plan/{plan}/area/{n.n}              an area
    plan/{plan}/line/{n.n.n}            an action line
    plan/{plan}/line/{n.n.n}/item/{a}   a lettered sub-item
    plan/{plan}/line/{n.n.n}/commitment the line's commitment (verbs, strength)
    plan/{plan}/line/{n.n.n}/link/{slug}/{role}   a qualified actor/instrument link
    actor/{slug}, instrument/{slug}     entities (curated or candidate)
    mention/{plan}/{n.n.n}/{start}-{end}          a mention (Web Annotation), with
        .../target, .../target/position, .../target/quote
    source/{sha256}                     a source file
    graph/{plan}, graph/ontology, graph/authority, graph/build   named graphs
    build/{sha}                         a build activity
    genid/{graph}/{label}               skolem IRIs for blank nodes of packaged files
    software/aseankg/{version}          the software agent of a build
    partnership/{slug}                  a partnership, its plans as editions
    plan/{plan}/line/{n}/continuity/{previous-plan}/{previous-n}   a line's alignment
        with a previous line (.../continuity/{previous-plan} for a new line)
    plan/{plan}/continuity/{previous-plan}/{previous-n}            a dropped line
    method/continuity/{version}         the alignment method (a PROV plan)
    graph/editions                      the named graph of partnerships and continuity

>>> iris = Minter()
>>> iris.line("asean-canada-2021-2025", "1.5.1")
'https://w3id.org/aseankg/id/plan/asean-canada-2021-2025/line/1.5.1'
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import quote

from aseankg.graph.errors import GraphError

__all__ = ["DEFAULT_BASE", "SDG_BASE", "Minter", "check_base", "rebase"]

DEFAULT_BASE = "https://w3id.org/aseankg/id/"
SDG_BASE = "http://metadata.un.org/sdg/"

_BASE_PATTERN = re.compile(r"^https?://[^\s<>\"{}|\\^`]+/$")
_SEGMENT_SAFE = "-._~"


def check_base(base: str) -> str:
    """Return ``base`` if it is an absolute http(s) IRI ending in ``/``.

    Raises:
        GraphError: the base is not such an IRI.
    """
    if not _BASE_PATTERN.match(base):
        raise GraphError(f"the IRI base must be an http(s) IRI ending in '/': {base!r}")
    return base


def _segment(value: str) -> str:
    """Percent-encode one path segment (content values may hold any character)."""
    if not value:
        raise GraphError("cannot mint an IRI from an empty identifier")
    return quote(value, safe=_SEGMENT_SAFE)


class Minter:
    """Mints the IRIs of one graph under one base.

    Raises:
        GraphError: on construction when the base is not an http(s) IRI ending in ``/``.
    """

    __slots__ = ("base",)

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = check_base(base)

    # plan structure -------------------------------------------------------
    def plan(self, plan: str) -> str:
        return f"{self.base}plan/{_segment(plan)}"

    def text_edition(self, plan: str) -> str:
        return f"{self.plan(plan)}/text"

    def section(self, plan: str, number: str) -> str:
        return f"{self.plan(plan)}/section/{_segment(number)}"

    def area(self, plan: str, number: str) -> str:
        return f"{self.plan(plan)}/area/{_segment(number)}"

    def line(self, plan: str, number: str) -> str:
        return f"{self.plan(plan)}/line/{_segment(number)}"

    def item(self, plan: str, line: str, label: str) -> str:
        return f"{self.line(plan, line)}/item/{_segment(label)}"

    def commitment(self, plan: str, line: str) -> str:
        return f"{self.line(plan, line)}/commitment"

    def link(self, plan: str, line: str, entity: str, role: str) -> str:
        return f"{self.line(plan, line)}/link/{_segment(entity)}/{_segment(role)}"

    def plan_link(self, plan: str, entity: str, role: str) -> str:
        """A link of the plan itself to an entity (its parties)."""
        return f"{self.plan(plan)}/link/{_segment(entity)}/{_segment(role)}"

    # entities -------------------------------------------------------------
    def entity(self, kind: Literal["Actor", "Instrument"], slug: str) -> str:
        folder = "actor" if kind == "Actor" else "instrument"
        return f"{self.base}{folder}/{_segment(slug)}"

    def actor(self, slug: str) -> str:
        return self.entity("Actor", slug)

    def instrument(self, slug: str) -> str:
        return self.entity("Instrument", slug)

    # mentions -------------------------------------------------------------
    def mention(self, plan: str, line: str | None, start: int, end: int) -> str:
        scope = _segment(line) if line else "plan"
        return f"{self.base}mention/{_segment(plan)}/{scope}/{start}-{end}"

    def sdg_evidence(self, plan: str, line: str, code: str) -> str:
        """The annotation that ties action line ``line`` to the SDG ``code`` with its evidence."""
        return f"{self.line(plan, line)}/sdg/{_segment(code)}"

    def mention_target(self, mention: str) -> str:
        return f"{mention}/target"

    def position_selector(self, mention: str) -> str:
        return f"{mention}/target/position"

    def quote_selector(self, mention: str) -> str:
        return f"{mention}/target/quote"

    # partnerships and editions ----------------------------------------------
    def partnership(self, slug: str) -> str:
        return f"{self.base}partnership/{_segment(slug)}"

    def continuity(
        self, plan: str, line: str | None, previous_plan: str, previous_line: str | None
    ) -> str:
        """The alignment of ``line`` with ``previous_line`` (either may be None: a dropped
        previous line hangs under the plan, a new line under the line alone).

        Raises:
            GraphError: both lines are None.
        """
        if line is None:
            if previous_line is None:
                raise GraphError("a continuity needs a line or a previous line")
            return (
                f"{self.plan(plan)}/continuity/{_segment(previous_plan)}/{_segment(previous_line)}"
            )
        tail = f"/{_segment(previous_line)}" if previous_line is not None else ""
        return f"{self.line(plan, line)}/continuity/{_segment(previous_plan)}{tail}"

    def alignment_method(self, version: str) -> str:
        return f"{self.base}method/continuity/{_segment(version)}"

    def editions_graph(self) -> str:
        return f"{self.base}graph/editions"

    # provenance -----------------------------------------------------------
    def source(self, sha256: str) -> str:
        return f"{self.base}source/{_segment(sha256)}"

    def build(self, sha: str) -> str:
        return f"{self.base}build/{_segment(sha)}"

    def software(self, version: str) -> str:
        return f"{self.base}software/aseankg/{_segment(version)}"

    # named graphs ---------------------------------------------------------
    def plan_graph(self, plan: str) -> str:
        return f"{self.base}graph/{_segment(plan)}"

    def ontology_graph(self) -> str:
        return f"{self.base}graph/ontology"

    def authority_graph(self) -> str:
        return f"{self.base}graph/authority"

    def build_graph(self) -> str:
        return f"{self.base}graph/build"

    def plan_of_graph(self, graph: str) -> str | None:
        """The plan id of a per-plan graph IRI, or None for the shared graphs."""
        prefix = f"{self.base}graph/"
        if not graph.startswith(prefix):
            return None
        name = graph[len(prefix) :]
        if name in ("ontology", "authority", "build", "editions") or "/" in name:
            return None
        return name

    def skolem(self, scope: str, label: str) -> str:
        """A stable IRI for a blank node ``label`` (canonical) of a packaged graph."""
        return f"{self.base}genid/{_segment(scope)}/{_segment(label)}"

    # external -------------------------------------------------------------
    @staticmethod
    def sdg(code: str) -> str:
        """The UN SDG IRI of a goal or target (``"16"``, ``"16.3"``) or an IRI given as is."""
        if code.startswith(("http://", "https://")):
            return code
        return f"{SDG_BASE}{_segment(code)}"


def rebase(iri: str, base: str) -> str:
    """``iri`` moved from the default base onto ``base`` (other IRIs are returned as is)."""
    if base != DEFAULT_BASE and iri.startswith(DEFAULT_BASE):
        return base + iri[len(DEFAULT_BASE) :]
    return iri
