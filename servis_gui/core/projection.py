"""The emotion map: clips placed in 2-D by PCA or LDA, and a new clip placed on the same axes.

Everything fitted is kept as plain numpy arrays (medians, mean, scale, centre, components), never as a
scikit-learn object, so a map can be saved as JSON and a take placed on it without scikit-learn.
scikit-learn is imported inside :func:`project` only: the app's start-up never loads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from servis_gui.core.errors import ServisError

METHODS = ("pca", "lda")
"""Projections :func:`project` offers: PCA (unsupervised) and LDA (the axes that separate the labels)."""


@dataclass(frozen=True)
class Scaling:
    """Median imputation then standardisation, fitted on one set of clips and applied to any other.

    Attributes
    ----------
    medians : np.ndarray
        Per column, the median of the fitting clips' finite values (0 for a column with none); a NaN
        is replaced by it.
    mean, scale : np.ndarray
        Per column, the mean and population SD after imputation; a constant column has scale 1
        (as scikit-learn's ``StandardScaler``).
    """

    medians: np.ndarray
    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray) -> Scaling:
        """Fit on ``x`` (clips x features, NaN allowed)."""
        x = np.asarray(x, dtype=np.float64)
        has = np.isfinite(x)
        medians = np.array([np.median(col[ok]) if ok.any() else 0.0 for col, ok in zip(x.T, has.T)])
        filled = np.where(has, x, medians)
        mean = filled.mean(axis=0)
        sd = filled.std(axis=0)
        scale = np.where(sd > 1e-12 * np.maximum(np.abs(mean), 1.0), sd, 1.0)
        return cls(medians, mean, scale)

    def apply(self, x: np.ndarray) -> np.ndarray:
        """Impute and standardise ``x`` (clips x features, or one clip's features)."""
        x = np.asarray(x, dtype=np.float64)
        return (np.where(np.isfinite(x), x, self.medians) - self.mean) / self.scale


@dataclass(frozen=True)
class Projection:
    """Clips placed in 2-D, with the fitted transform kept as arrays.

    Attributes
    ----------
    method : str
        ``"pca"`` or ``"lda"``.
    coords : np.ndarray
        float64, shape ``(clips, 2)``: each clip's place.
    explained : np.ndarray
        Two fractions: for PCA the share of the (standardised) variance each axis carries; for LDA
        the share of the between-emotion discriminability (scikit-learn's ``explained_variance_ratio_``).
    scaling : Scaling
        The imputation and standardisation fitted on the clips.
    centre : np.ndarray
        Subtracted from the standardised features before the components are applied.
    components : np.ndarray
        Shape ``(features, 2)``: ``coords = (scaling.apply(x) - centre) @ components``.
    """

    method: str
    coords: np.ndarray
    explained: np.ndarray
    scaling: Scaling
    centre: np.ndarray
    components: np.ndarray

    def place(self, x_new: np.ndarray) -> np.ndarray:
        """Place new clips (``(n, features)``, or one clip's ``(features,)``) on the same axes.

        Returns
        -------
        np.ndarray
            Shape ``(n, 2)``, or ``(2,)`` for one clip.
        """
        return (self.scaling.apply(x_new) - self.centre) @ self.components


def project(x: np.ndarray, labels: Sequence[str], method: str = "pca") -> Projection:
    """Project clips onto two axes: PCA, or LDA with the emotions as classes.

    Parameters
    ----------
    x : np.ndarray
        Clips x features, NaN allowed (median-imputed), e.g. from ``recogniser.select`` (and
        ``speaker_normalise`` for a speaker-normalised map).
    labels : sequence of str
        Each clip's emotion (used by LDA only).
    method : {"pca", "lda"}

    Returns
    -------
    Projection

    Raises
    ------
    ServisError
        Fewer than 3 clips, fewer than 2 features, or (LDA) fewer than 3 emotions: no 2-D map.
    """
    x = np.asarray(x, dtype=np.float64)
    if method not in METHODS:
        raise ValueError(f"unknown projection {method!r}; expected one of {METHODS}")
    if x.ndim != 2 or x.shape[0] < 3 or x.shape[1] < 2:
        raise ServisError("A map needs at least 3 clips and 2 features.")
    scaling = Scaling.fit(x)
    z = scaling.apply(x)
    centre, components, explained = (_pca(z) if method == "pca" else _lda(z, labels))
    return Projection(method, (z - centre) @ components, explained, scaling, centre, components)


def _pca(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from sklearn.decomposition import PCA

    pca = PCA(n_components=2, svd_solver="full").fit(z)
    return pca.mean_, pca.components_.T, pca.explained_variance_ratio_


def _lda(z: np.ndarray, labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

    y = np.asarray(labels, dtype=str)
    if y.shape != (z.shape[0],):
        raise ValueError(f"{z.shape[0]} clips but {y.size} labels")
    if np.unique(y).size < 3:
        raise ServisError("An LDA map needs at least 3 emotions (it has one axis fewer than emotions); "
                          "use PCA.")
    lda = LinearDiscriminantAnalysis(n_components=2, solver="svd").fit(z, y)
    return lda.xbar_, lda.scalings_[:, :2], lda.explained_variance_ratio_[:2]
