"""No crash dump of this process: its memory holds child data, the derived key and, for a
moment, the passphrase (docs/reliability.md, "No core dump holds child data").

``prevent_crash_dumps()`` runs first in every entry point (``app.cli.main``, which starts
the window, the CLI and the self-test):

* Linux and macOS: the core-file size limit (``RLIMIT_CORE``) is set to 0, soft and hard,
  so neither this process nor anything it starts can raise it again.
* Linux: ``prctl(PR_SET_DUMPABLE, 0)`` as well. The kernel then writes no core even
  where ``core_pattern`` pipes cores to a handler (systemd-coredump, apport), which the
  size limit alone does not stop; it also stops other processes of the same user from
  attaching a debugger or reading ``/proc/<pid>/mem``.
* Windows: ``SetErrorMode(SEM_NOGPFAULTERRORBOX | SEM_FAILCRITICALERRORS)`` (no crash
  dialog offering to send a report) and ``WerSetFlags(WER_FAULT_REPORTING_FLAG_NOHEAP)``
  (Windows Error Reporting collects no heap for this process's reports: the report it
  queues holds the stacks and modules, not the memory where records live).

Best effort: a call that fails (an old system, a sandbox that forbids it) never stops
the app. What this cannot stop is in docs/reliability.md.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any, Final

# <sys/prctl.h>
PR_SET_DUMPABLE: Final = 4
PR_GET_DUMPABLE: Final = 3
# <winbase.h>, <werapi.h>
SEM_FAILCRITICALERRORS: Final = 0x0001
SEM_NOGPFAULTERRORBOX: Final = 0x0002
WER_FAULT_REPORTING_FLAG_NOHEAP: Final = 0x0001


def prevent_crash_dumps() -> None:
    if sys.platform == "win32":
        with contextlib.suppress(OSError):
            _windows(_kernel32())
        return
    _no_core_file()
    if sys.platform.startswith("linux"):
        _not_dumpable(_libc())


def _no_core_file() -> None:
    import resource

    with contextlib.suppress(OSError, ValueError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _libc() -> Any:
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def _not_dumpable(libc: Any) -> None:
    with contextlib.suppress(OSError, AttributeError):
        libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def _kernel32() -> Any:
    import ctypes

    return ctypes.WinDLL("kernel32")  # type: ignore[attr-defined,unused-ignore]


def _windows(kernel32: Any) -> None:
    """``kernel32``: the DLL, or in tests a stand-in recording the calls."""
    with contextlib.suppress(OSError, AttributeError):
        previous = kernel32.GetErrorMode()
        kernel32.SetErrorMode(previous | SEM_NOGPFAULTERRORBOX | SEM_FAILCRITICALERRORS)
    with contextlib.suppress(OSError, AttributeError):
        kernel32.WerSetFlags(WER_FAULT_REPORTING_FLAG_NOHEAP)
