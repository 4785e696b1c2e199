"""Load against a real server on loopback, bounded in count: cheap requests keep being
answered while slow queries run, at 256 connections; a full lane is ``busy`` with a
``Retry-After``. The assertions count answers and their order, never their timings."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from aseankg.api.http.errors import ServiceUnavailable
from aseankg.api.http.executor import Executor
from aseankg.graph.query import QueryJob

SLOW = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(?i != {n}) }}"
CHEAP = 'ASK {{ ?s ?p "cheap {n}" }}'

T = TypeVar("T")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a thread of its own: the e2e tests' Playwright keeps an event
    loop running in the main thread for the whole session."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _wait_until(condition: Callable[[], bool]) -> None:
    for _ in range(1200):  # a bound against a hang, not a timing
        if condition():
            return
        threading.Event().wait(0.05)
    raise AssertionError("condition never became true")


def _running(url: str) -> float:
    for line in httpx.get(f"{url}/metrics", timeout=30).text.splitlines():
        if line.startswith("aseankg_queries_running "):
            return float(line.split()[1])
    raise AssertionError("no aseankg_queries_running metric")


def test_cheap_ask_is_answered_while_two_slow_queries_run(
    make_server: Callable[..., str],
) -> None:
    url = make_server(query_workers=2, query_timeout=8.0, cache_bytes=0)
    finished: list[str] = []
    slow_answers: list[httpx.Response] = []

    def slow(n: int) -> None:
        with httpx.Client(base_url=url, timeout=60) as http:
            slow_answers.append(http.get("/sparql", params={"query": SLOW.format(n=n)}))
        finished.append(f"slow {n}")

    threads = [threading.Thread(target=slow, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    _wait_until(lambda: _running(url) >= 2)
    cheap = httpx.get(f"{url}/sparql", params={"query": CHEAP.format(n=0)}, timeout=60)
    page = httpx.get(f"{url}/api/actors", timeout=60)
    finished.append("cheap")
    for thread in threads:
        thread.join()
    assert cheap.status_code == 200 and cheap.json()["boolean"] is False
    assert page.status_code == 200 and page.json()["items"]
    assert finished[0] == "cheap"  # both slow ones still ran when it was answered
    assert [r.json()["type"].rsplit("/", 1)[1] for r in slow_answers] == ["timeout"] * 2


async def _load(url: str, connections: int, rounds: int, slow: int) -> dict[str, Counter[str]]:
    """``connections`` clients, each sending ``rounds`` cheap requests (``/api/actors``
    or an ASK of its own), while ``slow`` clients send a slow query each."""
    outcomes: dict[str, Counter[str]] = {"page": Counter(), "ask": Counter(), "slow": Counter()}
    limits = httpx.Limits(max_connections=connections + slow, max_keepalive_connections=0)

    def outcome(response: httpx.Response) -> str:
        if response.status_code == 200:
            return "200"
        kind = response.json()["type"].rsplit("/", 1)[1]
        assert response.status_code != 503 or kind != "busy" or response.headers["retry-after"]
        return f"{response.status_code} {kind}"

    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:

        async def slow_client(n: int) -> None:
            response = await http.get("/sparql", params={"query": SLOW.format(n=n)})
            outcomes["slow"][outcome(response)] += 1

        async def cheap_client(n: int) -> None:
            for r in range(rounds):
                if (n + r) % 2:
                    response = await http.get("/api/actors")
                    outcomes["page"][outcome(response)] += 1
                else:
                    query = CHEAP.format(n=f"{n}-{r}")
                    response = await http.get("/sparql", params={"query": query})
                    outcomes["ask"][outcome(response)] += 1

        await asyncio.gather(
            *(slow_client(n) for n in range(slow)),
            *(cheap_client(n) for n in range(connections)),
        )
    return outcomes


def test_256_connections_with_slow_queries_mixed_in_keep_cheap_requests_flowing(
    make_server: Callable[..., str],
) -> None:
    url = make_server(query_workers=2, query_timeout=5.0, cache_bytes=0)
    outcomes = run_async(_load(url, connections=256, rounds=2, slow=3))
    cheap = outcomes["page"] + outcomes["ask"]
    assert cheap.total() == 512
    assert cheap["200"] >= 0.9 * cheap.total(), outcomes
    assert set(cheap) <= {"200", "503 busy"}, outcomes  # no timeouts, no 500s
    assert set(outcomes["slow"]) <= {"503 timeout", "503 busy"}, outcomes
    assert httpx.get(f"{url}/health", timeout=30).status_code == 200


def test_a_query_turning_long_when_the_long_lane_is_full_is_busy_with_retry_after(
    make_server: Callable[..., str],
) -> None:
    url = make_server(query_workers=1, query_timeout=8.0, cache_bytes=0)
    answers: list[httpx.Response] = []

    def slow(n: int) -> None:
        answers.append(httpx.get(f"{url}/sparql", params={"query": SLOW.format(n=n)}, timeout=60))

    threads = [threading.Thread(target=slow, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kinds = sorted(r.json()["type"].rsplit("/", 1)[1] for r in answers)
    assert kinds == ["busy", "timeout"]
    [busy] = [r for r in answers if r.json()["type"].endswith("/busy")]
    assert "long-running" in busy.json()["detail"]
    assert int(busy.headers["retry-after"]) >= 1
    ask = httpx.get(f"{url}/sparql", params={"query": CHEAP.format(n=1)}, timeout=60)
    assert ask.status_code == 200


def test_a_full_lane_is_busy_with_retry_after_and_the_other_lane_still_served(
    seed_store: Path,
) -> None:
    async def scenario() -> tuple[ServiceUnavailable, str, str]:
        executor = Executor(seed_store, workers=1, timeout=4.0, queue_size=1, slow_after=60)
        await executor.start()
        try:
            slow = asyncio.create_task(executor.run(QueryJob(SLOW.format(n=1)), lane="query"))
            while not executor.running:
                await asyncio.sleep(0.01)
            queued = asyncio.create_task(
                executor.run(QueryJob(CHEAP.format(n=1)), lane="query", client="a")
            )
            while not executor.waiting:
                await asyncio.sleep(0.01)
            with pytest.raises(ServiceUnavailable) as refused:
                await executor.run(QueryJob(CHEAP.format(n=2)), lane="query", client="b")
            page = asyncio.create_task(executor.run(QueryJob(CHEAP.format(n=3)), lane="page"))
            with pytest.raises(ServiceUnavailable, match="time limit"):
                await slow
            return refused.value, (await queued).body.decode(), (await page).body.decode()
        finally:
            await executor.close()

    refused, queued, page = run_async(scenario())
    assert refused.kind == "busy" and refused.headers["Retry-After"] == "1"
    assert '"boolean":false' in queued and '"boolean":false' in page
