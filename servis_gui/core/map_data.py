"""The emotion map's numbers, without Qt: project a corpus (and the user's takes) onto two axes, find the
nearest clips of a placed point, and compute one file's features in a corpus's column order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from servis_gui.core.corpus_run import CorpusResult
from servis_gui.core.functionals import file_functionals
from servis_gui.core.params import FeatureParams
from servis_gui.core.projection import Projection, project
from servis_gui.core.prosody import PitchParams
from servis_gui.core.recogniser import select, speaker_normalise

NEIGHBOURS = 5
TAKES_SPEAKER = "you"
"""The speaker of a take that names none (its z-scores use the takes of that speaker)."""


@dataclass(frozen=True)
class MapData:
    """A computed map: the projection, where every clip and take lands, and what it was made from.

    Attributes
    ----------
    projection : Projection
    method, feature_set : str
    normalise : bool
        The features were z-scored per speaker before the projection.
    take_coords : np.ndarray
        ``(takes, 2)``: the takes placed with :meth:`Projection.place`.
    """

    projection: Projection
    method: str
    feature_set: str
    normalise: bool
    take_coords: np.ndarray


def compute_map(corpus: CorpusResult, takes: CorpusResult | None, method: str, feature_set: str,
                normalise: bool) -> MapData:
    """Project ``corpus`` and place ``takes`` on the same axes (runs on the lane).

    With ``normalise``, each corpus speaker is z-scored on their own clips and each take on the takes
    of its speaker (``"you"`` when it names none); the projection's scaling then applies to both.
    """
    _, x = select(corpus.names, corpus.values, feature_set)
    if normalise:
        x = speaker_normalise(x, [r.speaker for r in corpus.records])
    projection = project(x, [r.emotion for r in corpus.records], method)
    take_coords = np.zeros((0, 2))
    if takes is not None and len(takes.records):
        _, t = select(takes.names, takes.values, feature_set)
        if normalise:
            t = speaker_normalise(t, [r.speaker or TAKES_SPEAKER for r in takes.records])
        take_coords = projection.place(t)
    return MapData(projection, method, feature_set, normalise, take_coords)


def nearest(coords: np.ndarray, point: np.ndarray, k: int = NEIGHBOURS) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` rows of ``coords`` nearest ``point`` (Euclidean, on the map's two axes), nearest first.

    Returns
    -------
    rows : np.ndarray
    distances : np.ndarray
    """
    distances = np.hypot(*(np.asarray(coords) - np.asarray(point)).T)
    rows = np.argsort(distances, kind="stable")[:k]
    return rows, distances[rows]


def file_features(path: str, names: Sequence[str], params: FeatureParams, pitch: PitchParams) -> np.ndarray:
    """One file's feature vector in the column order ``names`` (as the corpus run computes it)."""
    features = file_functionals(path, params, pitch)
    return np.array([features[name] for name in names], dtype=np.float64)
