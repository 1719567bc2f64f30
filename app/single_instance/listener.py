"""The first copy's side: it listens on a daemon thread and passes each message on.

A connection is accepted only after ``multiprocessing.connection``'s challenge in both
directions with this user's secret (``address.authkey``): a wrong secret is refused
before anything is read. The copy then says its process id (so that Windows lets it
take the foreground: see ``hand_over``), reads one short word and, when it is one of
``MESSAGES``, passes it on and answers "ok". Bytes only: nothing received is unpickled.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Connection, Listener

from app.single_instance.address import Endpoint

SHOW = "show"  # bring the window forward (at its unlock page when locked)
MESSAGES = frozenset({SHOW})
MAX_MESSAGE = 64
READ_SECONDS = 5.0  # a copy that connects and then says nothing is dropped after this
OK = b"ok"


class InstanceListener:
    def __init__(self, endpoint: Endpoint, authkey: bytes) -> None:
        """Raises OSError when the address is taken (a live or a stale first copy)."""
        self.endpoint = endpoint
        self._listener = Listener(endpoint.address, endpoint.family, authkey=authkey)
        self._lock = threading.Lock()
        self._receive: Callable[[str], None] | None = None
        self._pending: list[str] = []
        self._closing = False
        self._thread = threading.Thread(target=self._serve, name="single-instance", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def deliver_to(self, receive: Callable[[str], None]) -> None:
        """From now on each message calls ``receive``, on the listening thread (the
        window queues it to its own); messages that came before the window was built
        are given to it now."""
        with self._lock:
            self._receive = receive
            pending, self._pending = self._pending, []
        for message in pending:
            receive(message)

    def _serve(self) -> None:
        while not self._closing:
            try:
                connection = self._listener.accept()
            except (AuthenticationError, EOFError, OSError):
                continue  # a wrong secret, or a copy that went away: the next one
            with connection:
                if not self._closing:
                    self._answer(connection)

    def _answer(self, connection: Connection) -> None:
        try:
            connection.send_bytes(str(os.getpid()).encode("ascii"))
            if not connection.poll(READ_SECONDS):
                return
            message = connection.recv_bytes(MAX_MESSAGE).decode("ascii")
        except (OSError, EOFError, UnicodeDecodeError):
            return
        if message not in MESSAGES:
            return
        with self._lock:
            receive = self._receive
            if receive is None:
                self._pending.append(message)
        if receive is not None:
            receive(message)
        with contextlib.suppress(OSError):
            connection.send_bytes(OK)  # passed on (or kept for the window): "ok"

    def close(self, wait_seconds: float = READ_SECONDS) -> None:
        """Stop listening and remove the socket (one left by a killed copy is found
        stale and removed by the next copy: ``hand_over._claim``)."""
        self._closing = True
        if self._thread.is_alive():
            # accept() does not return when its socket is closed under it: a connection
            # with no secret wakes it, and is refused.
            with contextlib.suppress(OSError):
                Client(self.endpoint.address, self.endpoint.family).close()
            self._thread.join(wait_seconds)
        self._listener.close()
