"""Waveform envelope, mel spectrogram and MFCC from ONE short-time Fourier transform.

numpy, with scipy's FFT once asked for (:func:`set_fft_backend`), equal to librosa's
``melspectrogram`` + ``power_to_db`` + ``mfcc`` with the same parameters (tested to 1e-3 dB),
without librosa's numba start-up cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from servis_gui.core.clip import Clip
from servis_gui.core.db_reference import DbReference
from servis_gui.core.errors import FeatureError
from servis_gui.core.mel import apply_filterbank, band_centres
from servis_gui.core.params import FeatureParams

AMIN = 1e-10
_FRAMES_PER_BLOCK = 2048


@dataclass(frozen=True)
class FeatureSet:
    """Features of one clip on one frame grid (frame ``k`` is centred at ``k * hop / sr`` s).

    Attributes
    ----------
    times : np.ndarray
        Frame centres in seconds, shape ``(n_frames,)``.
    rms : np.ndarray
        Root-mean-square amplitude of each frame (``n_fft`` samples), shape ``(n_frames,)``.
    mel_db : np.ndarray
        Mel power in dB re ``params.db_ref``, float32 C-contiguous, shape ``(n_mels, n_frames)``.
    mel_hz : np.ndarray
        Centre frequency of each mel band in Hz, shape ``(n_mels,)``.
    mfcc : np.ndarray
        MFCCs of the log-mel (``ref=1.0`` as ``librosa.feature.mfcc``), shape ``(n_mfcc, n_frames)``.
    peak_db : float
        The loudest mel cell in dB re full scale (so views can say how loud the clip is).
    params : FeatureParams
        The parameters they were computed with.
    sr : int
        The clip's sample rate.
    """

    times: np.ndarray
    rms: np.ndarray
    mel_db: np.ndarray
    mel_hz: np.ndarray
    mfcc: np.ndarray
    peak_db: float
    params: FeatureParams
    sr: int

    @property
    def frame_seconds(self) -> float:
        """Time between frames (the hop) in seconds."""
        return self.params.hop_length / self.sr


@lru_cache(maxsize=8)
def hann(n: int) -> np.ndarray:
    """Periodic Hann window of length ``n`` (``scipy.signal.get_window('hann', n)``), read-only."""
    window = (0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n) / n)).astype(np.float32)
    window.setflags(write=False)
    return window


def full_scale_power(n_fft: int) -> float:
    """Power of one STFT bin for a full-scale (amplitude 1) sine: the fixed 0 dB reference."""
    return float(hann(n_fft).sum(dtype=np.float64) / 2.0) ** 2


def stft_power(y: np.ndarray, n_fft: int, hop_length: int) -> tuple[np.ndarray, np.ndarray]:
    """Power spectrogram and frame RMS of centred, zero-padded, Hann-windowed frames.

    Parameters
    ----------
    y : np.ndarray
        Mono float32 signal.
    n_fft, hop_length : int
        Frame size and hop in samples.

    Returns
    -------
    power : np.ndarray
        ``|STFT|**2``, float32, shape ``(n_frames, 1 + n_fft // 2)`` (frames first).
    rms : np.ndarray
        RMS of each unwindowed frame, shape ``(n_frames,)``.
    """
    padded = np.pad(np.asarray(y, dtype=np.float32), n_fft // 2, mode="constant")
    frames = np.lib.stride_tricks.sliding_window_view(padded, n_fft)[::hop_length]
    window = hann(n_fft)
    rfft = _rfft
    power = np.empty((len(frames), n_fft // 2 + 1), dtype=np.float32)
    for start in range(0, len(frames), _FRAMES_PER_BLOCK):
        block = frames[start : start + _FRAMES_PER_BLOCK]
        spectrum = rfft(block * window, axis=-1)
        np.multiply(spectrum.real, spectrum.real, out=power[start : start + len(block)])
        power[start : start + len(block)] += spectrum.imag * spectrum.imag
    rms = np.sqrt(np.einsum("ij,ij->i", frames, frames) / np.float32(n_fft))
    return power, rms


def set_fft_backend(name: str) -> None:
    """Choose the real FFT every STFT uses from now on: ``"numpy"`` (the default) or ``"scipy"``.

    scipy's is 4-5x faster in float32, but ``import scipy.fft`` costs 0.2-0.5 s, so the app
    starts with numpy and its feature worker switches once the first clip is drawn. Both are
    pocketfft: results agree to float32 rounding.

    Parameters
    ----------
    name : {"numpy", "scipy"}
    """
    global _rfft
    if name == "scipy":
        import scipy.fft

        _rfft = scipy.fft.rfft
    elif name == "numpy":
        _rfft = np.fft.rfft
    else:
        raise ValueError(f"unknown FFT back-end {name!r} (numpy or scipy)")


def fft_backend() -> str:
    """The FFT back-end in use: ``"numpy"`` or ``"scipy"``."""
    return "numpy" if _rfft is np.fft.rfft else "scipy"


_rfft = np.fft.rfft


def power_to_db(power: np.ndarray, ref: float, top_db: float) -> np.ndarray:
    """``10 log10(power / ref)``, floored at ``top_db`` below the peak (``librosa.power_to_db``)."""
    db = 10.0 * np.log10(np.maximum(AMIN, power))
    db -= 10.0 * np.log10(max(AMIN, ref))
    return np.maximum(db, db.max() - top_db)


def compute_features(clip: Clip, params: FeatureParams) -> FeatureSet:
    """Compute the envelope, mel spectrogram and MFCC of a clip from one STFT.

    Parameters
    ----------
    clip : Clip
        A loaded clip; its ``sr`` is the analysis rate.
    params : FeatureParams
        Analysis parameters (``params.sr`` is ignored here: ``load_clip`` resamples).

    Returns
    -------
    FeatureSet

    Raises
    ------
    FeatureError
        If the parameters do not fit the clip's sample rate.
    """
    _check_fmax(params, clip.sr)
    power, rms = stft_power(clip.samples, params.n_fft, params.hop_length)
    return features_from_power(power, rms, clip.sr, params)


def features_from_power(power: np.ndarray, rms: np.ndarray, sr: int, params: FeatureParams) -> FeatureSet:
    """The mel spectrogram and MFCC of a power spectrogram from :func:`stft_power`.

    For callers that also need the power spectrum itself: ``compute_features`` is
    ``features_from_power(*stft_power(samples, n_fft, hop_length), sr, params)``.

    Parameters
    ----------
    power, rms : np.ndarray
        ``stft_power(samples, params.n_fft, params.hop_length)``.
    sr : int
        Sample rate of the samples.
    params : FeatureParams
        The parameters the STFT was computed with.

    Returns
    -------
    FeatureSet

    Raises
    ------
    FeatureError
        If the parameters do not fit the sample rate.
    """
    fmax = _check_fmax(params, sr)
    mel_power = apply_filterbank(power, sr, params.n_fft, params.n_mels, float(params.fmin), float(fmax))
    fs_ref = full_scale_power(params.n_fft)
    peak = float(mel_power.max())
    log_mel = power_to_db(mel_power, 1.0, params.top_db)
    display_ref = peak if params.db_ref == DbReference.CLIP_MAX else fs_ref
    mel_db = log_mel - np.float32(10.0 * np.log10(max(AMIN, display_ref)))
    return FeatureSet(
        times=np.arange(mel_power.shape[1]) * (params.hop_length / sr),
        rms=rms,
        mel_db=np.ascontiguousarray(mel_db, dtype=np.float32),
        mel_hz=band_centres(params.n_mels, float(params.fmin), float(fmax)),
        mfcc=np.ascontiguousarray(_mfcc(log_mel, params.n_mfcc), dtype=np.float32),
        peak_db=10.0 * np.log10(max(AMIN, peak) / fs_ref),
        params=params,
        sr=sr,
    )


def _check_fmax(params: FeatureParams, sr: int) -> float:
    fmax = params.fmax_for(sr)
    if fmax <= params.fmin:
        raise FeatureError(f"fmin {params.fmin:g} Hz is above the clip's Nyquist {sr / 2:g} Hz.")
    return fmax


def _mfcc(log_mel: np.ndarray, n_mfcc: int) -> np.ndarray:
    return dct_matrix(n_mfcc, log_mel.shape[0]) @ log_mel


@lru_cache(maxsize=16)
def dct_matrix(n_out: int, n_in: int) -> np.ndarray:
    """The first ``n_out`` rows of the orthonormal DCT-II of size ``n_in`` (``scipy.fft.dct(norm='ortho')``)."""
    k = np.arange(n_out)[:, None]
    n = np.arange(n_in)[None, :]
    basis = np.cos(np.pi * k * (2 * n + 1) / (2 * n_in)) * np.sqrt(2.0 / n_in)
    basis[0] /= np.sqrt(2.0)
    basis.setflags(write=False)
    return basis
