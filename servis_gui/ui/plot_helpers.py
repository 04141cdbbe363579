"""What every plot of SERVIS shares: the time-only view box, cursor and playhead lines, the
y axes of mel and MFCC images, whose labels thin out so they never overlap at any height, and the
f0 contour (drawn the same way in the panes, the comparison grid and the live view)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics

from servis_gui.core.mel import hz_to_mel
from servis_gui.core.prosody import F0_UNITS, semitones

MFCC_COLORMAP = "CET-D1A"
ROW_STRETCH = (2, 3, 3)
"""Heights of waveform, mel and MFCC wherever they stack: the images get the room on a small screen."""
PROSODY_STRETCH = 2
"""Height of an f0 / intensity row beside ``ROW_STRETCH``."""
HZ_TICKS = (100, 200, 500, 1000, 2000, 4000, 8000, 16000)
MFCC_STEPS = (1, 2, 4, 5, 10, 20, 50)
TICK_GAP_PX = 2
"""Room between two tick labels, beyond the font's height."""
CURSOR_PEN = pg.mkPen("#ffffff", width=1, style=Qt.PenStyle.DashLine)
PLAYHEAD_PEN = pg.mkPen("#00e676", width=2)
F0_PEN = pg.mkPen("#00e5ff", width=2)
INTENSITY_PEN = pg.mkPen("#ffb74d", width=1.5)


class TimeViewBox(pg.ViewBox):
    """Zooms and pans in time only; Shift+drag selects a time range."""

    selection_dragged = Signal(float, float, bool)

    def __init__(self) -> None:
        super().__init__()
        self.setMouseEnabled(x=True, y=False)

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: N802 (Qt override)
        shift = ev.modifiers() & Qt.KeyboardModifier.ShiftModifier
        if ev.button() == Qt.MouseButton.LeftButton and shift:
            ev.accept()
            t0 = self.mapSceneToView(ev.buttonDownScenePos()).x()
            t1 = self.mapSceneToView(ev.scenePos()).x()
            self.selection_dragged.emit(t0, t1, ev.isFinish())
            return
        super().mouseDragEvent(ev, axis)


class BandAxis(pg.AxisItem):
    """A left axis for an image whose rows are bands: labels at given positions, thinned to fit.

    ``tickValues`` gets the axis' length in pixels, so the labels are chosen for the height the
    plot has now: all of them on a tall pane, every other one on a laptop at 200 %.
    """

    def __init__(self) -> None:
        super().__init__("left")
        self._ticks: list[tuple[float, str]] = []
        self._steps: tuple[int, ...] = (1,)

    def set_ticks(self, ticks: list[tuple[float, str]], steps: tuple[int, ...] = (1,)) -> None:
        """Offer ``(position, label)`` pairs, in increasing position; ``steps``: take every n-th."""
        if (ticks, steps) == (self._ticks, self._steps):
            return  # the next clip has the same bands: keep the drawn axis (a repaint costs ~1 ms)
        self._ticks, self._steps = ticks, steps
        self.picture = None
        self.update()

    def tickValues(self, minVal: float, maxVal: float, size: float):  # noqa: N802 (pyqtgraph override)
        if not self._ticks or maxVal <= minVal:
            return []
        px_per_unit = size / (maxVal - minVal)
        gap = QFontMetrics(self.style.get("tickFont") or self.font()).height() + TICK_GAP_PX
        inside = [pos for pos, _label in self._ticks if minVal <= pos <= maxVal]
        for step in self._steps:
            chosen = _spaced(inside[::step], gap / max(px_per_unit, 1e-9))
            if len(chosen) == len(inside[::step]) or step == self._steps[-1]:
                return [(1.0, chosen)]
        return []

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph override)
        labels = dict(self._ticks)
        return [labels.get(value, "") for value in values]


def band_plot(layout: pg.GraphicsLayout, row: int, col: int, view_box: pg.ViewBox | None = None) -> pg.PlotItem:
    """A plot whose left axis is a :class:`BandAxis` (for a mel or MFCC image)."""
    return layout.addPlot(row=row, col=col, viewBox=view_box, axisItems={"left": BandAxis()})


def mel_row(hz: np.ndarray | float, mel_hz: np.ndarray) -> np.ndarray:
    """The y position in a mel image (band ``i`` spans ``[i, i+1]``) where frequency ``hz`` lies:
    interpolated on the mel scale between band centres ``mel_hz``. NaN stays NaN."""
    hz = np.asarray(hz, dtype=np.float64)
    rows = np.interp(hz_to_mel(np.nan_to_num(hz, nan=0.0)), hz_to_mel(mel_hz), np.arange(len(mel_hz)) + 0.5)
    return np.where(np.isfinite(hz), rows, np.nan)


def set_mel_ticks(plot: pg.PlotItem, mel_hz: np.ndarray) -> None:
    """Label a mel image's y axis (band index) in Hz, at the bands' true mel positions."""
    ticks = [(float(mel_row(f, mel_hz)), _hz_text(f)) for f in HZ_TICKS if mel_hz[0] <= f <= mel_hz[-1]]
    plot.getAxis("left").set_ticks(ticks)
    plot.setYRange(0, len(mel_hz), padding=0)


def set_mfcc_ticks(plot: pg.PlotItem, n_mfcc: int) -> None:
    """Label an MFCC image's y axis with coefficient numbers (every 1st, 2nd, 4th... as room allows)."""
    plot.getAxis("left").set_ticks([(k + 0.5, str(k)) for k in range(n_mfcc)], MFCC_STEPS)
    plot.setYRange(0, n_mfcc, padding=0)


def f0_curve(plot: pg.PlotItem, pen: pg.QtGui.QPen = F0_PEN) -> pg.PlotDataItem:
    """An f0 contour in ``plot``, above images and below cursor lines; fill it with :func:`draw_f0`."""
    curve = pg.PlotDataItem(pen=pen, connect="finite")
    curve.setZValue(15)
    plot.addItem(curve)
    return curve


def f0_in(f0_hz: np.ndarray, unit: str) -> np.ndarray:
    """F0 in ``unit``: "Hz" as given, "st" semitones re 100 Hz (NaN stays NaN)."""
    if unit not in F0_UNITS:
        raise ValueError(f"unknown f0 unit {unit!r}")
    return np.asarray(f0_hz, dtype=np.float64) if unit == "Hz" else semitones(f0_hz)


def draw_f0(curve: pg.PlotDataItem, times: np.ndarray, f0_hz: np.ndarray, unit: str = "Hz",
            mel_hz: np.ndarray | None = None) -> None:
    """Draw an f0 contour with a gap at every unvoiced (NaN) frame, never a line down to 0.

    Parameters
    ----------
    curve : pg.PlotDataItem
        From :func:`f0_curve`.
    times, f0_hz : np.ndarray
        Frame times (s) and f0 in Hz, NaN where unvoiced.
    unit : str
        "Hz" or "st" (semitones re 100 Hz); ignored when ``mel_hz`` is given.
    mel_hz : np.ndarray, optional
        Band centres of a mel image: draw at the image row of each frequency (over the harmonic).
    """
    y = mel_row(f0_hz, mel_hz) if mel_hz is not None else f0_in(f0_hz, unit)
    curve.setData(np.asarray(times, dtype=np.float64), y, connect="finite")


def add_vline(plot: pg.PlotItem, pen: pg.QtGui.QPen) -> pg.InfiniteLine:
    """A hidden vertical line (cursor, playhead) that does not affect the plot's auto-range."""
    line = pg.InfiniteLine(angle=90, movable=False, pen=pen)
    line.setZValue(20)
    line.hide()
    plot.addItem(line, ignoreBounds=True)
    return line


def _spaced(positions: list[float], min_gap: float) -> list[float]:
    """Keep positions at least ``min_gap`` apart, from the lowest up."""
    kept: list[float] = []
    for pos in positions:
        if not kept or pos - kept[-1] >= min_gap:
            kept.append(pos)
    return kept


def _hz_text(f: float) -> str:
    return f"{f / 1000:g}k" if f >= 1000 else f"{f:g}"
