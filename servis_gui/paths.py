"""Where SERVIS finds its bundled resources and keeps its own files."""

from __future__ import annotations

from pathlib import Path


def resources_dir() -> Path:
    """The package data folder ``servis_gui/resources`` (a checkout, a wheel, or the bundle).

    The top-level ``resources`` of a checkout is a link to it.
    """
    return Path(__file__).resolve().parent / "resources"


def demo_dir() -> Path:
    """The synthetic demo corpus shipped with the app."""
    return resources_dir() / "demo"


def log_dir() -> Path:
    """A per-user folder for the log file (created on demand)."""
    from platformdirs import user_log_dir

    path = Path(user_log_dir("SERVIS", "SERVIS"))
    path.mkdir(parents=True, exist_ok=True)
    return path
