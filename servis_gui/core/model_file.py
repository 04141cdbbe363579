"""A trained recogniser as plain arrays, and its file: JSON, never pickle, never code from a file.

The file holds everything needed to predict without scikit-learn: the imputer's medians, the
scaler's mean and scale, the linear classifier's coefficients and intercepts, the feature names and
the classes, and what it was trained on (corpus description, speaker-independent UAR).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from servis_gui.core.errors import ServisError
from servis_gui.core.projection import Scaling

FORMAT = "servis-model"
"""The ``format`` field every model file carries."""

FORMAT_VERSION = 1
"""Raised whenever the meaning of a field changes; a file of another version is refused."""

CLASSIFIERS = ("logreg", "svm")


LOSO_TEXT = "leave-one-speaker-out"
"""How a model's UAR was measured unless it says otherwise (files from before ``evaluated_on``)."""


class ModelFileError(ServisError):
    """A model file cannot be used: unreadable, malformed, of another version, or of other features."""


@dataclass(frozen=True)
class Model:
    """A linear emotion classifier on standardised features.

    Attributes
    ----------
    classifier : str
        ``"logreg"`` (logistic regression) or ``"svm"`` (linear SVM).
    feature_set : str
        The feature set's name (``recogniser.FEATURE_SETS``) that gives ``feature_names``.
    feature_names : tuple of str
        The columns the model expects, in order.
    classes : tuple of str
        The emotions, in the order of the probabilities.
    scaling : Scaling
        The imputation and standardisation fitted on the training clips.
    coef : np.ndarray
        Shape ``(len(classes), features)``, or ``(1, features)`` for two classes (the second class's score).
    intercept : np.ndarray
        Shape ``(len(coef),)``.
    description : str
        What it was trained on, in words (corpus, clips, speakers).
    uar : float
        Its speaker-independent unweighted average recall (NaN if it was not evaluated).
    evaluated_on : str
        The folds ``uar`` was measured on, in words (:data:`LOSO_TEXT`, or the corpus's own folds).
    """

    classifier: str
    feature_set: str
    feature_names: tuple[str, ...]
    classes: tuple[str, ...]
    scaling: Scaling
    coef: np.ndarray
    intercept: np.ndarray
    description: str
    uar: float
    evaluated_on: str = "leave-one-speaker-out"

    def scores(self, x: np.ndarray) -> np.ndarray:
        """One linear score per class for each clip: shape ``(n, classes)`` (``(classes,)`` for one clip)."""
        raw = self.scaling.apply(x) @ self.coef.T + self.intercept
        if self.coef.shape[0] == 1:
            raw = np.concatenate([np.zeros_like(raw), raw], axis=-1)
        return raw

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities (rows sum to 1), in the order of ``classes``.

        For logistic regression these are the model's own probabilities (softmax of the scores,
        multinomial; the logistic function for two classes). For the linear SVM they are the softmax of
        its decision values: a cheap, monotone ranking of the classes, not calibrated probabilities
        (calibration would fit the SVM again several times on folds that are not speaker-independent).
        """
        s = self.scores(x)
        e = np.exp(s - s.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The most likely class of each clip."""
        return np.asarray(self.classes)[np.argmax(self.scores(x), axis=-1)]

    def check_features(self, names: Sequence[str]) -> None:
        """Raise :class:`ModelFileError` unless ``names`` are exactly the model's features, in order."""
        if tuple(names) == self.feature_names:
            return
        missing = [n for n in self.feature_names if n not in set(names)]
        raise ModelFileError(
            f"This model was trained on other features ({self.feature_set!r}, {len(self.feature_names)} "
            f"features); these clips have {len(names)}. Analyse them with the same settings, or train a new "
            "model.", details=f"missing: {', '.join(missing[:20]) or 'none (the order differs)'}")


def save_model(model: Model, path: str | os.PathLike) -> None:
    """Write ``model`` as JSON (UTF-8) to ``path``.

    Raises
    ------
    ModelFileError
        The file cannot be written.
    """
    document = {
        "format": FORMAT, "version": FORMAT_VERSION, "classifier": model.classifier,
        "feature_set": model.feature_set, "feature_names": list(model.feature_names),
        "classes": list(model.classes), "description": model.description,
        "uar": None if math.isnan(model.uar) else model.uar, "evaluated_on": model.evaluated_on,
        "medians": model.scaling.medians.tolist(), "mean": model.scaling.mean.tolist(),
        "scale": model.scaling.scale.tolist(), "coef": model.coef.tolist(), "intercept": model.intercept.tolist(),
    }
    try:
        with open(path, "w", encoding="utf-8") as file:
            json.dump(document, file, indent=1)
    except OSError as error:
        raise ModelFileError(f"The model could not be saved to {os.fspath(path)}.", details=str(error)) from None


def load_model(path: str | os.PathLike) -> Model:
    """Read a model written by :func:`save_model`.

    Raises
    ------
    ModelFileError
        The file cannot be read, is not a SERVIS model, is of another format version, or its arrays
        do not fit together.
    """
    name = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelFileError(f"{name} cannot be read as a SERVIS model.", details=str(error)) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ModelFileError(f"{name} is not a SERVIS model file.")
    if document.get("version") != FORMAT_VERSION:
        raise ModelFileError(f"{name} is a SERVIS model of format version {document.get('version')!r}; this "
                             f"version of SERVIS reads version {FORMAT_VERSION}.")
    try:
        return _model(document)
    except (KeyError, TypeError, ValueError) as error:
        raise ModelFileError(f"{name} is a damaged SERVIS model file.", details=repr(error)) from None


def _model(document: dict) -> Model:
    names = tuple(_strings(document["feature_names"]))
    classes = tuple(_strings(document["classes"]))
    f, c = len(names), len(classes)
    rows = 1 if c == 2 else c
    scaling = Scaling(_array(document["medians"], (f,)), _array(document["mean"], (f,)),
                      _array(document["scale"], (f,)))
    if document["classifier"] not in CLASSIFIERS or c < 2 or np.any(scaling.scale <= 0):
        raise ValueError("unknown classifier, fewer than 2 classes or a scale <= 0")
    uar = document["uar"]
    return Model(document["classifier"], str(document["feature_set"]), names, classes, scaling,
                 _array(document["coef"], (rows, f)), _array(document["intercept"], (rows,)),
                 str(document["description"]), math.nan if uar is None else float(uar),
                 str(document.get("evaluated_on", LOSO_TEXT)))


def _strings(values: object) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise TypeError("expected a list of strings")
    return values


def _array(values: object, shape: tuple[int, ...]) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    if array.shape != shape or not np.all(np.isfinite(array)):
        raise ValueError(f"expected finite numbers of shape {shape}, got shape {array.shape}")
    return array
