"""The corpus's feature vector of the microphone's last seconds, every half second (no Qt).

:class:`LiveFeatures` keeps the last ``seconds`` of the input stream at its own rate. Every
``every`` seconds of new input it is :meth:`~LiveFeatures.due`; :meth:`~LiveFeatures.snapshot`
then copies the window, and :meth:`~LiveFeatures.features` analyses such a copy exactly as the
corpus run analyses a file: resampled to the analysis rate with soxr "HQ" (as ``load_clip`` does),
then :func:`~servis_gui.core.functionals.clip_functionals`. The analysis touches only the frozen
settings and the copy, so it may run on another thread while new blocks are pushed.

Silence is reported as None, not as a guess: a window below :data:`SILENCE_DBFS`, or one in which
Praat finds no voiced frame.
"""

from __future__ import annotations

import math

import numpy as np
import soxr

from servis_gui.core.clip import Clip, FileIdentity
from servis_gui.core.functionals import clip_functionals
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import PitchParams, SilentClipError

WINDOW_S = 2.0
"""Seconds analysed each time (the last ones heard)."""
EVERY_S = 0.5
"""Seconds of new input between two analyses."""
SILENCE_DBFS = -50.0
"""A window whose RMS level is below this (dB re full scale) is silence, whatever Praat would say."""
LIVE_IDENTITY = FileIdentity("microphone", 0, 0)
"""The identity of a live window's :class:`Clip` (it comes from no file)."""


def rms_dbfs(samples: np.ndarray) -> float:
    """10 log10 of the mean squared sample (-inf for an empty or all-zero window)."""
    power = float(np.mean(np.square(samples, dtype=np.float64))) if len(samples) else 0.0
    return 10 * math.log10(power) if power > 0 else -math.inf


def live_clip(samples: np.ndarray, input_sr: int, analysis_sr: int | None) -> Clip:
    """A :class:`Clip` of microphone samples at the analysis rate, as ``load_clip`` would give it.

    Parameters
    ----------
    samples : np.ndarray
        Mono float samples at ``input_sr``.
    input_sr : int
        The stream's rate.
    analysis_sr : int or None
        ``FeatureParams.sr``; None keeps ``input_sr``.

    Returns
    -------
    Clip
        float32, read-only samples.
    """
    target = analysis_sr or input_sr
    mono = np.asarray(samples, dtype=np.float32)
    if target != input_sr:
        mono = soxr.resample(mono, input_sr, target, quality="HQ").astype(np.float32)
    mono = np.ascontiguousarray(mono, dtype=np.float32)
    mono.setflags(write=False)
    return Clip(mono, target, LIVE_IDENTITY, input_sr, 1)


class LiveFeatures:
    """The last ``seconds`` of a stream and their feature vector every ``every`` seconds.

    Parameters
    ----------
    params : FeatureParams
        The corpus's STFT, mel and MFCC settings (``params.sr`` is the analysis rate).
    pitch : PitchParams
        The corpus's pitch settings.
    input_sr : int
        The stream's rate.
    seconds : float
        Length of the analysed window.
    every : float
        Seconds of new input between two analyses.
    silence_dbfs : float
        Windows quieter than this are silence.
    """

    def __init__(self, params: FeatureParams, pitch: PitchParams, input_sr: int, seconds: float = WINDOW_S,
                 every: float = EVERY_S, silence_dbfs: float = SILENCE_DBFS) -> None:
        self.params, self.pitch, self.input_sr = params, pitch, int(input_sr)
        self.silence_dbfs = silence_dbfs
        self.size = round(seconds * self.input_sr)
        self.step = round(every * self.input_sr)
        self._buffer = np.zeros(self.size, dtype=np.float32)
        self.received = 0
        """Samples pushed so far."""
        self._taken = 0  # ``received`` at the last snapshot

    def push(self, samples: np.ndarray) -> None:
        """Append a block of the stream (mono, at ``input_sr``); only the last ``seconds`` are kept."""
        block = np.asarray(samples, dtype=np.float32).reshape(-1)[-self.size:]
        n = len(block)
        self._buffer[: self.size - n] = self._buffer[n:]
        self._buffer[self.size - n:] = block
        self.received += len(samples)

    def due(self) -> bool:
        """A full window is held and ``every`` seconds of input came since the last snapshot."""
        return self.received >= self.size and self.received - self._taken >= self.step

    def snapshot(self) -> np.ndarray:
        """A read-only copy of the window (the last ``seconds``); the next one is due ``every`` later."""
        self._taken = self.received
        window = self._buffer.copy()
        window.setflags(write=False)
        return window

    def features(self, window: np.ndarray | None = None) -> dict[str, float] | None:
        """The corpus's features of ``window`` (the current :meth:`snapshot` when omitted).

        Thread-safe for a given ``window``: it reads only that copy and the frozen settings.

        Returns
        -------
        dict or None
            ``{name: value}`` as :func:`clip_functionals` gives it, or None for silence (below the
            level threshold, or no voiced frame).

        Raises
        ------
        FeatureError
            The settings do not fit the analysis (the window is shorter than Praat's, ...).
        """
        window = self.snapshot() if window is None else window
        if rms_dbfs(window) < self.silence_dbfs:
            return None
        try:
            values = clip_functionals(live_clip(window, self.input_sr, self.params.sr), self.params, self.pitch)
        except SilentClipError:
            return None
        voiced = values["voiced_fraction"]
        return None if not voiced > 0 else values  # 0 or NaN: nothing voiced
