"""One copy of the desktop app at a time: a second copy hands over to the first.

Opening the app when it is already running (the tray reminder's click, a shortcut
double-clicked twice) would start a second copy that the data file's lock refuses. So
the second copy asks the first to bring its window forward, and exits; only if no
first copy answers does it start as usual. No Qt here (``ui.bring_forward`` wires the
message to the window), and no IP socket: ``multiprocessing.connection`` over an
AF_UNIX socket (Linux, macOS) or a named pipe (Windows), authenticated with a secret
only this user can read (``address.py``). The message is one word from ``MESSAGES``,
never a record. The command line's sub-commands are not affected. The tray reminder
(``python -m app --tray``) has an address of its own (``TRAY``): a second tray exits
quietly, and neither ever answers for the window.
"""

from app.single_instance.address import TRAY, WINDOW
from app.single_instance.hand_over import Start, hand_over, start_or_hand_over
from app.single_instance.listener import MESSAGES, SHOW, InstanceListener

__all__ = [
    "MESSAGES",
    "SHOW",
    "TRAY",
    "WINDOW",
    "InstanceListener",
    "Start",
    "hand_over",
    "start_or_hand_over",
]
