"""Long work (backup, restore) off the GUI thread, with success and error callbacks that
run back on the GUI thread (the pattern of Anki's ``aqt/operations``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Relay(QObject):
    """Lives on the GUI thread; the worker's signals reach its slots through the event
    loop, so the callbacks always run on the GUI thread."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(
        self, on_done: Callable[[Any], None], on_failed: Callable[[BaseException], None]
    ) -> None:
        super().__init__()
        self._on_done, self._on_failed = on_done, on_failed
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_failed)

    @Slot(object)
    def _deliver_done(self, result: Any) -> None:
        self._on_done(result)

    @Slot(object)
    def _deliver_failed(self, exc: BaseException) -> None:
        self._on_failed(exc)


class Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python keeps it (and its relay) until it reports
        self.relay = relay
        self._work = work

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as exc:  # reported on the GUI thread, known error or bug
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


_running: set[Job] = set()


def run_in_background(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
) -> Job:
    """Start ``work`` on the thread pool; exactly one of the callbacks runs afterwards,
    on the GUI thread."""

    def done(result: Any) -> None:
        _running.discard(job)
        on_done(result)

    def failed(exc: BaseException) -> None:
        _running.discard(job)
        on_failed(exc)

    job = Job(work, _Relay(done, failed))
    _running.add(job)
    QThreadPool.globalInstance().start(job)
    return job


def busy() -> bool:
    return bool(_running)
