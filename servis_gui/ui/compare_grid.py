"""CompareGrid: waveform / mel / MFCC of several clips on shared scales and one linked time axis."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QTimer, Signal

from servis_gui.core.emotions import colour
from servis_gui.core.levels import group_mel_db, mfcc_levels
from servis_gui.ui.panes import (
    CURSOR_PEN, LEFT_AXIS_PX, MFCC_COLORMAP, PLAYHEAD_PEN, TimeViewBox, add_vline, set_mel_ticks,
    set_mfcc_ticks,
)
from servis_gui.workers import Analysis

ROWS = ("waveform", "mel", "mfcc")
PREPARED_COLUMNS = 6
HEADER_CHARS = 22
"""A header's text sets its column's minimum width: longer titles are cut (the summary has them)."""


@dataclass(frozen=True)
class GridClip:
    """One column (or row) of the grid: what to call it and what to draw."""

    title: str
    emotion: str
    analysis: Analysis


class ClickableLabel(pg.LabelItem):
    """A clip header; clicking it asks to play that clip."""

    clicked = Signal()

    def mouseClickEvent(self, ev) -> None:  # noqa: N802 (Qt override)
        ev.accept()
        self.clicked.emit()


@dataclass
class _Column:
    """The graphics items of one clip; reused when the next group is shown."""

    header: ClickableLabel
    plots: dict[str, pg.PlotItem]
    curve: pg.PlotDataItem
    mel_image: pg.ImageItem
    mfcc_image: pg.ImageItem
    lines: list[pg.InfiniteLine] = field(default_factory=list)
    playheads: list[pg.InfiniteLine] = field(default_factory=list)


class CompareGrid(pg.GraphicsLayoutWidget):
    """Draws N clips; one colour bar drives every mel image and one every MFCC image.

    Building plots is the slow part (~15 ms each), so columns are kept and refilled, and
    ``prepare`` builds the first few in idle time, one per event-loop turn.

    Signals
    -------
    header_clicked(int) : the header of clip i was clicked
    """

    header_clicked = Signal(int)

    def __init__(self, colormap: str = "magma") -> None:
        super().__init__()
        self.colormap = colormap
        self.clips: list[GridClip] = []
        self.columns: list[_Column] = []
        self.by_rows = False
        self.stretch = False
        self.mel_bar = self._new_bar(colormap, "dB")
        self.mfcc_bar = self._new_bar(MFCC_COLORMAP, "MFCC")
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)

    # -- public ------------------------------------------------------------------------------

    @property
    def plots(self) -> list[dict[str, pg.PlotItem]]:
        return [c.plots for c in self.columns[: len(self.clips)]]

    @property
    def mel_images(self) -> list[pg.ImageItem]:
        return [c.mel_image for c in self.columns[: len(self.clips)]]

    @property
    def mfcc_images(self) -> list[pg.ImageItem]:
        return [c.mfcc_image for c in self.columns[: len(self.clips)]]

    @property
    def curves(self) -> list[pg.PlotDataItem]:
        return [c.curve for c in self.columns[: len(self.clips)]]

    @property
    def headers(self) -> list[ClickableLabel]:
        return [c.header for c in self.columns[: len(self.clips)]]

    @property
    def playheads(self) -> list[list[pg.InfiniteLine]]:
        return [c.playheads for c in self.columns[: len(self.clips)]]

    def prepare(self, n: int = PREPARED_COLUMNS) -> None:
        """Build empty columns in the background of the event loop, one per turn."""
        if len(self.columns) < n and not self.clips:
            self._add_column(len(self.columns))
            _set_visible(self.columns[-1], False)
            QTimer.singleShot(0, lambda: self.prepare(n))

    def show_clips(self, clips: list[GridClip], reference: str, by_rows: bool, stretch: bool) -> None:
        """Show ``clips``, reusing the columns already built.

        Parameters
        ----------
        clips : list of GridClip
            Their features must use ``db_ref="full_scale"`` (see ``Session.group_params``).
        reference : {"group_max", "full_scale", "clip_max"}
            What 0 dB means on the shared mel colour scale.
        by_rows : bool
            One row per clip instead of one column per clip.
        stretch : bool
            Stretch every clip to the same width instead of a common time scale.
        """
        if by_rows != self.by_rows:
            self._drop_columns(0)
            self.by_rows = by_rows
        self.clips, self.stretch = clips, stretch
        while len(self.columns) < len(clips):
            self._add_column(len(self.columns))
        self._drop_columns(len(clips))
        if not clips:
            return
        mel_dbs, mel_lv = group_mel_db([c.analysis.features for c in clips], reference)
        for i, (clip, mel_db) in enumerate(zip(clips, mel_dbs)):
            self._fill(self.columns[i], i, clip, mel_db)
        self._place_bars(len(clips))
        self.mel_bar.setLevels(mel_lv)
        self.mel_bar.getAxis("left").setLabel(_REF_UNITS[reference])
        self.mfcc_bar.setLevels(mfcc_levels(*[c.analysis.features.mfcc for c in clips]))
        longest = max((1.0 if stretch else c.analysis.clip.duration) for c in clips)
        self.columns[0].plots["waveform"].setXRange(0.0, longest, padding=0.0)

    def set_playhead(self, index: int, t: float | None) -> None:
        """Show the playhead at ``t`` seconds in clip ``index`` only (``None`` hides it)."""
        for i, lines in enumerate(self.playheads):
            for line in lines:
                line.setVisible(i == index and t is not None)
                if i == index and t is not None:
                    line.setPos(self._x_of(i, t))

    # -- building ----------------------------------------------------------------------------

    def _add_column(self, i: int) -> None:
        header = ClickableLabel("", justify="left")
        header.clicked.connect(lambda i=i: self.header_clicked.emit(i))
        self.addItem(header, *((i * 2, 0, 1, 3) if self.by_rows else (0, i)))
        plots: dict[str, pg.PlotItem] = {}
        for k, name in enumerate(ROWS):
            row, col = (i * 2 + 1, k) if self.by_rows else (k + 1, i)
            link = self.columns[0].plots["waveform"] if self.columns else plots.get("waveform")
            plots[name] = self._new_plot(row, col, show_y=(col == 0 or self.by_rows), link=link)
        curve = plots["waveform"].plot()
        curve.setDownsampling(auto=True, method="peak")
        curve.setClipToView(True)
        plots["waveform"].setYRange(-1.0, 1.0, padding=0.02)
        column = _Column(header, plots, curve, pg.ImageItem(axisOrder="row-major"),
                         pg.ImageItem(axisOrder="row-major"))
        plots["mel"].addItem(column.mel_image)
        plots["mfcc"].addItem(column.mfcc_image)
        self.mel_bar.setImageItem(self.mel_images + [column.mel_image])
        self.mfcc_bar.setImageItem(self.mfcc_images + [column.mfcc_image])
        column.lines = [add_vline(p, CURSOR_PEN) for p in plots.values()]
        column.playheads = [add_vline(p, PLAYHEAD_PEN) for p in plots.values()]
        self.columns.append(column)

    def _new_plot(self, row: int, col: int, show_y: bool, link: pg.PlotItem | None) -> pg.PlotItem:
        plot = self.addPlot(row=row, col=col, viewBox=TimeViewBox())
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.getAxis("left").setWidth(LEFT_AXIS_PX if show_y else 8)
        plot.getAxis("left").setStyle(showValues=show_y)
        if link is not None:
            plot.setXLink(link)
        return plot

    def _drop_columns(self, keep: int) -> None:
        for column in self.columns[keep:]:
            for item in [column.header, *column.plots.values()]:
                self.removeItem(item)
        del self.columns[keep:]

    def _fill(self, column: _Column, i: int, clip: GridClip, mel_db: np.ndarray) -> None:
        _set_visible(column, True)
        column.header.setText(_header_html(clip, i))
        feats, audio = clip.analysis.features, clip.analysis.clip
        scale = 1.0 / audio.duration if self.stretch else 1.0
        column.curve.setData(np.arange(len(audio.samples)) * (scale / audio.sr), audio.samples)
        column.curve.setPen(pg.mkPen(colour(clip.emotion), width=1))
        x0, width = -0.5 * feats.frame_seconds * scale, len(feats.times) * feats.frame_seconds * scale
        for image, data in ((column.mel_image, mel_db), (column.mfcc_image, feats.mfcc)):
            image.setImage(np.ascontiguousarray(data, dtype=np.float32), autoLevels=False)
            image.setRect(QRectF(x0, 0.0, width, data.shape[0]))
        set_mel_ticks(column.plots["mel"], feats.mel_hz)
        set_mfcc_ticks(column.plots["mfcc"], feats.mfcc.shape[0])

    def _new_bar(self, cmap: str, label: str) -> pg.ColorBarItem:
        return pg.ColorBarItem(colorMap=pg.colormap.get(cmap), label=label, interactive=False,
                               colorMapMenu=False, width=14)

    def _place_bars(self, n: int) -> None:
        for k, bar in enumerate((self.mel_bar, self.mfcc_bar), start=1):
            if bar.scene() is not None:
                self.removeItem(bar)
            self.addItem(bar, *((1, 2 + k) if self.by_rows else (k + 1, n)))
        self.mel_bar.setImageItem(self.mel_images)
        self.mfcc_bar.setImageItem(self.mfcc_images)

    def _x_of(self, i: int, t: float) -> float:
        return t / self.clips[i].analysis.clip.duration if self.stretch else t

    def _on_mouse_moved(self, pos) -> None:
        for column in self.columns[: len(self.clips)]:
            for plot in column.plots.values():
                if plot.sceneBoundingRect().contains(pos):
                    x = plot.getViewBox().mapSceneToView(pos).x()
                    for line in (line for c in self.columns for line in c.lines):
                        line.setPos(x)
                        line.show()
                    return


_REF_UNITS = {"group_max": "dB re loudest clip", "full_scale": "dB re full scale",
              "clip_max": "dB re each clip's max"}


def _set_visible(column: _Column, visible: bool) -> None:
    column.header.setVisible(visible)
    for plot in column.plots.values():
        plot.setVisible(visible)


def _header_html(clip: GridClip, i: int) -> str:
    chip = f"<span style='color:{colour(clip.emotion)}; font-size:14pt'>■</span>"
    key = f"[{i + 1}] " if i < 9 else ""
    title = clip.title if len(clip.title) <= HEADER_CHARS else clip.title[: HEADER_CHARS - 1] + "…"
    return f"{chip} <b>{key}{clip.emotion}</b><br><span style='font-size:8pt'>{title}</span>"
