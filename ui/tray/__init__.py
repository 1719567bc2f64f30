"""The tray reminder (``python -m app --tray``): a small icon that counts what is overdue
and due today from the due-moments file, and unlocks nothing (``app.reminders``)."""
