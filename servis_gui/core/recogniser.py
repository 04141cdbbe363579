"""A baseline emotion recogniser: feature sets, speaker-independent evaluation, training.

- Feature sets (:data:`FEATURE_SETS`, :func:`select`) pick columns of a ``CorpusResult``; "mel 40" and
  "mel 16" pool the mel-band means into fewer bands (:func:`pool_mel`).
- :func:`evaluate` is speaker-independent: in every fold the imputer, the scaler and the classifier
  are fitted on the training speakers only, and the held-out speaker is predicted.
- :func:`train` fits on every clip and returns a :class:`~servis_gui.core.model_file.Model` of plain
  arrays, which ``model_file.save_model`` writes as JSON.

scikit-learn is imported inside the functions that fit, never at import: the app's start-up does not load it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from servis_gui.core.errors import ServisError
from servis_gui.core.datasets.records import ClipRecord
from servis_gui.core.model_file import CLASSIFIERS, LOSO_TEXT, Model
from servis_gui.core.projection import Scaling
from servis_gui.core.stats import emotion_order, speaker_normalised

_MEL = re.compile(r"mel(\d{3})_mean")
_GROUPS = {"prosody": r"(f0_|intensity_db_|voiced_|unvoiced_).*",
           "voice quality": r"jitter_local|shimmer_local|hnr_db",
           "spectral": r"alpha_ratio_db|hammarberg_index_db|spectral_.*",
           "mfcc": r"mfcc\d+_(mean|sd)",
           "mel": _MEL.pattern, "mel 40": _MEL.pattern, "mel 16": _MEL.pattern,
           "all": r".*"}

FEATURE_SETS: dict[str, re.Pattern] = {name: re.compile(pattern) for name, pattern in _GROUPS.items()}
"""Feature set name -> the feature names it takes (a full match), as in ``functionals.feature_specs``:

- "prosody": f0 and intensity contour statistics and voicing (the "prosody" group);
- "voice quality": jitter, shimmer, HNR;
- "spectral": alpha ratio, Hammarberg index, spectral slopes, flux and centroid;
- "mfcc": mean and SD of MFCC 1-13;
- "mel": the mel-band means, as many bands as the analysis has (128 by default);
- "mel 40", "mel 16": the same means pooled into 40 or 16 bands (:func:`pool_mel`);
- "all": every column, the mel-band means at full resolution included.
"""

POOLED = {"mel 40": 40, "mel 16": 16}
"""Feature sets whose mel-band means are pooled, and into how many bands."""

FOLD_KEYS = ("fold", "session", "split")
"""``ClipRecord.extra`` keys that hold a corpus's own folds, tried in this order (IEMOCAP: session,
MSP-Podcast: split)."""
BOOTSTRAP = 2000
"""Resamples behind the UAR's 95 % confidence interval."""

MIN_SPEAKERS_FOR_SPEAKER_BOOTSTRAP = 5
"""Fewer speakers than this and the confidence interval resamples clips instead (see :func:`uar_interval`)."""

ProgressCallback = Callable[[int, int], None]
CancelCallback = Callable[[], bool]


def select(result_names: Sequence[str], values: np.ndarray, set_name: str) -> tuple[tuple[str, ...], np.ndarray]:
    """The columns of feature set ``set_name``.

    Parameters
    ----------
    result_names : sequence of str
        ``CorpusResult.names``: the columns of ``values``.
    values : np.ndarray
        Clips x features (NaN where undefined), or one clip's features.
    set_name : str
        A key of :data:`FEATURE_SETS`.

    Returns
    -------
    names : tuple of str
    x : np.ndarray
        float64 copy of the chosen (for "mel 40" / "mel 16": pooled) columns.

    Raises
    ------
    ServisError
        The set has no column among ``result_names``, or fewer mel bands than it pools into.
    """
    pattern = FEATURE_SETS[set_name]
    keep = [i for i, name in enumerate(result_names) if pattern.fullmatch(name)]
    if not keep:
        raise ServisError(f"These features have no column of the set “{set_name}”.")
    names = tuple(result_names[i] for i in keep)
    x = np.asarray(values, dtype=np.float64)[..., keep]
    if set_name in POOLED:
        return pool_mel(names, x, POOLED[set_name])
    return names, x


def pool_mel(names: Sequence[str], x: np.ndarray, bands: int) -> tuple[tuple[str, ...], np.ndarray]:
    """Pool mel-band means (dB) into ``bands`` wider bands, averaging in the power domain.

    With ``n`` bands in (their order, band 1 the lowest), pooled band ``j`` (0-based) takes input
    bands ``floor(j n / bands)`` to ``floor((j + 1) n / bands) - 1``: adjacent, non-overlapping,
    every input band once (128 into 16 is 8 each; 128 into 40 is 3 or 4 each). Its value is
    ``10 log10(mean(10 ** (dB / 10)))`` over those bands: the level of their mean power. Since the mel
    bands are equally spaced in mel, pooled bands are close to equally wide in mel. (The input is each
    band's mean dB over frames, so this is the power mean of time-averaged levels, not the time
    average of a pooled band.) A NaN input band makes its pooled band NaN.

    Returns
    -------
    names : tuple of str
        ``mel{j:02d}of{bands}_mean``, j from 1.
    x : np.ndarray
    """
    n = len(names)
    if n < bands:
        raise ServisError(f"The analysis has {n} mel bands; it cannot be pooled into {bands}.")
    order = np.argsort([int(_MEL.fullmatch(name).group(1)) for name in names])
    power = 10.0 ** (np.asarray(x, dtype=np.float64)[..., order] / 10.0)
    edges = (np.arange(bands + 1) * n) // bands
    pooled = np.stack([power[..., a:b].mean(axis=-1) for a, b in zip(edges[:-1], edges[1:])], axis=-1)
    return tuple(f"mel{j:02d}of{bands}_mean" for j in range(1, bands + 1)), 10.0 * np.log10(pooled)


def speaker_normalise(x: np.ndarray, speakers: Sequence[str]) -> np.ndarray:
    """Z-score every column within each speaker (``stats.speaker_normalised``; NaN stays NaN).

    Uses no label, only each speaker's own clips, so a held-out speaker can be normalised too.
    """
    x = np.asarray(x, dtype=np.float64)
    return np.column_stack([speaker_normalised(col, speakers) for col in x.T]) if x.size else x.copy()


def prepare(x: np.ndarray, speakers: Sequence[str], normalise: bool) -> np.ndarray:
    """Features ready for a map: optionally z-scored per speaker, then median-imputed and standardised.

    The speaker z-scores come first, from each speaker's finite values, so imputed values do not
    shrink a speaker's spread. Fitted on all of ``x``: for display only; :func:`evaluate` fits the
    imputer and scaler inside each fold.
    """
    z = speaker_normalise(x, speakers) if normalise else np.asarray(x, dtype=np.float64)
    return Scaling.fit(z).apply(z)


@dataclass(frozen=True)
class Evaluation:
    """A speaker-independent evaluation.

    Attributes
    ----------
    classifier : str
        ``"logreg"`` or ``"svm"``.
    classes : tuple of str
        The emotions, in emotion order: the rows and columns of ``confusion``.
    labels, predictions : np.ndarray
        Each clip's emotion and the prediction of the fold that held it out (str arrays, input order).
    folds : int
        Number of folds run.
    uar : float
        Unweighted average recall: the mean of the per-class recalls.
    ci : tuple of float
        95 % percentile bootstrap interval of the UAR.
    ci_unit : str
        What the bootstrap resampled: ``"speakers"`` or ``"clips"``.
    chance : float
        ``1 / len(classes)``: the UAR of a guess.
    recall : np.ndarray
        Per class, in ``classes`` order.
    confusion : np.ndarray
        int, ``confusion[i, j]`` = clips of ``classes[i]`` predicted as ``classes[j]``.
    """

    classifier: str
    classes: tuple[str, ...]
    labels: np.ndarray
    predictions: np.ndarray
    folds: int
    uar: float
    ci: tuple[float, float]
    ci_unit: str
    chance: float
    recall: np.ndarray
    confusion: np.ndarray


def make_classifier(classifier: str):
    """A fresh scikit-learn linear classifier, classes weighted to balance them (UAR is what is scored)."""
    if classifier == "logreg":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(class_weight="balanced", max_iter=2000)
    if classifier == "svm":
        from sklearn.svm import LinearSVC

        return LinearSVC(class_weight="balanced", max_iter=20000)
    raise ValueError(f"unknown classifier {classifier!r}; expected one of {CLASSIFIERS}")


def evaluate(x: np.ndarray, labels: Sequence[str], speakers: Sequence[str], classifier: str = "logreg",
             folds: str | Sequence[object] = "loso", progress: ProgressCallback | None = None,
             cancelled: CancelCallback | None = None) -> Evaluation | None:
    """Cross-validate a linear classifier without ever testing on a training speaker.

    Parameters
    ----------
    x : np.ndarray
        Clips x features, NaN allowed (pass ``speaker_normalise(x, speakers)`` for speaker-normalised features).
    labels, speakers : sequence of str
        Each clip's emotion and speaker.
    classifier : {"logreg", "svm"}
    folds : "loso" or sequence
        ``"loso"``: leave one speaker out. Otherwise each clip's fold id (the corpus's own folds): each
        fold is held out in turn.
    progress : callable, optional
        ``progress(done, total)`` after each fold.
    cancelled : callable, optional
        Polled before each fold; when it returns true the evaluation stops.

    Returns
    -------
    Evaluation or None
        None when cancelled.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(labels, dtype=str)
    spk = np.asarray(speakers, dtype=str)
    groups = spk if isinstance(folds, str) and folds == "loso" else np.asarray(folds).astype(str)
    if not (x.shape[0] == y.size == spk.size == groups.size):
        raise ValueError("x, labels, speakers and folds must have one entry per clip")
    fold_ids = np.unique(groups)
    if fold_ids.size < 2 or np.unique(y).size < 2:
        raise ServisError("A speaker-independent evaluation needs at least 2 speakers (folds) and 2 emotions.")
    predictions = np.empty(y.size, dtype=object)
    for done, fold in enumerate(fold_ids):
        if cancelled is not None and cancelled():
            return None
        test = groups == fold
        scaling, fitted = _fit(x[~test], y[~test], classifier)
        predictions[test] = fitted.predict(scaling.apply(x[test]))
        if progress is not None:
            progress(done + 1, fold_ids.size)
    return score(y, predictions.astype(str), spk, classifier, fold_ids.size)


def _fit(x: np.ndarray, y: np.ndarray, classifier: str):
    """Imputer, scaler and classifier fitted on these clips only.

    BLAS runs on one thread here: these matrices are small, and a multi-threaded BLAS made
    lbfgs 30 times slower on 2 cores (0.9 s against 0.03 s for 900 clips x 188 features).
    """
    from threadpoolctl import threadpool_limits

    scaling = Scaling.fit(x)
    with threadpool_limits(limits=1, user_api="blas"):
        return scaling, make_classifier(classifier).fit(scaling.apply(x), y)


def score(labels: np.ndarray, predictions: np.ndarray, speakers: np.ndarray, classifier: str = "",
          folds: int = 0) -> Evaluation:
    """UAR with its interval, per-class recall and the confusion matrix of these predictions."""
    classes = emotion_order(labels)
    index = {c: i for i, c in enumerate(classes)}
    true = np.array([index[c] for c in labels])
    pred = np.array([index.get(c, -1) for c in predictions])
    confusion = np.zeros((len(classes), len(classes)), dtype=np.int64)
    np.add.at(confusion, (true[pred >= 0], pred[pred >= 0]), 1)
    recall = np.diag(confusion) / np.bincount(true, minlength=len(classes))
    ci, unit = uar_interval(true, true == pred, speakers, len(classes))
    return Evaluation(classifier, classes, np.asarray(labels), np.asarray(predictions), folds,
                      float(recall.mean()), ci, unit, 1.0 / len(classes), recall, confusion)


def uar_interval(true: np.ndarray, correct: np.ndarray, speakers: np.ndarray, n_classes: int,
                 resamples: int = BOOTSTRAP, seed: int = 0) -> tuple[tuple[float, float], str]:
    """95 % percentile bootstrap interval of the UAR, resampling whole speakers.

    Clips of one speaker share a voice and a recording, so their errors go together; resampling clips
    as if independent would make the interval too narrow. So the speakers are drawn with replacement
    (a cluster bootstrap), each bringing all its clips. With fewer than
    :data:`MIN_SPEAKERS_FOR_SPEAKER_BOOTSTRAP` speakers that has too few distinct outcomes, and clips
    are resampled instead (the returned unit says which). Seeded: the same predictions give the same
    interval. A class absent from a resample is left out of that resample's mean.

    Returns
    -------
    (low, high), unit
    """
    units = np.unique(speakers, return_inverse=True)[1]
    unit = "speakers"
    if units.max() + 1 < MIN_SPEAKERS_FOR_SPEAKER_BOOTSTRAP:
        units, unit = np.arange(true.size), "clips"
    n_units = units.max() + 1
    # per unit and class: clips, and clips recognised
    total = np.zeros((n_units, n_classes))
    hits = np.zeros((n_units, n_classes))
    np.add.at(total, (units, true), 1.0)
    np.add.at(hits, (units, true), correct.astype(float))
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=resamples).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        uars = np.nanmean((counts @ hits) / (counts @ total), axis=1)
    low, high = np.percentile(uars, [2.5, 97.5])
    return (float(low), float(high)), unit


def corpus_folds(records: Sequence[ClipRecord]) -> tuple[tuple[str, ...] | None, str]:
    """The corpus's own folds, if it has usable ones (every clip in one, at least 2, no speaker in two).

    Returns
    -------
    folds : tuple of str or None
        Each clip's fold id (pass as ``evaluate(..., folds=)``), or None.
    text : str
        ``"the corpus's folds (session)"``, or why there are none: ``"this corpus has no folds of
        its own"``, ``"this corpus's folds (split) share speakers"``.
    """
    for key in FOLD_KEYS:
        ids = tuple(r.extra_value(key) for r in records)
        if all(ids) and len(set(ids)) >= 2:
            if len({(r.speaker, f) for r, f in zip(records, ids, strict=True)}) != len({r.speaker for r in records}):
                return None, f"this corpus's folds ({key}) share speakers"
            return ids, f"the corpus's folds ({key})"
    return None, "this corpus has no folds of its own"


def train(x: np.ndarray, labels: Sequence[str], feature_names: Sequence[str], feature_set: str,
          classifier: str = "logreg", description: str = "", uar: float = math.nan,
          evaluated_on: str = LOSO_TEXT) -> Model:
    """Fit the imputer, scaler and classifier on every clip.

    Parameters
    ----------
    x : np.ndarray
        Clips x features (NaN allowed), the columns ``feature_names`` of set ``feature_set``.
    labels : sequence of str
        Each clip's emotion.
    feature_names : sequence of str
    feature_set : str
    classifier : {"logreg", "svm"}
    description : str
        What it is trained on, in words, carried into the model file.
    uar : float
        The speaker-independent UAR from :func:`evaluate`, carried into the model file.
    evaluated_on : str
        The folds of that evaluation, in words.

    Returns
    -------
    Model
        Arrays only; ``Model.predict_proba`` needs no scikit-learn.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.shape[1] != len(feature_names):
        raise ValueError(f"{x.shape[1]} columns but {len(feature_names)} feature names")
    y = np.asarray(labels, dtype=str)
    if np.unique(y).size < 2:
        raise ServisError("A recogniser needs clips of at least 2 emotions.")
    scaling, fitted = _fit(x, y, classifier)
    classes = tuple(str(c) for c in fitted.classes_)
    return Model(classifier, feature_set, tuple(feature_names), classes, scaling,
                 np.array(fitted.coef_, dtype=np.float64), np.array(fitted.intercept_, dtype=np.float64),
                 description, float(uar), evaluated_on)


def evaluation_rows(evaluation: Evaluation) -> list[list[object]]:
    """The rows of the ``--out`` CSV (header first), as ``servis evaluate --help`` describes them
    (and the Recogniser tab exports).

    Parameters
    ----------
    evaluation : Evaluation

    Returns
    -------
    list of list
    """
    classes = evaluation.classes
    clips = evaluation.confusion.sum(axis=1)
    blank = [""] * len(classes)
    rows: list[list[object]] = [["kind", "emotion", "clips", "value", "ci_low", "ci_high", "chance", *classes]]
    rows += [["recall", c, int(n), f"{r:.6f}", "", "", "", *blank]
             for c, n, r in zip(classes, clips, evaluation.recall)]
    rows += [["confusion", c, int(n), "", "", "", "", *map(int, row)]
             for c, n, row in zip(classes, clips, evaluation.confusion)]
    low, high = evaluation.ci
    rows.append(["summary", "", int(clips.sum()), f"{evaluation.uar:.6f}", f"{low:.6f}", f"{high:.6f}",
                 f"{evaluation.chance:.6f}", *blank])
    return rows
