"""A per-emotion distribution plot: one violin (or box) per emotion in the corpus's order and colours,
every clip as a dot (hover: which clip; click: play it), the user's takes as stars on the same axes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import QGraphicsPathItem

from servis_gui.core.distribution import box_figures, jitter, violin_outline
from servis_gui.core.emotions import emotion_color
from servis_gui.core.file_access import display_name

HALF_WIDTH = 0.4
"""Half the width of a violin or box, in emotion slots."""
DOT_SIZE, TAKE_SIZE = 5, 16
DOT_ALPHA, FILL_ALPHA = 150, 70
TAKE_COLOR = "#ffffff"
TICK_GAP_PX = 6
Y_MARGIN = 0.08
"""Room above the highest and below the lowest value (the violins' tails end at the extremes)."""
PREPARED_SLOTS = 8
"""Slots whose items are made with the plot (an acted corpus has 6-8 emotions), not with the result."""
MEDIAN_PEN = pg.mkPen("#ffffff", width=2)
KINDS = ("violin", "box")


@dataclass(frozen=True)
class Group:
    """The clips of one emotion: their values (NaN allowed) and files."""

    emotion: str
    values: np.ndarray
    paths: tuple[str, ...]


@dataclass(frozen=True)
class Takes:
    """The user's own recordings on the same axes: values, files and their labelled emotions."""

    values: np.ndarray
    paths: tuple[str, ...]
    emotions: tuple[str, ...]


class EmotionPlot(pg.PlotWidget):
    """Violins or boxes with dots, one slot per emotion.

    Signals
    -------
    clip_clicked(str) : a dot (a clip or a take) was clicked: its path
    clip_hovered(str) : the mouse is over a dot: a line saying which clip and its value ("" when off)
    """

    clip_clicked = Signal(str)
    clip_hovered = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setMenuEnabled(False)
        self.plotItem.hideButtons()
        self.getViewBox().setMouseEnabled(x=False, y=True)
        self._slots = [SlotShapes(self.plotItem) for _ in range(PREPARED_SLOTS)]
        for shapes in self._slots:
            shapes.hide()
        self.dots = pg.ScatterPlotItem(size=DOT_SIZE, pen=None, hoverable=True, tip=None)
        self.stars = pg.ScatterPlotItem(size=TAKE_SIZE, symbol="star", pen=pg.mkPen("#000000", width=1),
                                        hoverable=True, tip=None)
        for item in (self.dots, self.stars):
            item.setZValue(10)
            self.addItem(item)
            item.sigClicked.connect(self._on_clicked)
            item.sigHovered.connect(self._on_hovered)
        self.stars.setZValue(11)
        self.unit = ""
        self._labels: list[tuple[str, int]] = []
        bottom = self.getAxis("bottom")
        bottom.setHeight(int(2.6 * QFontMetrics(bottom.font()).height()))  # two lines: emotion, then n
        self.getViewBox().sigResized.connect(self._fit_ticks)

    def show_groups(self, groups: list[Group], label: str, unit: str, kind: str = "violin",
                    takes: Takes | None = None) -> None:
        """Draw ``groups`` (left to right) with the values' axis ``label`` in ``unit``."""
        self.unit = unit
        while len(self._slots) < len(groups):  # items are kept and refilled: making them is the slow part
            self._slots.append(SlotShapes(self.plotItem))
        for slot, shapes in enumerate(self._slots):
            group = groups[slot] if slot < len(groups) else None
            if group is None:
                shapes.hide()
            elif kind == "violin":
                shapes.violin(slot, group)
            else:
                shapes.box(slot, group)
        self._fill_dots(groups)
        self._fill_stars(groups, takes)
        self._labels = [(g.emotion, int(np.isfinite(g.values).sum())) for g in groups]
        self._fit_ticks()
        self.setLabel("left", label, units=None)
        self.setXRange(-0.6, len(groups) - 0.4, padding=0)
        self._fit_y(groups, takes)

    def _fit_y(self, groups: list[Group], takes: Takes | None) -> None:
        """The values' range with a margin, set directly (auto-range asks every item for its bounds)."""
        values = [g.values for g in groups] + ([takes.values] if takes is not None else [])
        finite = np.concatenate(values)[np.isfinite(np.concatenate(values))] if values else np.zeros(0)
        if len(finite):
            low, high = float(finite.min()), float(finite.max())
            margin = Y_MARGIN * (high - low) or 1.0
            self.setYRange(low - margin, high + margin, padding=0)

    def _fit_ticks(self) -> None:
        """Label each slot with its emotion and n; a name wider than its slot is shortened (the dots
        and the statistics table keep the full name)."""
        if not self._labels:
            return
        metrics = QFontMetrics(self.getAxis("bottom").font())
        slot_px = self.getViewBox().width() / max(len(self._labels), 1) - TICK_GAP_PX
        ticks = [(slot, f"{_fitted(name, metrics, slot_px)}\n{n}") for slot, (name, n) in enumerate(self._labels)]
        self.getAxis("bottom").setTicks([ticks])

    def _fill_dots(self, groups: list[Group]) -> None:
        xs, ys, brushes, paths = [], [], [], []
        for slot, group in enumerate(groups):
            keep = np.isfinite(group.values)
            n = int(keep.sum())
            xs.append(slot + jitter(n, HALF_WIDTH, seed=slot))
            ys.append(group.values[keep])
            color = QColor(emotion_color(group.emotion))
            color.setAlpha(DOT_ALPHA)
            brushes += [pg.mkBrush(color)] * n
            paths += [p for p, k in zip(group.paths, keep, strict=True) if k]
        x = np.concatenate(xs) if xs else np.zeros(0)
        y = np.concatenate(ys) if ys else np.zeros(0)
        self.dots.setData(x=x, y=y, brush=brushes, data=np.array(paths, dtype=object))

    def _fill_stars(self, groups: list[Group], takes: Takes | None) -> None:
        slots = {g.emotion: slot for slot, g in enumerate(groups)}
        if takes is None:
            self.stars.setData(x=[], y=[])
            return
        keep = [k for k, (v, e) in enumerate(zip(takes.values, takes.emotions, strict=True))
                if np.isfinite(v) and e in slots]
        self.stars.setData(x=[slots[takes.emotions[k]] for k in keep], y=[takes.values[k] for k in keep],
                           brush=pg.mkBrush(TAKE_COLOR), data=np.array([takes.paths[k] for k in keep], dtype=object))

    def _on_clicked(self, _item, points, _event=None) -> None:
        if len(points):
            self.clip_clicked.emit(str(points[0].data()))

    def _on_hovered(self, _item, points, _event=None) -> None:
        if not len(points):
            self.clip_hovered.emit("")
            return
        point = points[0]
        who = "your take" if point.symbol() == "star" else "clip"
        self.clip_hovered.emit(f"{display_name(str(point.data()))} ({who}): {point.pos().y():.2f} {self.unit}".strip())



class SlotShapes:
    """The items of one emotion's slot: a violin (two outline curves and the fill between them) or a
    box (the same fill between its sides, an outline, two whiskers), and the median line. Curve
    items only, so an SVG of the plot looks as the screen does."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.left, self.right = pg.PlotCurveItem(), pg.PlotCurveItem()
        self.fill = QGraphicsPathItem()  # the area between left and right, filled, not stroked
        self.fill.setPen(pg.mkPen(None))
        self.outline, self.low_whisker, self.high_whisker = (pg.PlotCurveItem() for _ in range(3))
        self.median = pg.PlotCurveItem(pen=MEDIAN_PEN)
        self.items = (self.fill, self.left, self.right, self.outline, self.low_whisker, self.high_whisker,
                      self.median)
        for item in self.items:
            plot.addItem(item)

    def violin(self, slot: int, group: Group) -> None:
        """A kernel-density violin of ``group``'s values at ``slot`` (nothing for < 2 distinct values)."""
        y, density = violin_outline(group.values)
        half = density * HALF_WIDTH
        pen = _pen(group.emotion)
        self.left.setData(slot - half, y, pen=pen)
        self.right.setData(slot + half, y, pen=pen)
        self._finish(slot, group, shown=(self.fill, self.left, self.right, self.median))

    def box(self, slot: int, group: Group) -> None:
        """Quartiles and Tukey's whiskers of ``group``'s values at ``slot``."""
        b = box_figures(group.values)
        left, right = slot - HALF_WIDTH, slot + HALF_WIDTH
        pen = _pen(group.emotion)
        self.left.setData([left, left], [b.q1, b.q3], pen=None)
        self.right.setData([right, right], [b.q1, b.q3], pen=None)
        self.outline.setData([left, left, right, right, left], [b.q1, b.q3, b.q3, b.q1, b.q1], pen=pen)
        self.low_whisker.setData([slot, slot], [b.whisker_low, b.q1], pen=pen)
        self.high_whisker.setData([slot, slot], [b.q3, b.whisker_high], pen=pen)
        self._finish(slot, group, shown=self.items)

    def hide(self) -> None:
        for item in self.items:
            item.hide()

    def _finish(self, slot: int, group: Group, shown: tuple) -> None:
        color = QColor(emotion_color(group.emotion))
        color.setAlpha(FILL_ALPHA)
        self.fill.setBrush(pg.mkBrush(color))
        (lx, ly), (rx, ry) = self.left.getData(), self.right.getData()
        outline = pg.arrayToQPath(np.concatenate([lx, rx[::-1]]), np.concatenate([ly, ry[::-1]]), connect="all")
        outline.closeSubpath()
        self.fill.setPath(outline)
        median = float(np.nanmedian(group.values)) if np.isfinite(group.values).any() else np.nan
        self.median.setData([slot - HALF_WIDTH, slot + HALF_WIDTH], [median, median])
        for item in self.items:
            item.setVisible(item in shown and bool(np.isfinite(median)))


def _pen(emotion: str) -> pg.QtGui.QPen:
    return pg.mkPen(emotion_color(emotion), width=1)


def _fitted(name: str, metrics: QFontMetrics, width: float) -> str:
    """``name``, or its first letters with a dot when the whole does not fit ``width`` pixels."""
    if metrics.horizontalAdvance(name) <= width:
        return name
    for length in range(len(name) - 1, 0, -1):
        short = name[:length] + "."
        if metrics.horizontalAdvance(short) <= width:
            return short
    return name[0]
