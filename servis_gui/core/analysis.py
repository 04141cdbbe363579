"""What the panes, the grid and every later view draw: a loaded clip and its features."""

from __future__ import annotations

from dataclasses import dataclass

from servis_gui.core.clip import Clip
from servis_gui.core.features import FeatureSet


@dataclass(frozen=True)
class Analysis:
    """A clip and what was computed from it (prosody joins here later).

    Attributes
    ----------
    clip : Clip
        The samples as analysed (mono, at the analysis rate).
    features : FeatureSet
        Mel spectrogram, MFCC and frame RMS on one frame grid.
    """

    clip: Clip
    features: FeatureSet

    @property
    def nbytes(self) -> int:
        """Memory held by its arrays (what a cache of analyses counts)."""
        f = self.features
        return self.clip.samples.nbytes + f.mel_db.nbytes + f.mfcc.nbytes + f.rms.nbytes
