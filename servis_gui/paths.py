"""Where SERVIS finds its bundled resources and keeps its own files."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder: inside the PyInstaller bundle, or beside the package in a checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def demo_dir() -> Path:
    """The synthetic demo corpus shipped with the app."""
    return resources_dir() / "demo"


def log_dir() -> Path:
    """A per-user folder for the log file (created on demand)."""
    from platformdirs import user_log_dir

    path = Path(user_log_dir("SERVIS", "SERVIS"))
    path.mkdir(parents=True, exist_ok=True)
    return path
