"""The authority file as plain records, for layers that must not import rdflib (extract/)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["AuthorityEntity"]


@dataclass(frozen=True)
class AuthorityEntity:
    """One curated actor or instrument of the authority file.

    ``id`` is the slug (last IRI segment); ``type`` the local name of its most specific
    ontology class (``AseanBody``, ``Treaty`` ...); ``parent`` the slug of the body it
    belongs to (``org:subOrganizationOf``) or of the adopting body of an instrument.
    """

    id: str
    kind: Literal["Actor", "Instrument"]
    type: str
    label: str
    acronyms: tuple[str, ...] = ()
    alt_labels: tuple[str, ...] = ()
    parent: str | None = None
    party: bool = False
    binding: bool | None = None
    year: int | None = None
    period_start: int | None = None
    period_end: int | None = None
