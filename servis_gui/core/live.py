"""Live analysis of microphone audio: a level meter and a rolling mel spectrogram.

The mel frames are those :func:`servis_gui.core.features.compute_features` would give for the
whole recording (same STFT, same filterbank, same frame grid), computed as samples arrive.
"""

from __future__ import annotations

import numpy as np
import soxr

from servis_gui.core.errors import FeatureError
from servis_gui.core.features import AMIN, full_scale_power, stft_power
from servis_gui.core.levels import FULL_SCALE_TOP_DB
from servis_gui.core.mel import apply_filterbank, band_centres
from servis_gui.core.params import FeatureParams

DB_FLOOR = 10.0 * np.log10(AMIN)
"""The quietest level the meter shows (-100 dBFS): digital silence."""
CLIP_DBFS = -0.1
"""A peak at or above this level (0.989 of full scale) counts as clipping."""


def _db(power: float) -> float:
    return float(10.0 * np.log10(max(power, AMIN)))


def level_meter(block: np.ndarray) -> tuple[float, float]:
    """Peak and RMS level of a block of samples.

    Parameters
    ----------
    block : np.ndarray
        Mono samples, full scale = 1.0.

    Returns
    -------
    peak_dbfs, rms_dbfs : float
        Levels in dB re full scale, floored at :data:`DB_FLOOR` (also for an empty block).
    """
    x = np.asarray(block, dtype=np.float32)
    if not x.size:
        return DB_FLOOR, DB_FLOOR
    peak = float(np.max(np.abs(x)))
    return _db(peak * peak), _db(float(np.mean(np.square(x, dtype=np.float64))))


def shift_in(history: np.ndarray, new: np.ndarray) -> None:
    """Scroll ``history`` left along its last axis and append ``new`` at the right, in place."""
    n = min(new.shape[-1], history.shape[-1])
    if n:
        history[..., :-n] = history[..., n:]
        history[..., -n:] = new[..., new.shape[-1] - n:]


class RollingMel:
    """The last ``n_columns`` mel frames of a live stream, in dB re full scale.

    Parameters
    ----------
    params : FeatureParams
        The analysis parameters of the panes; ``params.sr`` (when set) is the analysis rate and
        the input is resampled to it, as ``load_clip`` does for files.
    input_sr : int
        Sample rate of the samples given to :meth:`push`.
    n_columns : int
        How many frames :attr:`image` keeps.

    Attributes
    ----------
    image : np.ndarray
        float32 ``(n_mels, n_columns)``, oldest frame first; silence before the first samples.
    frames : int
        Frames computed so far (frame ``k`` is centred ``k * hop / sr`` s after the first sample).

    Notes
    -----
    The frame centred on sample ``k * hop`` needs the samples up to ``k * hop + n_fft // 2``,
    so the newest column lags the newest sample by up to ``n_fft // 2 + hop`` samples.
    The dB reference is always full scale: a per-clip maximum would flicker while it scrolls.
    """

    def __init__(self, params: FeatureParams, input_sr: int, n_columns: int) -> None:
        self.params, self.input_sr = params, input_sr
        self.sr = params.sr or input_sr
        self.fmax = params.fmax_for(self.sr)
        if self.fmax <= params.fmin:
            raise FeatureError(f"fmin {params.fmin:g} Hz is above the Nyquist {self.sr / 2:g} Hz.")
        self._resampler = (soxr.ResampleStream(input_sr, self.sr, 1, dtype="float32")
                           if self.sr != input_sr else None)
        hop = params.hop_length
        self._context = -(-(params.n_fft // 2) // hop)  # frames whose window reaches back past 0
        self._buf = np.zeros(self._context * hop, dtype=np.float32)
        self._buf_start = -len(self._buf)
        self._ref_db = _db(full_scale_power(params.n_fft))
        self.frames = 0
        self.image = np.full((params.n_mels, n_columns), self.levels[0], dtype=np.float32)

    @property
    def levels(self) -> tuple[float, float]:
        """Fixed colour levels (low, high) in dB, as the panes use with the full-scale reference."""
        return FULL_SCALE_TOP_DB - self.params.top_db, FULL_SCALE_TOP_DB

    @property
    def frame_seconds(self) -> float:
        """Time between frames (the hop) in seconds."""
        return self.params.hop_length / self.sr

    @property
    def mel_hz(self) -> np.ndarray:
        """Centre frequency of each band in Hz."""
        return band_centres(self.params.n_mels, float(self.params.fmin), float(self.fmax))

    def push(self, samples: np.ndarray) -> int:
        """Add new samples; scroll the frames they complete into :attr:`image`.

        Returns
        -------
        int
            The number of new frames.
        """
        samples = np.asarray(samples, dtype=np.float32)
        if self._resampler is not None:
            samples = self._resampler.resample_chunk(samples)
        self._buf = np.concatenate([self._buf, samples])
        n_fft, hop = self.params.n_fft, self.params.hop_length
        end = self._buf_start + len(self._buf)
        last = (end - n_fft + n_fft // 2) // hop
        count = last - self.frames + 1
        if count <= 0:
            return 0
        first_sample = (self.frames - self._context) * hop
        power, _rms = stft_power(self._buf[first_sample - self._buf_start:], n_fft, hop)
        frames = power[self._context : self._context + count]
        mel = apply_filterbank(frames, self.sr, n_fft, self.params.n_mels,
                               float(self.params.fmin), float(self.fmax))
        shift_in(self.image, 10.0 * np.log10(np.maximum(mel, AMIN)) - self._ref_db)
        self.frames += count
        keep_from = (self.frames - self._context) * hop
        self._buf = self._buf[keep_from - self._buf_start:]
        self._buf_start = keep_from
        return count
