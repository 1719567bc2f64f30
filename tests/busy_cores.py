"""Keep every core busy until killed: ``make test-under-load`` runs the suite beside it, to
show that no test depends on the machine's speed.

    python -m tests.busy_cores [PROCESSES]   # default: one per core
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys


def spin() -> None:
    while True:
        pass


def main(argv: list[str]) -> None:
    # A plain exit on SIGTERM, so multiprocessing's exit handler ends the daemons too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    count = int(argv[0]) if argv else os.cpu_count() or 1
    workers = [multiprocessing.Process(target=spin, daemon=True) for _ in range(count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


if __name__ == "__main__":
    main(sys.argv[1:])
