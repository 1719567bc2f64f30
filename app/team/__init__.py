"""The safeguarding team who share one data file (issue 23): each member signs in with
their own passphrase, and what they may do is decided by their role, here only."""
