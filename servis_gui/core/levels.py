"""Colour levels for feature images, chosen so that views stay honest about loudness."""

from __future__ import annotations

import numpy as np

from servis_gui.core.db_reference import DbReference
from servis_gui.core.features import FeatureSet

FULL_SCALE_TOP_DB = -10.0
"""Top of the colour scale with the full-scale reference: speech peaks at about -15 to -25 dB here."""


def mel_levels(features: FeatureSet) -> tuple[float, float]:
    """Colour levels (low, high) in dB for a mel image.

    With the per-clip reference every clip spans ``(-top_db, 0)``; with the full-scale
    reference the levels are fixed for every clip, so a quieter clip looks darker.
    """
    top = 0.0 if features.params.db_ref == DbReference.CLIP_MAX else FULL_SCALE_TOP_DB
    return top - features.params.top_db, top


def mfcc_levels(*mfccs: np.ndarray) -> tuple[float, float]:
    """Symmetric levels covering 98 % of the coefficients 1.. of one or more MFCC matrices.

    Coefficient 0 (overall log energy) is far larger than the others and saturates.
    """
    values = np.concatenate([m[1:].ravel() for m in mfccs if m.shape[0] > 1] or [np.ones(1)])
    bound = float(np.percentile(np.abs(values), 98)) or 1.0
    return -bound, bound


def group_mel_db(features: list[FeatureSet],
                 reference: DbReference) -> tuple[list[np.ndarray], tuple[float, float]]:
    """Mel dB images of several clips on ONE colour scale, and that scale's levels.

    Parameters
    ----------
    features : list of FeatureSet
        Computed with ``db_ref=DbReference.FULL_SCALE`` (fixed), so they can be compared.
    reference : DbReference
        What 0 dB means: the loudest mel cell of the whole group, full scale, or each clip's
        own loudest cell (the seed's ``ref=np.max``).

    Returns
    -------
    images : list of np.ndarray
        float32 ``(n_mels, n_frames)`` each.
    levels : (float, float)
        Colour levels shared by every image.
    """
    if any(f.params.db_ref != DbReference.FULL_SCALE for f in features):
        raise ValueError("group_mel_db needs features computed with the full-scale reference")
    top_db = features[0].params.top_db
    if reference == DbReference.CLIP_MAX:
        return [(f.mel_db - f.mel_db.max()).astype(np.float32) for f in features], (-top_db, 0.0)
    if reference == DbReference.FULL_SCALE:
        return [f.mel_db for f in features], (FULL_SCALE_TOP_DB - top_db, FULL_SCALE_TOP_DB)
    loudest = max(float(f.mel_db.max()) for f in features)
    return [(f.mel_db - loudest).astype(np.float32) for f in features], (-top_db, 0.0)
