"""The engine lane: how a sandboxed query worker reaches a SPARQL engine, and nothing else.

A query worker may not open a network socket (:mod:`aseankg.api.http.sandbox`). When
the store is a SPARQL engine, each worker gets a second pipe to the server process,
its *engine lane*: to connect, the worker asks on that pipe, the server opens a TCP
connection to the configured engine address (that one host and port, never a name or
address the worker chose) and hands the connected socket back over the pipe
(``SCM_RIGHTS``, :func:`multiprocessing.reduction.send_handle`). The worker's HTTP
client (httpx over httpcore) uses a network backend that gets its connections only so.
The seccomp filter stays as it is: the worker still cannot create a socket of its own,
and a connected TCP socket cannot be pointed at another host. Time limits, row caps,
content negotiation and the egress screen stay in front of the engine, in the worker
and the executor, as for the embedded store.

>>> EngineLane("127.0.0.1", 8890).address
('127.0.0.1', 8890)
"""

from __future__ import annotations

import multiprocessing.connection
import select
import socket
import threading
import time
from multiprocessing.reduction import recv_handle, send_handle
from typing import Any

import httpcore
import httpx

__all__ = ["EngineLane", "lane_transport"]

_CONNECT_TIMEOUT = 10.0


class EngineLane:
    """The server's side of the lanes to one engine at ``host:port``: one thread per
    worker answers its connection requests until the worker's pipe closes."""

    def __init__(self, host: str, port: int) -> None:
        self.address = (host, port)
        self.connections = 0

    def serve(self, conn: multiprocessing.connection.Connection) -> None:
        """Answer the connection requests arriving on ``conn`` in a daemon thread."""
        threading.Thread(
            target=self._answer, args=(conn,), daemon=True, name="aseankg-engine-lane"
        ).start()

    def _answer(self, conn: multiprocessing.connection.Connection) -> None:
        try:
            while conn.recv_bytes():
                try:
                    sock = socket.create_connection(self.address, timeout=_CONNECT_TIMEOUT)
                except OSError as exc:
                    conn.send(f"cannot connect to the engine: {exc}")
                    continue
                try:
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    conn.send("ok")
                    send_handle(conn, sock.fileno(), 0)
                    self.connections += 1
                finally:
                    sock.close()
        except (EOFError, OSError):
            pass
        finally:
            conn.close()


class _LaneStream(httpcore.NetworkStream):
    """A connection the lane handed over, as httpcore reads and writes one."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self._sock.settimeout(timeout)
        try:
            return self._sock.recv(max_bytes)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ReadError(str(exc)) from exc

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._sock.settimeout(timeout)
        try:
            self._sock.sendall(buffer)
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.WriteError(str(exc)) from exc

    def close(self) -> None:
        self._sock.close()

    def start_tls(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("the engine lane speaks plain HTTP to a private address")

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":  # an idle keep-alive connection that reads has closed
            readable, _, _ = select.select([self._sock], [], [], 0)
            return bool(readable)
        return self._sock if info == "socket" else None


class _LaneBackend(httpcore.NetworkBackend):
    """httpcore's network for a worker: every connection comes from the lane."""

    def __init__(self, conn: multiprocessing.connection.Connection) -> None:
        self._conn = conn
        self._lock = threading.Lock()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        with self._lock:
            try:
                self._conn.send_bytes(b"connect")
                answer = self._conn.recv()
                if answer != "ok":
                    raise httpcore.ConnectError(str(answer))
                fd = recv_handle(self._conn)
            except (EOFError, OSError) as exc:
                raise httpcore.ConnectError(f"the engine lane is closed: {exc}") from exc
        return _LaneStream(socket.socket(fileno=fd))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("the engine lane connects to the engine only")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def lane_transport(conn: multiprocessing.connection.Connection) -> httpx.HTTPTransport:
    """An httpx transport whose connections all come from the engine lane ``conn``."""
    transport = httpx.HTTPTransport()
    # httpx 0.28 (pinned) builds its pool without a network-backend option; its pool is
    # httpcore's, which takes one
    transport._pool = httpcore.ConnectionPool(network_backend=_LaneBackend(conn))
    return transport
