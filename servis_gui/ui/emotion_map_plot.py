"""The emotion map's plot: every clip as a dot coloured by its emotion (one scatter item, brushes from
a small cache, so 10,000 points pan smoothly), optionally shaped by speaker or gender, the user's takes
as large white-outlined stars, a legend, hover and click, Shift+drag to select a rectangle, and the
microphone's live marker with a fading trail."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsRectItem

from servis_gui.core.emotions import emotion_color

DOT_SIZE, TAKE_SIZE = 7, 22
DOT_ALPHA = 170
TAKE_PEN = pg.mkPen("#ffffff", width=2)
SYMBOLS = ("o", "s", "t", "d", "+", "x", "p", "h", "t1", "t2", "t3", "star")
"""Shapes given to speakers (or genders) in order of first appearance; more speakers reuse them."""
LEGEND_SHAPES = 8
"""At most this many shapes are named in the legend (a corpus may have dozens of speakers)."""
MARGIN = 0.05
"""Room around the points, as a fraction of their extent."""
BAND_PEN = pg.mkPen("#ffffff", width=1, style=Qt.PenStyle.DashLine, cosmetic=True)
BAND_BRUSH = pg.mkBrush(255, 255, 255, 30)
LIVE_SIZE = 26
LIVE_PEN = pg.mkPen("#ffffff", width=3)
TRAIL_PEN = pg.mkPen(255, 255, 255, 110, width=2, style=Qt.PenStyle.DotLine)
LEGEND_BRUSH = pg.mkBrush(20, 20, 24, 200)
LEGEND_GAP = 8
CORNERS = ((0, 0), (1, 0), (0, 1), (1, 1))
"""Where the legend may sit (x, y: 0 left/top, 1 right/bottom), in order of preference."""
HIDDEN_COST = {"live": 1e6, "takes": 1e3, "dots": 1.0}
"""What it costs the legend to cover the live marker, a take, a clip: it goes where it hides least."""
MAX_LEGEND_SHARE = 0.4
"""The map is widened to free the legend's corner only if the legend takes less than this share of its width."""


class MapLegend(pg.LegendItem):
    """The map's legend: the map moves it to the corner where it hides least, until the user drags it."""

    moved_by_user = False

    def mouseDragEvent(self, event) -> None:  # noqa: N802 (pyqtgraph's name)
        self.moved_by_user = True
        super().mouseDragEvent(event)


class SelectViewBox(pg.ViewBox):
    """A view box where Shift+drag with the left button draws a rectangle instead of panning.

    Signals
    -------
    rectangle_selected(QRectF) : the rectangle, in data coordinates, when the button is released
    """

    rectangle_selected = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.band = QGraphicsRectItem()
        self.band.setPen(BAND_PEN)
        self.band.setBrush(BAND_BRUSH)
        self.band.setZValue(20)
        self.band.hide()
        self.addItem(self.band, ignoreBounds=True)

    def mouseDragEvent(self, event, axis=None) -> None:  # noqa: N802 (pyqtgraph's name)
        if event.button() != Qt.MouseButton.LeftButton or not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            super().mouseDragEvent(event, axis)
            return
        event.accept()
        rect = QRectF(self.mapToView(event.buttonDownPos()), self.mapToView(event.pos())).normalized()
        if event.isFinish():
            self.band.hide()
            self.rectangle_selected.emit(rect)
        else:
            self.band.setRect(rect)
            self.band.show()


class MapPlot(pg.PlotWidget):
    """The clips in 2-D and the user's takes on the same axes.

    Signals
    -------
    clip_clicked(int) : a dot was clicked: its row in the clips given to :meth:`show_clips`
    take_clicked(int) : a star was clicked: its row in the takes given to :meth:`show_takes`
    hovered(str, int) : the mouse is over a ``"clip"`` or a ``"take"`` (its row); ``("", -1)`` when off
    rectangle_selected(np.ndarray) : rows of the clips inside a Shift+drag rectangle
    """

    clip_clicked = Signal(int)
    take_clicked = Signal(int)
    hovered = Signal(str, int)
    rectangle_selected = Signal(object)

    def __init__(self) -> None:
        self.box = SelectViewBox()
        super().__init__(viewBox=self.box)
        self.setMenuEnabled(False)
        self.plotItem.hideButtons()
        self.dots = pg.ScatterPlotItem(size=DOT_SIZE, pen=None, hoverable=True, tip=None)
        self.stars = pg.ScatterPlotItem(size=TAKE_SIZE, symbol="star", pen=TAKE_PEN, hoverable=True, tip=None)
        for z, item in enumerate((self.dots, self.stars)):
            item.setZValue(10 + z)
            self.addItem(item)
        self.dots.sigClicked.connect(lambda _item, points, _event=None: self._clicked(self.clip_clicked, points))
        self.stars.sigClicked.connect(lambda _item, points, _event=None: self._clicked(self.take_clicked, points))
        self.dots.sigHovered.connect(lambda _item, points, _event=None: self._hovered("clip", points))
        self.stars.sigHovered.connect(lambda _item, points, _event=None: self._hovered("take", points))
        self.box.rectangle_selected.connect(self._on_rectangle)
        # Shaded to stay readable over dots; it sits in the corner where it hides least (or where it is dragged).
        self.legend = MapLegend(offset=(LEGEND_GAP, LEGEND_GAP), labelTextSize="8pt", brush=LEGEND_BRUSH)
        self.legend.setParentItem(self.box)
        self._legend_corner = CORNERS[0]
        self.box.sigRangeChanged.connect(self._place_legend)
        self.box.sigResized.connect(self._place_legend)
        self._brushes: dict[str, pg.QtGui.QBrush] = {}
        self.coords = np.zeros((0, 2))
        self.take_coords = np.zeros((0, 2))
        self.trail = pg.PlotDataItem(pen=TRAIL_PEN, symbol="o", symbolSize=7, symbolPen=None,
                                     symbolBrush=pg.mkBrush(255, 255, 255, 110))
        self.live = pg.ScatterPlotItem(size=LIVE_SIZE, symbol="+", pen=LIVE_PEN, brush=pg.mkBrush("#ffffff"))
        for z, item in enumerate((self.trail, self.live)):
            item.setZValue(20 + z)
            self.addItem(item)
        self.live_coords = np.zeros((0, 2))
        self._widened: tuple[list, list] | None = None  # (view before the live marker widened it, view after)

    def brush(self, emotion: str) -> pg.QtGui.QBrush:
        """The (cached, shared) brush of ``emotion``'s dots."""
        if emotion not in self._brushes:
            color = QColor(emotion_color(emotion))
            color.setAlpha(DOT_ALPHA)
            self._brushes[emotion] = pg.mkBrush(color)
        return self._brushes[emotion]

    def show_clips(self, coords: np.ndarray, emotions: Sequence[str], order: Sequence[str],
                   shapes: Sequence[str] | None = None) -> None:
        """Draw the clips at ``coords`` (n x 2), coloured by emotion.

        Parameters
        ----------
        coords : np.ndarray
        emotions : sequence of str
            Each clip's emotion.
        order : sequence of str
            The emotions in legend order.
        shapes : sequence of str, optional
            Each clip's speaker or gender: one shape per distinct value (None: all dots round).
        """
        self.coords = np.asarray(coords, dtype=np.float64)
        brushes = [self.brush(e) for e in emotions]
        symbols, named = _symbols(shapes)
        self.dots.setData(pos=self.coords, brush=brushes, symbol=symbols)
        self.legend.clear()
        for emotion in order:
            self.legend.addItem(pg.ScatterPlotItem(symbol="o", size=DOT_SIZE + 3, pen=None, brush=self.brush(emotion)),
                                emotion)
        for value, symbol in named[:LEGEND_SHAPES]:
            self.legend.addItem(pg.ScatterPlotItem(symbol=symbol, size=DOT_SIZE + 3, pen=None, brush="#bbbbbb"),
                                value or "unknown")
        if len(named) > LEGEND_SHAPES:
            self.legend.addItem(pg.ScatterPlotItem(symbol="o", size=1, pen=None, brush=None),
                                f"… {len(named) - LEGEND_SHAPES} more shapes")
        self._fit()
        self._place_legend()

    def show_takes(self, coords: np.ndarray, brushes: Sequence[pg.QtGui.QBrush], selected: int = -1) -> None:
        """Draw the user's takes (or placed files) at ``coords`` as stars; ``selected`` larger."""
        self.take_coords = np.asarray(coords, dtype=np.float64).reshape(-1, 2)
        sizes = [TAKE_SIZE * (1.4 if k == selected else 1.0) for k in range(len(self.take_coords))]
        self.stars.setData(pos=self.take_coords, brush=list(brushes), size=sizes)
        self._fit()
        self._place_legend()

    def show_live(self, coords: np.ndarray) -> None:
        """The live marker at the last of ``coords`` (n x 2, oldest first), a trail through the others.

        Empty ``coords`` hide both. The map stays still under the marker, unless the marker lands
        outside the view: then the view widens just enough to show it, and narrows back when the
        marker is hidden (if nobody has moved the view since).
        """
        self.live_coords = np.asarray(coords, dtype=np.float64).reshape(-1, 2)
        self.trail.setData(self.live_coords[:, 0], self.live_coords[:, 1])
        self.live.setData(pos=self.live_coords[-1:])
        if not len(self.live_coords):
            self._unwiden()
        elif np.isfinite(self.live_coords[-1]).all():
            self._widen_to(self.live_coords[-1])
        self._place_legend()

    def legend_cover(self, corner: tuple[int, int]) -> float:
        """What the legend would hide in ``corner`` (:data:`HIDDEN_COST` per live marker, take and clip)."""
        (x0, x1), (y0, y1) = self.box.viewRange()
        width, height = self.box.width(), self.box.height()
        size = self.legend.boundingRect()
        left = LEGEND_GAP if corner[0] == 0 else width - LEGEND_GAP - size.width()
        top = LEGEND_GAP if corner[1] == 0 else height - LEGEND_GAP - size.height()
        cost = 0.0
        for kind, coords in (("live", self.live_coords[-1:]), ("takes", self.take_coords), ("dots", self.coords)):
            px = (coords[:, 0] - x0) / (x1 - x0) * width
            py = (y1 - coords[:, 1]) / (y1 - y0) * height
            inside = (px >= left) & (px <= left + size.width()) & (py >= top) & (py <= top + size.height())
            cost += HIDDEN_COST[kind] * np.count_nonzero(inside)
        return cost

    def _legend_costs(self) -> dict[tuple[int, int], float]:
        return {corner: self.legend_cover(corner) for corner in CORNERS}

    def _place_legend(self) -> None:
        """Anchor the legend in the corner where it hides least (the current one on a tie)."""
        if self.legend.moved_by_user or self.box.width() <= 0 or self.box.height() <= 0:
            return
        costs = self._legend_costs()
        best = min(CORNERS, key=lambda c: (costs[c], c != self._legend_corner))
        if best != self._legend_corner:
            self._legend_corner = best
            offset = (LEGEND_GAP * (1 - 2 * best[0]), LEGEND_GAP * (1 - 2 * best[1]))
            self.legend.anchor(itemPos=best, parentPos=best, offset=offset)

    def _widen_to(self, point: np.ndarray) -> None:
        """Widen the view (never narrow it) so that ``point`` lies inside, a margin from the edge."""
        changed = {}
        for axis, value, (low, high) in zip(("xRange", "yRange"), point, self.box.viewRange(), strict=True):
            pad = MARGIN * (high - low)
            if not low + pad <= value <= high - pad:
                changed[axis] = (min(low, value - 2 * pad), max(high, value + 2 * pad))
        if changed:
            before = self._widened[0] if self._widened else self.box.viewRange()
            self.setRange(**changed, padding=0)
            self._widened = (before, self.box.viewRange())

    def _unwiden(self) -> None:
        """Back to the view from before the live marker widened it, unless the user moved it since."""
        if self._widened is not None:
            (before, widened), self._widened = self._widened, None
            if np.allclose(self.box.viewRange(), widened):
                self.setRange(xRange=before[0], yRange=before[1], padding=0)

    def set_axis_titles(self, x: str, y: str) -> None:
        self.setLabel("bottom", x)
        self.setLabel("left", y)

    def clear_map(self) -> None:
        """No map: nothing drawn, no legend."""
        self.coords = np.zeros((0, 2))
        self.take_coords = np.zeros((0, 2))
        self.dots.setData(pos=self.coords)
        self.stars.setData(pos=self.take_coords)
        self.show_live(np.zeros((0, 2)))
        self.legend.clear()
        self.set_axis_titles("", "")

    def _fit(self) -> None:
        """The points' extent with a margin, set directly (auto-range asks every item for bounds)."""
        both = np.concatenate([self.coords, self.take_coords])
        both = both[np.isfinite(both).all(axis=1)]
        if not len(both):
            return
        self._widened = None
        low, high = both.min(axis=0), both.max(axis=0)
        pad = MARGIN * np.where(high > low, high - low, 1.0)
        self.setRange(xRange=(low[0] - pad[0], high[0] + pad[0]), yRange=(low[1] - pad[1], high[1] + pad[1]),
                      padding=0)
        self._make_room_for_legend()

    def _make_room_for_legend(self) -> None:
        """When the legend would hide clips in every corner, widen the map by its width on the side
        where it hides fewest (the legend then moves there, over no clip)."""
        if self.legend.moved_by_user or self.box.width() <= 0:
            return
        costs = self._legend_costs()
        share = (self.legend.boundingRect().width() + 2 * LEGEND_GAP) / self.box.width()
        if min(costs.values()) == 0 or share >= MAX_LEGEND_SHARE:
            return
        side = min(CORNERS, key=lambda corner: costs[corner])[0]
        (x0, x1), _ = self.box.viewRange()
        extra = (x1 - x0) * share / (1 - share)
        self.setXRange(x0 - extra * (side == 0), x1 + extra * (side == 1), padding=0)

    def _on_rectangle(self, rect: QRectF) -> None:
        x, y = self.coords[:, 0], self.coords[:, 1]
        inside = (x >= rect.left()) & (x <= rect.right()) & (y >= rect.top()) & (y <= rect.bottom())
        self.rectangle_selected.emit(np.flatnonzero(inside))

    @staticmethod
    def _clicked(signal: Signal, points) -> None:
        if len(points):
            signal.emit(int(points[0].index()))

    def _hovered(self, kind: str, points) -> None:
        if len(points):
            self.hovered.emit(kind, int(points[0].index()))
        else:
            self.hovered.emit("", -1)


def _symbols(shapes: Sequence[str] | None) -> tuple[str | list[str], list[tuple[str, str]]]:
    """Per-point symbols for ``shapes`` and the (value, symbol) pairs in order of first appearance."""
    if shapes is None:
        return "o", []
    distinct = list(dict.fromkeys(shapes))
    of = {value: SYMBOLS[k % len(SYMBOLS)] for k, value in enumerate(distinct)}
    return [of[value] for value in shapes], list(of.items())
