"""Load an audio file as a validated mono clip (libsndfile through soundfile, soxr resampling)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from servis_gui.core.errors import AudioLoadError

MAX_DURATION_S = 20 * 60.0
"""Longest file opened whole (20 min at 48 kHz is 230 MB of float32)."""

READABLE_FORMATS = "WAV, FLAC, Ogg Vorbis, Opus, MP3, AIFF, AU, CAF, W64, RF64"


@dataclass(frozen=True)
class FileIdentity:
    """What identifies a file's content for caching: path, size and modification time."""

    path: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: str | os.PathLike) -> "FileIdentity":
        """Stat ``path`` (raises ``AudioLoadError`` if it does not exist)."""
        resolved = Path(path).expanduser().resolve()
        try:
            st = resolved.stat()
        except OSError as exc:
            raise AudioLoadError(f"Cannot open {resolved.name}: {exc.strerror or exc}.") from exc
        return cls(str(resolved), st.st_size, st.st_mtime_ns)


@dataclass(frozen=True)
class Clip:
    """A mono clip ready for analysis.

    Attributes
    ----------
    samples : np.ndarray
        float32, C-contiguous, read-only, finite, shape ``(n,)``.
    sr : int
        Sample rate of ``samples`` (the analysis rate).
    identity : FileIdentity
        The file it came from.
    native_sr, channels : int
        The file's own rate and channel count.
    notes : tuple of str
        Things the user should know (down-mixed channels, resampling).
    """

    samples: np.ndarray
    sr: int
    identity: FileIdentity
    native_sr: int
    channels: int
    notes: tuple[str, ...] = field(default=())

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return len(self.samples) / self.sr

    @property
    def name(self) -> str:
        """The file name, for titles and messages."""
        return Path(self.identity.path).name


def load_clip(path: str | os.PathLike, sr: int | None = None) -> Clip:
    """Read an audio file, mix it down to mono, resample it and validate it.

    Parameters
    ----------
    path : str or path-like
        The audio file. It is only read, never written.
    sr : int or None
        Target sample rate; ``None`` keeps the native rate.

    Returns
    -------
    Clip

    Raises
    ------
    AudioLoadError
        With a message naming the file and what is wrong: missing, empty, not audio,
        damaged, no frames, too long, or non-finite samples.
    """
    identity = FileIdentity.of(path)
    name = Path(identity.path).name
    if identity.size == 0:
        raise AudioLoadError(f"{name} is empty (0 bytes): there is no audio to show.")
    with _open(identity.path, name) as file:
        _check_length(file, name)
        data = _read(file, name)
        native, channels = file.samplerate, file.channels
    mono, notes = _downmix(data, name)
    _check_finite(mono, name)
    target = sr or native
    if target != native:
        mono = soxr.resample(mono, native, target, quality="HQ").astype(np.float32)
        notes.append(f"resampled from {native} Hz to {target} Hz")
    samples = np.ascontiguousarray(mono, dtype=np.float32)
    samples.setflags(write=False)
    return Clip(samples, target, identity, native, channels, tuple(notes))


def _open(path: str, name: str) -> sf.SoundFile:
    """Open ``path`` for reading once (header and samples come from the same handle)."""
    try:
        return sf.SoundFile(path)
    except (sf.LibsndfileError, RuntimeError, OSError) as exc:
        raise AudioLoadError(_explain(name, str(exc))) from exc


def _check_length(file: sf.SoundFile, name: str) -> None:
    if file.frames == 0:
        raise AudioLoadError(f"{name} holds no audio frames (0 samples).")
    if file.frames / file.samplerate > MAX_DURATION_S:
        raise AudioLoadError(
            f"{name} lasts {file.frames / file.samplerate / 60:.0f} min; SERVIS opens files of at "
            f"most {MAX_DURATION_S / 60:.0f} min. Cut it into shorter clips first."
        )


def _read(file: sf.SoundFile, name: str) -> np.ndarray:
    try:
        data = file.read(dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, OSError, MemoryError) as exc:
        raise AudioLoadError(_explain(name, str(exc))) from exc
    if len(data) == 0:
        raise AudioLoadError(f"{name} holds no audio frames (its data is cut off).")
    return data


def _explain(name: str, detail: str) -> str:
    """Turn a libsndfile message into a sentence for the user."""
    if "Format not recognised" in detail or "unknown format" in detail.lower():
        return (
            f"{name} is not an audio format SERVIS can read ({READABLE_FORMATS}). "
            "If it is M4A/AAC/WMA, convert it to WAV or FLAC first."
        )
    if "data" in detail and "chunk" in detail:
        return f"{name} is damaged: its header is cut short ({detail.strip()})."
    if "System error" in detail:
        return f"{name} cannot be read (missing or not accessible)."
    return f"{name} cannot be read: {detail.strip()}"


def _downmix(data: np.ndarray, name: str) -> tuple[np.ndarray, list[str]]:
    channels = data.shape[1]
    if channels == 1:
        return data[:, 0], []
    return data.mean(axis=1), [f"{name}: {channels} channels mixed down to mono"]


def _check_finite(mono: np.ndarray, name: str) -> None:
    bad = np.count_nonzero(~np.isfinite(mono))
    if bad:
        raise AudioLoadError(
            f"{name} holds {bad} NaN or infinite sample{'s' if bad > 1 else ''} "
            f"out of {len(mono)}: the file is corrupt."
        )
