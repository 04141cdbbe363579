"""Live pitch: Praat's f0 of the last few seconds of a microphone stream, computed as samples arrive.

No Qt and no sounddevice here. parselmouth is imported when a :class:`RollingPitch` is made (the
stream is being opened), never when this module is imported.

Each :meth:`RollingPitch.push` gives Praat (``To Pitch (ac)`` or ``(cc)``, the settings of the clip
analysis) only the samples of the frames it completes, plus some context before them. The frames lie
on one grid from the start of the stream: frame ``k`` is centred ``window / 2 + k * time_step``
seconds after the first sample, where Praat would put it for the whole recording analysed at once.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import soxr

from servis_gui.core.live import shift_in
from servis_gui.core.prosody import SILENCE_PEAK, PitchParams, praat_error

ANALYSIS_SR = 16000
"""Praat's cost grows with the sample rate (measured: 48 kHz costs 3x the time of 16 kHz with "ac",
8x with "cc") while 8 kHz of bandwidth holds the harmonics it needs: faster input is resampled first."""

CONTEXT_SECONDS = 0.2
"""Frames analysed again before the new ones, so that Praat's path finder (which links each frame's
choice of candidate to its neighbours') sees what came before, as it does in the whole recording."""

LOOKAHEAD_SECONDS = 0.03
"""A frame is final once this much of the stream after it has been analysed with it: the path finder
also looks ahead. Measured on 27 s of demo speech at 25 ms pushes: without it 1 % of the frames
differed in voicing from the whole-recording analysis, with it none (0.2 % differed in f0 by > 1 %)."""

SILENCE_THRESHOLD = 0.03
"""Praat's default silence threshold (the one :func:`servis_gui.core.prosody.praat_pitch` uses): frames
whose peak is below this fraction of the sound's peak lean to unvoiced."""


def praat_window(params: PitchParams) -> float:
    """Seconds of sound one pitch frame uses: 3 periods of the floor ("ac"), 2 ("cc": 1 + 1 of lag)."""
    return (3.0 if params.method == "ac" else 2.0) / params.floor_hz


class RollingPitch:
    """The last ``seconds`` of Praat's f0 of a live stream, on a fixed frame grid.

    Parameters
    ----------
    params : PitchParams
        Floor, ceiling, method and time step (as for :func:`servis_gui.core.prosody.compute_prosody`).
    input_sr : int
        Sample rate of the samples given to :meth:`push`; above :data:`ANALYSIS_SR` they are resampled.
    seconds : float
        How much history :attr:`f0_hz` keeps.

    Attributes
    ----------
    f0_hz : np.ndarray
        float64, one value per frame, oldest first; NaN where unvoiced or not yet heard (a gap, never 0).
    frames : int
        Frames computed since the stream started.

    Notes
    -----
    A frame is computed once the stream holds half a window and :data:`LOOKAHEAD_SECONDS` after its
    centre: the newest frame is that much (55 ms with a 60 Hz floor), plus up to one time step and
    the resampler's delay, older than the newest sample. Frames are final once computed; Praat's path
    finder sees :data:`CONTEXT_SECONDS` before them and :data:`LOOKAHEAD_SECONDS` after them.

    Praat judges silence against the peak of the whole sound; here that is the peak of the last
    ``seconds`` (what the view shows), so quiet noise or hum after speech is a gap, as it is in the
    analysis of the recording, and not Praat's best guess at a pitch in it.
    """

    def __init__(self, params: PitchParams, input_sr: int, seconds: float) -> None:
        import parselmouth  # noqa: F401 (0.2 s: loaded here, before the stream starts, not in a push)

        self.params, self.input_sr = params, input_sr
        self.sr = min(input_sr, ANALYSIS_SR)
        self._resampler = (soxr.ResampleStream(input_sr, self.sr, 1, dtype="float64")
                           if self.sr != input_sr else None)
        self.window = praat_window(params)
        self._context = math.ceil(CONTEXT_SECONDS / params.time_step)
        self._lookahead = math.ceil(LOOKAHEAD_SECONDS / params.time_step)
        self._peaks: deque[tuple[int, float]] = deque()  # (end sample, peak) of each push in the history
        self._history = round(seconds * self.sr)
        self._buf = np.zeros(0, dtype=np.float64)
        self._buf_start = 0
        self._pushed = 0
        self.frames = 0
        self.f0_hz = np.full(max(1, round(seconds / params.time_step)), np.nan)

    def frame_time(self, k: np.ndarray | int) -> np.ndarray | float:
        """Centre of frame ``k`` in seconds after the first sample."""
        return self.window / 2 + np.asarray(k) * self.params.time_step

    @property
    def now(self) -> float:
        """Seconds of input pushed so far (the end of the newest sample)."""
        return self._pushed / self.input_sr

    @property
    def times(self) -> np.ndarray:
        """Centre of each value of :attr:`f0_hz` in seconds relative to :attr:`now` (negative: before)."""
        k = np.arange(self.frames - len(self.f0_hz), self.frames)
        return self.frame_time(k) - self.now

    @property
    def current_hz(self) -> float:
        """F0 of the newest frame in Hz (NaN when it is unvoiced or nothing was heard yet)."""
        return float(self.f0_hz[-1])

    def push(self, samples: np.ndarray) -> int:
        """Add new samples; scroll the f0 of the frames they complete into :attr:`f0_hz`.

        Returns
        -------
        int
            The number of new frames.
        """
        samples = np.asarray(samples, dtype=np.float64)
        self._pushed += len(samples)
        if self._resampler is not None:
            samples = self._resampler.resample_chunk(samples)
        self._buf = np.concatenate([self._buf, samples])
        end = self._buf_start + len(self._buf)
        self._note_peak(samples, end)
        last = math.floor((end / self.sr - self.window) / self.params.time_step + 1e-9) - self._lookahead
        count = last - self.frames + 1
        if count <= 0:
            return 0
        shown_from = max(self.frames, last - len(self.f0_hz) + 1)  # after a stall, only what is kept
        first = max(0, shown_from - self._context)
        shift_in(self.f0_hz, self._analyse(first, last + self._lookahead)[shown_from - first : last - first + 1])
        self.frames = last + 1
        self._forget_before(max(0, self.frames - self._context))
        return count

    def _analyse(self, first: int, last: int) -> np.ndarray:
        """Praat's f0 of frames ``first..last`` (NaN where unvoiced), from the fewest samples that hold them."""
        import parselmouth

        n = last - first + 1
        # Praat fits floor((duration - window) / step) + 1 frames, centred: one sample more than the frames
        # span, so that rounding cannot lose one; their centres then lie within a sample of the grid.
        length = math.floor((self.window + (n - 1) * self.params.time_step) * self.sr) + 1
        centre = (self.frame_time(first) + self.frame_time(last)) / 2
        start = round(centre * self.sr - length / 2)
        start = max(self._buf_start, min(start, self._buf_start + len(self._buf) - length))
        segment = self._buf[start - self._buf_start : start - self._buf_start + length]
        peak = float(np.max(np.abs(segment)))
        if peak < SILENCE_PEAK:
            return np.full(n, np.nan)
        sound = parselmouth.Sound(segment, sampling_frequency=float(self.sr), start_time=start / self.sr)
        tracker = sound.to_pitch_ac if self.params.method == "ac" else sound.to_pitch_cc
        try:
            pitch = tracker(time_step=self.params.time_step, pitch_floor=self.params.floor_hz,
                            pitch_ceiling=self.params.ceiling_hz,
                            silence_threshold=SILENCE_THRESHOLD * self._reference_peak(peak) / peak)
        except parselmouth.PraatError as exc:
            raise praat_error(exc, "live pitch") from exc
        raw = np.asarray(pitch.selected_array["frequency"], dtype=np.float64)
        return np.where(raw > 0, raw, np.nan)

    def _note_peak(self, samples: np.ndarray, end: int) -> None:
        """Remember the peak of the new samples; forget the peaks older than the history."""
        if len(samples):
            self._peaks.append((end, float(np.max(np.abs(samples)))))
        while self._peaks and self._peaks[0][0] < end - self._history:
            self._peaks.popleft()

    def _reference_peak(self, segment_peak: float) -> float:
        """The peak Praat's silence threshold is relative to: the loudest of the history and the segment."""
        return max([segment_peak, *(peak for _end, peak in self._peaks)])

    def _forget_before(self, frame: int) -> None:
        """Drop the samples that no frame from ``frame`` on needs."""
        keep_from = max(self._buf_start, math.floor((self.frame_time(frame) - self.window / 2) * self.sr) - 2)
        self._buf = self._buf[keep_from - self._buf_start :]
        self._buf_start = keep_from
