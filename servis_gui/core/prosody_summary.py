"""Per-clip pitch and intensity figures for the comparison grid, and the one f0 scale its columns share.

No Qt here. Everything is computed with numpy on a :class:`~servis_gui.core.prosody.Prosody`'s
arrays: percentiles over the voiced frames (numpy's linear interpolation), the intensity mean
energy-averaged as Praat's ``Get mean... energy`` (and the voice report) does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from servis_gui.core.prosody import Prosody, semitones

RANGE_PERCENTILES = (5.0, 95.0)
"""The f0 range of a clip: from its 5th to its 95th percentile (octave errors and creak left out)."""
SCALE_PERCENTILES = (2.0, 98.0)
"""The grid's f0 scale spans the group's voiced frames from the 2nd to the 98th percentile..."""
SCALE_MARGIN = 0.1
"""...plus this share of that span above and below..."""
MIN_SCALE_ST = 6.0
"""...and at least this many semitones (a flat contour is not magnified into a wild one)."""
NO_VOICE = "No voiced frames: Praat found no pitch in this clip."


@dataclass(frozen=True)
class ProsodySummary:
    """Pitch and loudness numbers users compare across emotions.

    Attributes
    ----------
    f0_median_hz, f0_median_st : float
        Median f0 of the voiced frames, in Hz and in semitones re 100 Hz.
    f0_range_st : float
        5th to 95th percentile of the voiced frames' f0, in semitones.
    intensity_mean_db : float
        Mean intensity over every frame, energy-averaged (``10 log10 mean 10^(I/10)``), in dB.
    """

    f0_median_hz: float
    f0_median_st: float
    f0_range_st: float
    intensity_mean_db: float

    def as_row(self) -> dict[str, str]:
        """Formatted values, keyed by the summary table's row titles."""
        return {
            "median f0": f"{self.f0_median_hz:.0f} Hz ({self.f0_median_st:.1f} st)",
            "f0 range": f"{self.f0_range_st:.1f} st",
            "intensity": f"{self.intensity_mean_db:.1f} dB",
        }


def summarise_prosody(prosody: Prosody) -> ProsodySummary | None:
    """The summary of one clip's prosody, or ``None`` when no frame is voiced.

    Parameters
    ----------
    prosody : Prosody

    Returns
    -------
    ProsodySummary or None
    """
    f0 = prosody.f0_hz[prosody.voiced]
    if not len(f0):
        return None
    st = semitones(f0)
    low, high = np.percentile(st, RANGE_PERCENTILES)
    return ProsodySummary(
        f0_median_hz=float(np.median(f0)),
        f0_median_st=float(np.median(st)),
        f0_range_st=float(high - low),
        intensity_mean_db=energy_mean_db(prosody.intensity_db),
    )


def energy_mean_db(levels_db: np.ndarray) -> float:
    """The mean of levels in dB, averaged as energies (the loud frames count as they sound)."""
    levels = np.asarray(levels_db, dtype=np.float64)
    peak = float(levels.max())  # factored out: 10^(I/10) overflows nothing this way
    return peak + float(10.0 * np.log10(np.mean(10.0 ** ((levels - peak) / 10.0))))


def shared_f0_scale(f0_tracks: Sequence[np.ndarray]) -> tuple[float, float] | None:
    """One f0 range (Hz) for every column of a comparison: where the group's voiced frames lie.

    From the 2nd to the 98th percentile of all voiced frames (in semitones, as pitch is heard),
    widened by ``SCALE_MARGIN`` of that span on each side and to at least ``MIN_SCALE_ST``. The
    percentiles keep a few octave jumps from flattening every contour; a fixed range (the pitch
    floor to ceiling, 60-600 Hz) would squeeze one voice into a fifth of the row.

    Parameters
    ----------
    f0_tracks : sequence of np.ndarray
        F0 in Hz per clip, NaN (or 0) where unvoiced.

    Returns
    -------
    (low_hz, high_hz) or None
        ``None`` when no clip has a voiced frame.
    """
    st = np.concatenate([np.atleast_1d(semitones(track)) for track in f0_tracks] or [np.empty(0)])
    st = st[np.isfinite(st)]
    if not len(st):
        return None
    low, high = np.percentile(st, SCALE_PERCENTILES)
    pad = max(SCALE_MARGIN * (high - low), (MIN_SCALE_ST - (high - low)) / 2.0)
    return float(100.0 * 2.0 ** ((low - pad) / 12.0)), float(100.0 * 2.0 ** ((high + pad) / 12.0))
