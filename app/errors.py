"""Errors the user can do something about.

A ``KnownError`` is an environment or input problem (a malformed policy file, a wrong
passphrase, a date that does not exist). Its message is plain English, written for a
DSL, and the UI and CLI show it as it is: no traceback. Anything else is a bug and goes
to the exception hook.
"""


class KnownError(Exception):
    """A problem with the user's input or environment, with a plain-English message."""


class PolicyError(KnownError):
    """A policy file could not be loaded; the message names the file and field."""


class UnknownPolicyError(KnownError):
    """The requested policy or pathway id does not exist."""


class InputError(KnownError):
    """A value typed or passed in is not valid (for example an impossible date)."""
