"""The shapes a per-emotion plot draws: violin outlines (a Gaussian kernel density), box-plot
figures and the horizontal jitter of the dots. No Qt; numpy only, fast for 10,000 values."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

OUTLINE_POINTS = 64
"""Points along a violin's outline: smooth at any plot height, cheap for a dozen emotions."""
WHISKER_IQR = 1.5
"""Tukey's whiskers: the furthest values within 1.5 interquartile ranges of the box."""


@dataclass(frozen=True)
class BoxFigures:
    """The five numbers a box plot draws (NaN for no values)."""

    whisker_low: float
    q1: float
    median: float
    q3: float
    whisker_high: float


def finite(values: np.ndarray) -> np.ndarray:
    """The finite values of ``values`` as float64 (NaN and infinities dropped)."""
    values = np.asarray(values, dtype=np.float64)
    return values[np.isfinite(values)]


def violin_outline(values: np.ndarray, points: int = OUTLINE_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """A violin's outline: a Gaussian kernel density of ``values`` (Scott's bandwidth).

    Parameters
    ----------
    values : np.ndarray
        The values of one group (NaN ignored).
    points : int
        Points along the outline.

    Returns
    -------
    y, density : np.ndarray
        Positions from the smallest to the largest value, and the density there scaled to a
        maximum of 1 (multiply by the half-width the violin may take). Empty for fewer than
        two distinct values.
    """
    x = finite(values)
    if len(x) < 2 or np.ptp(x) == 0:
        return np.zeros(0), np.zeros(0)
    bandwidth = np.std(x, ddof=1) * len(x) ** (-1 / 5)  # Scott's rule, as scipy's gaussian_kde
    y = np.linspace(x.min(), x.max(), points)
    density = _gaussian_density(np.sort(x), y, bandwidth)
    return y, density / density.max()


def box_figures(values: np.ndarray) -> BoxFigures:
    """Quartiles, median and Tukey's whiskers of ``values`` (NaN ignored)."""
    x = finite(values)
    if not len(x):
        return BoxFigures(*(np.nan,) * 5)
    q1, median, q3 = np.percentile(x, (25, 50, 75))
    reach = WHISKER_IQR * (q3 - q1)
    inside = x[(x >= q1 - reach) & (x <= q3 + reach)]
    return BoxFigures(float(inside.min()), float(q1), float(median), float(q3), float(inside.max()))


def jitter(count: int, width: float, seed: int = 0) -> np.ndarray:
    """Horizontal offsets in ``[-width/2, width/2]`` for ``count`` dots, the same at every redraw."""
    return (np.random.default_rng(seed).random(count) - 0.5) * width


def _gaussian_density(sorted_x: np.ndarray, y: np.ndarray, bandwidth: float) -> np.ndarray:
    """Sum of Gaussians at ``y``, only over the values within 5 bandwidths of each point."""
    lo = np.searchsorted(sorted_x, y - 5 * bandwidth)
    hi = np.searchsorted(sorted_x, y + 5 * bandwidth)
    density = np.empty(len(y))
    for k, (a, b) in enumerate(zip(lo, hi, strict=True)):
        z = (sorted_x[a:b] - y[k]) / bandwidth
        density[k] = np.exp(-0.5 * z * z).sum()
    return density
