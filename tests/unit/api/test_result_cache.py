"""The result cache on its own: LRU by bytes, a version change empties it, validators."""

from __future__ import annotations

from aseankg.api.http.cache import ResultCache, cache_key, etag_matches, strong_etag
from aseankg.graph.query import QueryJob, QueryResult


def result(size: int) -> QueryResult:
    return QueryResult("solutions", "json", b"x" * size)


def test_least_recently_used_goes_first_when_over_budget() -> None:
    cache = ResultCache(40_000)
    a, b, c = (cache_key("v1", QueryJob(f"ASK {{ <urn:{n}> ?p ?o }}")) for n in "abc")
    assert cache.put(a, result(9_000)) and cache.put(b, result(9_000))
    assert cache.get(a) is not None  # a is now the most recent
    for key in (c, cache_key("v1", QueryJob("ASK {}")), cache_key("v1", QueryJob("ASK{}"))):
        assert cache.put(key, result(9_000))
    assert len(cache) == 4
    assert cache.get(b) is None and cache.get(a) is not None and cache.get(c) is not None
    assert cache.size <= cache.max_bytes


def test_a_result_over_a_quarter_of_the_budget_is_not_kept() -> None:
    cache = ResultCache(40_000)
    key = cache_key("v1", QueryJob("ASK {}"))
    assert not cache.put(key, result(20_000))
    assert cache.get(key) is None and len(cache) == 0


def test_a_new_version_empties_the_cache_and_old_keys_are_refused() -> None:
    cache = ResultCache(1_000_000)
    old, new = cache_key("v1", QueryJob("ASK {}")), cache_key("v2", QueryJob("ASK {}"))
    cache.put(old, result(10))
    assert cache.get(new) is None and len(cache) == 0 and cache.size == 0
    assert not cache.put(old, result(10))
    assert cache.get(old) is None


def test_zero_budget_keeps_nothing() -> None:
    cache = ResultCache(0)
    key = cache_key("v1", QueryJob("ASK {}"))
    assert not cache.enabled and not cache.put(key, result(1))


def test_key_ignores_surrounding_white_space_only() -> None:
    assert cache_key("v", QueryJob(" ASK {}\n")) == cache_key("v", QueryJob("ASK {}"))
    assert cache_key("v", QueryJob("ASK  {}")) != cache_key("v", QueryJob("ASK {}"))
    assert strong_etag(cache_key("v1", QueryJob("ASK {}"))) != strong_etag(
        cache_key("v2", QueryJob("ASK {}"))
    )


def test_if_none_match_comparison() -> None:
    assert etag_matches('"a", W/"b"', '"b"') and etag_matches("*", '"b"')
    assert not etag_matches('"ab"', '"b"') and not etag_matches(None, '"b"')
