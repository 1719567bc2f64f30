"""The escalation window: its layout (``view``), its words (``texts``, no Qt) and the
forms and documents its buttons open (``openers``)."""
