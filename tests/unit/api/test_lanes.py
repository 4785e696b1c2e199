"""The waiting line: lanes take turns, clients take turns, each lane is bounded."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest

from aseankg.api.http.lanes import FairQueue, Lane

T = TypeVar("T")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a thread of its own: the e2e tests' Playwright keeps an event
    loop running in the main thread for the whole session."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _order(arrivals: list[tuple[Lane, str]], *, capacity: int = 10) -> list[str]:
    async def scenario() -> list[str]:
        line: FairQueue[str] = FairQueue(capacity=capacity)
        names = {}
        for index, (lane, client) in enumerate(arrivals):
            names[line.push(lane, client)] = f"{lane}:{client}{index}"
        served = []
        while (waiter := line.pop()) is not None:
            served.append(names[waiter])
        assert len(line) == 0
        return served

    return run_async(scenario())


def test_one_client_flooding_a_lane_waits_behind_others_one_query() -> None:
    flood: tuple[Lane, str] = ("query", "flood")
    other: tuple[Lane, str] = ("query", "other")
    arrivals = [flood] * 4 + [other]
    assert _order(arrivals) == [
        "query:flood0",
        "query:other4",
        "query:flood1",
        "query:flood2",
        "query:flood3",
    ]


def test_lanes_take_turns_so_pages_are_not_starved_by_sparql() -> None:
    arrivals: list[tuple[Lane, str]] = [("query", f"c{i}") for i in range(3)]
    arrivals += [("page", ""), ("page", "")]
    assert _order(arrivals) == [
        "page:3",
        "query:c00",
        "page:4",
        "query:c11",
        "query:c22",
    ]


def test_a_full_lane_refuses_and_leaves_the_other_lane_open() -> None:
    async def scenario() -> None:
        line: FairQueue[str] = FairQueue(capacity=2)
        line.push("query", "a")
        line.push("query", "b")
        assert line.full("query") and not line.full("page")
        with pytest.raises(OverflowError):
            line.push("query", "c")
        line.push("page", "")
        assert (line.waiting("query"), line.waiting("page"), len(line)) == (2, 1, 3)

    run_async(scenario())


def test_waiters_that_gave_up_are_skipped_and_free_their_place() -> None:
    async def scenario() -> None:
        line: FairQueue[str] = FairQueue(capacity=2)
        first = line.push("query", "a")
        second = line.push("query", "a")
        line.discard("query", "a", first)
        assert not line.full("query")
        second.cancel()
        assert line.pop() is None and len(line) == 0

    run_async(scenario())
