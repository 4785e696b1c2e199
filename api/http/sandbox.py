"""The network sandbox of a query worker: a seccomp filter, installed at start-up, under
which the process cannot open a network socket at all.

This is the second, independent egress guard (the first is the verified parse in
:mod:`aseankg.api.http.egress`): even a query whose ``SERVICE`` the parse missed cannot
connect, because the engine's ``socket()`` call fails with ``EPERM`` before any packet
exists (name resolution fails the same way, so no DNS query leaves either). The filter:

- ``socket(domain, ...)`` with any domain but ``AF_UNIX`` fails with ``EPERM``: not only
  IPv4/IPv6, also ``AF_VSOCK`` (which reaches a VM's host), ``AF_PACKET``, netlink ...;
  local pipes (``AF_UNIX``, ``socketpair``) keep working;
- ``io_uring_setup`` fails with ``EPERM``: io_uring can create and connect sockets
  without the ``socket``/``connect`` system calls a seccomp filter sees;
- system calls of another ABI (32-bit ``int 0x80``, x32) kill the process (libseccomp's
  default for a foreign architecture), so ``socketcall`` cannot go around the rule.

A filter cannot be removed or loosened once loaded; it is synchronised onto every
thread the process already runs (``TSYNC``: the worker's lifeline thread starts first)
and inherited by later threads and children; libseccomp sets ``no_new_privs`` with it.
It is loaded through PyPI's ``pyseccomp`` (a ctypes binding of the system's
``libseccomp.so.2``, Debian package ``libseccomp2``); the ``seccomp`` module of
libseccomp's own source tree is a Cython extension that is not on PyPI.

Raises (from :func:`forbid_network`): :class:`SandboxError` when the filter cannot be
loaded (no Linux, no libseccomp): a worker must then not start.
"""

from __future__ import annotations

import errno
import socket

__all__ = ["SandboxError", "forbid_network"]


class SandboxError(RuntimeError):
    """The network sandbox could not be installed."""


def forbid_network() -> None:
    """Install the filter (module docstring) on the calling process, for good.

    Raises ``SandboxError`` when it cannot be installed.
    """
    try:
        import pyseccomp as seccomp  # loads libseccomp.so.2 with ctypes at import
    except (ImportError, OSError) as exc:
        raise SandboxError(f"libseccomp is not available: {exc}") from None
    refuse = seccomp.ERRNO(errno.EPERM)
    try:
        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        rules.set_attr(seccomp.Attr.CTL_TSYNC, 1)  # every thread, also those already running
        rules.add_rule(refuse, "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        rules.add_rule(refuse, "io_uring_setup")
        rules.load()
    except (OSError, RuntimeError, ValueError) as exc:
        raise SandboxError(f"the seccomp filter could not be loaded: {exc}") from None
