"""The one result cache of the service, and the HTTP validators of ``/sparql`` (ETag,
``If-None-Match``). ``/sparql`` answers and the reads of the pages, the JSON routes and
the self-description (``Runtime.select``) all go through it.

The store is immutable between builds, so a serialised result is fully determined by
the dataset version (``manifest.json``) and the job: the normalised query text, the
dataset (union default graph, ``default-graph-uri`` / ``named-graph-uri``), the result
formats negotiated and the row cap. :class:`ResultCache` keeps such results in memory,
least recently used first out, bounded by the bytes it holds (``max_bytes``; 0 turns it
off). Keys carry the version, and the first key of a new version empties the cache, so
a result of an older build is never served after a swap.

Each HTTP worker process (``aseankg serve --workers N``) holds its own cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from aseankg.graph.query import QueryJob, QueryResult

__all__ = [
    "DEFAULT_CACHE_BYTES",
    "CacheKey",
    "ResultCache",
    "cache_key",
    "etag_matches",
    "strong_etag",
]

DEFAULT_CACHE_BYTES = 64 * 1024 * 1024

# what one entry costs besides its body: the key, the result object, the dict slot
_ENTRY_OVERHEAD = 512


@dataclass(frozen=True)
class CacheKey:
    """What a cached result depends on: the dataset ``version`` and the ``job`` (with its
    query text normalised)."""

    version: str
    job: QueryJob


def cache_key(version: str, job: QueryJob) -> CacheKey:
    """The key of ``job`` on the dataset ``version``; the query's leading and trailing
    white space is insignificant (nothing inside the text is touched)."""
    return CacheKey(version, dataclasses.replace(job, query=job.query.strip()))


def strong_etag(key: CacheKey) -> str:
    """A strong entity tag for the result of ``key`` (same version and job, same bytes)."""
    digest = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:32]
    return f'"{digest}"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header value matches ``etag`` (weak comparison, as
    RFC 9110 prescribes for it; ``*`` matches any current representation)."""
    if not if_none_match:
        return False
    for tag in if_none_match.split(","):
        tag = tag.strip()
        if tag == "*" or tag.removeprefix("W/") == etag.removeprefix("W/"):
            return True
    return False


def _size(key: CacheKey, result: QueryResult) -> int:
    return len(result.body) + len(key.job.query) + _ENTRY_OVERHEAD


class ResultCache:
    """Serialised results by :class:`CacheKey`, LRU, at most ``max_bytes`` in all.

    A result larger than a quarter of the budget is not kept (it would push out many
    others). ``hits``, ``misses`` and ``size`` are there for metrics and tests.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, max_bytes)
        self.hits = 0
        self.misses = 0
        self.size = 0
        self._version: str | None = None
        self._entries: OrderedDict[CacheKey, QueryResult] = OrderedDict()

    @property
    def enabled(self) -> bool:
        """False when the budget is 0: every query is computed."""
        return self.max_bytes > 0

    def __len__(self) -> int:
        return len(self._entries)

    def _see(self, version: str) -> None:
        """Forget everything when the dataset version changes (the old build is gone)."""
        if version != self._version:
            self._entries.clear()
            self.size = 0
            self._version = version

    def get(self, key: CacheKey) -> QueryResult | None:
        """The cached result of ``key``, or None (counted as a miss)."""
        self._see(key.version)
        result = self._entries.get(key)
        if result is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return result

    def put(self, key: CacheKey, result: QueryResult) -> bool:
        """Keep ``result`` under ``key``, evicting the least recently used entries to stay
        within budget; False when it is not kept (cache off, result too large, or ``key``
        of another version than the one last looked up)."""
        if not self.enabled or (self._version is not None and key.version != self._version):
            return False
        size = _size(key, result)
        if size > self.max_bytes // 4:
            return False
        self._see(key.version)
        old = self._entries.pop(key, None)
        if old is not None:
            self.size -= _size(key, old)
        while self._entries and self.size + size > self.max_bytes:
            evicted_key, evicted = self._entries.popitem(last=False)
            self.size -= _size(evicted_key, evicted)
        self._entries[key] = result
        self.size += size
        return True
