"""Play a clip or a part of it, and report where the playhead is."""

from __future__ import annotations

import threading
from typing import Any, Callable

import numpy as np

from servis_gui.audio.backend import AudioUnavailable, load_sounddevice

__all__ = ["AudioUnavailable", "Player", "load_sounddevice"]


class Player:
    """Plays one mono float32 buffer through the default output device.

    The PortAudio callback only copies samples; ``position`` is read by the GUI's timer.
    """

    def __init__(self) -> None:
        self._stream: Any = None
        self._samples = np.zeros(0, dtype=np.float32)
        self._sr = 1
        self._frame = 0
        self._start = 0
        self._end = 0
        self._lock = threading.Lock()

    @property
    def playing(self) -> bool:
        return self._stream is not None and self._frame < self._end

    @property
    def position(self) -> float:
        """Playhead in seconds from the start of the clip: what is heard now, not what was queued."""
        latency = self._stream.latency if self._stream is not None else 0.0
        return max(self._start, self._frame - latency * self._sr) / self._sr

    def play(self, samples: np.ndarray, sr: int, start: float = 0.0, end: float | None = None,
             on_finished: Callable[[], None] | None = None) -> None:
        """Start playing ``samples[start:end]`` (seconds); stops whatever was playing.

        Raises
        ------
        AudioUnavailable
            Without PortAudio or without a usable output device.
        """
        sd = load_sounddevice()
        self.stop()
        with self._lock:
            self._samples, self._sr = samples, sr
            self._frame = self._start = max(0, int(start * sr))
            self._end = len(samples) if end is None else min(len(samples), int(end * sr))
        try:
            self._stream = sd.OutputStream(
                samplerate=sr, channels=1, dtype="float32", callback=self._callback,
                finished_callback=_returning_none(on_finished),
            )
            self._stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            self._stream = None
            raise AudioUnavailable(f"Cannot play: no usable output device ({exc}).") from exc

    def stop(self) -> None:
        """Stop at once (``abort``: ``stop`` can block for seconds on a stalled device)."""
        stream = self._stream
        if stream is not None:
            with self._lock:  # keep the position at what was heard, not what was queued
                self._frame = max(self._start, int(self._frame - stream.latency * self._sr))
            self._stream = None
            stream.abort()
            stream.close()

    def _callback(self, outdata: np.ndarray, frames: int, _time: Any, _status: Any) -> None:
        import sounddevice as sd

        with self._lock:
            chunk = self._samples[self._frame : min(self._frame + frames, self._end)]
            self._frame += len(chunk)
        outdata[: len(chunk), 0] = chunk
        outdata[len(chunk) :] = 0
        if len(chunk) < frames:
            raise sd.CallbackStop


def _returning_none(callback: Callable[[], object] | None) -> Callable[[], None] | None:
    """PortAudio's C callback must return nothing (a Qt ``emit`` returns a bool)."""
    if callback is None:
        return None

    def wrapper() -> None:
        callback()

    return wrapper
