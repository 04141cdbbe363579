"""Paths the user gives: resolved without ever raising, named in messages by their file name, and
the operating system's reasons for refusing them said in plain words."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from servis_gui.core.errors import AudioLoadError

MAX_NAME_CHARS = 80
"""Longer file names are shortened in the middle when shown."""

REASONS = {
    errno.ENOENT: "it does not exist (it may have been moved, renamed or deleted)",
    errno.EACCES: "you do not have permission to read it",
    errno.EPERM: "you do not have permission to read it",
    errno.EISDIR: "it is a folder, not an audio file",
    errno.ENOTDIR: "a part of its path is a file, not a folder",
    errno.ENAMETOOLONG: "its name or path is too long for the system",
    errno.ELOOP: "its path runs into a loop of symbolic links that never reaches a file",
    errno.EIO: "the disk reported an error while reading it",
}
"""What an ``OSError``'s errno means for a file the user wants to open."""


def display_name(path: str | bytes | os.PathLike) -> str:
    """The file name of ``path`` as shown to the user.

    Parameters
    ----------
    path : str, bytes or path-like
        Any path, existing or not.

    Returns
    -------
    str
        The last component (the whole path if it has none), with undecodable bytes shown as
        U+FFFD and names longer than ``MAX_NAME_CHARS`` shortened in the middle.
    """
    text = os.fsdecode(path)
    name = os.path.basename(text.rstrip(os.sep)) or text
    name = "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in name)
    if len(name) <= MAX_NAME_CHARS:
        return name
    head = MAX_NAME_CHARS * 2 // 3
    return f"{name[:head]}…{name[len(name) - (MAX_NAME_CHARS - head - 1):]}"


def resolve_path(path: str | bytes | os.PathLike) -> str:
    """The absolute, symlink-free form of ``path``; never raises.

    Parameters
    ----------
    path : str, bytes or path-like
        Any path, existing or not, with ``~`` expanded.

    Returns
    -------
    str
        ``Path(path).expanduser().resolve()``, or ``os.path.abspath(path)`` when that fails
        (Python 3.11 raises ``RuntimeError`` on a symlink loop; an unknown home raises too).
    """
    text = os.fsdecode(path)
    try:
        return str(Path(text).expanduser().resolve())
    except (OSError, RuntimeError):
        return os.path.abspath(text)


def cannot_open(path: str | bytes | os.PathLike, exc: OSError,
                name: str | None = None) -> AudioLoadError:
    """The error for a file the operating system refuses to stat or open.

    Parameters
    ----------
    path : str, bytes or path-like
        The path (it goes in the details).
    exc : OSError
        What the operating system said; it goes in the details.
    name : str or None
        The name the user knows the file by; ``display_name(path)`` if ``None``.

    Returns
    -------
    AudioLoadError
        "Cannot open NAME: REASON." with ``details`` holding the full path and the system's words.
    """
    reason = REASONS.get(exc.errno, (exc.strerror or str(exc)).lower())
    return AudioLoadError(f"Cannot open {name or display_name(path)}: {reason}.",
                          f"{os.fsdecode(path)}\n{exc}")


def not_a_regular_file(path: str | bytes | os.PathLike, mode: int) -> AudioLoadError:
    """The error for a path that exists but is a folder, a device, a pipe or a socket.

    Parameters
    ----------
    path : str, bytes or path-like
        The path as the user gave it.
    mode : int
        Its ``st_mode``.

    Returns
    -------
    AudioLoadError
    """
    reason = (REASONS[errno.EISDIR] if stat.S_ISDIR(mode)
              else "it is a device, a pipe or a socket, not an audio file")
    return AudioLoadError(f"Cannot open {display_name(path)}: {reason}.",
                          f"{os.fsdecode(path)}\nst_mode {stat.filemode(mode)}")
