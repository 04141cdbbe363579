"""Synthetic voices with a known f0 for the tests: harmonics of a contour, silence where unvoiced."""

import numpy as np


def harmonic_voice(f0: np.ndarray, voiced: np.ndarray, sr: int, noise: float = 0.0, seed: int = 0) -> np.ndarray:
    """Harmonics up to 4 kHz of a per-sample f0 contour, with a -6 dB/octave tilt and 10 ms fades.

    ``voiced`` is a per-sample mask; elsewhere the signal is silence (plus ``noise``, an RMS level).
    """
    phase = 2 * np.pi * np.cumsum(f0) / sr
    y = np.zeros(len(f0))
    for k in range(1, 40):
        y += np.where(k * f0 < 4000, np.sin(k * phase) / k, 0.0)
    fade = np.convolve(voiced.astype(float), np.ones(sr // 100) / (sr // 100), mode="same")
    y = 0.2 * y * fade
    if noise:
        y += noise * np.random.default_rng(seed).standard_normal(len(y))
    return y
