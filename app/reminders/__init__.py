"""The reminder at sign-in and each working morning (the tray process, ``ui.tray``):
what it may know while the records are locked, how it counts, and how it starts.

- ``due_file``: the due moments the desktop app leaves at each lock, outside the
  encrypted file: deadlines alone, nothing that names anyone.
- ``counts``: overdue and due today from those moments (``app.deadlines.standing``'s
  rule), the notification's words and the next working morning.
- ``autostart``: starting at sign-in for this user only, and the machine-wide switch.

Never imports Qt, and never opens the data file.
"""
