"""The Recogniser tab's evaluation: per-class recall, the confusion matrix as a heat map, and the clips
behind a clicked cell (double-click plays one, "Compare these" opens them in the comparison grid)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from servis_gui.core.datasets.records import plural
from servis_gui.recogniser_jobs import Trained
from servis_gui.ui import recogniser_tables as text
from servis_gui.ui.confusion_plot import ConfusionPlot
from servis_gui.ui.corpus_tables import fill, read_only_table

MAX_COMPARED = 12
"""At most this many clips go to the comparison grid."""
NO_CELL = "Click a cell of the matrix to list its clips."


class EvaluationPanel(QSplitter):
    """Recall table and cell clips at the left, the confusion matrix at the right.

    Attributes
    ----------
    trained : Trained or None
        The evaluation shown.
    cell_rows : list of int
        Rows of ``trained.design`` behind the clicked cell, as listed in ``clips``.

    Signals
    -------
    play_requested(str) : a listed clip was double-clicked
    compare_requested(list) : "Compare these": up to :data:`MAX_COMPARED` paths of the listed clips
    """

    play_requested = Signal(str)
    compare_requested = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.trained: Trained | None = None
        self.cell_rows: list[int] = []
        self.recall = read_only_table(text.RECALL_COLUMNS)
        self.cell_title = QLabel(NO_CELL, wordWrap=True)
        self.clips = read_only_table(text.CLIP_COLUMNS)
        self.compare_clips = QPushButton("Compare these")
        self.compare_clips.setEnabled(False)
        self.matrix = ConfusionPlot()
        self.matrix.setMinimumSize(200, 200)
        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in ((self.recall, 0), (self.cell_title, 0), (self.clips, 1), (self.compare_clips, 0)):
            layout.addWidget(widget, stretch)
        self.addWidget(left)
        self.addWidget(self.matrix)
        self.setStretchFactor(0, 2)
        self.setStretchFactor(1, 3)
        self.matrix.cell_clicked.connect(self.list_cell)
        self.clips.cellDoubleClicked.connect(lambda r, _c: self.play_requested.emit(self.cell_paths()[r]))
        self.compare_clips.clicked.connect(lambda: self.compare_requested.emit(self.cell_paths()[:MAX_COMPARED]))

    def show_trained(self, trained: Trained | None) -> None:
        """Show ``trained``'s recall and matrix (None: empty), no cell listed."""
        self.trained = trained
        if trained is None:
            fill(self.recall, [])
            self.matrix.show_matrix((), np.zeros((0, 0), dtype=np.int64))
        else:
            fill(self.recall, text.recall_rows(trained.evaluation))
            self.matrix.show_matrix(trained.evaluation.classes, trained.evaluation.confusion)
        self.list_cell(None)

    def list_cell(self, true: int | None, predicted: int = 0) -> None:
        """List the clips of true class ``true`` predicted as ``predicted`` (None: none listed)."""
        if self.trained is None or true is None:
            self.cell_rows = []
            fill(self.clips, [])
            self.cell_title.setText(NO_CELL)
        else:
            design, evaluation = self.trained.design, self.trained.evaluation
            self.cell_rows = text.cell_clips(design, evaluation, true, predicted)
            fill(self.clips, text.clip_rows(design, evaluation, self.cell_rows))
            self.cell_title.setText(f"True {evaluation.classes[true]}, predicted {evaluation.classes[predicted]}: "
                                    f"{plural(len(self.cell_rows), 'clip')} (double-click to play)")
        self.compare_clips.setEnabled(bool(self.cell_rows))

    def cell_paths(self) -> list[str]:
        """The paths of the listed clips."""
        return [self.trained.design.paths[i] for i in self.cell_rows] if self.trained else []
