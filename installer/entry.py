"""Entry point of both frozen executables: the windowed app (``EscalationTracker``) and
the console one (``escalation-tracker-cli``). Same as ``python -m app``: with no command
the desktop app starts; ``--self-test`` checks the installation."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
