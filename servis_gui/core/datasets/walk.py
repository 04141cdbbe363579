"""Find audio files under a folder with ``os.scandir`` only (no stat, no decoding)."""

from __future__ import annotations

import os
from collections import deque
from pathlib import Path
from typing import NamedTuple

from servis_gui.core.datasets.progress import SILENT, Monitor

AUDIO_EXTENSIONS: frozenset[str] = frozenset(
    {".wav", ".flac", ".ogg", ".mp3", ".aiff", ".aif", ".au", ".caf", ".w64", ".opus"}
)


class AudioWalk(NamedTuple):
    """Audio files found by :func:`walk_audio`, sorted, and folders that could not be read."""

    paths: list[Path]
    unreadable: list[str]

    def warnings(self) -> list[str]:
        """Return one user message per folder that could not be listed."""
        return [f"Could not read folder {name}" for name in self.unreadable]


def is_audio_name(name: str) -> bool:
    """Return True for a visible file name with one of :data:`AUDIO_EXTENSIONS`.

    Hidden names (``.DS_Store``, macOS ``._clip.wav`` resource forks) are never audio.
    """
    dot = name.rfind(".")
    return dot > 0 and not name.startswith(".") and name[dot:].lower() in AUDIO_EXTENSIONS


def _list_dir(top: str, dirs: list[str], files: list[str], limit: int | None = None) -> None:
    """Append ``top``'s visible sub-folders to ``dirs`` and its audio file names to ``files``.

    Stops early once ``files`` holds ``limit`` names.
    """
    with os.scandir(top) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                dirs.append(entry.path)
            elif is_audio_name(name):
                files.append(name)
                if limit is not None and len(files) >= limit:
                    return


def walk_audio(root: Path, monitor: Monitor = SILENT) -> AudioWalk:
    """List every audio file under ``root`` in one scandir pass.

    Parameters
    ----------
    root : Path
        Folder to walk; symlinked sub-folders are not followed (no loops).
    monitor : Monitor
        Receives ``(files found, 0)`` after each folder and may cancel the walk.

    Returns
    -------
    AudioWalk
        The audio files sorted by folder then name, and the folders that could not be listed.
    """
    folders: list[tuple[str, list[str]]] = []
    unreadable: list[str] = []
    stack = [os.fspath(root)]
    found = 0
    while stack:
        top = stack.pop()
        names: list[str] = []
        try:
            _list_dir(top, stack, names)
        except OSError:
            unreadable.append(top)
        if names:
            folders.append((top, names))
            found += len(names)
        monitor.tick(found)
    paths: list[Path] = []
    for top, names in sorted(folders):
        base = Path(top)
        paths.extend(base / name for name in sorted(names))
    return AudioWalk(paths, unreadable)


def sample_audio(root: Path, limit: int = 200, max_dirs: int = 500) -> list[Path]:
    """Return up to ``limit`` audio files under ``root``, nearest folders first.

    Used by the readers' ``detect`` functions, which only need a sample.

    Parameters
    ----------
    root : Path
        Folder to look in.
    limit : int
        Stop after this many files.
    max_dirs : int
        Stop after listing this many folders, so detection stays fast on huge trees.

    Returns
    -------
    list of Path
        The sampled audio files.
    """
    paths: list[Path] = []
    queue = deque([os.fspath(root)])
    listed = 0
    while queue and len(paths) < limit and listed < max_dirs:
        top = queue.popleft()
        dirs: list[str] = []
        names: list[str] = []
        try:
            _list_dir(top, dirs, names, limit - len(paths))
        except OSError:
            pass
        listed += 1
        base = Path(top)
        paths.extend(base / name for name in sorted(names))
        queue.extend(sorted(dirs))
    return paths
