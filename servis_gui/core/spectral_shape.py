"""Spectral shape of a clip from SERVIS's STFT power spectrum (eGeMAPS-like descriptors, no Qt).

Each descriptor is computed per STFT frame and averaged over the frames asked for:
:func:`spectral_shape` takes the power spectrogram of :func:`servis_gui.core.features.stft_power`
(frames first) and two frame masks, the voiced frames (for the voice-source descriptors, as
eGeMAPS averages them over voiced frames) and the active ones (for flux and centroid).
"""

from __future__ import annotations

import numpy as np

from servis_gui.core.contour_stats import mean_or_nan
from servis_gui.core.features import AMIN

ALPHA_LOW_HZ = (50.0, 1000.0)
ALPHA_HIGH_HZ = (1000.0, 5000.0)
HAMMARBERG_LOW_HZ = (0.0, 2000.0)
HAMMARBERG_HIGH_HZ = (2000.0, 5000.0)
SLOPE_BANDS_HZ = {"spectral_slope_0_500": (0.0, 500.0), "spectral_slope_500_1500": (500.0, 1500.0)}
ACTIVE_RANGE_DB = 50.0
"""A frame is active when its power is within this many dB of the clip's loudest frame."""


def active_frames(power: np.ndarray) -> np.ndarray:
    """Frames whose total power is within ``ACTIVE_RANGE_DB`` of the loudest frame (and not zero)."""
    total = power.sum(axis=1, dtype=np.float64)
    return (total > 0) & (total >= total.max() * 10.0 ** (-ACTIVE_RANGE_DB / 10.0))


def spectral_shape(power: np.ndarray, sr: int, voiced: np.ndarray, active: np.ndarray) -> dict[str, float]:
    """Alpha ratio, Hammarberg index and slopes over ``voiced`` frames; flux and centroid over ``active``.

    Parameters
    ----------
    power : np.ndarray
        ``|STFT|**2``, shape ``(n_frames, n_bins)``, bins from 0 Hz to ``sr / 2``.
    sr : int
        Sample rate.
    voiced, active : np.ndarray
        bool masks over the frames.

    Returns
    -------
    dict
        ``alpha_ratio_db``, ``hammarberg_index_db``, ``spectral_slope_0_500``,
        ``spectral_slope_500_1500`` (NaN without a voiced frame), ``spectral_flux_mean`` (NaN
        without two consecutive active frames) and ``spectral_centroid_hz_mean``.
    """
    freqs = np.linspace(0.0, sr / 2.0, power.shape[1])
    source = np.asarray(power[voiced], dtype=np.float64)
    hammarberg = _band_ratio_db(source, freqs, HAMMARBERG_LOW_HZ, HAMMARBERG_HIGH_HZ, np.max)
    out = {
        "alpha_ratio_db": mean_or_nan(_band_ratio_db(source, freqs, ALPHA_HIGH_HZ, ALPHA_LOW_HZ, np.sum)),
        "hammarberg_index_db": mean_or_nan(hammarberg),
    }
    db = 10.0 * np.log10(np.maximum(source, AMIN))
    for name, band in SLOPE_BANDS_HZ.items():
        out[name] = mean_or_nan(_regression_slopes(db, freqs, band))
    out["spectral_flux_mean"] = mean_or_nan(_flux(power, active))
    out["spectral_centroid_hz_mean"] = mean_or_nan(_centroids(power[active], freqs))
    return out


def _band(freqs: np.ndarray, band: tuple[float, float]) -> np.ndarray:
    return (freqs >= band[0]) & (freqs <= band[1])


def _band_ratio_db(power: np.ndarray, freqs: np.ndarray, num: tuple[float, float], den: tuple[float, float],
                   reduce) -> np.ndarray:
    """``10 log10(reduce(power in num) / reduce(power in den))`` per frame."""
    top = reduce(power[:, _band(freqs, num)], axis=1)
    bottom = reduce(power[:, _band(freqs, den)], axis=1)
    return 10.0 * np.log10(np.maximum(top, AMIN) / np.maximum(bottom, AMIN))


def _regression_slopes(db: np.ndarray, freqs: np.ndarray, band: tuple[float, float]) -> np.ndarray:
    """Least-squares slope (dB/Hz) of each frame's dB spectrum against frequency within ``band``."""
    inside = _band(freqs, band)
    f = freqs[inside] - freqs[inside].mean()
    return db[:, inside] @ f / np.dot(f, f)


def _flux(power: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Squared difference of consecutive L1-normalised magnitude spectra, summed over bins."""
    magnitude = np.sqrt(np.asarray(power, dtype=np.float64))
    total = magnitude.sum(axis=1, keepdims=True)
    shape = magnitude / np.maximum(total, AMIN)
    pairs = active[1:] & active[:-1]
    return np.sum((shape[1:][pairs] - shape[:-1][pairs]) ** 2, axis=1)


def _centroids(power: np.ndarray, freqs: np.ndarray) -> np.ndarray:
    """Power-weighted mean frequency (Hz) of each frame."""
    return power @ freqs / np.maximum(power.sum(axis=1, dtype=np.float64), AMIN)
