"""One feature of an analysed corpus, split by emotion for a plot or a test (no Qt).

The Corpus view and the statistics use the same split: the emotions in the canonical order
(:func:`servis_gui.core.stats.emotion_order`), one speaker or all, raw or z-scored per speaker.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from servis_gui.core.corpus_run import CorpusResult
from servis_gui.core.stats import emotion_order, speaker_normalised

ALL_SPEAKERS = ""


@dataclass(frozen=True)
class FeatureView:
    """The values of one feature for the clips chosen, with their labels.

    Attributes
    ----------
    name : str
        The feature.
    values : np.ndarray
        One value per clip (NaN where undefined); z-scores within each speaker when ``normalised``.
    emotions, speakers, paths : tuple of str
        The clips' labels and files, in the same order.
    order : tuple of str
        The emotions present, in the order they are drawn.
    normalised : bool
    """

    name: str
    values: np.ndarray
    emotions: tuple[str, ...]
    speakers: tuple[str, ...]
    paths: tuple[str, ...]
    order: tuple[str, ...]
    normalised: bool

    def groups(self) -> list[tuple[str, np.ndarray, tuple[str, ...]]]:
        """``(emotion, values, paths)`` per emotion in ``order``."""
        labels = np.array(self.emotions, dtype=object)
        paths = np.array(self.paths, dtype=object)
        return [(e, self.values[labels == e], tuple(paths[labels == e])) for e in self.order]


def feature_view(result: CorpusResult, name: str, speaker: str = ALL_SPEAKERS,
                 normalise: bool = False) -> FeatureView:
    """The feature ``name`` of ``result``'s clips, of one ``speaker`` or all of them.

    Parameters
    ----------
    result : CorpusResult
        An analysed corpus.
    name : str
        A feature column (``result.names``).
    speaker : str
        Only this speaker's clips; ``ALL_SPEAKERS`` for every clip (pooled).
    normalise : bool
        Z-score within each speaker first (over all of that speaker's clips), so that speakers'
        own levels do not hide the emotions' differences.

    Returns
    -------
    FeatureView

    Raises
    ------
    KeyError
        ``name`` is not a column of ``result``.
    """
    column = result.values[:, result.names.index(name)] if name in result.names else None
    if column is None:
        raise KeyError(name)
    speakers = tuple(r.speaker for r in result.records)
    values = speaker_normalised(column, speakers) if normalise else column.astype(np.float64)
    keep = [k for k, s in enumerate(speakers) if speaker in (ALL_SPEAKERS, s)]
    emotions = tuple(result.records[k].emotion for k in keep)
    return FeatureView(name, values[keep], emotions, tuple(speakers[k] for k in keep),
                       tuple(str(result.records[k].path) for k in keep), emotion_order(emotions), normalise)


def speakers_of(result: CorpusResult) -> list[str]:
    """The speakers of an analysed corpus, sorted (empty names left out)."""
    return sorted({r.speaker for r in result.records} - {""})
