"""Imported by the desktop entry point before Qt, purely for start-up time.

It pauses the garbage collector before the unlock page's own modules load. The
dashboard's modules load while the passphrase's key is derived
(``MainWindow._build_workspace``); the rest (policies, SQLAlchemy, the services that
write) after the dashboard is painted. (PySide6's import hook, which read each module
imported after Qt, is removed by ``ui/__init__``.)
"""

import gc

# Start-up makes some hundreds of thousands of objects (modules, classes, Qt's enums) and
# frees almost none, so the collector's many passes over them before the first paint find
# nothing and only delay it. Paused until the window
# is up (``ui.main.main`` resumes it once the event loop runs); unlocking pauses it again
# until the dashboard is painted (``MainWindow.unlock``).
gc.disable()

import app.services.setting_details  # noqa: E402 - after the pause, which is for them too
import app.storage.datafile  # noqa: E402
import app.storage.unlock_attempts  # noqa: E402

__all__ = ["app"]
