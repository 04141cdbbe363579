"""Path handling that never raises: what the user typed or dropped may be a loop, a folder or nonsense."""

from __future__ import annotations

import os
from pathlib import Path


def resolve_path(path: str | os.PathLike) -> str:
    """The absolute, symlink-free form of ``path``, or its plain absolute form when that fails.

    ``Path.resolve()`` raises on symlink loops (Python 3.11) and on some unreadable folders;
    the caller then gets a path that still names the file, and opening it gives the real reason.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    str
    """
    try:
        return str(Path(path).expanduser().resolve())
    except (OSError, RuntimeError, ValueError):
        return os.path.abspath(os.path.expanduser(os.fspath(path)))


def display_name(path: str | os.PathLike) -> str:
    """The file name the user knows a path by (the last component; the path itself if none)."""
    text = os.fspath(path)
    return os.path.basename(text.rstrip("/\\")) or text
