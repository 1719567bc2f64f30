"""Imported by the desktop entry point before Qt, purely for start-up time.

PySide6 installs an import hook that inspects every module imported after it (looking
for its ``__feature__`` switches; from source it reads each module's text). Loading the
modules the unlock page needs before Qt keeps them out of the hook. The dashboard's
modules load while the passphrase's key is derived (``MainWindow._build_workspace``); the
rest (policies, SQLAlchemy, the services that write) after the dashboard is painted.
"""

import app.services.setting_details
import app.services.unlock_delay
import app.storage.datafile

__all__ = ["app"]
