"""Read an audio file's header (duration, sample rate, channels) without decoding it."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import soundfile


class AudioInfo(NamedTuple):
    """What an audio header says: ``(duration_s, samplerate, channels)``."""

    duration_s: float
    samplerate: int
    channels: int


def probe(path: Path | str) -> AudioInfo | str:
    """Read an audio file's header with ``soundfile.info``.

    Parameters
    ----------
    path : Path or str
        The audio file.

    Returns
    -------
    AudioInfo or str
        ``(duration_s, samplerate, channels)``, or a message fit for the user when the file
        is missing, empty, unreadable or holds no samples. Never raises for a bad file.
    """
    path = Path(path)
    try:
        if path.stat().st_size == 0:
            return f"{path.name} is empty (0 bytes)"
        info = soundfile.info(str(path))
    except FileNotFoundError:
        return f"{path.name} not found"
    except OSError as error:
        return f"Cannot open {path.name}: {error.strerror or error}"
    except (RuntimeError, soundfile.SoundFileError) as error:
        return f"{path.name} is not a readable audio file ({error})"
    if info.frames <= 0 or info.samplerate <= 0:
        return f"{path.name} holds no audio samples"
    return AudioInfo(info.frames / info.samplerate, info.samplerate, info.channels)
