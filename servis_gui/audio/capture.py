"""Microphone capture: a PortAudio input stream, a ring buffer for the live view, a take writer.

Threads: the PortAudio callback only copies each block into the ring buffer (and, during a
take, into the writer's queue), counts overflows and notes the time; a writer thread owns the
:class:`~servis_gui.core.takes.writer.TakeWriter`; the GUI pulls new samples with
:meth:`MicCapture.read_new` on a timer and asks :meth:`MicCapture.watchdog_check` whether the
device is still alive. sounddevice is imported on the first call that needs it.
"""

from __future__ import annotations

import queue
import threading
import time
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from servis_gui.audio.playback import AudioUnavailable, load_sounddevice
from servis_gui.core.takes.writer import RecordingError, TakeInfo, TakeWriter

RING_SECONDS = 10.0
STALL_SECONDS = 1.0
"""No callback for this long means the device stalled (suspended source, hung server)."""
BLOCK_SECONDS = 0.005
COMMON_RATES = (8000, 16000, 22050, 32000, 44100, 48000)
_STOP = np.zeros(0, dtype=np.float32)


class InputDevice(NamedTuple):
    """An input device as PortAudio lists it."""

    index: int
    name: str
    default_sr: int
    is_default: bool


def list_input_devices(refresh: bool = False) -> list[InputDevice]:
    """The devices that can record, the default one first.

    Parameters
    ----------
    refresh : bool
        Re-scan the devices (PortAudio lists them once, at start-up). Close every stream first.

    Returns
    -------
    list of InputDevice
        Empty when there is no input device.

    Raises
    ------
    AudioUnavailable
        When the PortAudio library is missing.
    """
    sd = load_sounddevice()
    if refresh:
        sd._terminate()
        sd._initialize()
    default = sd.default.device[0]
    devices = [InputDevice(i, d["name"], int(d["default_samplerate"]), i == default)
               for i, d in enumerate(sd.query_devices()) if d["max_input_channels"] > 0]
    return sorted(devices, key=lambda d: not d.is_default)


def supported_rates(device: int) -> list[int]:
    """The :data:`COMMON_RATES` a device accepts for mono float32 input."""
    sd = load_sounddevice()
    rates = []
    for sr in COMMON_RATES:
        try:
            sd.check_input_settings(device=device, channels=1, dtype="float32", samplerate=sr)
        except (sd.PortAudioError, ValueError):
            continue
        rates.append(sr)
    return rates


class _Ring:
    """Single-producer, single-consumer ring of float32 samples (the GIL orders the counters)."""

    def __init__(self, capacity: int) -> None:
        self.data = np.zeros(capacity, dtype=np.float32)
        self.written = 0
        self.read = 0

    def write(self, block: np.ndarray) -> None:
        n, size = len(block), len(self.data)
        start = self.written % size
        first = min(n, size - start)
        self.data[start : start + first] = block[:first]
        self.data[: n - first] = block[first:]
        self.written += n

    def read_new(self) -> np.ndarray:
        written, size = self.written, len(self.data)
        start = max(self.read, written - size)
        self.read = written
        n, offset = written - start, start % size
        first = min(n, size - offset)
        return np.concatenate([self.data[offset : offset + first], self.data[: n - first]])


class MicCapture:
    """One open input stream; optionally one take being written to disk.

    Attributes
    ----------
    sr : int
        Sample rate of the open stream.
    overflows : int
        Input overflows reported by PortAudio since :meth:`start` (samples lost to the system).
    last_callback : float
        ``time.monotonic()`` of the latest callback.
    take_frames : int
        Samples handed to the current take so far.
    """

    def __init__(self) -> None:
        self._stream: Any = None
        self._ring = _Ring(1)
        self._queue: queue.SimpleQueue[np.ndarray] | None = None
        self._writer: threading.Thread | None = None
        self._take: TakeWriter | None = None
        self._take_error: Exception | None = None
        self._ended = False
        self.sr = 0
        self.overflows = 0
        self.last_callback = 0.0
        self.take_frames = 0

    @property
    def running(self) -> bool:
        """Whether a stream is open (it may have died: see :meth:`watchdog_check`)."""
        return self._stream is not None

    @property
    def recording(self) -> bool:
        return self._take is not None

    @property
    def latency(self) -> float:
        """PortAudio's input latency of the open stream in seconds (0 when closed)."""
        return float(self._stream.latency) if self._stream is not None else 0.0

    def start(self, device: int | None, sr: int) -> None:
        """Open and start the input stream (closes any previous one).

        Raises
        ------
        AudioUnavailable
            Without PortAudio, without that device, or when it refuses the rate.
        """
        sd = load_sounddevice()
        self.close()
        self.sr, self.overflows, self._ended = sr, 0, False
        self._ring = _Ring(int(RING_SECONDS * sr))
        try:
            stream = sd.InputStream(device=device, samplerate=sr, channels=1, dtype="float32",
                                    blocksize=int(BLOCK_SECONDS * sr), latency="low",
                                    callback=self._callback, finished_callback=self._on_finished)
            self.last_callback = time.monotonic()
            stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            raise AudioUnavailable(f"Cannot open the microphone: {exc}.") from exc
        self._stream = stream

    def start_take(self, path: Path) -> None:
        """Start writing what the microphone hears to ``path`` (a new WAV file).

        Raises
        ------
        RecordingError
            When the file cannot be created.
        """
        take, pending = TakeWriter(path, self.sr), queue.SimpleQueue()
        self._take, self._take_error, self.take_frames = take, None, 0
        self._writer = threading.Thread(target=self._write_take, args=(take, pending),
                                        name="take-writer", daemon=True)
        self._writer.start()
        self._queue = pending

    def stop_take(self) -> TakeInfo | None:
        """Finish the take: everything queued is written, the file closed. None if none ran.

        Raises
        ------
        RecordingError
            When writing failed; the file keeps what was written before the failure.
        """
        take, pending, writer = self._take, self._queue, self._writer
        self._queue = self._take = self._writer = None
        if take is None or pending is None or writer is None:
            return None
        pending.put(_STOP)
        writer.join()
        info = take.close()
        if self._take_error is not None:
            raise RecordingError(f"Writing {info.file.name} failed: {self._take_error}")
        return info

    def read_new(self) -> np.ndarray:
        """The samples captured since the previous call (at most the last 10 s), float32."""
        return self._ring.read_new()

    def watchdog_check(self, now: float | None = None) -> str | None:
        """Say what went wrong if the device died or stalled; the stream is then closed.

        Parameters
        ----------
        now : float, optional
            ``time.monotonic()``; the current time when omitted.

        Returns
        -------
        str or None
            A message for the user, or None while all is well (or no stream is open).
        """
        if self._stream is None:
            return None
        silent_for = (time.monotonic() if now is None else now) - self.last_callback
        if self._ended or not self._stream.active:
            problem = "The microphone disappeared (unplugged, or the sound server stopped)."
        elif silent_for > STALL_SECONDS:
            problem = f"The microphone stopped sending sound for {silent_for:.1f} s (suspended or hung)."
        else:
            return None
        self.close()
        return problem

    def close(self) -> None:
        """Close the stream at once with ``abort()`` (``stop()`` can block for seconds)."""
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.abort()
            stream.close()

    def _callback(self, indata: np.ndarray, _frames: int, _time: Any, status: Any) -> None:
        self.last_callback = time.monotonic()
        if status.input_overflow:
            self.overflows += 1
        block = indata[:, 0]
        self._ring.write(block)
        pending = self._queue
        if pending is not None:
            pending.put(block.copy())
            self.take_frames += len(block)

    def _on_finished(self) -> None:
        self._ended = True

    def _write_take(self, take: TakeWriter, pending: queue.SimpleQueue[np.ndarray]) -> None:
        while (block := pending.get()) is not _STOP:
            if self._take_error is None:
                try:
                    take.write(block)
                except (OSError, RuntimeError) as exc:
                    self._take_error = exc

