"""Imported by the desktop entry point before Qt, purely for start-up time.

PySide6 installs an import hook that inspects every module imported after it (looking
for its ``__feature__`` switches; from source it reads each module's text). Loading the
modules the first paint needs before Qt keeps them out of the hook. The rest (policies,
SQLAlchemy, the services that write) loads after the dashboard is painted.
"""

import app.services.dashboard
import app.services.setting_details
import app.services.unlock_delay
import app.storage.datafile

__all__ = ["app"]
