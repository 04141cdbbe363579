"""The confusion matrix as a heat map: row-normalised recall on fixed levels 0..1, the clip counts
written in the cells, emotions on both axes (true down the left, predicted along the bottom);
clicking a cell emits ``cell_clicked(true, predicted)``."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal
from PySide6.QtGui import QFontMetrics

LEVELS = (0.0, 1.0)
"""Colour levels: recall 0 to 1, whatever the matrix holds."""
COLORMAP = "viridis"
DARK_TEXT_ABOVE = 0.6
"""Cells brighter than this (recall) carry dark numbers; the rest light ones."""
SHORT = 3
"""Letters of an emotion's short name, used along the bottom when full names do not fit."""
LABEL_PADDING_PX = 6
LEFT_AXIS_EXTRA_PX = 28
"""Room beside the left tick labels for the ticks and the axis title."""


def row_normalised(confusion: np.ndarray) -> np.ndarray:
    """Each row divided by its total: the share of a true class given each prediction (0 for an empty row)."""
    confusion = np.asarray(confusion, dtype=np.float64)
    totals = confusion.sum(axis=1, keepdims=True)
    return np.divide(confusion, totals, out=np.zeros_like(confusion), where=totals > 0)


class ConfusionPlot(pg.PlotWidget):
    """A heat map of a confusion matrix; cell ``(i, j)`` spans ``[j, j+1] x [i, i+1]``, row 0 on top.

    Signals
    -------
    cell_clicked(int, int) : ``(true class index, predicted class index)``
    """

    cell_clicked = Signal(int, int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.classes: tuple[str, ...] = ()
        self.counts = np.zeros((0, 0), dtype=np.int64)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(pg.colormap.get(COLORMAP).getLookupTable(nPts=256))
        self.texts: list[pg.TextItem] = []
        item = self.getPlotItem()
        item.addItem(self.image)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setLabel("left", "true")
        item.setLabel("bottom", "predicted")
        view = item.getViewBox()
        view.setMouseEnabled(False, False)
        view.invertY(True)
        view.sigResized.connect(self._fit_labels)
        self.scene().sigMouseClicked.connect(self._on_click)

    def show_matrix(self, classes: tuple[str, ...], confusion: np.ndarray) -> None:
        """Draw ``confusion`` (counts, rows true, columns predicted, both in ``classes`` order)."""
        self.classes, self.counts = tuple(classes), np.asarray(confusion)
        n = len(classes)
        for text in self.texts:
            self.removeItem(text)
        self.texts = []
        plot = self.getPlotItem()
        for axis in ("left", "bottom"):  # no empty axes before an evaluation
            plot.getAxis(axis).setVisible(n > 0)
        if n == 0:
            self.image.clear()
            return
        share = row_normalised(self.counts)
        self.image.setImage(share, levels=LEVELS, autoLevels=False)
        self.image.setRect(QRectF(0, 0, n, n))
        for i in range(n):
            for j in range(n):
                color = "#202020" if share[i, j] > DARK_TEXT_ABOVE else "#f0f0f0"
                text = pg.TextItem(str(int(self.counts[i, j])), color=color, anchor=(0.5, 0.5))
                text.setPos(j + 0.5, i + 0.5)
                self.addItem(text)
                self.texts.append(text)
        self.getPlotItem().getViewBox().setRange(xRange=(0, n), yRange=(0, n), padding=0)
        self._fit_labels()

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The ``(true, predicted)`` cell at data coordinates ``(x, y)``, or None outside the matrix."""
        n = len(self.classes)
        i, j = int(np.floor(y)), int(np.floor(x))
        return (i, j) if 0 <= i < n and 0 <= j < n else None

    def _on_click(self, event) -> None:
        view = self.getPlotItem().getViewBox()
        if not view.sceneBoundingRect().contains(event.scenePos()):
            return
        point = view.mapSceneToView(event.scenePos())
        cell = self.cell_at(point.x(), point.y())
        if cell is not None:
            self.cell_clicked.emit(*cell)

    def _fit_labels(self) -> None:
        """Full emotion names on both axes; short ones along the bottom when a cell is too narrow."""
        if not self.classes:
            return
        n = len(self.classes)
        bottom = self.getAxis("bottom")
        metrics = QFontMetrics(bottom.style.get("tickFont") or self.font())
        cell_px = self.getPlotItem().getViewBox().width() / n
        widest = max(metrics.horizontalAdvance(c) for c in self.classes) + LABEL_PADDING_PX
        names = self.classes if widest <= cell_px else tuple(c[:SHORT] for c in self.classes)
        bottom.setTicks([[(j + 0.5, name) for j, name in enumerate(names)]])
        left = self.getAxis("left")
        left.setTicks([[(i + 0.5, name) for i, name in enumerate(self.classes)]])
        left.setWidth(widest + LEFT_AXIS_EXTRA_PX)  # every name fits, not only those measured so far
