"""The recogniser in the background: evaluation and training, the feature-set comparison and one
clip's features run on one lane (:class:`RecogniserWorker`), each cancellable, with progress per fold.

What the view asks for is described by a :class:`Design`: which clips, which feature set, which
classifier, z-scored per speaker or not. :func:`design` builds it from a ``CorpusResult``; its
``key`` (corpus identity, feature set, classifier, normalise) is what results are cached under.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from servis_gui.core.corpus_run import CorpusResult
from servis_gui.core.datasets.detect import corpus_name
from servis_gui.core.errors import ServisError
from servis_gui.core.functionals import file_functionals
from servis_gui.core.model_file import LOSO_TEXT, Model
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import PitchParams
from servis_gui.core.recogniser import Evaluation, corpus_folds, evaluate, select, speaker_normalise, train
from servis_gui.jobs import FAILED, RESULT, JobContext, Lane

EVALUATE, COMPARE, FEATURES = "evaluate", "compare", "features"
PROGRESS, SET_DONE = "progress", "set done"
UNLABELLED = frozenset({"", "unknown", "other"})
"""Emotions a clip is left out of training and evaluation for."""
NORMALISED_NOTE = "features z-scored per speaker"
"""Part of a model's description when it was trained on speaker z-scores (a lone clip cannot be)."""
COMPARED_SETS = ("mel", "mel 40", "mel 16", "mfcc", "prosody", "all")
"""The feature sets of the "Compare feature sets" table (issue 12, part 4), in its order."""


@dataclass(frozen=True)
class Design:
    """The clips and columns one evaluation runs on.

    Attributes
    ----------
    key : tuple
        ``(corpus digest, feature set, classifier, normalise, folds choice)``: the cache key of its evaluation.
    feature_set, classifier : str
    normalise : bool
        The columns are z-scored within each speaker.
    names : tuple of str
        The columns of ``x``.
    x : np.ndarray
        Labelled clips x features.
    labels, speakers : tuple of str
    paths : tuple of str
        The clips' files, the rows of ``x``.
    description : str
        The training corpus in words, for the model file and the prediction's caption.
    folds : "loso" or tuple of str
        Leave one speaker out, or each clip's fold id (the corpus's own folds).
    folds_text : str
        The folds in words: ``"leave-one-speaker-out"``, ``"the corpus's folds (session)"``.
    """

    key: tuple
    feature_set: str
    classifier: str
    normalise: bool
    names: tuple[str, ...]
    x: np.ndarray
    labels: tuple[str, ...]
    speakers: tuple[str, ...]
    paths: tuple[str, ...]
    description: str
    folds: str | tuple[str, ...] = "loso"
    folds_text: str = LOSO_TEXT

    @property
    def n_folds(self) -> int:
        """How many folds the evaluation runs (the progress bar's length)."""
        return len(set(self.speakers if self.folds == "loso" else self.folds))


@dataclass(frozen=True)
class Trained:
    """An evaluation and the model fitted on every clip of the same design."""

    design: Design
    evaluation: Evaluation
    model: Model


def corpus_digest(corpus: CorpusResult) -> str:
    """A short identity of a corpus result: its clips, columns and values."""
    digest = hashlib.sha1()
    for record in corpus.records:
        digest.update(f"{record.path}\0{record.emotion}\0{record.speaker}\n".encode())
    digest.update("\0".join(corpus.names).encode())
    digest.update(np.ascontiguousarray(corpus.values).tobytes())
    return digest.hexdigest()[:16]


def labelled_rows(corpus: CorpusResult) -> np.ndarray:
    """The rows of the clips with an emotion (those trained and evaluated on)."""
    return np.flatnonzero([r.emotion not in UNLABELLED for r in corpus.records])


def own_folds(corpus: CorpusResult) -> tuple[tuple[str, ...] | None, str]:
    """``recogniser.corpus_folds`` of the labelled clips of ``corpus``."""
    return corpus_folds([corpus.records[i] for i in labelled_rows(corpus)])


def design(corpus: CorpusResult, feature_set: str, classifier: str, normalise: bool,
           digest: str | None = None, folds: str = "loso") -> Design:
    """The labelled clips of ``corpus`` on the columns of ``feature_set``.

    Parameters
    ----------
    corpus : CorpusResult
    feature_set : str
        A key of ``recogniser.FEATURE_SETS``.
    classifier : {"logreg", "svm"}
    normalise : bool
        Z-score every column within each speaker.
    digest : str, optional
        :func:`corpus_digest` of ``corpus`` when the caller has it already.
    folds : {"loso", "corpus"}
        Leave one speaker out, or the corpus's own folds (``recogniser.corpus_folds``).

    Raises
    ------
    ServisError
        The corpus has no column of the set, or no usable folds of its own when ``folds`` is "corpus".
    """
    keep = labelled_rows(corpus)
    records = [corpus.records[i] for i in keep]
    names, x = select(corpus.names, np.asarray(corpus.values)[keep], feature_set)
    speakers = tuple(r.speaker for r in records)
    if normalise:
        x = speaker_normalise(x, speakers)
    n_speakers = len(set(speakers))
    description = f"{corpus_name(corpus.records)}, {len(records)} clips, {n_speakers} speakers"
    if normalise:
        description += f", {NORMALISED_NOTE}"
    fold_ids, folds_text = ("loso", LOSO_TEXT) if folds == "loso" else own_folds(corpus)
    if fold_ids is None:
        raise ServisError(f"Cannot use the corpus's folds: {folds_text}. Choose {LOSO_TEXT}.")
    key = (digest or corpus_digest(corpus), feature_set, classifier, normalise, folds)
    return Design(key, feature_set, classifier, normalise, names, x, tuple(r.emotion for r in records),
                  speakers, tuple(str(r.path) for r in records), description, fold_ids, folds_text)


def takes_features(takes: CorpusResult, model: Model, normalise: bool) -> np.ndarray:
    """The model's columns for the user's takes (z-scored within each take speaker when ``normalise``)."""
    _names, x = select(takes.names, takes.values, model.feature_set)
    model.check_features(_names)
    return speaker_normalise(x, [r.speaker for r in takes.records]) if normalise else x


class RecogniserWorker(QObject):
    """Runs evaluations, the feature-set comparison and clip features on one lane.

    Signals
    -------
    progress(int, int) : ``(folds done, folds in all)`` of the running evaluation or comparison
    trained(Trained) : an evaluation and its model
    set_compared(Design, Evaluation) : one feature set of the comparison is done
    comparison_done(bool) : the comparison ended; True when it was cancelled
    features_ready(str, object) : ``(path, {name: value})`` of one clip
    failed(str, ServisError) : what could not be done, by channel
    """

    progress = Signal(int, int)
    trained = Signal(object)
    set_compared = Signal(object, object)
    comparison_done = Signal(bool)
    features_ready = Signal(str, object)
    failed = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lane = Lane("Recogniser", parent=self)
        self.lane.posted.connect(self._on_posted)

    def evaluate(self, design: Design) -> None:
        """Evaluate on the design's folds, then train on every clip; the answer is ``trained``."""
        def work(context: JobContext) -> Trained | None:
            evaluation = evaluate(design.x, design.labels, design.speakers, design.classifier, design.folds,
                                  progress=lambda done, total: context.post(PROGRESS, done, total),
                                  cancelled=context.cancelled)
            if evaluation is None:
                return None
            model = train(design.x, design.labels, design.names, design.feature_set, design.classifier,
                          design.description, evaluation.uar, design.folds_text)
            return Trained(design, evaluation, model)

        self.lane.submit(EVALUATE, work)

    def compare(self, designs: Sequence[Design]) -> None:
        """Evaluate each design in turn on the same folds; each answers ``set_compared`` as it ends."""
        designs = tuple(designs)
        folds = [d.n_folds for d in designs]

        def work(context: JobContext) -> bool:
            for i, d in enumerate(designs):
                before = sum(folds[:i])
                evaluation = evaluate(
                    d.x, d.labels, d.speakers, d.classifier, d.folds, cancelled=context.cancelled,
                    progress=lambda done, _total, b=before: context.post(PROGRESS, b + done, sum(folds)))
                if evaluation is None:
                    return True
                context.post(SET_DONE, d, evaluation)
            return False

        self.lane.submit(COMPARE, work)

    def clip_features(self, path: str, params: FeatureParams, pitch: PitchParams) -> None:
        """Load ``path`` and compute its functionals; the answer is ``features_ready``."""
        def work(_context: JobContext) -> tuple[str, dict]:
            return path, file_functionals(path, params, pitch)

        self.lane.submit(FEATURES, work)

    def cancel(self) -> None:
        """Stop the running evaluation and comparison."""
        self.lane.cancel(EVALUATE)
        self.lane.cancel(COMPARE)

    def shutdown(self) -> None:
        self.lane.shutdown()

    def _on_posted(self, channel: str, token: int, kind: str, payload: tuple) -> None:
        if not self.lane.is_current(channel, token):
            return
        if kind == PROGRESS:
            self.progress.emit(*payload)
        elif kind == SET_DONE:
            self.set_compared.emit(*payload)
        elif kind == FAILED:
            self.failed.emit(channel, payload[0])
        elif channel == EVALUATE:
            self.trained.emit(payload[0])
        elif channel == COMPARE:
            self.comparison_done.emit(payload[0])
        elif channel == FEATURES and kind == RESULT:
            self.features_ready.emit(*payload[0])
