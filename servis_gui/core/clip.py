"""Load an audio file as a validated mono clip (libsndfile through soundfile, soxr resampling)."""

from __future__ import annotations

import codecs
import io
import os
import stat
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np
import soundfile as sf
import soxr

from servis_gui.core.errors import AudioLoadError, UnfinishedWavError
from servis_gui.core.file_access import cannot_open, display_name, not_a_regular_file, resolve_path
from servis_gui.core.wav_header import WavHeaderError, WavLayout, read_wav_layout

MAX_DURATION_S = 20 * 60.0
"""Longest file opened whole (20 min at 48 kHz is 230 MB of float32)."""

READABLE_FORMATS = "WAV, FLAC, Ogg Vorbis, Opus, MP3, AIFF, AU, CAF, W64, RF64"

SNIFF_BYTES = 4096
"""How much of an unreadable file is looked at to say what it is."""


@dataclass(frozen=True)
class FileIdentity:
    """What identifies a file's content for caching: path, size and modification time."""

    path: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: str | os.PathLike) -> "FileIdentity":
        """Resolve and stat ``path``.

        Parameters
        ----------
        path : str or path-like
            The file as the user gave it.

        Returns
        -------
        FileIdentity
            With the resolved path.

        Raises
        ------
        AudioLoadError
            Naming the file, if it cannot be reached (missing, no permission, symlink loop, a
            file used as a folder, name too long) or is not a regular file (a folder...).
        """
        resolved = resolve_path(path)
        try:
            st = os.stat(resolved)
        except OSError as exc:
            raise cannot_open(path, exc) from exc
        if not stat.S_ISREG(st.st_mode):
            raise not_a_regular_file(path, st.st_mode)
        return cls(resolved, st.st_size, st.st_mtime_ns)


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
        return display_name(self.identity.path)


def load_clip(path: str | os.PathLike, sr: int | None = None,
              recover_unfinished: bool = False) -> Clip:
    """Read an audio file, mix it down to mono, resample it and validate it.

    Parameters
    ----------
    path : str or path-like
        The audio file. It is only read, never written.
    sr : int or None
        Target sample rate; ``None`` keeps the native rate.
    recover_unfinished : bool
        Read the samples of a WAV file whose recorder crashed before it completed the header
        (see ``UnfinishedWavError``) instead of raising.

    Returns
    -------
    Clip

    Raises
    ------
    UnfinishedWavError
        If the file is an unfinished WAV that holds audio and ``recover_unfinished`` is false.
    AudioLoadError
        With a plain sentence naming the file and what is wrong (missing, a folder, no permission,
        empty, not audio, damaged, no samples, too long, non-finite samples) and ``details`` for
        the log.
    """
    identity = FileIdentity.of(path)
    name = display_name(path)
    if identity.size == 0:
        raise AudioLoadError(f"{name} is empty (0 bytes): there is no audio in it.", identity.path)
    data, native, channels, notes = _decode(identity, name, recover_unfinished)
    mono, mixed = _downmix(data, name)
    _check_finite(mono, name, identity.path)
    target = sr or native
    if target != native:
        mono = soxr.resample(mono, native, target, quality="HQ").astype(np.float32)
        mixed.append(f"resampled from {native} Hz to {target} Hz")
    samples = np.ascontiguousarray(mono, dtype=np.float32)
    samples.setflags(write=False)
    return Clip(samples, target, identity, native, channels, tuple(notes + mixed))


def _decode(identity: FileIdentity, name: str,
            recover_unfinished: bool) -> tuple[np.ndarray, int, int, list[str]]:
    """Samples ``(frames, channels)``, sample rate, channel count and notes of the file."""
    with _open(identity.path, name) as file:
        if file.frames > 0:
            _check_length(file.frames, file.samplerate, name, identity.path)
            return _read(file, name, identity.path), file.samplerate, file.channels, []
    layout, frames = _unfinished_layout(identity, name)
    if not recover_unfinished:
        raise UnfinishedWavError(
            f"{name} was not finished by the program that recorded it: its header says it is "
            f"empty, but it holds {_duration_text(frames / layout.samplerate)} of audio.",
            _layout_details(identity.path, layout, frames), identity.path, layout, frames)
    _check_length(frames, layout.samplerate, name, identity.path)
    data = _read_raw(identity.path, name, layout, frames)
    note = f"{name}: opened although its recording was not finished (its header says it is empty)"
    return data, layout.samplerate, layout.channels, [note]


def _open(path: str, name: str) -> sf.SoundFile:
    """Open ``path`` for reading once (header and samples come from the same handle)."""
    try:
        return sf.SoundFile(path)
    except (sf.LibsndfileError, RuntimeError, OSError) as exc:
        raise _unreadable(path, name, exc) from exc


def _check_length(frames: int, samplerate: int, name: str, path: str) -> None:
    seconds = frames / samplerate
    if seconds > MAX_DURATION_S:
        raise AudioLoadError(
            f"{name} is too long to open: it lasts {_duration_text(seconds)}, and SERVIS opens "
            f"files of at most {_duration_text(MAX_DURATION_S)}. Cut it into shorter clips first.",
            f"{path}\n{frames} frames at {samplerate} Hz")


def _read(file: sf.SoundFile, name: str, path: str) -> np.ndarray:
    try:
        return file.read(dtype="float32", always_2d=True)
    except MemoryError as exc:
        raise AudioLoadError(f"{name} is too large to open in the memory available.",
                             f"{path}\n{exc!r}") from exc
    except (sf.LibsndfileError, RuntimeError, OSError) as exc:
        raise AudioLoadError(f"{name} is damaged: its audio data is cut off or corrupt.",
                             f"{path}\n{exc!r}") from exc


def _unreadable(path: str, name: str, exc: Exception) -> AudioLoadError:
    """The error for a file libsndfile cannot open, saying what the file is if possible."""
    try:
        with open(path, "rb") as file:
            message = _describe_unreadable(file, name, str(exc))
    except OSError as os_exc:
        return cannot_open(path, os_exc, name)
    return AudioLoadError(message, str(exc))


def _describe_unreadable(file: BinaryIO, name: str, library_text: str) -> str:
    """A sentence saying what ``file`` is, from its first bytes and libsndfile's words."""
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    if head[4:8] == b"ftyp":
        return (f"{name} is an M4A/AAC (MP4) file, a format SERVIS cannot read: "
                "convert it to WAV or FLAC first.")
    if head[:4] in (b"RIFF", b"RF64", b"BW64") and head[8:12] == b"WAVE":
        return _describe_bad_wav(file, name)
    if _is_text(head):
        return f"{name} contains text, not sound: it is not an audio file, whatever its name says."
    if "Format not recognised" in library_text:
        return (f"{name} is not in an audio format SERVIS can read ({READABLE_FORMATS}). "
                "If it is M4A/AAC or WMA, convert it to WAV or FLAC first.")
    return f"{name} is damaged or in a form SERVIS cannot read: its audio cannot be decoded."


def _describe_bad_wav(file: BinaryIO, name: str) -> str:
    try:
        read_wav_layout(file)
    except WavHeaderError:
        return f"{name} is a damaged WAV file: its header is cut short, so it holds no audio."
    return (f"{name} is a WAV file, but its audio is stored in an encoding SERVIS cannot read: "
            "convert it to 16-bit PCM WAV or FLAC first.")


def _is_text(head: bytes) -> bool:
    """Whether ``head`` (maybe cut inside a UTF-8 sequence) is printable UTF-8 text."""
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return bool(text) and all(char.isprintable() or char in "\t\r\n\f" for char in text)


def _unfinished_layout(identity: FileIdentity, name: str) -> tuple[WavLayout, int]:
    """Layout and whole frames of a WAV file libsndfile found empty.

    Raises ``AudioLoadError`` if it really holds no audio, or holds some SERVIS cannot recover.
    """
    try:
        with open(identity.path, "rb") as file:
            layout = read_wav_layout(file)
    except OSError as exc:
        raise cannot_open(identity.path, exc, name) from exc
    except WavHeaderError as exc:
        raise _no_audio(name, identity.path) from exc
    frames = layout.frames_in(identity.size)
    if frames == 0:
        raise _no_audio(name, identity.path)
    if layout.raw_subtype is None:
        raise AudioLoadError(
            f"{name} was not finished by the program that recorded it, and its audio is stored "
            "in a way SERVIS cannot recover.", _layout_details(identity.path, layout, frames))
    return layout, frames


def _no_audio(name: str, path: str) -> AudioLoadError:
    return AudioLoadError(f"{name} holds no audio (0 samples).", path)


def _layout_details(path: str, layout: WavLayout, frames: int) -> str:
    return (f"{path}\nWAV header: data chunk size {layout.data_size} (0x{layout.data_size:08X}); "
            f"{frames} whole frames after byte {layout.data_offset}; format tag "
            f"0x{layout.format_tag:04X}, {layout.bits_per_sample} bits, {layout.channels} "
            f"channel(s), {layout.samplerate} Hz")


def _read_raw(path: str, name: str, layout: WavLayout, frames: int) -> np.ndarray:
    """The whole frames after the data offset, read as headerless audio (the file is only read)."""
    try:
        with open(path, "rb") as file:
            file.seek(layout.data_offset)
            raw = file.read(frames * layout.block_align)
    except OSError as exc:
        raise cannot_open(path, exc, name) from exc
    whole = memoryview(raw)[: len(raw) - len(raw) % layout.block_align]
    data, _ = sf.read(io.BytesIO(whole), dtype="float32", always_2d=True, format="RAW",
                      subtype=layout.raw_subtype, samplerate=layout.samplerate,
                      channels=layout.channels, endian="LITTLE")
    return data


def _duration_text(seconds: float) -> str:
    """``3.2 s``, ``25 min``, ``4 min 5 s`` or ``1 h 20 min``."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"


def _downmix(data: np.ndarray, name: str) -> tuple[np.ndarray, list[str]]:
    channels = data.shape[1]
    if channels == 1:
        return data[:, 0], []
    return data.mean(axis=1), [f"{name}: {channels} channels mixed down to mono"]


def _check_finite(mono: np.ndarray, name: str, path: str) -> None:
    bad = np.count_nonzero(~np.isfinite(mono))
    if bad:
        raise AudioLoadError(
            f"{name} is damaged: it holds {bad} NaN or infinite sample{'s' if bad > 1 else ''} "
            f"(values that are not numbers) out of {len(mono)}.", path)
