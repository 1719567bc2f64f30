"""A first copy's listener without its window, for tests/reliability/test_second_copy.py:
``python -m tests.reliability.first_copy`` claims the address as the desktop app does,
prints "ready", then the first message it is given, and exits (or waits to be killed)."""

from __future__ import annotations

import sys
import threading

from app.single_instance import start_or_hand_over

WAIT_SECONDS = 120.0  # a ceiling: the test sends its message, or kills this, long before


def main() -> int:
    start = start_or_hand_over()
    if start.listener is None:
        print("not first", flush=True)
        return 1
    messages: list[str] = []
    arrived = threading.Event()

    def receive(message: str) -> None:
        messages.append(message)
        arrived.set()

    start.listener.deliver_to(receive)
    print("ready", flush=True)
    if arrived.wait(WAIT_SECONDS):
        print(messages[0], flush=True)
    start.listener.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
