"""Positive control for the network guard: run under ``sandbox.BOOTSTRAP``, it tries the
network every way a library might, and prints which ways were blocked."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Callable

from tests.reliability.sandbox import NetworkBlocked


def _tries() -> dict[str, Callable[[], object]]:
    import _socket

    return {
        "urllib": lambda: urllib.request.urlopen("http://127.0.0.1:9/", timeout=1),
        "create_connection": lambda: socket.create_connection(("127.0.0.1", 9), timeout=1),
        "socket.socket": lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM),
        "ipv6": lambda: socket.socket(socket.AF_INET6, socket.SOCK_DGRAM),
        "getaddrinfo": lambda: socket.getaddrinfo("example.org", 443),
        # Below the patched module attribute: only the audit hook sees this one.
        "_socket.socket": lambda: _socket.socket(socket.AF_INET, socket.SOCK_STREAM),
    }


def main() -> None:
    blocked: dict[str, bool] = {}
    for name, attempt in _tries().items():
        try:
            attempt()
        except NetworkBlocked:
            blocked[name] = True
        except urllib.error.URLError as exc:
            blocked[name] = isinstance(exc.reason, NetworkBlocked)
        else:
            blocked[name] = False
    # Local, non-network sockets still work (nothing in the app needs them, but the
    # guard must not be a blanket ban that hides what it is for).
    a, b = socket.socketpair(socket.AF_UNIX)
    a.close()
    b.close()
    print(json.dumps(blocked))


if __name__ == "__main__":
    main()
