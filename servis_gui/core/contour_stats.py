"""Statistics of a frame contour (f0, intensity) over its voiced frames, and voiced/unvoiced runs.

Pure numpy, used by :mod:`servis_gui.core.functionals`.
"""

from __future__ import annotations

import math

import numpy as np


def mean_or_nan(values: np.ndarray) -> float:
    """The mean of ``values``, NaN when there are none."""
    return float(np.mean(values)) if len(values) else math.nan


def contour_stats(prefix: str, contour: np.ndarray, voiced: np.ndarray, frame_step: float) -> dict[str, float]:
    """Mean, SD, percentiles, range and slopes of a contour over its voiced frames.

    Parameters
    ----------
    prefix : str
        Column prefix (``"f0_semitone"`` gives ``f0_semitone_mean``...).
    contour : np.ndarray
        One value per frame (anything where unvoiced).
    voiced : np.ndarray
        bool, the frames to use.
    frame_step : float
        Seconds between frames.

    Returns
    -------
    dict
        ``{prefix}_mean``, ``_sd`` (n-1), ``_p20``, ``_p50``, ``_p80`` (linear interpolation),
        ``_range_20_80``, ``_rising_slope_mean`` and ``_falling_slope_mean`` (per second); NaN
        where there are too few voiced frames.
    """
    v = contour[voiced]
    p20, p50, p80 = np.percentile(v, [20, 50, 80]) if len(v) else (math.nan,) * 3
    rising, falling = _slope_means(contour, voiced, frame_step)
    return {
        f"{prefix}_mean": mean_or_nan(v),
        f"{prefix}_sd": float(np.std(v, ddof=1)) if len(v) > 1 else math.nan,
        f"{prefix}_p20": float(p20), f"{prefix}_p50": float(p50), f"{prefix}_p80": float(p80),
        f"{prefix}_range_20_80": float(p80 - p20),
        f"{prefix}_rising_slope_mean": rising,
        f"{prefix}_falling_slope_mean": falling,
    }


def _smoothed(contour: np.ndarray, voiced: np.ndarray) -> np.ndarray:
    """3-frame moving average where a frame and both neighbours are voiced (eGeMAPS's sma3)."""
    out = np.where(voiced, contour, 0.0)
    inner = voiced[1:-1] & voiced[:-2] & voiced[2:]
    out[1:-1][inner] = ((out[:-2] + out[1:-1] + out[2:]) / 3.0)[inner]
    return out


def _slope_means(contour: np.ndarray, voiced: np.ndarray, frame_step: float) -> tuple[float, float]:
    """Mean slope (per second) of the rising and of the falling monotonic parts of the voiced runs."""
    steps = np.diff(_smoothed(contour, voiced))
    direction = np.where(voiced[1:] & voiced[:-1], np.sign(steps), 0.0)
    if not len(direction):
        return math.nan, math.nan
    starts = np.flatnonzero(np.r_[True, direction[1:] != direction[:-1]])
    lengths = np.diff(np.r_[starts, len(direction)])
    slopes = np.add.reduceat(np.where(direction != 0, steps, 0.0), starts) / (lengths * frame_step)
    kind = direction[starts]
    return mean_or_nan(slopes[kind > 0]), mean_or_nan(slopes[kind < 0])


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start index and length of each run of True in ``mask``."""
    edges = np.diff(np.r_[0, mask.astype(np.int8), 0])
    starts = np.flatnonzero(edges == 1)
    return starts, np.flatnonzero(edges == -1) - starts


def segments(voiced: np.ndarray, duration: float, frame_step: float) -> dict[str, float]:
    """Voiced fraction, voiced runs per second, mean voiced run and mean pause between voiced runs (s).

    Parameters
    ----------
    voiced : np.ndarray
        bool per frame.
    duration : float
        The clip's length in seconds.
    frame_step : float
        Seconds between frames.
    """
    starts, lengths = _runs(voiced)
    gaps = starts[1:] - (starts[:-1] + lengths[:-1])
    return {
        "voiced_fraction": float(np.mean(voiced)) if len(voiced) else math.nan,
        "voiced_segments_per_s": len(starts) / duration,
        "voiced_segment_mean_s": mean_or_nan(lengths) * frame_step,
        "unvoiced_segment_mean_s": mean_or_nan(gaps) * frame_step,
    }
