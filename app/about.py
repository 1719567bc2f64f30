"""What the Help menu shows: the app's version, the user guide and the licences of what
it is built on. The texts are files under ``resources/help`` (shipped in the bundle with
the rest of ``resources``), so they are read, not built, here."""

from __future__ import annotations

from app.paths import resource_path


def app_version() -> str:
    """The installed package's version ("unknown" in a build without its metadata)."""
    # Imported here: importlib.metadata is slow to import, and start-up does not need it.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("escalation-tracker")
    except PackageNotFoundError:
        return "unknown"


def _help_text(name: str) -> str:
    return resource_path("resources", "help", name).read_text(encoding="utf-8")


def user_guide() -> str:
    """The user guide, in Markdown (shown with raw HTML switched off)."""
    return _help_text("user-guide.md")


def licences() -> str:
    """The fonts, word list and libraries the app ships, each with its licence."""
    return _help_text("licences.txt")
