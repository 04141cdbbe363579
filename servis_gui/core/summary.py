"""Per-clip loudness and activity figures for side-by-side comparison."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from servis_gui.core.clip import Clip
from servis_gui.core.features import FeatureSet

ACTIVE_BELOW_PEAK_DB = 35.0
"""A frame counts as active speech when its RMS is within this many dB of the clip's loudest frame."""
SILENCE_DBFS = -60.0
"""...and above this absolute floor (so a silent clip has no active speech)."""


@dataclass(frozen=True)
class ClipSummary:
    """Numbers users compare across emotions.

    Attributes
    ----------
    duration : float
        Seconds.
    peak : float
        Largest absolute sample value (linear, full scale = 1).
    rms_dbfs : float
        RMS level of the whole clip in dB re full scale.
    active_ratio : float
        Fraction of frames that are active speech (see ``ACTIVE_BELOW_PEAK_DB``).
    """

    duration: float
    peak: float
    rms_dbfs: float
    active_ratio: float

    def as_row(self) -> dict[str, str]:
        """Formatted values, keyed by column title."""
        return {
            "duration": f"{self.duration:.2f} s",
            "peak": f"{self.peak:.3f} ({to_dbfs(self.peak):.1f} dBFS)",
            "RMS": f"{self.rms_dbfs:.1f} dBFS",
            "active speech": f"{100 * self.active_ratio:.0f} %",
        }


def to_dbfs(amplitude: float) -> float:
    """Amplitude (linear) in dB re full scale, floored at -120 dB."""
    return float(20.0 * np.log10(max(amplitude, 1e-6)))


def summarise(clip: Clip, features: FeatureSet) -> ClipSummary:
    """Compute a clip's summary from its samples and its frame RMS.

    Parameters
    ----------
    clip : Clip
    features : FeatureSet
        Features of ``clip`` (their ``rms`` gives the frame levels).

    Returns
    -------
    ClipSummary
    """
    samples = clip.samples.astype(np.float64)
    rms = float(np.sqrt(np.mean(samples**2))) if len(samples) else 0.0
    frame_db = 20.0 * np.log10(np.maximum(features.rms, 1e-6))
    threshold = max(frame_db.max() - ACTIVE_BELOW_PEAK_DB, SILENCE_DBFS)
    return ClipSummary(
        duration=clip.duration,
        peak=float(np.abs(samples).max()) if len(samples) else 0.0,
        rms_dbfs=to_dbfs(rms),
        active_ratio=float(np.mean(frame_db > threshold)),
    )
