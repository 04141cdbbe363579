"""What the Recogniser tab writes: the UAR line, the table rows, the evaluation CSV, and the bar chart
of one clip's class probabilities."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyqtgraph as pg

from servis_gui.core.datasets.records import plural
from servis_gui.core.emotions import emotion_color
from servis_gui.core.model_file import Model
from servis_gui.core.recogniser import Evaluation, evaluation_rows
from servis_gui.core.stats import emotion_order, write_csv
from servis_gui.recogniser_jobs import Design

CLASSIFIER_NAMES = {"logreg": "logistic regression", "svm": "linear SVM"}
RECALL_COLUMNS = ("emotion", "clips", "recall")
CLIP_COLUMNS = ("clip", "speaker", "true", "predicted")
COMPARE_COLUMNS = ("feature set", "n features", "UAR [95 % CI]")
TAKE_COLUMNS = ("take", "labelled", "predicted", "agrees")
FEW_TAKES = 30
"""Below this many takes the agreement is called a rough figure."""
BAR_WIDTH = 0.7


def uar_text(evaluation: Evaluation, n_speakers: int, folds_text: str) -> str:
    """``"UAR 0.62 [0.55, 0.69] · chance 0.17 · leave-one-speaker-out, 10 speakers"``."""
    low, high = evaluation.ci
    return (f"UAR {evaluation.uar:.2f} [{low:.2f}, {high:.2f}] · chance {evaluation.chance:.2f} · "
            f"{folds_text}, {plural(n_speakers, 'speaker')}")


def uar_with_ci(evaluation: Evaluation) -> str:
    """``"0.62 [0.55, 0.69]"``."""
    return f"{evaluation.uar:.2f} [{evaluation.ci[0]:.2f}, {evaluation.ci[1]:.2f}]"


def recall_rows(evaluation: Evaluation) -> list[tuple[str, str, str]]:
    """Per class: emotion, clips, recall."""
    clips = evaluation.confusion.sum(axis=1)
    return [(c, str(int(n)), f"{r:.2f}") for c, n, r in zip(evaluation.classes, clips, evaluation.recall)]


def cell_clips(design: Design, evaluation: Evaluation, true: int, predicted: int) -> list[int]:
    """Rows of ``design`` whose emotion is class ``true`` and whose prediction is class ``predicted``."""
    hit = (evaluation.labels == evaluation.classes[true]) & (evaluation.predictions == evaluation.classes[predicted])
    return [int(i) for i in np.flatnonzero(hit)]


def clip_rows(design: Design, evaluation: Evaluation, rows: Sequence[int]) -> list[tuple[str, ...]]:
    """The clips ``rows`` of ``design``: file name, speaker, true and predicted emotion."""
    return [(Path(design.paths[i]).name, design.speakers[i], design.labels[i], str(evaluation.predictions[i]))
            for i in rows]


def compare_row(design: Design, evaluation: Evaluation) -> tuple[str, str, str]:
    """One row of the feature-set comparison."""
    return design.feature_set, str(len(design.names)), uar_with_ci(evaluation)


def take_rows(names: Sequence[str], labelled: Sequence[str], predicted: Sequence[str]) -> list[tuple[str, ...]]:
    """Each take: its name, the emotion it was labelled with, the model's, and whether they agree."""
    return [(n, a, b, "yes" if a == b else "no") for n, a, b in zip(names, labelled, predicted)]


def agreement_text(labelled: Sequence[str], predicted: Sequence[str]) -> str:
    """The fraction of takes predicted as labelled, with the caveat that takes are few."""
    n = len(labelled)
    agree = sum(a == b for a, b in zip(labelled, predicted))
    text = f"Agreement {agree / n:.2f} ({agree} of {plural(n, 'take')})."
    if n < FEW_TAKES:
        text += (f" Only {plural(n, 'take')}: a rough figure, not a measurement; record more to tell acted "
                 "from natural speech.")
    return text


def write_evaluation_csv(evaluation: Evaluation, path: str | os.PathLike) -> None:
    """The evaluation as CSV, the same table as ``servis evaluate --out``: per-class recall, the
    confusion matrix's rows, and a summary row (UAR, its interval, chance).

    Raises
    ------
    ExportError
        The file cannot be written.
    """
    header, *rows = evaluation_rows(evaluation)
    write_csv(path, header, rows)


def prediction_caption(model: Model) -> str:
    """``"trained on RAVDESS, 1440 clips, 24 speakers, UAR 0.62 (leave-one-speaker-out)"``."""
    uar = "not evaluated" if np.isnan(model.uar) else f"UAR {model.uar:.2f} ({model.evaluated_on})"
    return f"{CLASSIFIER_NAMES.get(model.classifier, model.classifier)} trained on {model.description}, {uar}"


class ProbabilityBars(pg.PlotWidget):
    """One bar per emotion, in emotion order and colours, height the class probability (0..1)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.classes: tuple[str, ...] = ()
        self.probabilities = np.zeros(0)
        self.bars: pg.BarGraphItem | None = None
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setLabel("left", "probability")
        view = item.getViewBox()
        view.setMouseEnabled(False, False)
        view.setYRange(0, 1, padding=0.02)
        self.getAxis("bottom").setStyle(showValues=False)  # no numbers under bars not yet drawn

    def clear_bars(self) -> None:
        """No bars (nothing predicted, or silence)."""
        if self.bars is not None:
            self.removeItem(self.bars)
            self.bars = None
        self.probabilities = np.zeros(len(self.classes))

    def show_probabilities(self, classes: Sequence[str], probabilities: np.ndarray) -> None:
        """Draw ``probabilities`` (in the order of ``classes``, as ``Model.classes``) in emotion order."""
        order = emotion_order(classes)
        index = {c: i for i, c in enumerate(classes)}
        self.classes = order
        self.probabilities = np.array([probabilities[index[c]] for c in order])
        if self.bars is not None:
            self.removeItem(self.bars)
        x = np.arange(len(order))
        self.bars = pg.BarGraphItem(x=x, height=self.probabilities, width=BAR_WIDTH,
                                    brushes=[pg.mkBrush(emotion_color(c)) for c in order], pen=None)
        self.addItem(self.bars)
        self.getAxis("bottom").setTicks([[(i, c) for i, c in enumerate(order)]])
        self.getAxis("bottom").setStyle(showValues=True)
        self.getPlotItem().getViewBox().setRange(xRange=(-0.5, len(order) - 0.5), yRange=(0, 1), padding=0.02)
