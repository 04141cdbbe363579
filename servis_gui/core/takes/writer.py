"""The crash-safe writer of one take, and what describes a take.

While a take is written, libsndfile rewrites the WAV header after every block
(``SFC_SET_UPDATE_HEADER_AUTO``), so a take survives ``kill -9``, and a marker
``<name>.wav.recording`` says it is unfinished.
"""

from __future__ import annotations

import json
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import soundfile as sf

from servis_gui.core.errors import ServisError

MARKER_SUFFIX = ".recording"
SFC_SET_UPDATE_HEADER_AUTO = 0x1061


class RecordingError(ServisError):
    """A take cannot be written, read, renamed or moved (the message is for the user)."""


@dataclass(frozen=True)
class TakeInfo:
    """One recorded take and its labels.

    Attributes
    ----------
    file : Path
        The WAV file.
    sr : int
        Its sample rate.
    duration : float
        Its length in seconds.
    created : str
        When recording started, ISO 8601 local time to the second.
    emotion : str
        Intended emotion as the speaker gave it (a canonical name or free text).
    speaker, sentence_id, text, notes : str
        Who spoke, which prompt (e.g. RAVDESS ``01``, CREMA-D ``IEO``), what was said, remarks.
    """

    file: Path
    sr: int
    duration: float
    created: str
    emotion: str = ""
    speaker: str = ""
    sentence_id: str = ""
    text: str = ""
    notes: str = ""


def sanitise(block: np.ndarray) -> np.ndarray:
    """Return ``block`` as finite float32 in [-1, 1]: NaN becomes 0, +-inf becomes +-1.

    PCM_16 would store NaN as -32768, a full-scale click.

    Parameters
    ----------
    block : numpy.ndarray
        Samples of any float dtype.

    Returns
    -------
    numpy.ndarray
        float32 samples, finite and clipped to [-1, 1].
    """
    clean = np.nan_to_num(np.asarray(block, dtype=np.float32), nan=0.0, posinf=1.0, neginf=-1.0)
    return np.clip(clean, -1.0, 1.0)


def marker_path(take: Path) -> Path:
    """The ``.recording`` marker of a take: present only while the take is unfinished.

    Parameters
    ----------
    take : Path
        The take's WAV file.

    Returns
    -------
    Path
        ``<take>.recording`` next to it.
    """
    return take.with_name(take.name + MARKER_SUFFIX)


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


class TakeWriter:
    """Writes one take to disk block by block, readable by any WAV reader at every moment.

    Parameters
    ----------
    path : Path
        The WAV file to create (its folder is created when missing).
    sr : int
        Sample rate of the blocks.

    Raises
    ------
    RecordingError
        When the file cannot be created.
    """

    def __init__(self, path: Path, sr: int) -> None:
        self.path, self.sr, self.frames = Path(path), sr, 0
        self.created = _now()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            marker_path(self.path).write_text(json.dumps({"sr": sr, "created": self.created}))
            self._file = sf.SoundFile(self.path, "w", samplerate=sr, channels=1, format="WAV",
                                      subtype="PCM_16")
        except (OSError, RuntimeError) as exc:
            with suppress(OSError):
                marker_path(self.path).unlink(missing_ok=True)
            raise RecordingError(f"Cannot create the take {self.path}: {exc}") from exc
        sf._snd.sf_command(self._file._file, SFC_SET_UPDATE_HEADER_AUTO, sf._ffi.NULL, 1)

    def write(self, block: np.ndarray) -> None:
        """Append mono samples (sanitised, so NaN or inf never reach the file)."""
        clean = sanitise(block)
        self._file.write(clean)
        self.frames += len(clean)

    def close(self) -> TakeInfo:
        """Finish the take (removes the marker) and describe it."""
        self._file.close()
        marker_path(self.path).unlink(missing_ok=True)
        return TakeInfo(self.path, self.sr, self.frames / self.sr, self.created)


def new_take_path(folder: Path, when: datetime | None = None) -> Path:
    """A free file name ``take-YYYYMMDD-HHMMSS[-N].wav`` in ``folder``.

    Parameters
    ----------
    folder : Path
        The recordings folder.
    when : datetime, optional
        The time in the name; now when omitted.

    Returns
    -------
    Path
        A path that neither exists nor has a marker.
    """
    stem = f"take-{(when or datetime.now()).strftime('%Y%m%d-%H%M%S')}"
    return free_path(Path(folder) / f"{stem}.wav")


def free_path(path: Path) -> Path:
    """``path``, or ``<stem>-2<suffix>``, ``-3`` ... whichever does not exist yet.

    Parameters
    ----------
    path : Path
        The wanted file.

    Returns
    -------
    Path
        The first candidate with neither a file nor a ``.recording`` marker.
    """
    candidate, n = path, 1
    while candidate.exists() or marker_path(candidate).exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate
