"""The waiting line for a free query worker: bounded lanes served in turn, and in each
lane its clients served in turn.

Two lanes: ``page`` (the service's own reads for pages, ``/id``, ``/api`` and the UI)
and ``query`` (SPARQL sent by clients to ``/sparql``). When a worker frees up, the lanes
take turns, so a flood of SPARQL cannot starve the pages nor the reverse; inside a lane
each client (its address) takes its turn, so one client's hundred queries wait behind
another's one. Each lane holds at most ``capacity`` waiters: past that it is full, the
one condition under which the executor answers ``busy``.

>>> line: FairQueue[str] = FairQueue(capacity=2)
>>> line.full("query")
False
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from typing import Generic, Literal, TypeVar

__all__ = ["LANES", "FairQueue", "Lane"]

Lane = Literal["page", "query"]
LANES: tuple[Lane, ...] = ("page", "query")

T = TypeVar("T")


class FairQueue(Generic[T]):
    """Waiters (futures to be given a ``T``) in lanes and, inside a lane, by client."""

    def __init__(self, *, capacity: int) -> None:
        self.capacity = capacity
        self._lanes: dict[Lane, OrderedDict[str, deque[asyncio.Future[T]]]] = {
            lane: OrderedDict() for lane in LANES
        }
        self._sizes: dict[Lane, int] = dict.fromkeys(LANES, 0)
        self._turn: deque[Lane] = deque(LANES)

    def __len__(self) -> int:
        return sum(self._sizes.values())

    def waiting(self, lane: Lane) -> int:
        """Waiters in ``lane``."""
        return self._sizes[lane]

    def full(self, lane: Lane) -> bool:
        """Whether ``lane`` holds ``capacity`` waiters already."""
        return self._sizes[lane] >= self.capacity

    def push(self, lane: Lane, client: str) -> asyncio.Future[T]:
        """A new waiter of ``client`` at the end of its line in ``lane``. Raises
        ``OverflowError`` when the lane is full (check :meth:`full` first)."""
        if self.full(lane):
            raise OverflowError(f"the {lane} lane is full")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._lanes[lane].setdefault(client, deque()).append(future)
        self._sizes[lane] += 1
        return future

    def discard(self, lane: Lane, client: str, future: asyncio.Future[T]) -> None:
        """Take a waiter that gave up out of its line (nothing when it is not there)."""
        line = self._lanes[lane].get(client)
        if line is None or future not in line:
            return
        line.remove(future)
        self._sizes[lane] -= 1
        if not line:
            del self._lanes[lane][client]

    def pop(self) -> asyncio.Future[T] | None:
        """The next waiter still waiting: lanes in turn, clients in turn; ``None`` when
        nobody waits."""
        for _ in range(len(self._turn)):
            lane = self._turn[0]
            self._turn.rotate(-1)
            clients = self._lanes[lane]
            while clients:
                client, line = next(iter(clients.items()))
                future = line.popleft()
                self._sizes[lane] -= 1
                if line:
                    clients.move_to_end(client)
                else:
                    del clients[client]
                if not future.done():
                    return future
        return None
