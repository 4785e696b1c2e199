"""Content negotiation as one pure function over the format registry
(:mod:`aseankg.graph.formats`).

>>> from aseankg.graph.formats import GRAPH_FORMATS, SOLUTION_FORMATS
>>> negotiate("text/csv;q=0.5, application/sparql-results+json", SOLUTION_FORMATS).name
'json'
>>> negotiate("image/png", GRAPH_FORMATS) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence

from aseankg.graph.formats import Format

__all__ = ["content_type", "negotiate", "parse_accept"]


def parse_accept(accept: str) -> list[tuple[str, float]]:
    """Media ranges of an ``Accept`` header with their q-values (malformed q counts as 0)."""
    ranges: list[tuple[str, float]] = []
    for part in accept.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        if media == "*":
            media = "*/*"
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value.strip())))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _quality(offer: Format, ranges: list[tuple[str, float]]) -> tuple[float, int]:
    """q of the most specific range matching ``offer`` (exact > alias > type/* > */*),
    0 if none, and how specific that range is."""
    best_rank, best_q = -1, 0.0
    for media, q in ranges:
        major, _, minor = media.partition("/")
        for candidate in (offer.media_type, *offer.aliases):
            c_major = candidate.partition("/")[0]
            if media == candidate:
                rank = 3 if candidate == offer.media_type else 2
            elif minor == "*" and major == c_major:
                rank = 1
            elif media == "*/*":
                rank = 0
            else:
                continue
            if rank > best_rank or (rank == best_rank and q > best_q):
                best_rank, best_q = rank, q
    return best_q, best_rank


def negotiate(accept: str | None, offers: Sequence[Format]) -> Format | None:
    """Choose the offer the client prefers: the highest q; at equal q, the offer named
    more specifically (``application/rdf+xml, */*`` means RDF/XML, not the first offer);
    then the earlier offer.

    No ``Accept`` (or an empty one) means the first offer; ``None`` means nothing in
    ``offers`` is acceptable (the caller answers 406).

    >>> from aseankg.graph.formats import GRAPH_FORMATS, HTML
    >>> negotiate("application/rdf+xml, */*", (HTML, *GRAPH_FORMATS)).name
    'rdfxml'
    """
    if not offers:
        return None
    if accept is None or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    best: Format | None = None
    best_key = (0.0, -1)
    for offer in offers:
        key = _quality(offer, ranges)
        if key[0] > 0 and key > best_key:
            best, best_key = offer, key
    return best


def content_type(fmt: Format) -> str:
    """The ``Content-Type`` header value for ``fmt`` (always UTF-8)."""
    return f"{fmt.media_type}; charset=utf-8"
