"""The scrolled part of the comparison grid: per clip a header, a waveform, an f0, a mel and an MFCC plot."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSizeF, QTimer, Signal
from PySide6.QtGui import QFontMetricsF

from servis_gui.core.emotions import emotion_color
from servis_gui.core.prosody import Prosody
from servis_gui.core.prosody_summary import NO_VOICE
from servis_gui.ui.plot_helpers import (
    CURSOR_PEN, PLAYHEAD_PEN, ROW_STRETCH, BandAxis, TimeViewBox, add_vline, draw_f0, f0_curve, f0_in,
    set_mel_ticks, set_mfcc_ticks,
)
from servis_gui.core.analysis import Analysis

ROWS = ("waveform", "f0", "mel", "mfcc")
"""Top to bottom in a column: f0 under the waveform, above the spectra it is read against."""
F0_STRETCH = 2
"""The f0 row is as high as the waveform's, lower than the images: a contour needs less height."""
STRETCH = dict(zip(("waveform", "mel", "mfcc"), ROW_STRETCH)) | {"f0": F0_STRETCH}
F0_LABELS = {"Hz": ("f0 (Hz)", "f0 (Hz)"), "st": ("f0 (st re 100 Hz)", "f0 (st)")}
"""Per unit, the f0 axis label in full and the short one for a row too low for it."""
NOTE_COLOR = "#9aa0a6"
PREPARED_COLUMNS = 6
HEADER_CHARS = 22
"""Longer titles are cut (the summary has them), so a header fits a column of MIN_COLUMN_PX."""
AXIS_PX = 40
"""Every plot's y axis has this width, so every ViewBox of the grid is equally wide."""
MARGIN_PX, SPACING_PX = 4, 4
COMPACT_BELOW_PX = 380
"""A grid of columns lower than this folds its f0 row away: the images keep their height, and the f0
contour is still drawn over every mel image (at the height of its frequency, as in the panes)."""
UNLIMITED = 16_777_215.0  # QWIDGETSIZE_MAX


@dataclass(frozen=True)
class GridClip:
    """One column (or row) of the grid: what to call it and what to draw."""

    title: str
    emotion: str
    analysis: Analysis


class ClickableLabel(pg.LabelItem):
    """A clip header; clicking it asks to play that clip.

    Its text does not widen its column: every column has the same size hints, so the same width.
    """

    clicked = Signal()

    def updateMin(self) -> None:  # noqa: N802 (pyqtgraph override)
        super().updateMin()
        self.setMinimumWidth(1.0)
        self.setPreferredWidth(1.0)

    def mouseClickEvent(self, ev) -> None:  # noqa: N802 (Qt override)
        ev.accept()
        self.clicked.emit()


class F0Axis(pg.AxisItem):
    """The f0 row's left axis: its label in full where the row is high enough, else short
    (the full one is its tooltip)."""

    _labels = ("", "")  # a class default: pyqtgraph resizes the axis while it is built

    def __init__(self) -> None:
        super().__init__("left")
        self.enableAutoSIPrefix(False)  # Hz stay Hz; and its label is not rewritten at every range change
        self.setStyle(maxTickLevel=1)  # major and minor ticks: enough in a low row, a third cheaper to draw

    def set_labels(self, full: str, short: str) -> None:
        self._labels = (full, short)
        self.setToolTip(full)
        self._fit()

    def resizeEvent(self, ev=None) -> None:  # noqa: N802 (pyqtgraph override)
        self._fit()
        super().resizeEvent(ev)

    def _fit(self) -> None:
        full, short = self._labels
        if not full or self.label is None:  # not labelled yet, or closed
            return
        margin = 2 * self.label.document().documentMargin()
        fits = QFontMetricsF(self.label.font()).horizontalAdvance(full) + margin <= self.size().height()
        if (wanted := full if fits else short) != self.labelText:
            self.setLabel(wanted)


@dataclass
class Column:
    """The graphics items of one clip; reused when the next group is shown."""

    header: ClickableLabel
    plots: dict[str, pg.PlotItem]
    curve: pg.PlotDataItem
    mel_image: pg.ImageItem
    mfcc_image: pg.ImageItem
    f0: pg.PlotDataItem
    f0_note: pg.TextItem
    mel_f0: pg.PlotDataItem
    mel_hz: np.ndarray | None = None
    lines: list[pg.InfiniteLine] = field(default_factory=list)
    playheads: list[pg.InfiniteLine] = field(default_factory=list)


class GridCanvas(pg.GraphicsLayoutWidget):
    """The clips' plots in one graphics layout, every column (or row) equally sized.

    Building plots is the slow part (~15 ms each), so columns are kept and refilled, and
    ``prepare`` builds the first few in idle time, one per event-loop turn.

    Signals
    -------
    header_clicked(int) : the header of clip i was clicked
    """

    header_clicked = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.columns: list[Column] = []
        self.shown = 0
        self.by_rows = False
        self.compact = False
        self.ci.setContentsMargins(MARGIN_PX, MARGIN_PX, MARGIN_PX, MARGIN_PX)
        self.ci.layout.setSpacing(SPACING_PX)
        # The view sizes its central item only when the view is resized, and a widget is clamped
        # to its layout's maximum size: with every column hidden (prepared) that maximum is the
        # margins, and the size given then stuck when the columns were shown. No clamp, no stick.
        self.ci.setMaximumSize(QSizeF(UNLIMITED, UNLIMITED))
        self.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)

    @property
    def used(self) -> list[Column]:
        """The columns showing a clip."""
        return self.columns[: self.shown]

    def prepare(self, n: int = PREPARED_COLUMNS) -> None:
        """Build hidden columns in the background of the event loop, one per turn."""
        if len(self.columns) < n and not self.shown:
            self._add_column(len(self.columns))
            _set_visible(self.columns[-1], False)
            QTimer.singleShot(0, self, lambda: self.prepare(n))  # dropped with the canvas

    def set_count(self, n: int, by_rows: bool) -> None:
        """Have exactly ``n`` columns laid out as columns (or rows when ``by_rows``)."""
        if by_rows != self.by_rows:
            self._drop_columns(0)
            self.by_rows = by_rows
        while len(self.columns) < n:
            self._add_column(len(self.columns))
        self._drop_columns(n)
        self.shown = n
        self._set_row_stretch(n)

    def fill(self, i: int, clip: GridClip, mel_db: np.ndarray, scale: float) -> None:
        """Draw ``clip`` in column ``i``, its time axis multiplied by ``scale``."""
        column = self.columns[i]
        _set_visible(column, True)
        column.header.setText(_header_html(clip, i))
        feats, audio = clip.analysis.features, clip.analysis.clip
        column.curve.setData(np.arange(len(audio.samples)) * (scale / audio.sr), audio.samples)
        column.curve.setPen(pg.mkPen(emotion_color(clip.emotion), width=1))
        x0, width = -0.5 * feats.frame_seconds * scale, len(feats.times) * feats.frame_seconds * scale
        for image, data in ((column.mel_image, mel_db), (column.mfcc_image, feats.mfcc)):
            image.setImage(np.ascontiguousarray(data, dtype=np.float32), autoLevels=False)
            image.setRect(QRectF(x0, 0.0, width, data.shape[0]))
        set_mel_ticks(column.plots["mel"], feats.mel_hz)
        set_mfcc_ticks(column.plots["mfcc"], feats.mfcc.shape[0])
        column.mel_hz = feats.mel_hz
        for curve in (column.f0, column.mel_f0):
            curve.setData([], [])  # until this clip's prosody arrives
        column.f0_note.hide()

    def fill_f0(self, i: int, prosody: Prosody | str, unit: str, scale: float) -> None:
        """Draw clip ``i``'s f0 contour in ``unit`` ("Hz" or "st"), its time axis multiplied by
        ``scale``; a reason (why there is no prosody) or a clip without voice gets a note instead."""
        column = self.columns[i]
        voiced = not isinstance(prosody, str) and bool(prosody.voiced.any())
        if voiced:
            draw_f0(column.f0, prosody.times * scale, prosody.f0_hz, unit)
            draw_f0(column.mel_f0, prosody.times * scale, prosody.f0_hz, mel_hz=column.mel_hz)
        else:
            column.f0.setData([], [])
            column.mel_f0.setData([], [])
            column.f0_note.setToolTip(prosody if isinstance(prosody, str) else NO_VOICE)
        column.f0_note.setVisible(not voiced)

    def set_f0_scale(self, low_hz: float, high_hz: float, unit: str) -> None:
        """Show ``low_hz`` to ``high_hz`` in every column's f0 row, on an axis in ``unit``."""
        low, high = f0_in(np.array([low_hz, high_hz]), unit)
        for column in self.used:
            column.plots["f0"].setYRange(low, high, padding=0.0)
            column.plots["f0"].getAxis("left").set_labels(*F0_LABELS[unit])

    # -- building ----------------------------------------------------------------------------

    def _add_column(self, i: int) -> None:
        header = ClickableLabel("", justify="left")
        header.clicked.connect(lambda i=i: self.header_clicked.emit(i))
        self.addItem(header, *((i * 2, 0, 1, len(ROWS)) if self.by_rows else (0, i)))
        plots: dict[str, pg.PlotItem] = {}
        for k, name in enumerate(ROWS):
            row, col = (i * 2 + 1, k) if self.by_rows else (k + 1, i)
            link = self.columns[0].plots["waveform"] if self.columns else plots.get("waveform")
            time_axis = self.by_rows or name == ROWS[-1]
            plots[name] = self._new_plot(row, col, time_axis, link, _axis_items(name))
        curve = plots["waveform"].plot()
        curve.setDownsampling(auto=True, method="peak")
        curve.setClipToView(True)
        plots["waveform"].setYRange(-1.0, 1.0, padding=0.02)
        column = Column(header, plots, curve, pg.ImageItem(axisOrder="row-major"),
                        pg.ImageItem(axisOrder="row-major"), f0_curve(plots["f0"]), _note(plots["f0"]),
                        f0_curve(plots["mel"]))
        plots["mel"].addItem(column.mel_image)
        plots["mfcc"].addItem(column.mfcc_image)
        column.lines = [add_vline(p, CURSOR_PEN) for p in plots.values()]
        column.playheads = [add_vline(p, PLAYHEAD_PEN) for p in plots.values()]
        self.columns.append(column)
        self._fold_f0(column)

    def resizeEvent(self, ev) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(ev)
        if "columns" not in self.__dict__:
            return  # pyqtgraph resizes the view while it is being built
        compact = not self.by_rows and self.height() < COMPACT_BELOW_PX
        if compact != self.compact:
            self.compact = compact
            for column in self.columns:
                self._fold_f0(column)
            self._set_row_stretch(self.shown)

    def _fold_f0(self, column: Column) -> None:
        """Show the f0 row, or fold it to nothing on a low grid (the contour over the mel stays)."""
        plot = column.plots["f0"]
        plot.setVisible(not self.compact and column.header.isVisible())
        plot.setMaximumHeight(0.0 if self.compact else UNLIMITED)

    def _new_plot(self, row: int, col: int, time_axis: bool, link: pg.PlotItem | None,
                  axis_items: dict[str, pg.AxisItem]) -> pg.PlotItem:
        plot = self.addPlot(row=row, col=col, viewBox=TimeViewBox(), axisItems=axis_items)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.getAxis("left").setWidth(AXIS_PX)
        plot.showAxis("bottom", time_axis)
        if link is not None:
            plot.setXLink(link)
        return plot

    def _set_row_stretch(self, n: int) -> None:
        """In columns the images get the height; in rows every clip's plots get an equal share.

        A row whose stretch was never set takes all the spare height from rows set to 0 (Qt), so
        every row is set, also those a previous layout used.
        """
        layout = self.ci.layout
        for row in range(layout.rowCount()):
            layout.setRowStretchFactor(row, 0)
        if self.by_rows:
            for i in range(n):
                layout.setRowStretchFactor(i * 2 + 1, 1)
        else:
            for k, name in enumerate(ROWS):
                layout.setRowStretchFactor(k + 1, 0 if name == "f0" and self.compact else STRETCH[name])

    def _drop_columns(self, keep: int) -> None:
        for column in self.columns[keep:]:
            for item in [column.header, *column.plots.values()]:
                self.removeItem(item)
        del self.columns[keep:]

    def _on_scene_mouse_moved(self, pos) -> None:
        for column in self.used:
            for plot in column.plots.values():
                if plot.sceneBoundingRect().contains(pos):
                    x = plot.getViewBox().mapSceneToView(pos).x()
                    for line in (line for c in self.columns for line in c.lines):
                        line.setPos(x)
                        line.show()
                    return


def _axis_items(row: str) -> dict[str, pg.AxisItem]:
    """The y axis of a row: band labels for the images, an f0 axis, pyqtgraph's own for the waveform."""
    axis = BandAxis() if row in ("mel", "mfcc") else F0Axis() if row == "f0" else None
    return {} if axis is None else {"left": axis}


def _note(plot: pg.PlotItem) -> pg.TextItem:
    """A hidden "no pitch" note in the corner of ``plot``'s view (it stays there when zoomed)."""
    note = pg.TextItem("no pitch", color=NOTE_COLOR)
    note.setParentItem(plot.getViewBox())
    note.setPos(2.0, 0.0)
    note.hide()
    return note


def _set_visible(column: Column, visible: bool) -> None:
    column.header.setVisible(visible)
    for name, plot in column.plots.items():
        plot.setVisible(visible and (name != "f0" or plot.maximumHeight() > 0))


def _header_html(clip: GridClip, i: int) -> str:
    chip = f"<span style='color:{emotion_color(clip.emotion)}; font-size:14pt'>■</span>"
    key = f"[{i + 1}] " if i < 9 else ""
    title = clip.title if len(clip.title) <= HEADER_CHARS else clip.title[: HEADER_CHARS - 1] + "…"
    return f"{chip} <b>{key}{clip.emotion}</b><br><span style='font-size:8pt'>{title}</span>"
