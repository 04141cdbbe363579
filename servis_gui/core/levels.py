"""Colour levels for feature images, chosen so that views stay honest about loudness."""

from __future__ import annotations

import numpy as np

from servis_gui.core.features import FeatureSet

FULL_SCALE_TOP_DB = -10.0
"""Top of the colour scale with the full-scale reference: speech peaks at about -15 to -25 dB here."""


def mel_levels(features: FeatureSet) -> tuple[float, float]:
    """Colour levels (low, high) in dB for a mel image.

    With the per-clip reference every clip spans ``(-top_db, 0)``; with the full-scale
    reference the levels are fixed for every clip, so a quieter clip looks darker.
    """
    top = 0.0 if features.params.db_ref == "max" else FULL_SCALE_TOP_DB
    return top - features.params.top_db, top


def mfcc_levels(*mfccs: np.ndarray) -> tuple[float, float]:
    """Symmetric levels covering 98 % of the coefficients 1.. of one or more MFCC matrices.

    Coefficient 0 (overall log energy) is far larger than the others and saturates.
    """
    values = np.concatenate([m[1:].ravel() for m in mfccs if m.shape[0] > 1] or [np.ones(1)])
    bound = float(np.percentile(np.abs(values), 98)) or 1.0
    return -bound, bound
