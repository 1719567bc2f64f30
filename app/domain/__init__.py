"""Domain values shared by services, documents and the UI (no Qt, no SQL)."""
