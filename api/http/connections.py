"""Connection limits of the HTTP server: read timeouts, a connection cap, head size limits.

uvicorn bounds only the keep-alive wait after a response (``timeout_keep_alive``): a
fresh connection that never sends a byte, a request head that never ends and a body that
never ends are all waited for forever, so enough of them exhaust the process's file
descriptors. :class:`GuardedH11Protocol` is uvicorn's h11 protocol with what is missing:

- **head timeout** (``head_timeout``): the request line and headers must arrive within
  this time of the connection opening or of the previous response ending. A connection
  that sent nothing is closed silently; one that sent part of a head gets a 408
  problem+json, then is closed.
- **body timeout** (``body_timeout``): the whole body must arrive within this time of the
  head. Past it the connection is closed; the application sees the client as gone (the
  same path as a client that drops mid-body: no traceback, no 5xx).
- **connection cap** (``max_connections``): past the cap, the connection that has waited
  longest for its client (idle, or with a half-sent request) is closed to make room; when
  every connection is waiting for the server instead, the newcomer's request gets 503
  ``busy`` with ``Retry-After`` and the connection is closed. uvicorn's own
  ``limit_concurrency`` is not used: it answers 503 to new clients while idle sockets keep
  the slots, which is the exhaustion this guards against.
- **head size** (``max_target_bytes``, ``max_header_bytes``): a request line over the cap
  (a long GET query string) gets 413 problem+json telling the client to use POST; headers
  over theirs get 431. Both before the head is parsed, with the connection closed.
  Malformed heads get a 400 problem+json instead of uvicorn's plain text.

Why h11 and not httptools (uvicorn's default when installed): httptools has no bound we
can set on the head (it answered a 64 KiB URL with a plain-text 400) and it loses the body
of a POST carrying ``Upgrade: h2c`` (issue 18); h11 reads that body and lets the head size
be bounded here. The cost, measured with ``wrk`` on the ``/health`` route of this machine
(docs/endpoint.md, "Connection limits"), is small beside a query's cost.
"""

from __future__ import annotations

import asyncio
import functools
import resource
import time
from dataclasses import dataclass
from typing import Any

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from aseankg.api.http.errors import PROBLEM_MEDIA_TYPE, problem_body

__all__ = ["ConnectionLimits", "GuardedH11Protocol", "default_max_connections"]

# room for a chunk arriving past our own head check, so h11's hard limit trips after ours
_H11_MARGIN = 64 * 1024
# after a refusal, input is read and dropped this long before closing, so the client is
# not reset (losing the answer) while it is still sending
_LINGER = 2.0


def default_max_connections() -> int:
    """The connection cap: 1000, or less when the open-files limit would be hit first
    (128 descriptors are kept for the store, pipes to the query workers and logs)."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 1000
    return max(16, min(1000, soft - 128))


@dataclass(frozen=True)
class ConnectionLimits:
    """Limits of each HTTP connection (per uvicorn process); see the module docstring."""

    head_timeout: float = 10.0
    body_timeout: float = 30.0
    keep_alive: int = 5
    max_connections: int = 0  # 0: default_max_connections()
    max_target_bytes: int = 64 * 1024
    max_header_bytes: int = 64 * 1024

    def uvicorn_options(self) -> dict[str, Any]:
        """Keyword arguments for ``uvicorn.Config``/``uvicorn.run`` applying these limits."""
        return {
            "http": functools.partial(GuardedH11Protocol, limits=self),
            "timeout_keep_alive": self.keep_alive,
            "h11_max_incomplete_event_size": self.max_head_bytes + _H11_MARGIN,
        }

    @property
    def max_head_bytes(self) -> int:
        """The largest request head (line and headers) read."""
        return self.max_target_bytes + self.max_header_bytes

    @property
    def connection_cap(self) -> int:
        """``max_connections``, or the default when it is 0."""
        return self.max_connections or default_max_connections()


def _raw_problem(status: int, reason: str, title: str, detail: str, kind: str) -> bytes:
    """A whole HTTP/1.1 problem+json response that closes the connection."""
    body = problem_body(status, title, detail, kind=kind)
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        f"content-type: {PROBLEM_MEDIA_TYPE}\r\n"
        f"content-length: {len(body)}\r\n"
        "cache-control: no-store\r\n"
        "x-content-type-options: nosniff\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


async def _busy(scope: Any, receive: Any, send: Any) -> None:
    """The answer to a request over the connection cap when no connection can be freed."""
    body = problem_body(
        503,
        "Service unavailable",
        "the server has too many open connections; retry shortly",
        kind="busy",
    )
    headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", b"1"),
        (b"cache-control", b"no-store"),
        (b"x-content-type-options", b"nosniff"),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


_TIMED = (h11.IDLE, h11.SEND_BODY)  # the states in which we wait for the client


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with head/body timeouts, a connection cap and head limits."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
        *,
        limits: ConnectionLimits,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.limits = limits
        self.conn = h11.Connection(h11.SERVER, limits.max_head_bytes + _H11_MARGIN)
        self._timer: asyncio.TimerHandle | None = None
        self._timer_for: object = None  # the h11 state the timer watches
        self._waiting_since = time.monotonic()
        self._head_bytes = 0
        self._refused = False

    # -- the connection cap

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._watch()
        if len(self.connections) > self.limits.connection_cap and not self._evict_one():
            self.app = _busy

    def _waiting_for_client(self) -> bool:
        if self.transport is None or self.transport.is_closing():
            return False
        state = self.conn.their_state
        if state is h11.IDLE:
            return self.cycle is None or self.cycle.response_complete
        return state is h11.SEND_BODY and not self.cycle.response_started

    def _evict_one(self) -> bool:
        """Close the connection that has waited longest for its client; False if none."""
        victims = [
            other
            for other in self.connections
            if other is not self
            and isinstance(other, GuardedH11Protocol)
            and other._waiting_for_client()
        ]
        if not victims:
            return False
        min(victims, key=lambda other: other._waiting_since)._close()
        return True

    # -- timeouts

    def _watch(self) -> None:
        """Arm the timer that matches what the connection waits for, if it changed."""
        state = self.conn.their_state
        if state is self._timer_for and (self._timer is not None or state not in _TIMED):
            return
        self._cancel_timer()
        self._timer_for = state
        self._waiting_since = time.monotonic()
        if state is h11.IDLE:
            self._head_bytes = 0
            self._timer = self.loop.call_later(self.limits.head_timeout, self._head_timed_out)
        elif state is h11.SEND_BODY:
            self._timer = self.loop.call_later(self.limits.body_timeout, self._body_timed_out)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _head_timed_out(self) -> None:
        self._timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        if self.cycle is not None and not self.cycle.response_complete:
            return  # a pipelined request waits for the response before it: not idle
        if not self._head_bytes:
            self._close()
            return
        detail = f"the request head did not arrive within {self.limits.head_timeout:g} s"
        self._refuse(
            _raw_problem(408, "Request Timeout", "Request timeout", detail, "request-timeout")
        )

    def _body_timed_out(self) -> None:
        self._timer = None
        if self.conn.their_state is h11.SEND_BODY and not self.transport.is_closing():
            self._close()

    def _close(self) -> None:
        self._cancel_timer()
        self.transport.close()

    def _refuse(self, response: bytes) -> None:
        """Send ``response``, end our side, drop the client's input a moment, then close."""
        self._cancel_timer()
        self._unset_keepalive_if_required()
        self._refused = True
        self.transport.write(response)
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self._timer = self.loop.call_later(_LINGER, self._close)

    # -- reading

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        if self.conn.their_state is h11.IDLE:
            self._head_bytes += len(data)
            if self._head_bytes > 8 * 1024 and self._refuse_oversized_head(data):
                return
        super().data_received(data)
        self._watch()

    def _refuse_oversized_head(self, data: bytes) -> bool:
        """Answer 413/431 and close when the head being read is over its caps."""
        buffered = self.conn.trailing_data[0] + data
        end = buffered.find(b"\r\n\r\n")
        head = buffered if end < 0 else buffered[:end]
        line_end = head.find(b"\n")
        line = len(head) if line_end < 0 else line_end
        if line > self.limits.max_target_bytes:
            response = _raw_problem(
                413,
                "Content Too Large",
                "Payload too large",
                f"the request line is over the cap of {self.limits.max_target_bytes} bytes; "
                "send long queries by POST",
                "payload-too-large",
            )
        elif len(head) - line > self.limits.max_header_bytes:
            response = _raw_problem(
                431,
                "Request Header Fields Too Large",
                "Request header fields too large",
                f"the request headers are over the cap of {self.limits.max_header_bytes} bytes",
                "headers-too-large",
            )
        else:
            return False
        self._refuse(response)
        return True

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_timer()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        detail = "the request is not valid HTTP/1.1"
        self._refuse(_raw_problem(400, "Bad Request", "Bad request", detail, "bad-http"))

    def _unsupported_upgrade_warning(self) -> None:
        # Clients offer h2c on ordinary requests (Java's HttpClient); they are answered
        # over HTTP/1.1 as RFC 9113 allows, which is not worth a warning per request.
        pass
